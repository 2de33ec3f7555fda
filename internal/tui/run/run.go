// Package run is step 4 of the guided flow (and the health check from
// Home): every relevant check runs in the background, a live row each with
// a spinner, its outcome and its time, and the overall progress. esc stops
// the run.
package run

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"pitstop/internal/check"
	"pitstop/internal/human"
	"pitstop/internal/kb"
	"pitstop/internal/tui/common"
)

// state is where a check row is.
type state int

const (
	waiting state = iota
	running
	finished
)

func (s state) String() string { return [...]string{"waiting", "running", "finished"}[s] }

type row struct {
	check   check.Check
	state   state
	started time.Time
	result  check.Result
}

// eventMsg is one progress event of the runner. run is the screen that
// started the run: a message of an earlier, replaced run is ignored.
type eventMsg struct {
	run *Model
	ev  check.Event
}

// doneMsg ends a run: every result, and the articles ranked from them.
type doneMsg struct {
	run     *Model
	results []check.Result
	matches []kb.Match
}

// Model is the run screen.
type Model struct {
	com     *common.Common
	mode    common.RunMode
	rows    []*row
	events  chan tea.Msg
	cancel  context.CancelFunc
	spinner spinner.Model

	active    bool // checks are running
	cancelled bool
	started   time.Time
	took      time.Duration
	start     int // first row shown
	width     int
	height    int
}

// New prepares a run; Init starts it.
func New(com *common.Common, mode common.RunMode) *Model {
	m := &Model{com: com, mode: mode}
	m.spinner = spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(com.Styles.Running))
	return m
}

// Init starts the checks.
func (m *Model) Init() tea.Cmd {
	p, cats := m.com.Plan(m.mode == common.RunEverything)
	checks := m.com.Checks(p, cats)
	m.rows = make([]*row, len(checks))
	for i, c := range checks {
		m.rows[i] = &row{check: c}
	}
	if len(checks) == 0 {
		return nil
	}
	ctx, cancel := context.WithCancel(m.com.Ctx)
	m.cancel = cancel
	m.events = make(chan tea.Msg, 2*len(checks)+1)
	m.active, m.cancelled = true, false
	m.started = m.com.Now()
	m.com.Session.Started = m.started

	run, events := m, m.events
	runLater := m.com.RunLater(checks, func(ev check.Event) { events <- eventMsg{run: run, ev: ev} })
	go func() {
		results, matches := runLater(ctx)
		events <- doneMsg{run: run, results: results, matches: matches}
	}()
	cmds := []tea.Cmd{m.wait()}
	if m.com.Animate {
		cmds = append(cmds, m.spinner.Tick)
	}
	return tea.Batch(cmds...)
}

// wait reads the next message of the run.
func (m *Model) wait() tea.Cmd {
	ch := m.events
	return func() tea.Msg { return <-ch }
}

// SetSize sets the drawing area.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// Title names the screen.
func (m *Model) Title() string {
	if m.mode == common.RunEverything {
		return m.com.T("run.everything")
	}
	return m.com.T("run.title")
}

// Step is 4 in the guided flow.
func (m *Model) Step() int {
	if m.mode == common.RunEverything {
		return 0
	}
	return common.StepChecks
}

// Capturing is false.
func (m *Model) Capturing() bool { return false }

// ShortHelp lists the help bar keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.com.Keys
	if m.active {
		return []key.Binding{k.Cancel}
	}
	if len(m.rows) == 0 { // nothing ran: nothing to see or run again
		return []key.Binding{k.Back}
	}
	if len(m.rows) > m.listHeight() {
		return []key.Binding{k.Continue, k.Move, k.Rerun, k.Back}
	}
	return []key.Binding{k.Continue, k.Rerun, k.Back}
}

// FullHelp lists every key.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.com.Keys
	if m.active {
		return [][]key.Binding{{k.Cancel}}
	}
	return [][]key.Binding{{k.Continue, k.Rerun, k.Back}, {k.Up, k.Down}}
}

// Update follows the run and handles esc, enter and r.
func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.ThemeChangedMsg:
		m.spinner.Style = m.com.Styles.Running
	case spinner.TickMsg:
		if !m.active {
			return m, nil
		}
		var cmd tea.Cmd
		m.spinner, cmd = m.spinner.Update(msg)
		return m, cmd
	case eventMsg:
		if msg.run != m {
			return m, nil
		}
		m.apply(msg.ev)
		return m, m.wait()
	case doneMsg:
		if msg.run != m {
			return m, nil
		}
		return m, m.finish(msg)
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	}
	return m, nil
}

func (m *Model) apply(ev check.Event) {
	if ev.Index < 0 || ev.Index >= len(m.rows) {
		return
	}
	r := m.rows[ev.Index]
	switch ev.Kind {
	case check.Started:
		r.state, r.started = running, m.com.Now()
	case check.Finished:
		r.state, r.result = finished, ev.Result
	}
	m.follow()
}

// follow scrolls so the first check still running (or waiting) is on
// screen while the run goes on.
func (m *Model) follow() {
	for i, r := range m.rows {
		if r.state != finished {
			h := m.listHeight()
			if i < m.start || i >= m.start+h {
				m.start = max(0, min(i-h/2, len(m.rows)-h))
			}
			return
		}
	}
}

func (m *Model) finish(msg doneMsg) tea.Cmd {
	m.active = false
	if m.cancel != nil {
		m.cancel()
	}
	for i, res := range msg.results {
		if i < len(m.rows) {
			m.rows[i].state, m.rows[i].result = finished, res
		}
	}
	// Scroll to the first problem: a long run ends scrolled to its last
	// rows, and a failure above them would go unseen.
	if i := m.firstBad(); i >= 0 {
		h := m.listHeight()
		if i < m.start || i >= m.start+h {
			m.start = max(0, min(i, len(m.rows)-h))
		}
	}
	now := m.com.Now()
	m.took = now.Sub(m.started)
	m.com.Session.Record(msg.results, msg.matches, now, m.cancelled)
	if m.cancelled {
		return nil
	}
	// Fixes are worked out while the person reads the results.
	return common.ProposeFixes(m.com)
}

// firstBad is the index of the first failed or untested check, else the
// first warning, else -1.
func (m *Model) firstBad() int {
	for _, want := range [][]check.Status{{check.Fail, check.Error}, {check.Warn}} {
		for i, r := range m.rows {
			for _, s := range want {
				if r.state == finished && r.result.Status == s {
					return i
				}
			}
		}
	}
	return -1
}

func (m *Model) handleKey(msg tea.KeyPressMsg) (common.Screen, tea.Cmd) {
	k := m.com.Keys
	switch {
	case m.active && key.Matches(msg, k.Cancel):
		m.cancelled = true
		m.cancel()
		return m, nil
	case key.Matches(msg, k.Back):
		return m, common.Back
	case m.active:
		return m, nil
	case len(m.rows) > 0 && key.Matches(msg, k.Continue):
		return m, common.Navigate(common.NavigateMsg{To: common.ScreenResults})
	case key.Matches(msg, k.Rerun):
		return m, common.Navigate(common.NavigateMsg{To: common.ScreenRun, Mode: m.mode, Rewind: true})
	case key.Matches(msg, k.Down):
		m.start = min(m.start+1, max(0, len(m.rows)-m.listHeight()))
	case key.Matches(msg, k.Up):
		m.start = max(0, m.start-1)
	}
	return m, nil
}

// listHeight is the rows left for checks under the progress lines and
// the summary.
func (m *Model) listHeight() int { return max(3, m.height-6) }

// View draws the progress and a row per check.
func (m *Model) View() string {
	c, st := m.com, m.com.Styles
	var b strings.Builder
	if len(m.rows) == 0 {
		b.WriteString(" " + st.Title.Render(c.T("run.none.title")) + "\n\n")
		none := c.T("run.none")
		if m.mode == common.RunEverything {
			none = c.T("run.none.everything")
		}
		b.WriteString(common.Indent(st.Paragraph.Render(common.Wrap(none, m.width-4)), 1))
		return b.String()
	}
	done := 0
	for _, r := range m.rows {
		if r.state == finished {
			done++
		}
	}
	elapsed := m.took
	if m.active {
		elapsed = c.Elapsed(m.started)
	}
	head := ""
	switch {
	case m.active && m.cancelled:
		head = st.Warn.Render(c.T("run.cancelling"))
	case m.active:
		head = st.Title.Render(c.T("run.checking"))
	case m.cancelled:
		head = st.Warn.Render(c.T("run.cancelled"))
	default:
		head = st.Title.Render(c.T("run.done"))
	}
	counts := c.T("run.progress", done, len(m.rows), human.Duration(elapsed))
	b.WriteString(" " + head + "  " + st.Muted.Render(counts) + "\n")
	barW := max(10, min(m.width-4, 60))
	b.WriteString(" " + c.Bar(done, len(m.rows), barW) + "\n\n")

	listH := m.listHeight()
	start := min(m.start, max(0, len(m.rows)-listH))
	end := min(len(m.rows), start+listH)
	bar := c.Scrollbar(start, end-start, len(m.rows))
	cols := m.columns()
	for i, r := range m.rows[start:end] {
		line := m.rowView(r, cols)
		if len(m.rows) > listH {
			line += strings.Repeat(" ", max(0, m.width-1-lipgloss.Width(line))) + bar[i]
		}
		b.WriteString(line + "\n")
	}
	if !m.active {
		sum, next := m.summary()
		if lipgloss.Width(sum)+lipgloss.Width(next)+3 <= m.width {
			b.WriteString("\n " + sum + "  " + next)
		} else {
			b.WriteString("\n " + common.Truncate(sum, m.width-2) + "\n " + next)
		}
	}
	return b.String()
}

// columns is what every row shares, measured once a frame: the widest
// status word, the time column (common.TimeColumn of the finished checks),
// the longest title, and the finished results (a skipped check's summary
// names the one it waited for among them).
type columns struct {
	status, time, title int
	finished            []check.Result
}

func (m *Model) columns() columns {
	cols := columns{status: 1}
	for _, st := range []check.Status{check.Pass, check.Warn, check.Fail, check.Skip, check.Error} {
		cols.status = max(cols.status, lipgloss.Width(m.com.StatusWord(st))+2)
	}
	var times []time.Duration
	for _, r := range m.rows {
		cols.title = max(cols.title, lipgloss.Width(m.com.CheckTitle(r.check.ID, r.check.Title)))
		if r.state == finished {
			cols.finished = append(cols.finished, r.result)
			times = append(times, r.result.Duration)
		}
	}
	cols.time = common.TimeColumn(times...)
	return cols
}

// rowView is one check: icon, family, title, summary, status, time.
func (m *Model) rowView(r *row, cols columns) string {
	c, st := m.com, m.com.Styles
	var icon, status, dur string
	switch r.state {
	case waiting:
		icon, status = st.Faint.Render("·"), st.Faint.Render(c.T("run.waiting"))
	case running:
		icon, status = m.spinner.View(), st.Running.Render(c.T("run.running"))
		dur = human.Duration(c.Elapsed(r.started))
	case finished:
		icon = c.Icon(r.result.Status)
		status = c.StatusStyle(r.result.Status).Render(c.StatusWord(r.result.Status))
		dur = human.Duration(r.result.Duration)
	}
	statusW, durW := cols.status, cols.time
	right := " " + status + strings.Repeat(" ", max(0, statusW-lipgloss.Width(status))) +
		st.Duration.Render(fmt.Sprintf("%*s", durW, dur))
	titleW := max(12, min(cols.title, 40, m.width*2/5))
	// With room for a useful summary the status sits at the right edge;
	// without, the title takes the room, and the status follows it, the
	// same on every row.
	room := m.width - 4 - titleW - lipgloss.Width(right) - 4 // gaps and the scrollbar
	wide := room >= 20                                       // a shorter summary says nothing; the results show it whole
	if !wide {
		titleW = max(12, min(cols.title, m.width-4-lipgloss.Width(right)-2)) // the gap and the scrollbar
	}
	title := common.Truncate(c.CheckTitle(r.check.ID, r.check.Title), titleW)
	title += strings.Repeat(" ", titleW-lipgloss.Width(title))
	left := "  " + icon + " " + st.Bold.Render(title)
	mid := ""
	if wide && r.state == finished && r.result.Summary != "" {
		mid = "  " + st.Muted.Render(common.Truncate(c.SummaryAmong(r.result, cols.finished), room))
	}
	gap := 1
	if wide {
		gap = max(1, m.width-lipgloss.Width(left)-lipgloss.Width(mid)-lipgloss.Width(right)-1)
	}
	return left + mid + strings.Repeat(" ", gap) + right
}

// summary counts the outcomes and says what to do next.
func (m *Model) summary() (counts, next string) {
	c, st := m.com, m.com.Styles
	var res []check.Result
	for _, r := range m.rows {
		res = append(res, r.result)
	}
	parts := c.Counts(check.Summarize(res), func(s check.Status, text string) string { return c.StatusStyle(s).Render(text) })
	return strings.Join(parts, st.Muted.Render(" · ")), st.Accent.Render(c.T("run.next"))
}
