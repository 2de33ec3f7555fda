package common

import (
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"pitstop/internal/check"
	"pitstop/internal/human"
	"pitstop/internal/registry"
	"pitstop/internal/wizard"
)

// Icon returns the styled symbol of a check status. Each status has its own
// symbol so the screen reads the same without color.
func (c *Common) Icon(s check.Status) string {
	st := c.Styles
	switch s {
	case check.Pass:
		return st.Pass.Render("✓")
	case check.Warn:
		return st.Warn.Render("!")
	case check.Fail:
		return st.Fail.Render("✗")
	case check.Skip:
		return st.Skip.Render("–")
	}
	return st.Error.Render("?")
}

// StatusStyle returns the style of a status word.
func (c *Common) StatusStyle(s check.Status) lipgloss.Style {
	st := c.Styles
	switch s {
	case check.Pass:
		return st.Pass
	case check.Warn:
		return st.Warn
	case check.Fail:
		return st.Fail
	case check.Skip:
		return st.Skip
	}
	return st.Error
}

// StatusWord returns the translated name of a status ("passed", "could not test").
func (c *Common) StatusWord(s check.Status) string { return s.Word(c.Lang) }

// Count says how many results had a status: "1 warning", "3 warnings",
// "2 could not test".
func (c *Common) Count(s check.Status, n int) string { return s.Count(c.Lang, n) }

// Counts joins the non-zero counts of a summary, worst news last.
func (c *Common) Counts(sum check.Summary, style func(check.Status, string) string) []string {
	var parts []string
	add := func(n int, s check.Status) {
		if n > 0 {
			parts = append(parts, style(s, c.Count(s, n)))
		}
	}
	add(sum.Pass, check.Pass)
	add(sum.Warn, check.Warn)
	add(sum.Fail, check.Fail)
	add(sum.Error, check.Error)
	add(sum.Skip, check.Skip)
	return parts
}

// FamilyName returns the name of a check family in the interface language
// ("Email (SMTP)"), from the registry.
func (c *Common) FamilyName(category string) string { return registry.FamilyTitle(category, c.Lang) }

// ProblemName returns the translated label of a wizard category: the name
// of its knowledge category, said once in the catalogue (tui.kbcat.*).
func (c *Common) ProblemName(p wizard.Problem) string { return c.T("kbcat." + p.KBCategory) }

// TimeColumn is the width of a column of times as human.Duration writes
// them: the widest, and at least human.ColumnWidth (any time under a
// minute), so the columns beside it do not move as times come in.
func TimeColumn(times ...time.Duration) int {
	w := human.ColumnWidth
	for _, d := range times {
		w = max(w, lipgloss.Width(human.Duration(d)))
	}
	return w
}

// Truncate cuts s (which may hold styles) to width cells with an ellipsis.
func Truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	return ansi.Truncate(s, width, "…")
}

// nbHyphen stands in for "-" while wrapping: ansi.Wrap breaks lines after
// a hyphen, which splits addresses, host names and article ids
// ("mailer@pitstop-" / "healthy.test") in two.
const nbHyphen = "\u2011"

// Wrap wraps plain or styled text to width cells, at spaces only; a word
// longer than the width is cut.
func Wrap(s string, width int) string {
	if width <= 0 {
		return s
	}
	if !strings.Contains(s, "-") || strings.Contains(s, nbHyphen) {
		return trimLineEnds(ansi.Wrap(s, width, ""))
	}
	out := ansi.Wrap(strings.ReplaceAll(s, "-", nbHyphen), width, "")
	return trimLineEnds(strings.ReplaceAll(out, nbHyphen, "-"))
}

// trimLineEnds drops the space a wrap leaves at the end of a line.
func trimLineEnds(s string) string {
	if !strings.Contains(s, " \n") {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// WrapMax wraps s to width cells and keeps at most maxLines lines, the
// last one ending in an ellipsis when text was left out.
func WrapMax(s string, width, maxLines int) []string {
	lines := strings.Split(Wrap(s, width), "\n")
	if maxLines <= 0 || len(lines) <= maxLines {
		return lines
	}
	kept := lines[:maxLines]
	last := strings.TrimRight(kept[maxLines-1], " ")
	if ansi.StringWidth(last)+1 > width {
		last = ansi.Truncate(last, width-1, "")
	}
	kept[maxLines-1] = last + "…"
	return kept
}

// Window returns the range [start, end) of a list of total rows to show in
// height rows so that cursor stays visible, scrolling as little as needed
// from the previous start.
func Window(start, cursor, total, height int) (int, int) {
	if height <= 0 || total <= 0 {
		return 0, 0
	}
	if total <= height {
		return 0, total
	}
	if cursor < start {
		start = cursor
	}
	if cursor >= start+height {
		start = cursor - height + 1
	}
	start = max(0, min(start, total-height))
	return start, start + height
}

// Bar draws a progress bar of width cells, done of total filled.
func (c *Common) Bar(done, total, width int) string {
	if width <= 0 {
		return ""
	}
	filled := 0
	if total > 0 {
		filled = done * width / total
	}
	return c.Styles.BarFull.Render(strings.Repeat("█", filled)) +
		c.Styles.BarEmpty.Render(strings.Repeat("░", width-filled))
}

// Lines pads or cuts s to exactly height lines, so a screen fills its area
// and the help bar stays at the bottom.
func Lines(s string, height int) string {
	if height <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// Fit cuts or pads one line to exactly width cells.
func Fit(line string, width int) string {
	w := ansi.StringWidth(line)
	switch {
	case w > width:
		return ansi.Truncate(line, width, "…")
	case w < width:
		return line + strings.Repeat(" ", width-w)
	}
	return line
}

// Block cuts or pads s to exactly width×height cells, line by line: a
// cheap way to give a pane its size (lipgloss's Width wraps, which costs
// far more than a keystroke may).
func Block(s string, width, height int) string {
	lines := strings.Split(s, "\n")
	out := make([]string, height)
	for i := range out {
		l := ""
		if i < len(lines) {
			l = lines[i]
		}
		out[i] = Fit(l, width)
	}
	return strings.Join(out, "\n")
}

// Beside puts blocks side by side, line by line. Each block but the last
// must already have the same width on every line (see Block).
func Beside(blocks ...string) string {
	cols := make([][]string, len(blocks))
	h := 0
	for i, b := range blocks {
		cols[i] = strings.Split(b, "\n")
		h = max(h, len(cols[i]))
	}
	var out strings.Builder
	for y := range h {
		for i, col := range cols {
			if y < len(col) {
				out.WriteString(col[y])
			} else if i < len(cols)-1 && len(col) > 0 {
				out.WriteString(strings.Repeat(" ", ansi.StringWidth(col[0])))
			}
		}
		if y < h-1 {
			out.WriteByte('\n')
		}
	}
	return out.String()
}

// Clip cuts every line of s to width cells: the last guard against a line
// that would wrap and push the frame out of the window.
func Clip(s string, width int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if ansi.StringWidth(l) > width {
			lines[i] = ansi.Truncate(l, width, "…")
		}
	}
	return strings.Join(lines, "\n")
}

// Scrollbar returns a one-column scroll indicator for a list of total rows
// showing rows [start, start+height).
func (c *Common) Scrollbar(start, height, total int) []string {
	out := make([]string, height)
	if total <= height || height <= 0 {
		for i := range out {
			out[i] = " "
		}
		return out
	}
	thumb := max(1, height*height/total)
	pos := start * (height - thumb) / max(1, total-height)
	for i := range out {
		if i >= pos && i < pos+thumb {
			out[i] = c.Styles.Accent.Render("┃")
		} else {
			out[i] = c.Styles.Divider.Render("│")
		}
	}
	return out
}

// Indent prefixes every line of s with n spaces.
func Indent(s string, n int) string {
	pad := strings.Repeat(" ", n)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = pad + l
		}
	}
	return strings.Join(lines, "\n")
}

// Hint renders a screen's one-sentence hint under its title: muted, indented
// by one space, wrapped to at most two lines so a narrow window keeps the
// whole sentence. It returns the text and how many lines it takes.
func (c *Common) Hint(text string, width int) (string, int) {
	lines := WrapMax(text, max(10, width-2), 2)
	for i, l := range lines {
		lines[i] = " " + c.Styles.Muted.Render(l)
	}
	return strings.Join(lines, "\n"), len(lines)
}

// Summary is a result's sentence as the wizard shows it: a check skipped
// because another did not pass names that one by its title ("Not run:
// “SMTP connection is encrypted” failed"), never by its ID; the JSON and the
// other formats keep the runner's sentence.
func (c *Common) Summary(r check.Result) string { return c.SummaryAmong(r, c.Session.Results) }

// SummaryAmong is Summary with the other results of the run given, for a
// run still under way.
func (c *Common) SummaryAmong(r check.Result, results []check.Result) string {
	// A skip behind a skip: name the check at the start of the chain.
	id, st, ok := check.BlockedAmong(r, results)
	if !ok || !HasKey("result.blocked."+st.String()) {
		return r.Summary // a skip behind a skip keeps the first reason
	}
	title := c.CheckTitle(id, id)
	if rc, _, ok := registry.CheckByID(id); ok && !strings.Contains(rc.Title.In("en"), "%s") {
		title = c.CheckTitle(id, rc.Title.In("en"))
	}
	for _, o := range results {
		if o.ID == id {
			title = c.CheckTitle(id, o.Title)
			break
		}
	}
	return c.T("result.blocked."+st.String(), title)
}

// Details are a result's evidence lines as the wizard shows them: the
// runner's "requires smtp.tls, which ended fail" is said by Summary already.
func (c *Common) Details(r check.Result) []string {
	if _, _, ok := check.BlockedBy(r); !ok {
		return r.Details
	}
	out := make([]string, 0, len(r.Details))
	for _, d := range r.Details {
		if !strings.HasPrefix(d, "requires ") || !strings.Contains(d, ", which ended ") {
			out = append(out, d)
		}
	}
	return out
}
