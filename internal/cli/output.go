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
	"pitstop/internal/config"
	"pitstop/internal/probe"
)

// categoryTitles name the categories in output headings.
var categoryTitles = map[string]string{
	"api":     "AI API",
	"crm":     "CRM",
	"smtp":    "Email sending (SMTP)",
	"domain":  "Sender domain",
	"content": "Content",
	"cache":   "Cache",
}

func categoryTitle(c string) string {
	if t, ok := categoryTitles[c]; ok {
		return t
	}
	return c
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

// statusWord is the status in words, "could not test" for Error.
func statusWord(s check.Status) string {
	if s == check.Error {
		return "could not test"
	}
	return s.String()
}

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
		if _, ok := by[res.Category]; !ok && !slices.Contains(config.Categories, res.Category) {
			extra = append(extra, res.Category)
		}
		by[res.Category] = append(by[res.Category], res)
	}
	var out []categoryGroup
	for _, c := range append(slices.Clone(config.Categories), extra...) {
		if len(by[c]) > 0 {
			out = append(out, categoryGroup{c, by[c]})
		}
	}
	return out
}

// countsLine is "6 checks in 1.20s: 3 passed, 1 warning, 1 failed, 1 skipped, 0 could not test."
func (r *checkRun) countsLine() string {
	s := r.Summary
	plural := func(n int, one, many string) string {
		if n == 1 {
			return fmt.Sprintf("%d %s", n, one)
		}
		return fmt.Sprintf("%d %s", n, many)
	}
	return fmt.Sprintf("%s in %s: %d passed, %s, %d failed, %d skipped, %d could not test.",
		plural(len(r.Results), "check", "checks"), probe.FormatDuration(r.Elapsed),
		s.Pass, plural(s.Warn, "warning", "warnings"), s.Fail, s.Skip, s.Error)
}

// verdict is the run's outcome in words.
func (r *checkRun) verdict() string {
	switch {
	case r.Summary.OK(r.Strict) && r.Summary.Warn > 0:
		return "Passed, with warnings worth a look."
	case r.Summary.OK(r.Strict):
		return "All clear."
	case r.Strict && r.Summary.Fail == 0 && r.Summary.Error == 0:
		return "Not passing: --strict counts warnings as failures."
	}
	return "Not passing: fix the failed checks first; the articles named under each explain how."
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
			text = ansi.Wrap(text, width-len(pad), "")
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
	fmt.Fprintf(&b, "Pitstop check · profile %s\n", r.Profile)
	for _, g := range r.groups() {
		fmt.Fprintf(&b, "\n%s\n", st.heading.Render(categoryTitle(g.Category)))
		for _, res := range g.Results {
			icon := st.status[res.Status].Render(statusIcon(res.Status))
			meta := st.id.Render(fmt.Sprintf("%s · %s", res.ID, probe.FormatDuration(res.Duration)))
			fmt.Fprintf(&b, "  %s %s  %s\n", icon, res.Title, meta)
			b.WriteString(indent("    ", xmlSafe(res.Summary)))
			if verbose {
				for _, d := range res.Details {
					b.WriteString(indent("      ", xmlSafe(d), st.muted))
				}
			}
			if res.Status.Bad() && len(res.Articles) > 0 {
				b.WriteString(indent("    ", "read: "+strings.Join(res.Articles, ", "), st.muted))
			}
		}
	}
	b.WriteString("\n")
	b.WriteString(indent("", r.verdict()))
	if !r.Summary.OK(r.Strict) || r.Summary.Warn > 0 {
		b.WriteString(indent("", "Read an article with `pitstop kb show ID`; for a ticket, `pitstop report --out ticket.md`.", st.muted))
	}
	b.WriteString(indent("", r.countsLine()))
	_, err := io.WriteString(w, b.String())
	return err
}

// seconds renders a duration as seconds with millisecond precision.
func seconds(d time.Duration) string {
	return fmt.Sprintf("%.3f", d.Seconds())
}
