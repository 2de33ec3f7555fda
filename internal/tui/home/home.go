// Package home is the first screen: the six things Pitstop does, the
// active profile and what it has settings for.
package home

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"pitstop/internal/registry"
	"pitstop/internal/tui/common"
)

// entry is one thing to do from Home.
type entry struct {
	id   string // catalogue key suffix: home.<id> and home.<id>.desc
	open common.NavigateMsg
}

var entries = []entry{
	{"guided", common.NavigateMsg{To: common.ScreenProblem}},
	{"everything", common.NavigateMsg{To: common.ScreenRun, Mode: common.RunEverything}},
	{"checklist", common.NavigateMsg{To: common.ScreenChecklist}},
	{"search", common.NavigateMsg{To: common.ScreenSearch}},
	{"monitor", common.NavigateMsg{To: common.ScreenMonitor}},
	{"escalate", common.NavigateMsg{To: common.ScreenEscalate}},
}

// Model is the home screen.
type Model struct {
	com           *common.Common
	cursor        int
	width, height int
}

// New returns the home screen.
func New(com *common.Common) *Model { return &Model{com: com} }

// Init does nothing: Home needs no data it does not have.
func (m *Model) Init() tea.Cmd { return nil }

// SetSize sets the drawing area.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// Title is empty: the header shows only the brand on Home.
func (m *Model) Title() string { return "" }

// Step is 0: Home is not part of the guided flow.
func (m *Model) Step() int { return 0 }

// Capturing is false: Home takes no text.
func (m *Model) Capturing() bool { return false }

// ShortHelp lists the keys of the help bar.
func (m *Model) ShortHelp() []key.Binding {
	k := m.com.Keys
	return []key.Binding{k.Move, k.Select, k.Search}
}

// FullHelp lists every key of Home.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.com.Keys
	digits := key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6"), key.WithHelp("1–6", m.com.T("key.jump")))
	return [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom}, {k.Select, digits, k.Search}}
}

// Update moves the cursor and opens entries.
func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	if paste, ok := msg.(tea.PasteMsg); ok && strings.TrimSpace(paste.Content) != "" {
		// An error pasted on the first screen: start the guided flow on
		// "paste the error" with it.
		m.com.Session.Reset()
		return m, tea.Sequence(common.Navigate(entries[0].open), func() tea.Msg { return paste })
	}
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return m, nil
	}
	k := m.com.Keys
	switch {
	case key.Matches(km, k.Up):
		m.cursor = (m.cursor + len(entries) - 1) % len(entries)
	case key.Matches(km, k.Down):
		m.cursor = (m.cursor + 1) % len(entries)
	case key.Matches(km, k.Top):
		m.cursor = 0
	case key.Matches(km, k.Bottom):
		m.cursor = len(entries) - 1
	case key.Matches(km, k.Search):
		return m, m.choose(3)
	case key.Matches(km, k.Select):
		return m, m.choose(m.cursor)
	default:
		// Digits jump straight to an entry.
		if len(km.Text) == 1 && km.Text[0] >= '1' && int(km.Text[0]-'0') <= len(entries) {
			m.cursor = int(km.Text[0] - '1')
			return m, m.choose(m.cursor)
		}
	}
	return m, nil
}

func (m *Model) choose(i int) tea.Cmd {
	e := entries[i]
	switch e.open.To {
	case common.ScreenProblem, common.ScreenRun:
		m.com.Session.Reset()
	}
	return common.Navigate(e.open)
}

// View draws the menu and what is configured. With room, each entry has
// its description below it; in a short or narrow window only the selected
// one does, so no description is cut.
func (m *Model) View() string {
	st := m.com.Styles
	c := m.com
	w := m.width
	var b strings.Builder
	b.WriteString(" " + st.Title.Render(c.T("home.question")) + "\n\n")

	// Lines left under the title, the entries and the gap before the
	// settings.
	avail := m.height - 2 - len(entries) - 1
	full := m.configured(0)
	fullH := lipgloss.Height(full)
	compact := w < 70 || avail < len(entries)+fullH
	descLines := len(entries)
	if compact {
		descLines = min(1, max(0, avail-1)) // the profile line comes first
	}
	conf := full
	if compact && avail-descLines < fullH {
		conf = m.configured(avail - descLines)
	}
	for i, e := range entries {
		label := c.T("home." + e.id)
		desc := c.T("home." + e.id + ".desc")
		num := fmt.Sprintf("%d", i+1)
		marker, ls, ds := "  ", st.Item, st.ItemDesc
		if i == m.cursor {
			marker, ls, ds = st.Cursor.Render("▸ "), st.Selected, st.SelectedDesc
		}
		b.WriteString(" " + marker + st.Faint.Render(num) + " " + ls.Render(label) + "\n")
		if !compact || (i == m.cursor && descLines > 0) {
			b.WriteString("      " + ds.Render(common.Truncate(desc, w-7)) + "\n")
		}
	}
	b.WriteString("\n")
	b.WriteString(conf)
	return b.String()
}

// configured shows the profile and a line per area: what is set, what is
// not. Given fewer than the lines that takes (maxLines > 0), the areas
// share one line; 0 means as many lines as it needs.
func (m *Model) configured(maxLines int) string {
	c := m.com
	st := c.Styles
	p := c.Profile
	var b strings.Builder
	where := c.ConfigPath
	if where == "" {
		where = c.T("home.noconfig")
	}
	b.WriteString(" " + st.Subtitle.Render(c.T("home.configured", p.Name)) + " " + st.Muted.Render(common.Truncate(where, max(10, m.width-lipgloss.Width(c.T("home.configured", p.Name))-3))) + "\n")
	var cells, short []string
	for _, fam := range registry.Families() {
		cat := fam.ID
		icon := st.Pass.Render("✓")
		detail := fam.Describe(p)
		if !p.Configured(cat) {
			icon = st.Skip.Render("·")
			detail = c.T("home.notset")
		}
		cells = append(cells, icon+" "+st.Bold.Render(c.FamilyName(cat))+" "+st.Muted.Render(detail))
		short = append(short, icon+" "+st.Bold.Render(c.FamilyName(cat)))
	}
	// Two columns when they fit, else one per line.
	colW := 0
	for _, cell := range cells {
		colW = max(colW, lipgloss.Width(cell))
	}
	cols := 1
	if m.width >= 2*(colW+3)+2 {
		cols = 2
	}
	if m.width >= 3*(colW+3)+2 && m.height >= 30 {
		cols = 3
	}
	rows := (len(cells) + cols - 1) / cols
	if len(registry.Configured(p)) == 0 {
		// A first run: say how to begin rather than only "not set".
		nothing := common.WrapMax(c.T("home.nothing"), m.width-2, 2)
		if maxLines == 0 || maxLines >= 1+len(nothing)+rows {
			for _, l := range nothing {
				b.WriteString(" " + st.Accent.Render(l) + "\n")
			}
		}
	}
	if maxLines > 0 && 1+rows > maxLines {
		if maxLines >= 2 {
			b.WriteString(common.Truncate("   "+strings.Join(short, "   "), m.width))
		}
		return strings.TrimRight(b.String(), "\n")
	}
	for r := 0; r < rows; r++ {
		line := "   "
		for col := 0; col < cols; col++ {
			i := col*rows + r
			if i >= len(cells) {
				continue
			}
			cell := cells[i]
			if col < cols-1 {
				cell += strings.Repeat(" ", colW-lipgloss.Width(cell)+3)
			}
			line += cell
		}
		b.WriteString(common.Truncate(line, m.width) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}
