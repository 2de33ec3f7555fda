// Package escalate is the wizard's escalation step: six questions (business
// impact, data loss, everyone affected, security, what was expected, what
// happened), then the severity, the
// support tier, the response and resolution targets and the escalation
// checklist, and the report, saved with mode 0600 or copied through the
// terminal (OSC 52). When no check ran in this session, it runs every
// configured one first, so the report carries fresh evidence.
package escalate

import (
	"fmt"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"pitstop/internal/check"
	"pitstop/internal/escalate"
	"pitstop/internal/tui/common"
	"pitstop/internal/wizard"
)

// phase is where the step is.
type phase int

const (
	phaseAsk      phase = iota // the questions
	phaseChecking              // running the checks first
	phaseBuilding              // building the report
	phaseResult                // verdict, checklist and actions
)

func (p phase) String() string { return [...]string{"ask", "checking", "building", "result"}[p] }

// checksMsg brings the results of the checks run for the report.
type checksMsg struct {
	from    *Model
	results []check.Result
}

// reportMsg brings the built report and its Markdown.
type reportMsg struct {
	from     *Model
	report   *escalate.Report
	markdown string
	err      error
}

// savedMsg says where the report was saved, or why it was not.
type savedMsg struct {
	path string
	err  error
}

// KeyMap holds the keys of the result view.
type KeyMap struct {
	Save, Copy, Edit key.Binding
}

// DefaultKeyMap returns the keys with help in the interface language.
func DefaultKeyMap(c *common.Common) KeyMap {
	return KeyMap{
		Save: key.NewBinding(key.WithKeys("s"), key.WithHelp("s", c.T("key.save"))),
		Copy: key.NewBinding(key.WithKeys("c"), key.WithHelp("c", c.T("key.copy"))),
		Edit: key.NewBinding(key.WithKeys("e"), key.WithHelp("e", c.T("key.edit"))),
	}
}

// Model is the escalation step.
type Model struct {
	com  *common.Common
	keys KeyMap

	phase   phase
	form    *huh.Form
	answers escalate.Answers
	// expected and actual are typed in the form.
	expected, actual string

	report   *escalate.Report
	markdown string
	saved    string
	err      error
	checking int // how many checks are running

	offset        int // first line of the result view shown
	width, height int
	// dir is where reports are saved ("" is the working directory).
	dir string
}

// New returns the step on its questions.
func New(com *common.Common) *Model {
	m := &Model{com: com, keys: DefaultKeyMap(com), answers: escalate.Answers{Impact: escalate.ImpactMedium}}
	m.buildForm()
	return m
}

// buildForm makes the questions, prefilled with the current answers.
func (m *Model) buildForm() {
	c := m.com
	yesNo := func(title, desc string, v *bool) *huh.Confirm {
		// Buttons at the left edge, under the question: centered, they
		// wander from one question to the next.
		return huh.NewConfirm().WithButtonAlignment(lipgloss.Left).Title(title).Description(common.KeepWhole(desc)).
			Affirmative(c.T("esc.yes")).Negative(c.T("esc.no")).Value(v)
	}
	m.form = c.NewForm(
		huh.NewGroup(
			huh.NewSelect[string]().Title(c.T("esc.q.impact")).
				Options(
					huh.NewOption(c.T("esc.impact.low"), escalate.ImpactLow),
					huh.NewOption(c.T("esc.impact.medium"), escalate.ImpactMedium),
					huh.NewOption(c.T("esc.impact.high"), escalate.ImpactHigh),
				).Value(&m.answers.Impact),
			yesNo(c.T("esc.q.dataloss"), c.T("esc.q.dataloss.desc"), &m.answers.DataLoss),
			yesNo(c.T("esc.q.allusers"), c.T("esc.q.allusers.desc"), &m.answers.AllAffected),
			yesNo(c.T("esc.q.security"), c.T("esc.q.security.desc"), &m.answers.Security),
		),
		huh.NewGroup(
			huh.NewInput().Title(c.T("esc.q.expected")).Placeholder(c.T("esc.q.placeholder")).Value(&m.expected),
			huh.NewInput().Title(c.T("esc.q.actual")).Placeholder(c.T("esc.q.placeholder")).Value(&m.actual),
		),
	)
	m.resizeForm()
}

// Init focuses the first question.
func (m *Model) Init() tea.Cmd { return m.form.Init() }

// SetSize sets the drawing area.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.resizeForm()
	m.offset = min(m.offset, m.maxOffset())
}

func (m *Model) resizeForm() {
	if m.width == 0 || m.form == nil {
		return
	}
	_, hintH := m.com.Hint(m.com.T("esc.intro"), m.width)
	m.form = m.form.WithWidth(max(30, min(m.width-2, 100))).WithHeight(max(6, m.height-2-hintH))
}

// Title names the step.
func (m *Model) Title() string { return m.com.T("esc.title") }

// Step is 0: escalating comes after the guided flow.
func (m *Model) Step() int { return 0 }

// Capturing is true while a text question has the focus.
func (m *Model) Capturing() bool {
	if m.phase != phaseAsk {
		return false
	}
	_, ok := m.form.GetFocusedField().(*huh.Input)
	return ok
}

// SaveDir sets where reports are saved (by default the state directory's
// reports folder, wizard.ReportDir).
func (m *Model) SaveDir(dir string) { m.dir = dir }

// Phase returns where the step is (for tests).
func (m *Model) Phase() string { return m.phase.String() }

// Report returns the report built, or nil (for tests).
func (m *Model) Report() *escalate.Report { return m.report }

// ShortHelp lists the help bar keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.com.Keys
	if m.phase == phaseResult {
		return []key.Binding{m.keys.Save, m.keys.Copy, m.keys.Edit, k.Scroll, k.Back}
	}
	return []key.Binding{k.Continue, k.Back, k.NextField, k.PrevField}
}

// FullHelp lists every key.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.com.Keys
	return [][]key.Binding{
		{k.Continue, k.NextField, k.PrevField},
		{m.keys.Save, m.keys.Copy, m.keys.Edit},
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Back},
	}
}

// Update asks, then runs checks and builds the report in commands, then
// handles save, copy and scrolling.
func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.ThemeChangedMsg:
		m.form = m.form.WithTheme(m.com.HuhTheme())
		return m, nil
	case checksMsg:
		if msg.from != m {
			return m, nil
		}
		s := m.com.Session
		s.Results, s.Runs = msg.results, s.Runs+1
		m.phase = phaseBuilding
		return m, m.buildReport()
	case reportMsg:
		if msg.from != m {
			return m, nil
		}
		m.phase, m.offset = phaseResult, 0
		m.report, m.markdown, m.err = msg.report, msg.markdown, msg.err
		if msg.err != nil {
			return m, common.Status(m.com.T("esc.err", msg.err.Error()), true)
		}
		return m, nil
	case savedMsg:
		if msg.err != nil {
			return m, common.Status(m.com.T("esc.save.err", msg.err.Error()), true)
		}
		// Said once, where it stays: the last line, brought into view.
		m.saved = msg.path
		m.offset = m.maxOffset()
		return m, nil
	case tea.KeyPressMsg:
		if key.Matches(msg, m.com.Keys.Back) {
			return m, common.Back
		}
		if m.phase == phaseResult {
			return m, m.resultKey(msg)
		}
	}
	if m.phase != phaseAsk {
		return m, nil
	}
	fm, cmd := m.form.Update(msg)
	if f, ok := fm.(*huh.Form); ok {
		m.form = f
	}
	if m.form.State == huh.StateCompleted {
		return m, tea.Batch(cmd, m.answered())
	}
	return m, cmd
}

// answered starts what follows the questions: the checks when none ran
// in this session, then the report.
func (m *Model) answered() tea.Cmd {
	s := m.com.Session
	if len(s.Results) > 0 {
		m.phase = phaseBuilding
		return m.buildReport()
	}
	checks := m.com.EveryConfigured()
	if len(checks) == 0 {
		m.phase = phaseBuilding
		return m.buildReport()
	}
	m.phase, m.checking = phaseChecking, len(checks)
	runner := m.com.Runner(nil)
	ctx, from := m.com.Ctx, m
	return func() tea.Msg { return checksMsg{from: from, results: runner.Run(ctx, checks)} }
}

// buildReport assembles the report in a command: environment, matching
// and rendering stay out of Update.
func (m *Model) buildReport() tea.Cmd {
	pending, from := m.com.Prepare(m.answers, m.expected, m.actual), m
	return func() tea.Msg {
		rep, err := pending.Build()
		if err != nil {
			return reportMsg{from: from, err: err}
		}
		return reportMsg{from: from, report: rep, markdown: rep.Markdown()}
	}
}

// resultKey handles the keys of the result view.
func (m *Model) resultKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.com.Keys
	page := max(1, m.height-2)
	switch {
	case key.Matches(msg, m.keys.Save):
		if m.report == nil {
			return nil
		}
		return m.save()
	case key.Matches(msg, m.keys.Copy):
		if m.report == nil {
			return nil
		}
		return tea.Batch(tea.SetClipboard(m.markdown), common.Status(m.com.T("esc.copied"), false))
	case key.Matches(msg, m.keys.Edit):
		m.phase = phaseAsk
		m.buildForm()
		return m.form.Init()
	case key.Matches(msg, k.Up):
		m.offset = max(0, m.offset-1)
	case key.Matches(msg, k.Down):
		m.offset = min(m.maxOffset(), m.offset+1)
	case key.Matches(msg, k.PageUp):
		m.offset = max(0, m.offset-page)
	case key.Matches(msg, k.PageDown):
		m.offset = min(m.maxOffset(), m.offset+page)
	case key.Matches(msg, k.Top):
		m.offset = 0
	case key.Matches(msg, k.Bottom):
		m.offset = m.maxOffset()
	}
	return nil
}

// save writes the report into the reports folder, atomically, mode 0600.
func (m *Model) save() tea.Cmd {
	name := wizard.ReportName(m.com.Now())
	dir, data := m.dir, []byte(m.markdown)
	return func() tea.Msg {
		if dir == "" {
			d, err := wizard.ReportDir()
			if err != nil {
				return savedMsg{err: err}
			}
			dir = d
		}
		path := filepath.Join(dir, name)
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
		if err := escalate.WriteFile(path, data); err != nil {
			return savedMsg{err: err}
		}
		return savedMsg{path: path}
	}
}

// View draws the questions, the progress, or the verdict.
func (m *Model) View() string {
	c, st := m.com, m.com.Styles
	switch m.phase {
	case phaseAsk:
		hint, _ := c.Hint(c.T("esc.intro"), m.width)
		intro := " " + st.Title.Render(c.T("esc.title")) + "\n" + hint + "\n\n"
		return intro + common.Indent(common.FormView(m.form), 1)
	case phaseChecking:
		return " " + st.Running.Render("…") + " " + st.Paragraph.Render(common.Wrap(c.T("esc.running", m.checking), m.width-4)) + "\n"
	case phaseBuilding:
		return " " + st.Running.Render("…") + " " + st.Paragraph.Render(c.T("esc.building")) + "\n"
	}
	if m.report == nil {
		return " " + st.ErrorText.Render(common.Wrap(c.T("esc.err", fmt.Sprint(m.err)), m.width-2)) + "\n"
	}
	lines := m.resultLines()
	end := min(len(lines), m.offset+m.height)
	shown := lines[min(m.offset, end):end]
	bar := c.Scrollbar(m.offset, m.height, len(lines))
	out := make([]string, len(shown))
	for i, l := range shown {
		out[i] = common.Truncate(l, m.width-2)
		if len(lines) > m.height {
			pad := max(0, m.width-1-lipgloss.Width(out[i]))
			out[i] += strings.Repeat(" ", pad) + bar[i]
		}
	}
	return strings.Join(out, "\n")
}

// maxOffset is how far the result view scrolls.
func (m *Model) maxOffset() int {
	if m.phase != phaseResult || m.report == nil {
		return 0
	}
	return max(0, len(m.resultLines())-m.height)
}

// resultLines lays out the verdict, the reasons, the checklist and the
// actions, one entry per screen line.
func (m *Model) resultLines() []string {
	c, st := m.com, m.com.Styles
	a := m.report.Assessment
	w := max(20, m.width-4)
	var lines []string
	add := func(s ...string) { lines = append(lines, s...) }
	wrapped := func(indent int, style func(...string) string, text string) {
		for _, l := range strings.Split(common.Wrap(text, w-indent+1), "\n") {
			add(strings.Repeat(" ", indent) + style(l))
		}
	}
	sev := st.Severity(a.Severity)
	add(" "+st.Title.Render(common.Truncate(c.T("esc.heading", a.SeverityLabel, a.TierName), w)), "")

	facts := c.Facts(m.report)
	lw := 0
	for _, f := range facts {
		lw = max(lw, len([]rune(f.Label)))
	}
	for i, f := range facts {
		value := f.Value
		if i == 0 { // the severity, in its color
			value = sev.Render(value)
		}
		pad := strings.Repeat(" ", lw-len([]rune(f.Label)))
		for j, l := range strings.Split(common.Wrap(value, max(10, w-lw-2)), "\n") {
			if j == 0 {
				add(" " + st.Subtitle.Render(f.Label) + pad + "  " + st.Paragraph.Render(l))
				continue
			}
			add(" " + strings.Repeat(" ", lw+2) + st.Paragraph.Render(l))
		}
	}
	add("")

	add(" " + st.Subtitle.Render(c.T("esc.why")))
	wrapped(3, st.Paragraph.Render, a.Justification)
	add("")

	if cl := m.report.Checklist; cl != nil {
		done, total := cl.Counts()
		add(" " + st.Subtitle.Render(c.T("esc.ticket", done, total)))
		for _, it := range cl.Items {
			box := st.Unchecked.Render("[ ]")
			label := st.Item
			if it.State == escalate.Done || it.State == escalate.NotApplicable {
				box = st.Checked.Render("[x]")
			}
			// Label and note wrap: cut short they would lose what they say.
			if it.Note != "" && lipgloss.Width(it.Label+" — "+it.Note) <= w-6 {
				add("   " + box + " " + label.Render(it.Label) + st.Muted.Render(" — "+it.Note))
				continue
			}
			labels := strings.Split(common.Wrap(it.Label, w-6), "\n")
			add("   " + box + " " + label.Render(labels[0]))
			for _, l := range labels[1:] {
				add("       " + label.Render(l))
			}
			if it.Note != "" {
				wrapped(7, st.Muted.Render, it.Note)
			}
		}
		add("")
	}
	if m.saved != "" {
		// The path is what the person copies: on a line of its own when it
		// does not fit after the label, cut only at the edge when it is
		// longer than a line.
		for _, l := range strings.Split(common.Wrap(c.T("esc.savedat", m.saved), w-1), "\n") {
			add(" " + st.Pass.Render(l))
		}
	}
	wrapped(1, st.Accent.Render, c.T("esc.actions"))
	return lines
}
