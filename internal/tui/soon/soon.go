// Package soon stands in for screens that are built in their own packages
// (checklist, escalation, monitor) until they land: it says what the screen
// will do and which command does it today.
package soon

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"pitstop/internal/tui/common"
)

// Model is the stand-in screen.
type Model struct {
	com           *common.Common
	id            common.ScreenID
	width, height int
}

// New returns the stand-in for screen id.
func New(com *common.Common, id common.ScreenID) *Model { return &Model{com: com, id: id} }

// Init does nothing.
func (m *Model) Init() tea.Cmd { return nil }

// SetSize sets the drawing area.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// Title names the screen it stands in for.
func (m *Model) Title() string { return m.com.T("soon." + m.id.String()) }

// Step is 0.
func (m *Model) Step() int { return 0 }

// Capturing is false.
func (m *Model) Capturing() bool { return false }

// ShortHelp lists the help bar keys.
func (m *Model) ShortHelp() []key.Binding { return []key.Binding{m.com.Keys.Back} }

// FullHelp lists every key.
func (m *Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }

// Update goes back on esc or enter.
func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	if km, ok := msg.(tea.KeyPressMsg); ok && (key.Matches(km, m.com.Keys.Back) || key.Matches(km, m.com.Keys.Select)) {
		return m, common.Back
	}
	return m, nil
}

// View says what is coming and what to use meanwhile.
func (m *Model) View() string {
	c, st := m.com, m.com.Styles
	var b strings.Builder
	b.WriteString(" " + st.Title.Render(c.T("soon.heading", c.T("soon."+m.id.String()))) + "\n\n")
	b.WriteString(common.Indent(st.Paragraph.Render(common.Wrap(c.T("soon.body"), m.width-4)), 1) + "\n\n")
	b.WriteString(" " + st.Muted.Render(c.T("soon.meanwhile")) + "\n")
	b.WriteString("   " + st.Accent.Render(c.T("soon.cmd."+m.id.String())) + "\n")
	return b.String()
}
