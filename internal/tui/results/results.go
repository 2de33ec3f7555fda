// Package results is step 5 of the guided flow: what every check found,
// grouped by area, each row expandable to its evidence (timings, the SMTP
// transcript, DNS records), and the knowledge articles ranked from all the
// evidence with the reasons they matched.
package results

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"pitstop/internal/check"
	"pitstop/internal/human"
	"pitstop/internal/kb"
	"pitstop/internal/registry"
	"pitstop/internal/tui/common"
)

// maxArticles is how many ranked articles are offered.
const maxArticles = 5

type itemKind int

const (
	kindHeader itemKind = iota
	kindResult
	kindArticles
	kindArticle
)

func (k itemKind) String() string {
	return [...]string{"header", "result", "articles", "article"}[k]
}

type item struct {
	kind     itemKind
	category string
	result   check.Result
	match    kb.Match
	expanded bool
}

func (it *item) selectable() bool { return it.kind == kindResult || it.kind == kindArticle }

// Model is the results screen.
type Model struct {
	com           *common.Common
	items         []*item
	cursor        int // index into items, always a selectable one
	offset        int // first line shown
	width, height int
}

// New builds the screen from the session's last run.
func New(com *common.Common) *Model {
	m := &Model{com: com}
	m.build()
	return m
}

func (m *Model) build() {
	s := m.com.Session
	m.items = nil
	for _, cat := range registry.IDs() {
		first := true
		for _, r := range s.Results {
			if r.Category != cat {
				continue
			}
			if first {
				m.items = append(m.items, &item{kind: kindHeader, category: cat})
				first = false
			}
			m.items = append(m.items, &item{kind: kindResult, category: cat, result: r})
		}
	}
	// Results of categories Pitstop does not list (a family added later).
	for _, r := range s.Results {
		if !contains(registry.IDs(), r.Category) {
			m.items = append(m.items, &item{kind: kindResult, category: r.Category, result: r})
		}
	}
	matches := s.Offered(maxArticles)
	m.items = append(m.items, &item{kind: kindArticles})
	for _, mt := range matches {
		m.items = append(m.items, &item{kind: kindArticle, match: mt})
	}
	// Start on the first thing that needs attention, else the first article.
	m.cursor = -1
	for i, it := range m.items {
		if it.kind == kindResult && (it.result.Status == check.Fail || it.result.Status == check.Error) {
			m.cursor = i
			break
		}
	}
	if m.cursor < 0 {
		for i, it := range m.items {
			if it.kind == kindResult && it.result.Status == check.Warn {
				m.cursor = i
				break
			}
		}
	}
	if m.cursor < 0 {
		for i, it := range m.items {
			if it.kind == kindArticle {
				m.cursor = i
				break
			}
		}
	}
	if m.cursor < 0 {
		m.cursor = m.next(-1, 1)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// next returns the next selectable item from i in direction dir (i itself
// when there is none).
func (m *Model) next(i, dir int) int {
	for j := i + dir; j >= 0 && j < len(m.items); j += dir {
		if m.items[j].selectable() {
			return j
		}
	}
	return i
}

// Init does nothing.
func (m *Model) Init() tea.Cmd { return nil }

// SetSize sets the drawing area.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h; m.scroll() }

// Title names the step.
func (m *Model) Title() string { return m.com.T("results.title") }

// Step is 5 in the guided flow, 0 after the health check.
func (m *Model) Step() int {
	if m.com.Session.Problem.ID == "" && m.com.Session.Pasted == "" && len(m.com.Session.Symptoms) == 0 {
		return 0
	}
	return common.StepResults
}

// Capturing is false.
func (m *Model) Capturing() bool { return false }

// ShortHelp lists the help bar keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.com.Keys
	open := k.Expand
	if m.cursor >= 0 && m.cursor < len(m.items) && m.items[m.cursor].kind == kindArticle {
		open = k.Open
	}
	if m.selectedFixes() {
		// "did it work?" before "fix": the row itself says "fix available (f)".
		return []key.Binding{k.Move, open, k.Fixed, k.Fix, k.Rerun, k.Back}
	}
	return []key.Binding{k.Move, open, k.Fixed, k.Rerun, k.Back}
}

// selectedFixes reports whether the result under the cursor has fixes.
func (m *Model) selectedFixes() bool {
	if m.cursor < 0 || m.cursor >= len(m.items) || m.items[m.cursor].kind != kindResult {
		return false
	}
	return len(m.com.Session.FixesFor(m.items[m.cursor].result.ID)) > 0
}

// FullHelp lists every key.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.com.Keys
	return [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom}, {k.Expand, k.Open, k.Fix}, {k.Fixed, k.Rerun, k.Back}}
}

// Update moves, expands, opens articles, and leads on.
func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return m, nil
	}
	k := m.com.Keys
	switch {
	case key.Matches(km, k.Back):
		return m, common.Back
	case key.Matches(km, k.Up):
		m.cursor = m.next(m.cursor, -1)
	case key.Matches(km, k.Down):
		m.cursor = m.next(m.cursor, 1)
	case key.Matches(km, k.Top):
		m.cursor = m.next(-1, 1)
	case key.Matches(km, k.Bottom):
		m.cursor = m.next(len(m.items), -1)
	case key.Matches(km, k.Fixed):
		return m, common.Navigate(common.NavigateMsg{To: common.ScreenOutcome})
	case key.Matches(km, k.Fix):
		if m.selectedFixes() {
			return m, common.Navigate(common.NavigateMsg{To: common.ScreenFix, Check: m.items[m.cursor].result.ID})
		}
	case key.Matches(km, k.Rerun):
		mode := common.RunGuided
		if m.Step() == 0 {
			mode = common.RunEverything
		}
		return m, common.Navigate(common.NavigateMsg{To: common.ScreenRun, Mode: mode, Rewind: true})
	case key.Matches(km, k.Expand), key.Matches(km, k.Open):
		if m.cursor < 0 || m.cursor >= len(m.items) {
			return m, nil
		}
		it := m.items[m.cursor]
		switch it.kind {
		case kindResult:
			it.expanded = !it.expanded
		case kindArticle:
			return m, common.Navigate(common.NavigateMsg{To: common.ScreenArticle, Article: it.match.Article.ID})
		}
	}
	m.scroll()
	return m, nil
}

// scroll keeps the cursor's item on screen (its details too when they fit).
func (m *Model) scroll() {
	if m.height <= 0 || m.cursor < 0 {
		return
	}
	lines, at := m.lines()
	h := m.listHeight()
	first := at[m.cursor]
	last := first
	if m.cursor+1 < len(at) {
		last = at[m.cursor+1] - 1
	} else {
		last = len(lines) - 1
	}
	if last-first+1 > h {
		last = first + h - 1
	}
	if first < m.offset {
		m.offset = first
	}
	if last >= m.offset+h {
		m.offset = last - h + 1
	}
	// Show the heading of the cursor's group when it fits.
	if m.cursor > 0 && !m.items[m.cursor-1].selectable() && at[m.cursor-1] < m.offset && last-at[m.cursor-1] < h {
		m.offset = at[m.cursor-1]
	}
	m.offset = max(0, min(m.offset, len(lines)-h))
}

// listHeight is the rows below the summary.
func (m *Model) listHeight() int { return max(3, m.height-3) }

// lines renders every item; at[i] is the first line of item i.
func (m *Model) lines() ([]string, []int) {
	var out []string
	at := make([]int, len(m.items))
	cols := m.columns()
	for i, it := range m.items {
		at[i] = len(out)
		out = append(out, m.itemLines(i, it, cols)...)
	}
	return out, at
}

// columns are the widths every result row shares, measured once a frame.
type columns struct {
	title, status, time int
}

// columns measures the longest title, the widest status word and the
// widest time (common.TimeColumn) of the results shown.
func (m *Model) columns() columns {
	var cols columns
	times := make([]time.Duration, len(m.com.Session.Results))
	for i, r := range m.com.Session.Results {
		cols.title = max(cols.title, lipgloss.Width(m.com.CheckTitle(r.ID, r.Title)))
		cols.status = max(cols.status, lipgloss.Width(m.com.StatusWord(r.Status)))
		times[i] = r.Duration
	}
	cols.time = common.TimeColumn(times...)
	return cols
}

func (m *Model) itemLines(i int, it *item, cols columns) []string {
	c, st := m.com, m.com.Styles
	w := m.width - 2 // the scrollbar and a space
	selected := i == m.cursor
	marker := "  "
	if selected {
		marker = st.Cursor.Render("▸ ")
	}
	switch it.kind {
	case kindHeader:
		line := " " + st.Subtitle.Render(c.FamilyName(it.category))
		return []string{"", line}
	case kindArticles:
		title := c.T("results.articles")
		if len(m.com.Session.Matches) == 0 {
			return []string{"", " " + st.Subtitle.Render(title), "   " + st.Muted.Render(c.T("results.noarticles"))}
		}
		return []string{"", " " + st.Subtitle.Render(title) + "  " + st.Faint.Render(c.T("results.articles.hint"))}
	case kindArticle:
		a := it.match.Article
		sev := st.Severity(a.Severity).Render(kb.Word(c.Lang, a.Severity))
		ts := st.Item
		if selected {
			ts = st.Selected
		}
		read := ""
		if contains(c.Session.Read, a.ID) {
			read = " " + st.Faint.Render(c.T("results.read"))
		}
		room := w - 4 - lipgloss.Width(sev) - lipgloss.Width(read) - 3
		// A long title goes on over a second line rather than lose its end.
		title := common.WrapMax(a.Title, room, 2)
		lines := []string{" " + marker + ts.Render(title[0]) + "  " + sev + read}
		for _, l := range title[1:] {
			lines = append(lines, "   "+ts.Render(l))
		}
		for j, r := range it.match.Reasons {
			if j == 2 {
				break
			}
			lines = append(lines, "      "+st.Reason.Render(common.Truncate(r, w-8)))
		}
		return lines
	}
	// A result row.
	r := it.result
	r.Title = c.CheckTitle(r.ID, r.Title)
	r.Summary = c.Summary(r)
	r.Details = c.Details(r)
	ts := st.Bold
	if selected {
		ts = st.Selected
	}
	fold := "›"
	if it.expanded {
		fold = "⌄"
	}
	if len(r.Details) == 0 {
		fold = " "
	}
	dur := st.Duration.Render(fmt.Sprintf("%*s", cols.time, human.Duration(r.Duration)))
	word := c.StatusWord(r.Status)
	status := c.StatusStyle(r.Status).Render(word) + strings.Repeat(" ", max(0, cols.status-lipgloss.Width(word)))
	right := " " + status + " " + dur + " " + st.Faint.Render(fold)
	var lines []string
	cutTitle, cutSummary := false, false
	if m.narrow() {
		// Too narrow for two columns: the title gets the row, the sentence
		// goes under it.
		head := " " + marker + c.Icon(r.Status) + " "
		titleW := max(8, w-lipgloss.Width(head)-lipgloss.Width(right)-2)
		title := common.Truncate(r.Title, titleW)
		cutTitle = lipgloss.Width(r.Title) > titleW
		gap := max(1, w-lipgloss.Width(head)-lipgloss.Width(title)-lipgloss.Width(right))
		lines = append(lines, head+ts.Render(title)+strings.Repeat(" ", gap)+right)
		if r.Summary != "" {
			rows := 2
			if selected || it.expanded {
				rows = 0 // the row under the cursor says all of it
			}
			var wrapped []string
			if rows == 0 {
				wrapped = strings.Split(common.Wrap(r.Summary, w-7), "\n")
			} else {
				wrapped = common.WrapMax(r.Summary, w-7, rows)
			}
			for _, l := range wrapped {
				lines = append(lines, "       "+st.Paragraph.Render(l))
			}
		}
		if len(c.Session.FixesFor(r.ID)) > 0 {
			lines = append(lines, "       "+st.Accent.Render("→ "+c.T("results.fix")+" (f)"))
		}
	} else {
		titleW := max(12, min(cols.title, 44, w/3))
		title := common.Truncate(r.Title, titleW)
		title += strings.Repeat(" ", titleW-lipgloss.Width(title))
		left := " " + marker + c.Icon(r.Status) + " " + ts.Render(title) + "  "
		room := w - lipgloss.Width(left) - lipgloss.Width(right) - 1
		summary := ""
		if room > 8 {
			summary = st.Paragraph.Render(common.Truncate(r.Summary, room))
		}
		gap := max(1, w-lipgloss.Width(left)-lipgloss.Width(summary)-lipgloss.Width(right))
		lines = append(lines, left+summary+strings.Repeat(" ", gap)+right)
		if len(c.Session.FixesFor(r.ID)) > 0 {
			lines = append(lines, "       "+st.Accent.Render("→ "+c.T("results.fix")+" (f)"))
		}
		cutTitle = lipgloss.Width(r.Title) > titleW
		cutSummary = room <= 8 || lipgloss.Width(r.Summary) > room
	}
	if selected && !it.expanded && (cutTitle || cutSummary) {
		// The row under the cursor says its whole title and sentence
		// below itself.
		peek := r.Summary
		if cutTitle {
			peek = r.Title + ": " + peek
		}
		if !cutSummary {
			peek = r.Title
		}
		for _, l := range common.WrapMax(peek, w-8, 3) {
			lines = append(lines, "       "+st.Paragraph.Render(l))
		}
	}
	if it.expanded {
		if cutTitle || cutSummary {
			full := r.Summary
			if cutTitle {
				full = r.Title + ": " + full
			}
			if !cutSummary {
				full = r.Title
			}
			for _, l := range strings.Split(common.Wrap(full, w-8), "\n") {
				lines = append(lines, "       "+st.Paragraph.Render(l))
			}
		}
		lines = append(lines, fillTable(c, r, w-8, "       ")...)
		lines = append(lines, RenderDetails(c, r.Details, w-8, "       ")...)
	}
	return lines
}

// narrow reports whether the list is too narrow for a title and a sentence
// side by side: the sentence then goes under the title.
func (m *Model) narrow() bool { return m.width < 100 }

// RenderDetails styles the evidence lines of a result: an SMTP transcript
// ("-> EHLO", "<- 250 OK", "** TLS started") in three colors, the
// httpstat-like timing bar with a color per phase, DNS records, and long
// lines wrapped under indent.
func RenderDetails(c *common.Common, details []string, width int, indent string) []string {
	st := c.Styles
	var out []string
	for _, d := range details {
		style := st.Detail
		trimmed := strings.TrimSpace(d)
		switch {
		case strings.HasPrefix(trimmed, "->"):
			style = st.SentLine
		case strings.HasPrefix(trimmed, "<-"):
			style = st.RecvLine
		case strings.HasPrefix(trimmed, "**"):
			style = st.Muted
		case isRecord(trimmed):
			style = st.Record
		}
		if strings.HasPrefix(trimmed, "[") && strings.ContainsAny(trimmed, phaseGlyphs) {
			out = append(out, indent+timingBar(c, d))
			continue
		}
		for _, l := range strings.Split(common.Wrap(d, max(10, width)), "\n") {
			out = append(out, indent+style.Render(l))
		}
	}
	return out
}

// phaseGlyphs are the shades internal/probe draws each request phase with:
// DNS, connect, TLS, server, transfer.
const phaseGlyphs = "░▒▓█▄"

// timingBar colors each phase of a timing bar ("[░▒▓████▄] 17ms total").
func timingBar(c *common.Common, l string) string {
	st := c.Styles
	styleOf := func(r rune) (lipgloss.Style, bool) {
		switch r {
		case '░':
			return st.Faint, true
		case '▒':
			return st.Accent, true
		case '▓':
			return st.Subtitle, true
		case '█':
			return st.TimingBar, true
		case '▄':
			return st.Pass, true
		}
		return st.Detail, false
	}
	var b, run strings.Builder
	var cur rune = -1
	flush := func() {
		if run.Len() > 0 {
			s, _ := styleOf(cur)
			b.WriteString(s.Render(run.String()))
			run.Reset()
		}
	}
	for _, r := range l {
		key := r
		if _, ok := styleOf(r); !ok {
			key = 0
		}
		if key != cur {
			flush()
			cur = key
		}
		run.WriteRune(r)
	}
	flush()
	return b.String()
}

// isRecord spots DNS record lines ("example.com. 300 IN MX 10 mx.example.com.", "v=spf1 ...").
func isRecord(s string) bool {
	return strings.Contains(s, " IN ") || strings.HasPrefix(s, "v=spf1") || strings.HasPrefix(s, "v=DMARC1") ||
		strings.HasPrefix(s, "v=DKIM1") || strings.Contains(s, "\"v=spf1") || strings.Contains(s, "\"v=DMARC1")
}

// View draws the summary and the scrolled list.
func (m *Model) View() string {
	c, st := m.com, m.com.Styles
	s := c.Session
	var b strings.Builder
	sum := check.Summarize(s.Results)
	head := c.T("results.allgood")
	style := st.Pass
	switch {
	case len(s.Results) == 0:
		head, style = c.T("results.none"), st.Muted
	case sum.Fail > 0 || sum.Error > 0:
		head, style = c.N("results.problems", sum.Fail+sum.Error), st.Fail
	case sum.Warn > 0:
		head, style = c.N("results.warnings", sum.Warn), st.Warn
	}
	if s.Cancelled {
		head += " " + c.T("results.cancelled")
	}
	b.WriteString(" " + style.Render(common.Truncate(head, m.width-2)) + "\n")
	b.WriteString(" " + st.Muted.Render(common.Truncate(m.counts(sum), m.width-2)) + "\n")

	lines, _ := m.lines()
	h := m.listHeight()
	end := min(len(lines), m.offset+h)
	bar := c.Scrollbar(m.offset, h, len(lines))
	for i := m.offset; i < end; i++ {
		l := common.Truncate(lines[i], m.width-2)
		b.WriteString(l + strings.Repeat(" ", max(0, m.width-1-lipgloss.Width(l))) + bar[i-m.offset] + "\n")
	}
	for i := end; i < m.offset+h && len(lines) > h; i++ {
		b.WriteString(strings.Repeat(" ", m.width-1) + bar[i-m.offset] + "\n")
	}
	return b.String()
}

func (m *Model) counts(sum check.Summary) string {
	c := m.com
	parts := c.Counts(sum, func(_ check.Status, s string) string { return s })
	took := c.Session.Finished.Sub(c.Session.Started)
	return strings.Join(parts, " · ") + "  ·  " + c.T("results.took", human.Duration(took))
}
