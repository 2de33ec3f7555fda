package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"pitstop/internal/check"
	"pitstop/internal/human"
	"pitstop/internal/i18n"
	"pitstop/internal/registry"
)

// categoryTitleIn names a family in output headings, from the registry.
func categoryTitleIn(c, lang string) string { return registry.FamilyTitle(c, lang) }

// title is a result's title in the run's language, from the registry.
func (r *checkRun) title(res check.Result) string {
	return registry.CheckTitle(res.ID, res.Title, r.Lang)
}

// statusIcons are the one-character marks of each status.
var statusIcons = map[check.Status]string{
	check.Pass:  "✓",
	check.Warn:  "!",
	check.Fail:  "✗",
	check.Skip:  "-",
	check.Error: "?",
}

func statusIcon(s check.Status) string {
	if i, ok := statusIcons[s]; ok {
		return i
	}
	return "?"
}

// statusWord is the status in words in lang: "pass" ... "could not test".
func statusWord(s check.Status, lang string) string { return i18n.T(lang, "cli.status."+s.String()) }

// categoryGroup is the results of one category, in run order.
type categoryGroup struct {
	Category string
	Results  []check.Result
}

// groups splits the results by category, categories in the usual order
// (unknown ones last, in order of appearance).
func (r *checkRun) groups() []categoryGroup {
	by := map[string][]check.Result{}
	var extra []string
	for _, res := range r.Results {
		if _, ok := by[res.Category]; !ok && !slices.Contains(registry.IDs(), res.Category) {
			extra = append(extra, res.Category)
		}
		by[res.Category] = append(by[res.Category], res)
	}
	var out []categoryGroup
	for _, c := range append(registry.IDs(), extra...) {
		if len(by[c]) > 0 {
			out = append(out, categoryGroup{c, by[c]})
		}
	}
	return out
}

// countsLine is "6 checks in 1.2 s: 3 passed, 1 warning, 1 failed, 1 skipped, 0 could not test."
func (r *checkRun) countsLine() string {
	s := r.Summary
	n := func(key string, count int) string { return r.N("counts."+key, count, count) }
	return r.T("counts.line", n("checks", len(r.Results)), human.Duration(r.Elapsed),
		n("pass", s.Pass), n("warn", s.Warn), n("fail", s.Fail), n("skip", s.Skip), n("error", s.Error))
}

// verdict is the run's outcome in words.
func (r *checkRun) verdict() string {
	s := r.Summary
	switch {
	case r.Interrupted:
		return r.T("verdict.interrupted")
	case len(r.Results) > 0 && s.Skip == len(r.Results):
		return r.T("verdict.all_skipped")
	case r.Summary.OK(r.Strict) && r.Summary.Warn > 0:
		return r.T("verdict.warnings")
	case r.Summary.OK(r.Strict):
		return r.T("verdict.clear")
	case r.Strict && r.Summary.Fail == 0 && r.Summary.Error == 0:
		return r.T("verdict.strict")
	}
	return r.T("verdict.failing")
}

// textStyles color the text output. Colors are the 16 basic ANSI ones so
// the terminal's own palette (light or dark) applies; the writer strips
// them when the output is not a terminal or colors are off.
type textStyles struct {
	status  map[check.Status]lipgloss.Style
	heading lipgloss.Style
	muted   lipgloss.Style
	id      lipgloss.Style
}

func newTextStyles() textStyles {
	return textStyles{
		status: map[check.Status]lipgloss.Style{
			check.Pass:  lipgloss.NewStyle().Foreground(lipgloss.Green).Bold(true),
			check.Warn:  lipgloss.NewStyle().Foreground(lipgloss.Yellow).Bold(true),
			check.Fail:  lipgloss.NewStyle().Foreground(lipgloss.Red).Bold(true),
			check.Skip:  lipgloss.NewStyle().Foreground(lipgloss.BrightBlack),
			check.Error: lipgloss.NewStyle().Foreground(lipgloss.Magenta).Bold(true),
		},
		heading: lipgloss.NewStyle().Bold(true).Underline(true),
		muted:   lipgloss.NewStyle().Foreground(lipgloss.BrightBlack),
		id:      lipgloss.NewStyle().Foreground(lipgloss.BrightBlack),
	}
}

// writeText writes the human report: grouped by category, an icon, the
// title, the check id and time, one sentence, the articles to read; a final
// line of counts. verbose adds every result's details.
func (r *checkRun) writeText(w io.Writer, st textStyles, verbose bool, width int) error {
	// indent wraps text to the terminal width (width 0: no wrapping) and
	// writes each line after pad, styled when a style is given.
	indent := func(pad, text string, style ...lipgloss.Style) string {
		if width > len(pad)+20 {
			text = wrapText(text, width-len(pad))
		}
		var out strings.Builder
		for _, line := range strings.Split(text, "\n") {
			for _, s := range style {
				line = s.Render(line)
			}
			out.WriteString(pad + line + "\n")
		}
		return out.String()
	}
	var b strings.Builder
	b.WriteString(r.T("check.heading", r.Profile) + "\n")
	for _, g := range r.groups() {
		fmt.Fprintf(&b, "\n%s\n", st.heading.Render(categoryTitleIn(g.Category, r.Lang)))
		for _, res := range g.Results {
			icon := st.status[res.Status].Render(statusIcon(res.Status))
			meta := st.id.Render(fmt.Sprintf("%s · %s", res.ID, human.Duration(res.Duration)))
			head := fmt.Sprintf("  %s %s  %s", icon, r.title(res), meta)
			if width > 0 && ansi.StringWidth(head) > width {
				// The id and time go under the title rather than past the edge.
				head = fmt.Sprintf("  %s %s\n    %s", icon, r.title(res), meta)
			}
			b.WriteString(head + "\n")
			b.WriteString(indent("    ", xmlSafe(r.shortSummary(res))))
			if verbose {
				for _, d := range res.Details {
					b.WriteString(indent("      ", xmlSafe(d), st.muted))
				}
			}
			if res.Status.Bad() && len(res.Articles) > 0 {
				b.WriteString(indent("    ", r.T("check.read", strings.Join(res.Articles, ", ")), st.muted))
			}
		}
	}
	b.WriteString("\n")
	b.WriteString(indent("", r.verdict()))
	if !r.Summary.OK(r.Strict) || r.Summary.Warn > 0 {
		b.WriteString(indent("", r.T("check.next"), st.muted))
	}
	b.WriteString(indent("", r.countsLine()))
	_, err := io.WriteString(w, b.String())
	return err
}

// shortSummary is the summary the text output shows: a check skipped
// because another did not pass names that check instead of repeating its
// whole sentence, which is printed once already (JSON and the other formats
// keep the runner's full summary).
func (r *checkRun) shortSummary(res check.Result) string {
	if res.Status != check.Skip {
		return res.Summary
	}
	rest, ok := strings.CutPrefix(res.Summary, "Not run because ")
	if !ok {
		return res.Summary
	}
	id, _, ok := strings.Cut(rest, " did not pass: ")
	if !ok || !slices.ContainsFunc(r.Results, func(o check.Result) bool { return o.ID == id }) {
		return res.Summary
	}
	return r.T("check.needs", id)
}

// seconds renders a duration as seconds with millisecond precision.
func seconds(d time.Duration) string {
	return fmt.Sprintf("%.3f", d.Seconds())
}
