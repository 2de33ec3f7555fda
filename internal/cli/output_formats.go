package cli

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"pitstop/internal/check"
	"pitstop/internal/human"
)

// writeJSON writes the documented shape (docs/ARCHITECTURE.md): {"profile", "results", "summary",
// "assessment"}, statuses in lower case, durations in milliseconds.
func (r *checkRun) writeJSON(w io.Writer) error {
	results := r.Results
	if results == nil {
		results = []check.Result{}
	}
	doc := struct {
		Profile    string         `json:"profile"`
		Results    []check.Result `json:"results"`
		Summary    check.Summary  `json:"summary"`
		Assessment assessment     `json:"assessment"`
	}{r.Profile, results, r.Summary, r.Assessment}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

// JUnit XML, in the shape Jenkins, GitLab, GitHub test reporters and
// xunit-viewer read: one testsuite per category, one testcase per check.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Properties *junitProps     `xml:"properties,omitempty"`
	Cases      []junitTestCase `xml:"testcase"`
}

type junitProps struct {
	Props []junitProp `xml:"property"`
}

type junitProp struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitTestCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut *junitText    `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

type junitText struct {
	Text string `xml:",cdata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// writeJUnit writes the results as JUnit XML. A warning is a passing test
// with its summary in system-out, or a failure with --strict; could-not-test
// is an <error>.
func (r *checkRun) writeJUnit(w io.Writer) error {
	doc := junitSuites{Name: "pitstop", Time: seconds(r.Elapsed)}
	for _, g := range r.groups() {
		suite := junitSuite{Name: g.Category, Tests: len(g.Results),
			Properties: &junitProps{Props: []junitProp{{Name: "profile", Value: r.Profile}}}}
		var total time.Duration
		for _, res := range g.Results {
			total += res.Duration
			tc := junitTestCase{
				Name:      res.ID,
				Classname: "pitstop." + g.Category,
				Time:      seconds(res.Duration),
			}
			body := junitBody(res)
			switch {
			case res.Status == check.Fail || (res.Status == check.Warn && r.Strict):
				tc.Failure = &junitProblem{Message: res.Summary, Type: res.Status.String(), Text: body}
				suite.Failures++
			case res.Status == check.Error:
				tc.Error = &junitProblem{Message: res.Summary, Type: "could-not-test", Text: body}
				suite.Errors++
			case res.Status == check.Skip:
				tc.Skipped = &junitSkipped{Message: res.Summary}
				suite.Skipped++
			default:
				tc.SystemOut = &junitText{Text: xmlSafe(res.Status.String()+": "+res.Summary+"\n") + body}
			}
			suite.Cases = append(suite.Cases, tc)
		}
		suite.Time = seconds(total)
		doc.Tests += suite.Tests
		doc.Failures += suite.Failures
		doc.Errors += suite.Errors
		doc.Skipped += suite.Skipped
		doc.Suites = append(doc.Suites, suite)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// junitBody is a testcase's text: title, details and articles.
func junitBody(res check.Result) string {
	var b strings.Builder
	b.WriteString(res.Title + "\n")
	for _, d := range res.Details {
		b.WriteString(d + "\n")
	}
	if len(res.Articles) > 0 {
		b.WriteString("read: " + strings.Join(res.Articles, ", ") + "\n")
	}
	return xmlSafe(b.String())
}

// xmlSafe drops characters XML 1.0 cannot carry (control bytes a broken
// server may have sent); the text and Markdown outputs use it too, so no
// terminal control sequence reaches the screen from a result.
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r != 0xFFFE && r != 0xFFFF) {
			return r
		}
		return -1
	}, s)
}

// writeMarkdown writes a summary and one table per category, for tickets,
// pull requests and CI job summaries.
func (r *checkRun) writeMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", r.T("md.title", mdCell(r.Profile)))
	fmt.Fprintf(&b, "%s %s\n\n", r.verdict(), r.countsLine())
	severity, tier := r.Assessment.Severity, r.Assessment.Tier
	if r.SeverityLabel != "" && r.TierName != "" {
		severity, tier = r.SeverityLabel, r.TierName
	}
	b.WriteString(r.T("md.severity", severity, tier) + "\n")
	for _, g := range r.groups() {
		fmt.Fprintf(&b, "\n## %s\n\n", categoryTitleIn(g.Category, r.Lang))
		b.WriteString(r.T("md.columns") + "\n")
		b.WriteString("|---|---|---|---:|---|\n")
		for _, res := range g.Results {
			var arts []string
			for _, a := range res.Articles {
				arts = append(arts, "`"+a+"`")
			}
			fmt.Fprintf(&b, "| %s %s | %s (`%s`) | %s | %s | %s |\n",
				statusIcon(res.Status), statusWord(res.Status, r.Lang), mdCell(r.title(res)), res.ID,
				mdCell(res.Summary), human.Duration(res.Duration), strings.Join(arts, " "))
		}
	}
	var withDetails []check.Result
	for _, res := range r.Results {
		if res.Status.Bad() && len(res.Details) > 0 {
			withDetails = append(withDetails, res)
		}
	}
	if len(withDetails) > 0 {
		b.WriteString("\n## " + r.T("md.evidence") + "\n")
		for _, res := range withDetails {
			fmt.Fprintf(&b, "\n<details><summary>%s %s: %s</summary>\n\n```text\n", statusIcon(res.Status), res.ID, mdCell(r.title(res)))
			for _, d := range res.Details {
				b.WriteString(xmlSafe(strings.ReplaceAll(d, "```", "'''")) + "\n")
			}
			b.WriteString("```\n\n</details>\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdCell makes text safe in a table cell: no pipes or line breaks.
func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	s = strings.ReplaceAll(s, "\r", "")
	return strings.ReplaceAll(s, "\n", " ")
}
