// Package outcome is the last step of the guided flow: "Did this fix it?"
// Yes ends with a summary of the session; no offers the escalation and
// running the checks again.
package outcome

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"pitstop/internal/check"
	"pitstop/internal/kb"
	"pitstop/internal/tui/common"
)

type phase int

const (
	phaseAsk phase = iota
	phaseConfirming
	phaseFixed
	phaseNotFixed
	phaseStillFailing
)

func (p phase) String() string {
	return [...]string{"ask", "confirming", "fixed", "not-fixed", "still-failing"}[p]
}

// confirmedMsg carries the checks run again after "yes, it works now".
type confirmedMsg struct {
	results []check.Result
	matches []kb.Match
}

// choice is one option after "no".
type choice struct {
	id   string // catalogue key suffix: outcome.<id>
	open common.NavigateMsg
	back bool
	home bool
}

var notFixedChoices = []choice{
	{id: "escalate", open: common.NavigateMsg{To: common.ScreenEscalate}},
	{id: "rerun", open: common.NavigateMsg{To: common.ScreenRun, Mode: common.RunGuided, Rewind: true}},
	{id: "another", open: common.NavigateMsg{To: common.ScreenResults, Rewind: true}},
	{id: "restart", home: true},
}

// Model is the last step.
type Model struct {
	com           *common.Common
	phase         phase
	cursor        int
	width, height int
}

// New returns the question.
func New(com *common.Common) *Model { return &Model{com: com} }

// Init does nothing.
func (m *Model) Init() tea.Cmd { return nil }

// SetSize sets the drawing area.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// Title names the step.
func (m *Model) Title() string { return m.com.T("outcome.title") }

// Step is the last one.
func (m *Model) Step() int { return common.StepOutcome }

// Capturing is false.
func (m *Model) Capturing() bool { return false }

// ShortHelp lists the help bar keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.com.Keys
	switch m.phase {
	case phaseAsk:
		return []key.Binding{k.Yes, k.No, k.Back}
	case phaseFixed:
		return []key.Binding{k.Continue, k.Back}
	case phaseConfirming:
		return []key.Binding{k.Back}
	}
	return []key.Binding{k.Move, k.Select, k.Back}
}

// FullHelp lists every key.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.com.Keys
	return [][]key.Binding{{k.Yes, k.No}, {k.Up, k.Down, k.Select, k.Back}}
}

// Update answers the question and follows the choice.
func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	if msg, ok := msg.(confirmedMsg); ok && m.phase == phaseConfirming {
		s := m.com.Session
		s.Record(msg.results, msg.matches, m.com.Now(), false)
		fixed := !slices.ContainsFunc(msg.results, func(r check.Result) bool { return r.Status == check.Fail || r.Status == check.Error })
		s.Fixed = &fixed
		if fixed {
			m.phase = phaseFixed
		} else {
			m.phase, m.cursor = phaseStillFailing, 0
		}
		return m, nil
	}
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return m, nil
	}
	k := m.com.Keys
	s := m.com.Session
	if key.Matches(km, k.Back) {
		if m.phase != phaseAsk {
			m.phase = phaseAsk
			return m, nil
		}
		return m, common.Back
	}
	switch m.phase {
	case phaseAsk:
		switch {
		case key.Matches(km, k.Yes):
			if s.Runs == 0 {
				yes := true
				s.Fixed = &yes
				m.phase = phaseFixed
				break
			}
			// Taken on trust, "it works now" could hide a failure: the
			// checks run again to confirm it, as flutter doctor does.
			m.phase = phaseConfirming
			p, families := m.com.Plan(false)
			later := m.com.RunLater(m.com.Checks(p, families), nil)
			ctx := m.com.Ctx
			return m, func() tea.Msg {
				results, matches := later(ctx)
				return confirmedMsg{results: results, matches: matches}
			}
		case key.Matches(km, k.No):
			no := false
			s.Fixed = &no
			m.phase, m.cursor = phaseNotFixed, 0
		case key.Matches(km, k.Up), key.Matches(km, k.Down):
			m.cursor = 1 - m.cursor
		case key.Matches(km, k.Top):
			m.cursor = 0
		case key.Matches(km, k.Bottom):
			m.cursor = 1
		case key.Matches(km, k.Select):
			if m.cursor == 0 {
				return m.Update(tea.KeyPressMsg{Code: 'y', Text: "y"})
			}
			return m.Update(tea.KeyPressMsg{Code: 'n', Text: "n"})
		}
	case phaseFixed:
		if key.Matches(km, k.Continue) {
			return m, common.Home
		}
	case phaseNotFixed, phaseStillFailing:
		switch {
		case key.Matches(km, k.Up):
			m.cursor = (m.cursor + len(notFixedChoices) - 1) % len(notFixedChoices)
		case key.Matches(km, k.Down):
			m.cursor = (m.cursor + 1) % len(notFixedChoices)
		case key.Matches(km, k.Top):
			m.cursor = 0
		case key.Matches(km, k.Bottom):
			m.cursor = len(notFixedChoices) - 1
		case key.Matches(km, k.Select):
			ch := notFixedChoices[m.cursor]
			switch {
			case ch.home:
				return m, common.Home
			case ch.back:
				return m, common.Back
			}
			return m, common.Navigate(ch.open)
		}
	}
	return m, nil
}

// View draws the question, the summary or the choices.
func (m *Model) View() string {
	switch m.phase {
	case phaseFixed:
		return m.viewFixed()
	case phaseNotFixed, phaseStillFailing:
		return m.viewNotFixed()
	case phaseConfirming:
		c, st := m.com, m.com.Styles
		return " " + st.Title.Render(c.T("outcome.confirming")) + "\n"
	}
	c, st := m.com, m.com.Styles
	var b strings.Builder
	b.WriteString(" " + st.Title.Render(c.T("outcome.question")) + "\n")
	hint, _ := c.Hint(c.T("outcome.hint"), m.width)
	b.WriteString(hint + "\n\n")
	for i, label := range []string{c.T("outcome.yes"), c.T("outcome.no")} {
		marker, style := "  ", st.Item
		if i == m.cursor {
			marker, style = st.Cursor.Render("▸ "), st.Selected
		}
		b.WriteString(" " + marker + style.Render(label) + "\n")
	}
	return b.String()
}

func (m *Model) viewFixed() string {
	c, st := m.com, m.com.Styles
	var b strings.Builder
	b.WriteString(" " + st.Pass.Render(c.T("outcome.fixed.title")) + "\n\n")
	b.WriteString(m.summary())
	b.WriteString("\n " + st.Accent.Render(c.T("outcome.fixed.next")))
	return b.String()
}

// summary says what was asked, found and read, in a few lines.
func (m *Model) summary() string {
	c, st := m.com, m.com.Styles
	s := c.Session
	w := m.width - 6
	var b strings.Builder
	line := func(label, value string, maxLines int) {
		if value == "" {
			return
		}
		b.WriteString(" " + st.Subtitle.Render(label) + "\n")
		for _, l := range common.WrapMax(value, w, maxLines) {
			b.WriteString("   " + st.Paragraph.Render(l) + "\n")
		}
	}
	said := ""
	switch {
	case s.Pasted != "":
		first, _, _ := strings.Cut(strings.TrimSpace(s.Pasted), "\n")
		said = c.T("outcome.pasted", first)
	case len(s.Symptoms) > 0:
		said = c.ProblemName(s.Problem) + ": " + strings.Join(s.Symptoms, "; ")
	}
	line(c.T("outcome.said"), said, 2)
	if len(s.Results) > 0 {
		sum := check.Summarize(s.Results)
		found := c.T("outcome.found", len(s.Results), sum.Pass)
		var bad []string
		for _, r := range s.Results {
			if r.Status.Bad() {
				bad = append(bad, fmt.Sprintf("%s (%s)", c.CheckTitle(r.ID, r.Title), c.StatusWord(r.Status)))
			}
		}
		if len(bad) > 0 {
			found += " " + c.N("outcome.attention", len(bad)) + " " + strings.Join(bad, "; ") + "."
		}
		line(c.T("outcome.checks"), found, 0)
	}
	var read []string
	for _, id := range s.Read {
		if a, ok := c.KB.Get(id); ok {
			read = append(read, a.Title)
		}
	}
	line(c.T("outcome.read"), strings.Join(read, "; "), 0)
	if s.Saved != "" {
		line(c.T("outcome.saved"), s.Saved, 0)
	}
	return b.String()
}

func (m *Model) viewNotFixed() string {
	c, st := m.com, m.com.Styles
	var b strings.Builder
	if m.phase == phaseStillFailing {
		b.WriteString(" " + st.Fail.Render(c.T("outcome.still.title")) + "\n")
		var bad []string
		for _, r := range c.Session.Results {
			if r.Status == check.Fail || r.Status == check.Error {
				bad = append(bad, c.CheckTitle(r.ID, r.Title)+" ("+c.StatusWord(r.Status)+")")
			}
		}
		for _, l := range common.WrapMax(c.T("outcome.still.hint", strings.Join(bad, "; ")), m.width-4, 3) {
			b.WriteString(" " + st.Paragraph.Render(l) + "\n")
		}
		b.WriteString("\n")
	} else {
		b.WriteString(" " + st.Title.Render(c.T("outcome.notfixed.title")) + "\n")
		hint, _ := c.Hint(c.T("outcome.notfixed.hint"), m.width)
		b.WriteString(hint + "\n\n")
	}
	for i, ch := range notFixedChoices {
		marker, style, ds := "  ", st.Item, st.ItemDesc
		if i == m.cursor {
			marker, style, ds = st.Cursor.Render("▸ "), st.Selected, st.SelectedDesc
		}
		b.WriteString(" " + marker + style.Render(c.T("outcome."+ch.id)) + "\n")
		b.WriteString("     " + ds.Render(common.Truncate(c.T("outcome."+ch.id+".desc"), m.width-6)) + "\n")
	}
	return b.String()
}
