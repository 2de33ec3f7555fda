// Package symptoms is steps 1 and 2 of the guided flow: "What is wrong?"
// (a category), then what you see (symptoms of that category from the
// knowledge base, several at once) or the error message itself, pasted.
package symptoms

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"pitstop/internal/config"
	"pitstop/internal/kb"
	"pitstop/internal/tui/common"
	"pitstop/internal/wizard"
)

// phase is where the screen is.
type phase int

const (
	phaseProblem  phase = iota // step 1: pick a category
	phaseSymptoms              // step 2: pick symptoms
	phasePaste                 // step 2: paste the error
)

func (p phase) String() string {
	return [...]string{"problem", "symptoms", "paste"}[p]
}

// matchedMsg carries the articles matched from pasted text.
type matchedMsg struct {
	seq     int
	matches []kb.Match
}

// Model is steps 1 and 2.
type Model struct {
	com           *common.Common
	phase         phase
	width, height int

	problemCursor int // 0..len(Problems); the last is "paste the error"
	problem       wizard.Problem

	symptoms []kb.Symptom
	picked   map[int]bool
	cursor   int
	start    int // first visible symptom

	paste    textarea.Model
	seq      int
	matches  []kb.Match // live, for the pasted text
	matching bool
	likely   string // title of the best article for the ticked symptoms
}

// New returns the screen at step 1.
func New(com *common.Common) *Model {
	ta := textarea.New()
	ta.ShowLineNumbers = false
	ta.Prompt = "┃ "
	ta.CharLimit = 64 << 10
	ta.KeyMap.InsertNewline = com.Keys.NewLine
	m := &Model{com: com, paste: ta, picked: map[int]bool{}}
	m.styleInput()
	return m
}

func (m *Model) styleInput() {
	st := m.com.Styles
	s := textarea.DefaultStyles(st.Dark)
	s.Focused.Prompt = st.Prompt
	s.Focused.Placeholder = st.Faint
	s.Focused.Text = st.Input
	s.Focused.CursorLine = lipgloss.NewStyle()
	s.Blurred = s.Focused
	m.paste.SetStyles(s)
	m.paste.Placeholder = m.com.T("paste.placeholder")
}

// Init does nothing.
func (m *Model) Init() tea.Cmd { return nil }

// SetSize sets the drawing area.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.paste.SetWidth(max(20, min(w-4, 110)))
	m.paste.SetHeight(max(3, min(h/3, 8)))
	m.scroll()
}

// Title names the step.
func (m *Model) Title() string {
	if m.phase == phaseProblem {
		return m.com.T("problem.title")
	}
	if m.phase == phasePaste {
		return m.com.T("paste.title")
	}
	return m.com.T("symptoms.title")
}

// Step is 1 or 2.
func (m *Model) Step() int {
	if m.phase == phaseProblem {
		return common.StepProblem
	}
	return common.StepSymptoms
}

// Capturing is true while pasting: every key types.
func (m *Model) Capturing() bool { return m.phase == phasePaste }

// ShortHelp lists the help bar keys of the phase.
func (m *Model) ShortHelp() []key.Binding {
	k := m.com.Keys
	switch m.phase {
	case phaseSymptoms:
		return []key.Binding{k.Move, k.Toggle, k.Continue, k.Back, k.Paste}
	case phasePaste:
		return []key.Binding{k.Continue, k.NewLine, k.Back}
	}
	return []key.Binding{k.Move, k.Select, k.Back, k.Paste}
}

// FullHelp lists every key of the phase.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.com.Keys
	switch m.phase {
	case phaseSymptoms:
		return [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom}, {k.Toggle, k.Continue, k.Paste, k.Back}}
	case phasePaste:
		return [][]key.Binding{{k.Continue, k.NewLine, k.Back}}
	}
	return [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom}, {k.Select, k.Paste, k.Back}}
}

// Update handles keys, pasted text and match results.
func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.ThemeChangedMsg:
		m.styleInput()
		return m, nil
	case matchedMsg:
		if msg.seq == m.seq {
			m.matches, m.matching = msg.matches, false
		}
		return m, nil
	case tea.PasteMsg:
		// A paste anywhere in steps 1-2 means "here is the error".
		if m.phase != phasePaste {
			m.enterPaste()
		}
		// Mask secrets before the text area wraps them: a key split over
		// two lines would escape the screen's scrubber.
		msg.Content = m.com.Scrub(msg.Content)
		var cmd tea.Cmd
		m.paste, cmd = m.paste.Update(msg)
		return m, tea.Batch(cmd, m.match())
	case tea.KeyPressMsg:
		switch m.phase {
		case phaseProblem:
			return m.updateProblem(msg)
		case phaseSymptoms:
			return m.updateSymptoms(msg)
		case phasePaste:
			return m.updatePaste(msg)
		}
	}
	if m.phase == phasePaste {
		var cmd tea.Cmd
		m.paste, cmd = m.paste.Update(msg)
		return m, cmd
	}
	return m, nil
}

func (m *Model) updateProblem(msg tea.KeyPressMsg) (common.Screen, tea.Cmd) {
	k := m.com.Keys
	n := len(wizard.Problems) + 1
	switch {
	case key.Matches(msg, k.Back):
		return m, common.Back
	case key.Matches(msg, k.Up):
		m.problemCursor = (m.problemCursor + n - 1) % n
	case key.Matches(msg, k.Down):
		m.problemCursor = (m.problemCursor + 1) % n
	case key.Matches(msg, k.Top):
		m.problemCursor = 0
	case key.Matches(msg, k.Bottom):
		m.problemCursor = n - 1
	case key.Matches(msg, k.Paste):
		m.enterPaste()
		return m, m.paste.Focus()
	case key.Matches(msg, k.Select):
		if m.problemCursor == len(wizard.Problems) {
			m.enterPaste()
			return m, m.paste.Focus()
		}
		m.pickProblem(wizard.Problems[m.problemCursor])
	}
	return m, nil
}

func (m *Model) pickProblem(p wizard.Problem) {
	if p.ID != m.problem.ID {
		m.picked = map[int]bool{}
		m.cursor, m.start = 0, 0
	}
	m.problem = p
	m.symptoms = m.com.KB.Symptoms(p.KBCategory)
	m.phase = phaseSymptoms
}

func (m *Model) enterPaste() {
	m.phase = phasePaste
	m.paste.Focus()
}

func (m *Model) updateSymptoms(msg tea.KeyPressMsg) (common.Screen, tea.Cmd) {
	k := m.com.Keys
	n := len(m.symptoms)
	switch {
	case key.Matches(msg, k.Back):
		m.phase = phaseProblem
	case n == 0:
		if key.Matches(msg, k.Continue) {
			return m, m.finish()
		}
		if key.Matches(msg, k.Paste) {
			m.enterPaste()
			return m, m.paste.Focus()
		}
	case key.Matches(msg, k.Up):
		m.cursor = (m.cursor + n) % (n + 1)
	case key.Matches(msg, k.Down):
		m.cursor = (m.cursor + 1) % (n + 1)
	case key.Matches(msg, k.Top):
		m.cursor = 0
	case key.Matches(msg, k.Bottom):
		m.cursor = n
	case key.Matches(msg, k.Toggle) && m.cursor == n:
		// "None of these" is a choice, not a box: it clears the ticks.
		m.picked, m.likely = map[int]bool{}, ""
	case key.Matches(msg, k.Toggle):
		m.picked[m.cursor] = !m.picked[m.cursor]
		m.likely = ""
		if picked := m.pickedTexts(); len(picked) > 0 {
			if ms := m.com.KB.Match(wizard.Evidence(m.profile(), "", picked, nil)); len(ms) > 0 {
				m.likely = ms[0].Article.Title
			}
		}
	case key.Matches(msg, k.Paste):
		m.enterPaste()
		return m, m.paste.Focus()
	case key.Matches(msg, k.Continue):
		if len(m.pickedTexts()) == 0 || m.cursor == n {
			// Nothing ticked is "none of these": no symptom is made up
			// from where the cursor happens to be. The paste step comes
			// next, where enter with nothing pasted goes on without.
			m.picked, m.likely = map[int]bool{}, ""
			m.enterPaste()
			return m, m.paste.Focus()
		}
		return m, m.finish()
	}
	m.scroll()
	return m, nil
}

// listHeight is the rows left for the symptom list: the heading (title,
// hint and a gap), the gap and the two "likely" lines (a long article
// title goes on under the first).
func (m *Model) listHeight() int {
	_, hintH := m.com.Hint(m.com.T("symptoms.hint"), m.width)
	return max(3, m.height-5-hintH)
}

// scroll keeps the cursor's row on screen.
func (m *Model) scroll() {
	m.start, _ = common.Window(m.start, m.cursor, len(m.symptoms)+1, m.listHeight())
}

func (m *Model) updatePaste(msg tea.KeyPressMsg) (common.Screen, tea.Cmd) {
	k := m.com.Keys
	switch {
	case key.Matches(msg, k.Back):
		m.paste.Blur()
		if m.problem.ID != "" {
			m.phase = phaseSymptoms
		} else {
			m.phase = phaseProblem
		}
		return m, nil
	case key.Matches(msg, k.Continue):
		if strings.TrimSpace(m.paste.Value()) == "" && m.problem.ID == "" {
			return m, nil // with no area chosen, the error is all there is to go on
		}
		return m, m.finish()
	}
	var cmd tea.Cmd
	before := m.paste.Value()
	m.paste, cmd = m.paste.Update(msg)
	if v := m.paste.Value(); v != before {
		if clean := m.com.Scrub(v); clean != v {
			m.paste.SetValue(clean)
		}
		return m, tea.Batch(cmd, m.match())
	}
	return m, cmd
}

// profile is the session's profile, or the loaded one before the session
// has its own.
func (m *Model) profile() *config.Profile {
	if p := m.com.Session.Profile; p != nil {
		return p
	}
	return m.com.Profile
}

// match ranks articles for the pasted text in a command: regular
// expressions over up to 64 KiB do not belong in Update.
func (m *Model) match() tea.Cmd {
	m.seq++
	m.matching = true
	seq, base := m.seq, m.com.KB
	// Articles about a provider the profile does not use are left out,
	// unless the pasted text names it (as on the results).
	evidence := wizard.Evidence(m.profile(), m.paste.Value(), nil, nil)
	return func() tea.Msg {
		return matchedMsg{seq: seq, matches: base.Match(evidence)}
	}
}

func (m *Model) pickedTexts() []string {
	var out []string
	for i, s := range m.symptoms {
		if m.picked[i] {
			out = append(out, s.Text)
		}
	}
	return out
}

// finish records the answers in the session and opens the settings step.
func (m *Model) finish() tea.Cmd {
	problem, symptoms, pasted := m.problem, m.pickedTexts(), ""
	if m.phase == phasePaste {
		symptoms, pasted = nil, m.paste.Value()
	}
	m.com.Session.Choose(problem, symptoms, pasted, m.com.KB, m.com.Profile)
	return common.Navigate(common.NavigateMsg{To: common.ScreenSettings})
}

// View draws the phase.
func (m *Model) View() string {
	switch m.phase {
	case phaseSymptoms:
		return m.viewSymptoms()
	case phasePaste:
		return m.viewPaste()
	}
	return m.viewProblem()
}

func (m *Model) viewProblem() string {
	c, st := m.com, m.com.Styles
	hint, hintH := c.Hint(c.T("problem.hint"), m.width)
	labelW := lipgloss.Width(c.T("problem.paste"))
	inline := true // every description fits beside its label
	for _, p := range wizard.Problems {
		labelW = max(labelW, lipgloss.Width(c.ProblemName(p)))
	}
	for _, p := range wizard.Problems {
		if lipgloss.Width(c.T("problem."+p.ID+".desc")) > m.width-labelW-8 {
			inline = false
		}
	}
	if lipgloss.Width(c.T("problem.paste.desc")) > m.width-labelW-8 {
		inline = false
	}
	var lines []string
	cursorFirst, cursorLast := 0, 0
	row := func(i int, label, desc string) {
		marker, ls, ds := "  ", st.Item, st.ItemDesc
		if i == m.problemCursor {
			marker, ls, ds = st.Cursor.Render("▸ "), st.Selected, st.SelectedDesc
			cursorFirst = len(lines)
		}
		line := " " + marker + ls.Render(label)
		switch {
		case inline:
			line += strings.Repeat(" ", max(0, labelW-lipgloss.Width(label))) + "   " + ds.Render(desc)
			lines = append(lines, line)
		case i == m.problemCursor:
			// Only the selected area's description, whole, under it.
			lines = append(lines, line)
			for _, l := range common.WrapMax(desc, m.width-7, 2) {
				lines = append(lines, "     "+ds.Render(l))
			}
		default:
			lines = append(lines, line)
		}
		if i == m.problemCursor {
			cursorLast = len(lines) - 1
		}
	}
	for i, p := range wizard.Problems {
		row(i, c.ProblemName(p), c.T("problem."+p.ID+".desc"))
	}
	lines = append(lines, "")
	row(len(wizard.Problems), c.T("problem.paste"), c.T("problem.paste.desc"))

	head := " " + st.Title.Render(c.T("problem.question")) + "\n" + hint + "\n\n"
	room := m.height - 2 - hintH
	if len(lines) > room && room > 0 {
		// A short window: drop the hint, then scroll to the cursor.
		head = " " + st.Title.Render(c.T("problem.question")) + "\n\n"
		room = m.height - 2
		start := max(0, min(cursorLast-room+1, len(lines)-room))
		start = min(start, cursorFirst)
		lines = lines[start:min(len(lines), start+room)]
	}
	return head + strings.Join(lines, "\n") + "\n"
}

func (m *Model) viewSymptoms() string {
	c, st := m.com, m.com.Styles
	var b strings.Builder
	hint, _ := c.Hint(c.T("symptoms.hint"), m.width)
	b.WriteString(" " + st.Title.Render(c.T("symptoms.question", c.ProblemName(m.problem))) + "\n")
	b.WriteString(hint + "\n\n")
	if len(m.symptoms) == 0 {
		b.WriteString(" " + st.Paragraph.Render(common.Wrap(c.T("symptoms.none"), m.width-2)) + "\n")
		return b.String()
	}
	// Rows left for the list: see listHeight.
	// The last row is "None of these": a choice, not a box.
	rows := len(m.symptoms) + 1
	_, end := common.Window(m.start, m.cursor, rows, m.listHeight())
	bar := c.Scrollbar(m.start, end-m.start, rows)
	for i := m.start; i < end; i++ {
		marker, ls := "  ", st.Item
		if i == m.cursor {
			marker, ls = st.Cursor.Render("▸ "), st.Selected
		}
		var line string
		if i == len(m.symptoms) {
			line = " " + marker + "    " + ls.Render(common.Truncate(c.T("symptoms.noneofthese"), m.width-10))
		} else {
			box := st.Unchecked.Render("[ ]")
			if m.picked[i] {
				box = st.Checked.Render("[x]")
			}
			line = " " + marker + box + " " + ls.Render(common.Truncate(m.symptoms[i].Text, m.width-10))
		}
		pad := max(0, m.width-2-lipgloss.Width(line))
		b.WriteString(line + strings.Repeat(" ", pad) + bar[i-m.start] + "\n")
	}
	b.WriteString("\n")
	if m.likely != "" {
		label := c.T("symptoms.likely")
		indent := lipgloss.Width(label) + 2
		lines := common.WrapMax(m.likely, m.width-indent-1, 2)
		b.WriteString(" " + st.Muted.Render(label) + " " + st.Accent.Render(lines[0]))
		for _, l := range lines[1:] {
			b.WriteString("\n" + strings.Repeat(" ", indent) + st.Accent.Render(l))
		}
	} else {
		b.WriteString(" " + st.Faint.Render(c.T("symptoms.orpaste")))
	}
	return b.String()
}

func (m *Model) viewPaste() string {
	c, st := m.com, m.com.Styles
	var b strings.Builder
	hintKey := "paste.hint"
	if m.problem.ID != "" {
		hintKey = "paste.hint.optional" // an area is chosen: its checks can run without the error
	}
	hint, _ := c.Hint(c.T(hintKey), m.width)
	b.WriteString(" " + st.Title.Render(c.T("paste.question")) + "\n")
	b.WriteString(hint + "\n\n")
	b.WriteString(common.Indent(m.paste.View(), 1) + "\n\n")
	if strings.TrimSpace(m.paste.Value()) == "" {
		return b.String()
	}
	b.WriteString(" " + st.Subtitle.Render(c.T("paste.matches")) + "\n")
	if len(m.matches) == 0 {
		msg := c.T("paste.nomatch")
		if m.matching {
			msg = c.T("paste.matching")
		}
		b.WriteString("   " + st.Muted.Render(msg) + "\n")
		return b.String()
	}
	room := max(1, (m.height-lipgloss.Height(b.String()))/2)
	for i, mt := range m.matches[:min(len(m.matches), min(3, room))] {
		b.WriteString("   " + st.Faint.Render(string(rune('1'+i))+".") + " " +
			st.Bold.Render(common.Truncate(mt.Article.Title, m.width-8)) + "\n")
		if len(mt.Reasons) > 0 {
			b.WriteString("      " + st.Reason.Render(common.Truncate(mt.Reasons[0], m.width-8)) + "\n")
		}
	}
	return b.String()
}

// Picked returns the symptoms ticked so far (for tests).
func (m *Model) Picked() []string { return slices.Clone(m.pickedTexts()) }
