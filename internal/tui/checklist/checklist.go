// Package checklist is the wizard's checklist screen: the prelaunch list
// (every configured check, run here, plus what Pitstop cannot see for
// itself) and the before-support, escalation and prevention lists, filled
// from what this session saw. Items Pitstop settles are ticked for you;
// space ticks the rest; left and right switch lists.
package checklist

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"pitstop/internal/check"
	"pitstop/internal/escalate"
	"pitstop/internal/i18n"
	"pitstop/internal/tui/common"
)

// checksMsg brings the results of the prelaunch checks.
type checksMsg struct {
	from    *Model
	results []check.Result
}

// KeyMap holds the screen's own keys; the shared ones come from common.
type KeyMap struct {
	Next, Prev, Recheck, Copy key.Binding
}

// DefaultKeyMap returns the keys with help in the interface language.
func DefaultKeyMap(c *common.Common) KeyMap {
	return KeyMap{
		Next:    key.NewBinding(key.WithKeys("right", "l", "tab"), key.WithHelp("←/→", c.T("key.switch"))),
		Prev:    key.NewBinding(key.WithKeys("left", "h", "shift+tab"), key.WithHelp("←", c.T("key.switch"))),
		Recheck: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", c.T("key.recheck"))),
		Copy:    key.NewBinding(key.WithKeys("c"), key.WithHelp("c", c.T("key.copy"))),
	}
}

// Model is the checklist screen.
type Model struct {
	com  *common.Common
	keys KeyMap

	lists   []escalate.Checklist
	current int
	filled  escalate.Filled
	// done are the items ticked by hand, per list.
	done map[string][]string
	// results are the prelaunch run's; ran is set once it finished.
	results []check.Result
	ran     bool
	running int // checks running (0: none)

	cursor, start int
	width, height int
	note          string // a one-off note under the list ("settled by a check")
}

// New returns the screen on the prelaunch list (the first list when the
// checklists have none).
func New(com *common.Common) *Model {
	m := &Model{com: com, keys: DefaultKeyMap(com), done: map[string][]string{}}
	if com.Checklists != nil {
		m.lists = com.Checklists.Lists
	}
	m.current = max(0, slices.IndexFunc(m.lists, func(l escalate.Checklist) bool { return l.Name == escalate.ChecklistPrelaunch }))
	m.refill()
	return m
}

// Init runs the checks when the list starts on one that needs them.
func (m *Model) Init() tea.Cmd { return m.runIfNeeded() }

// list is the checklist shown.
func (m *Model) list() (escalate.Checklist, bool) {
	if m.current < 0 || m.current >= len(m.lists) {
		return escalate.Checklist{}, false
	}
	return m.lists[m.current], true
}

// runIfNeeded starts the prelaunch checks once.
func (m *Model) runIfNeeded() tea.Cmd {
	l, ok := m.list()
	if !ok || !l.RunsChecks() || m.ran || m.running > 0 {
		return nil
	}
	return m.runChecks()
}

// runChecks runs every configured check in a command.
func (m *Model) runChecks() tea.Cmd {
	checks := m.com.EveryConfigured()
	if len(checks) == 0 {
		m.ran, m.results = true, nil
		m.refill()
		return nil
	}
	m.running = len(checks)
	runner := m.com.Runner(nil)
	ctx, from := m.com.Ctx, m
	return func() tea.Msg { return checksMsg{from: from, results: runner.Run(ctx, checks)} }
}

// refill settles the current list from the evidence and the ticks.
func (m *Model) refill() {
	l, ok := m.list()
	if !ok {
		m.filled = escalate.Filled{}
		return
	}
	ev := escalate.Evidence{Results: m.results}
	if !l.RunsChecks() {
		ev = m.com.Session.ChecklistEvidence()
	}
	ev.Done = m.done[l.Name]
	m.filled = l.Fill(ev, m.com.Lang)
	m.cursor = min(m.cursor, max(0, len(m.filled.Items)-1))
}

// SetSize sets the drawing area.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.start, _ = common.Window(m.start, m.cursor, len(m.filled.Items), m.listRows())
}

// Title names the screen.
func (m *Model) Title() string { return m.com.T("clist.title") }

// Step is 0: the checklists are not part of the guided flow.
func (m *Model) Step() int { return 0 }

// Capturing is false: the screen takes no text.
func (m *Model) Capturing() bool { return false }

// Filled returns the list as shown (for tests).
func (m *Model) Filled() escalate.Filled { return m.filled }

// ShortHelp lists the help bar keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.com.Keys
	out := []key.Binding{k.Move, k.Toggle, m.keys.Next, k.Back}
	if l, ok := m.list(); ok && l.RunsChecks() {
		out = append(out, m.keys.Recheck)
	}
	return out
}

// FullHelp lists every key.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.com.Keys
	return [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom}, {k.Toggle, m.keys.Next, m.keys.Recheck, m.keys.Copy, k.Back}}
}

// Update moves, ticks, switches lists and follows the prelaunch run.
func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case checksMsg:
		if msg.from != m {
			return m, nil
		}
		m.running, m.ran, m.results = 0, true, msg.results
		m.refill()
		return m, nil
	case tea.KeyPressMsg:
		return m, m.key(msg)
	}
	return m, nil
}

func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	k := m.com.Keys
	n := len(m.filled.Items)
	m.note = ""
	switch {
	case key.Matches(msg, k.Back):
		return common.Back
	case key.Matches(msg, m.keys.Next), key.Matches(msg, m.keys.Prev):
		if len(m.lists) == 0 {
			return nil
		}
		step := 1
		if key.Matches(msg, m.keys.Prev) {
			step = len(m.lists) - 1
		}
		m.current = (m.current + step) % len(m.lists)
		m.cursor, m.start = 0, 0
		m.refill()
		return m.runIfNeeded()
	case key.Matches(msg, m.keys.Recheck):
		if l, ok := m.list(); ok && l.RunsChecks() && m.running == 0 {
			return m.runChecks()
		}
	case key.Matches(msg, m.keys.Copy):
		return tea.Batch(tea.SetClipboard(m.filled.Markdown(m.com.Lang)), common.Status(m.com.T("clist.copied"), false))
	case n == 0:
		return nil
	case key.Matches(msg, k.Up):
		m.cursor = (m.cursor + n - 1) % n
	case key.Matches(msg, k.Down):
		m.cursor = (m.cursor + 1) % n
	case key.Matches(msg, k.Top):
		m.cursor = 0
	case key.Matches(msg, k.Bottom):
		m.cursor = n - 1
	case key.Matches(msg, k.Toggle):
		m.toggle()
	}
	m.start, _ = common.Window(m.start, m.cursor, len(m.filled.Items), m.listRows())
	return nil
}

// toggle ticks or unticks the item under the cursor when the person may.
func (m *Model) toggle() {
	it := m.filled.Items[m.cursor]
	l, _ := m.list()
	done := m.done[l.Name]
	switch {
	case !it.Manual:
		m.note = m.com.T("clist.locked")
		return
	case slices.Contains(done, it.ID):
		done = slices.DeleteFunc(done, func(id string) bool { return id == it.ID })
	case it.State == escalate.Open:
		done = append(done, it.ID)
	default:
		// Settled by Pitstop from what it saw: nothing to untick.
		m.note = m.com.T("clist.auto")
		return
	}
	m.done[l.Name] = done
	m.refill()
}

// View draws the tabs, the list, the summary and the selected item's note.
func (m *Model) View() string {
	c, st := m.com, m.com.Styles
	var b strings.Builder
	b.WriteString(" " + m.tabs() + "\n\n")
	if _, ok := m.list(); !ok {
		return b.String()
	}
	w := max(20, m.width-2)
	desc, _ := c.Hint(m.filled.Description, m.width)
	b.WriteString(" " + st.Title.Render(common.Truncate(m.filled.Title, w)) + "\n")
	b.WriteString(desc + "\n\n")
	if m.running > 0 {
		b.WriteString(" " + st.Running.Render("…") + " " + st.Paragraph.Render(c.T("clist.running", m.running)) + "\n")
		return b.String()
	}

	rows, n := m.listRows(), len(m.filled.Items)
	start, end := common.Window(m.start, m.cursor, n, rows)
	bar := c.Scrollbar(start, end-start, n)
	for i := start; i < end; i++ {
		line := m.row(m.filled.Items[i], i == m.cursor, w-2)
		if n > rows {
			line += strings.Repeat(" ", max(0, w-1-lipgloss.Width(line))) + bar[i-start]
		}
		b.WriteString(line + "\n")
	}
	b.WriteString("\n " + m.summary() + "\n")
	if note := m.detail(); note != "" {
		for _, l := range common.WrapMax(note, w, noteLines) {
			b.WriteString(" " + st.Muted.Render(l) + "\n")
		}
	}
	return b.String()
}

// noteLines is the room under the list for the selected item's note: its
// whole label (cut short in its row) and why it stands where it does.
const noteLines = 3

// listRows is how many items fit: the tabs (2 lines), the heading (title,
// description, gap), the summary and the note take the rest.
func (m *Model) listRows() int {
	_, descH := m.com.Hint(m.filled.Description, m.width)
	return max(3, m.height-6-noteLines-descH)
}

// tabs names every list, the current one highlighted.
func (m *Model) tabs() string {
	st := m.com.Styles
	parts := make([]string, len(m.lists))
	for i, l := range m.lists {
		name := i18n.Or(m.com.Lang, "tui.clist.tab."+l.Name, l.Name)
		if i == m.current {
			parts[i] = st.Selected.Render(" " + name + " ")
		} else {
			parts[i] = st.Muted.Render(" " + name + " ")
		}
	}
	return common.Truncate(strings.Join(parts, st.Divider.Render("│")), max(10, m.width-2))
}

// row draws one item: cursor, box, label and a short tag.
func (m *Model) row(it escalate.FilledItem, selected bool, width int) string {
	st := m.com.Styles
	cursor, label := "  ", st.Item
	if selected {
		cursor, label = st.Cursor.Render("▸ "), st.Selected
	}
	box, tag := m.mark(it)
	text := common.Truncate(it.Label, m.labelRoom(it, width))
	line := " " + cursor + box + " " + label.Render(text)
	if tag != "" {
		line += strings.Repeat(" ", max(1, width-lipgloss.Width(line)-lipgloss.Width(tag))) + tag
	}
	return line
}

// mark returns an item's box and its short tag, both styled.
func (m *Model) mark(it escalate.FilledItem) (box, tag string) {
	c, st := m.com, m.com.Styles
	switch it.State {
	case escalate.Done:
		box = st.Checked.Render("[x]")
		if it.Warned { // ticked, but the check warned: say so
			box, tag = st.Warn.Render("[!]"), st.Warn.Render(c.StatusWord(check.Warn))
		}
	case escalate.Failing:
		box, tag = st.Fail.Render("[✗]"), st.Fail.Render(it.State.Word(c.Lang))
	case escalate.Blocked: // not tested because a check it needs failed
		box, tag = st.Unchecked.Render("[ ]"), st.Warn.Render(it.State.Word(c.Lang))
	case escalate.NotApplicable:
		box, tag = st.Skip.Render("[–]"), st.Skip.Render(it.State.Word(c.Lang))
		if !it.Manual { // a check that did not run: say so, as the run does
			tag = st.Skip.Render(c.StatusWord(check.Skip))
		}
	default:
		box = st.Unchecked.Render("[ ]")
		if it.Required {
			tag = st.Warn.Render(i18n.T(c.Lang, "escalate.cl.required"))
		}
	}
	if !it.Manual && tag == "" {
		tag = st.Faint.Render(c.T("clist.check"))
	}
	return box, tag
}

// labelRoom is the width an item's label has on its row, beside the tag.
func (m *Model) labelRoom(it escalate.FilledItem, width int) int {
	_, tag := m.mark(it)
	return max(8, width-8-lipgloss.Width(tag))
}

// summary says whether the list is complete, and what blocks it.
func (m *Model) summary() string {
	c, st := m.com, m.com.Styles
	if m.filled.Complete() {
		return st.Pass.Render(m.filled.Status(c.Lang))
	}
	done, total := m.filled.Counts()
	failing, open := 0, 0
	for _, it := range m.filled.Blocking() {
		if it.State == escalate.Failing {
			failing++
		} else {
			open++
		}
	}
	parts := []string{c.T("clist.done", done, total)}
	style := st.Warn
	if failing > 0 {
		parts = append(parts, c.N("clist.failingN", failing))
		style = st.Fail
	}
	if open > 0 {
		parts = append(parts, c.N("clist.openN", open))
	}
	return style.Render(strings.Join(parts, " · "))
}

// detail is the line under the list: a note just given, else what the
// selected item says (why it is ticked, or how to settle it).
func (m *Model) detail() string {
	if m.note != "" {
		return m.note
	}
	if len(m.filled.Items) == 0 {
		return ""
	}
	it := m.filled.Items[m.cursor]
	parts := []string{}
	if lipgloss.Width(it.Label) > m.labelRoom(it, max(20, m.width-2)-2) {
		parts = append(parts, it.Label+":") // cut short on its row: here whole
	}
	if it.Note != "" {
		parts = append(parts, it.Note)
	}
	if it.State == escalate.Open && it.Hint != "" {
		parts = append(parts, it.Hint)
	}
	if it.Manual && it.State == escalate.Open {
		parts = append(parts, "("+m.com.T("clist.manual")+")")
	}
	return strings.Join(parts, " ")
}
