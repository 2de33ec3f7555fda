// Package tui is the guided wizard: one root model that routes between
// screens (each in its own package under internal/tui), owns the window
// size, the theme, the help bar and the keys every screen shares.
package tui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"pitstop/internal/tui/article"
	"pitstop/internal/tui/checklist"
	"pitstop/internal/tui/common"
	"pitstop/internal/tui/escalate"
	"pitstop/internal/tui/fixes"
	"pitstop/internal/tui/home"
	tuimonitor "pitstop/internal/tui/monitor"
	"pitstop/internal/tui/outcome"
	"pitstop/internal/tui/results"
	"pitstop/internal/tui/run"
	"pitstop/internal/tui/search"
	"pitstop/internal/tui/settings"
	"pitstop/internal/tui/symptoms"
)

// Model is the root model: a stack of screens, Home at the bottom.
type Model struct {
	com   *common.Common
	keys  KeyMap
	help  help.Model
	stack []common.Screen
	ids   []common.ScreenID // the kind of each screen of the stack

	width, height int
	showHelp      bool
	status        string
	statusErr     bool
	statusSeq     int
}

// New returns the root model on the Home screen.
func New(com *common.Common) *Model {
	m := &Model{com: com, keys: DefaultKeyMap(com), help: help.New()}
	m.stack = []common.Screen{home.New(com)}
	m.ids = []common.ScreenID{common.ScreenHome}
	m.styleHelp()
	return m
}

// Init asks the terminal for its background color (to pick a dark or light
// theme) and starts the home screen.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, m.top().Init())
}

func (m *Model) top() common.Screen { return m.stack[len(m.stack)-1] }

// open builds the screen a navigation message asks for.
func (m *Model) open(msg common.NavigateMsg) common.Screen {
	c := m.com
	switch msg.To {
	case common.ScreenProblem:
		return symptoms.New(c)
	case common.ScreenSettings:
		return settings.New(c)
	case common.ScreenRun:
		return run.New(c, msg.Mode)
	case common.ScreenResults:
		return results.New(c)
	case common.ScreenArticle:
		return article.New(c, msg.Article)
	case common.ScreenOutcome:
		return outcome.New(c)
	case common.ScreenSearch:
		return search.New(c)
	case common.ScreenMonitor:
		return tuimonitor.New(c)
	case common.ScreenChecklist:
		return checklist.New(c)
	case common.ScreenEscalate:
		return escalate.New(c)
	case common.ScreenFix:
		return fixes.New(c, msg.Check)
	}
	return home.New(c)
}

// Update routes a message: window size, theme and global keys here; the
// rest to the screen on top.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.resize()
		// The screen on top may need to re-render for its new width.
		return m.updateTop(msg)

	case tea.BackgroundColorMsg:
		m.com.Dark, m.com.DarkKnown = msg.IsDark(), true
		if !m.com.FixedTheme {
			name := "light"
			if m.com.Dark {
				name = "dark"
			}
			return m, m.setTheme(name)
		}
		// A chosen theme stays, but high contrast needs to know the
		// background: bright colors vanish on a light one.
		return m, m.setTheme(m.com.Theme)

	case tea.KeyPressMsg:
		return m.handleKey(msg)

	case common.NavigateMsg:
		scr := m.open(msg)
		switch {
		case msg.Rewind && slices.Contains(m.ids[1:], msg.To):
			i := len(m.ids) - 1 - slices.Index(reversed(m.ids), msg.To)
			m.truncate(i)
		case msg.Replace && len(m.stack) > 1:
			m.truncate(len(m.stack) - 1)
		}
		m.stack = append(m.stack, scr)
		m.ids = append(m.ids, msg.To)
		m.resize()
		return m, scr.Init()

	case common.BackMsg:
		if len(m.stack) > 1 {
			m.truncate(len(m.stack) - 1)
		}
		m.resize()
		return m, nil

	case common.HomeMsg:
		m.truncate(1)
		m.resize()
		return m, m.top().Init()

	case common.StatusMsg:
		m.statusSeq++
		m.status, m.statusErr = msg.Text, msg.Error
		if m.com.StatusTTL <= 0 {
			return m, nil
		}
		seq := m.statusSeq
		return m, tea.Tick(m.com.StatusTTL, func(time.Time) tea.Msg { return statusExpiredMsg{seq} })

	case statusExpiredMsg:
		if msg.seq == m.statusSeq {
			m.status = ""
		}
		return m, nil

	case common.RenderedMsg:
		m.com.StoreRendered(msg)

	case common.FixesMsg:
		m.com.Session.RecordFixes(msg.Proposal)
	}
	return m.updateTop(msg)
}

// truncate keeps the first n screens.
func (m *Model) truncate(n int) {
	m.stack, m.ids = m.stack[:n], m.ids[:n]
}

func reversed(ids []common.ScreenID) []common.ScreenID {
	out := slices.Clone(ids)
	slices.Reverse(out)
	return out
}

func (m *Model) updateTop(msg tea.Msg) (tea.Model, tea.Cmd) {
	scr, cmd := m.top().Update(msg)
	m.stack[len(m.stack)-1] = scr
	return m, cmd
}

func (m *Model) handleKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if key.Matches(msg, m.keys.ForceQuit) {
		// Ctrl-C is an interrupt, not a quit: the program ends with 130.
		return m, tea.Interrupt
	}
	if m.showHelp {
		// Any key closes the key list; q still quits.
		m.showHelp = false
		if key.Matches(msg, m.keys.Quit) {
			return m, tea.Quit
		}
		return m, nil
	}
	if !m.top().Capturing() {
		switch {
		case key.Matches(msg, m.keys.Quit):
			return m, tea.Quit
		case key.Matches(msg, m.keys.Help):
			m.showHelp = true
			return m, nil
		case key.Matches(msg, m.keys.Theme):
			// Say which theme this is: colors alone do not name it.
			m.com.FixedTheme = true
			name := m.com.NextTheme()
			say := common.StatusMsg{Text: m.com.T("theme.changed", m.com.ThemeName(name))}
			return m, tea.Batch(m.setTheme(name), func() tea.Msg { return say })
		}
	}
	return m.updateTop(msg)
}

// setTheme rebuilds the styles and tells every open screen.
func (m *Model) setTheme(name string) tea.Cmd {
	m.com.ApplyTheme(name)
	m.styleHelp()
	var cmds []tea.Cmd
	for i, scr := range m.stack {
		s, cmd := scr.Update(common.ThemeChangedMsg{})
		m.stack[i] = s
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

func (m *Model) styleHelp() {
	st := m.com.Styles
	m.help.Styles = help.Styles{
		Ellipsis:       st.HelpSep,
		ShortKey:       st.HelpKey,
		ShortDesc:      st.HelpDesc,
		ShortSeparator: st.HelpSep,
		FullKey:        st.HelpKey,
		FullDesc:       st.HelpDesc,
		FullSeparator:  st.HelpSep,
	}
}

// Chrome: the header line, a blank line, the status line and the help bar.
const chromeHeight = 4

// resize tells every screen the area it may draw in.
func (m *Model) resize() {
	w, h := m.width, max(0, m.height-chromeHeight)
	m.com.Width, m.com.Height = w, h
	m.help.SetWidth(max(0, w-1))
	for _, scr := range m.stack {
		scr.SetSize(w, h)
	}
}

// View draws the frame: header, the screen (or the key list), the status
// line and the help bar. Every string on screen passes the scrubber last.
func (m *Model) View() tea.View {
	v := tea.NewView(m.com.Scrub(m.render()))
	v.AltScreen = true
	v.WindowTitle = "Pitstop"
	return v
}

// Unscrubbed is the frame before the root's last scrub: what the screens
// themselves drew. Tests look at it to prove each screen keeps secrets out
// on its own, the root's scrub being only the last wall.
func (m *Model) Unscrubbed() string { return m.render() }

func (m *Model) render() string {
	if m.width == 0 || m.height == 0 {
		return ""
	}
	if m.width < common.MinWidth || m.height < common.MinHeight {
		return m.tooSmall()
	}
	scr := m.top()
	body := ""
	if m.showHelp {
		body = m.fullHelp()
	} else {
		body = scr.View()
	}
	// A note too long for its line (a saved file's path) takes a second
	// line from the bottom of the screen while it shows.
	status := m.statusLine()
	bodyH := m.com.Height - (strings.Count(status, "\n"))
	var b strings.Builder
	b.WriteString(m.header(scr))
	b.WriteString("\n\n")
	b.WriteString(common.Clip(common.Lines(body, bodyH), m.width))
	b.WriteString("\n")
	b.WriteString(status)
	b.WriteString("\n")
	b.WriteString(m.helpBar(scr))
	return b.String()
}

func (m *Model) tooSmall() string {
	st := m.com.Styles
	msg := st.Title.Render(m.com.T("app.toosmall.title")) + "\n\n" +
		st.Paragraph.Render(common.Wrap(m.com.T("app.toosmall.body", common.MinWidth, common.MinHeight, m.width, m.height), max(10, m.width-4)))
	// A tiny window gets what fits of the message, never more lines or
	// wider lines than it has.
	return common.Clip(common.Lines(lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center, msg), m.height), m.width)
}

// header is one line: brand, where you are, the step, the profile.
func (m *Model) header(scr common.Screen) string {
	st := m.com.Styles
	left := " " + st.Brand.Render("Pitstop")
	if t := scr.Title(); t != "" {
		left += st.Header.Render("  ›  ") + st.Bold.Render(t)
	}
	if step := scr.Step(); step > 0 {
		left += st.Header.Render("  ·  ") + st.Step.Render(m.com.T("app.step", step, common.Steps)) + " " + m.stepDots(step)
	}
	right := st.Header.Render(m.com.T("app.profile", m.com.Profile.Name)) + " "
	if m.com.Sandbox != "" {
		right = st.Banner.Render(" "+m.com.T("app.sandbox", m.com.Sandbox)+" ") + " " + right
	}
	gap := m.width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		// Narrow window: drop the profile, keep where you are.
		right = ""
		if m.com.Sandbox != "" {
			right = st.Banner.Render(" "+m.com.T("app.sandbox.short")+" ") + " "
		}
		gap = m.width - lipgloss.Width(left) - lipgloss.Width(right)
		if gap < 1 {
			return common.Truncate(left, m.width)
		}
	}
	return left + strings.Repeat(" ", gap) + right
}

func (m *Model) stepDots(step int) string {
	st := m.com.Styles
	var b strings.Builder
	for i := 1; i <= common.Steps; i++ {
		if i <= step {
			b.WriteString(st.Step.Render("●"))
		} else {
			b.WriteString(st.Faint.Render("○"))
		}
	}
	return b.String()
}

func (m *Model) statusLine() string {
	if m.status == "" {
		return ""
	}
	st := m.com.Styles.StatusLine
	if m.statusErr {
		st = m.com.Styles.ErrorText
	}
	lines := common.WrapMax(m.status, m.width-2, 2)
	for i, l := range lines {
		lines[i] = " " + st.Render(l)
	}
	return strings.Join(lines, "\n")
}

func (m *Model) helpBar(scr common.Screen) string {
	if m.showHelp {
		return common.Truncate(" "+m.help.ShortHelpView([]key.Binding{m.com.Keys.Back, m.keys.Quit}), m.width)
	}
	return " " + m.fitHelp(scr.ShortHelp(), m.keys.ShortHelp(scr.Capturing()))
}

// fitHelp shows as many keys as fit the width. When they do not all fit,
// the way out is never what goes: the screen's back key, `?` (every key) and
// quit stay; then the screen's keys that lead on join them in order while
// they fit, and the arrows, which every list answers to, come last.
func (m *Model) fitHelp(screen, global []key.Binding) string {
	avail := m.width - 1
	h := m.help
	h.SetWidth(0) // measure without the help's own truncation
	all := append(append([]key.Binding(nil), screen...), global...)
	if lipgloss.Width(h.ShortHelpView(all)) <= avail {
		return h.ShortHelpView(all)
	}
	same := func(a, b key.Binding) bool { return slices.Equal(a.Keys(), b.Keys()) }
	var keep []key.Binding
	for _, b := range global {
		if len(global) == 1 || same(b, m.keys.Help) || same(b, m.keys.Quit) {
			keep = append(keep, b)
		}
	}
	in := make([]bool, len(screen))
	for i, b := range screen {
		in[i] = same(b, m.com.Keys.Back)
	}
	pick := func() []key.Binding {
		var out []key.Binding
		for i, b := range screen {
			if in[i] {
				out = append(out, b)
			}
		}
		return append(out, keep...)
	}
	k := m.com.Keys
	arrows := func(b key.Binding) bool {
		return slices.ContainsFunc([]key.Binding{k.Move, k.Scroll, k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
			func(a key.Binding) bool { return same(a, b) })
	}
	for _, last := range []bool{false, true} {
		for i, b := range screen {
			if in[i] || arrows(b) != last {
				continue
			}
			in[i] = true
			if lipgloss.Width(h.ShortHelpView(pick())) > avail {
				in[i] = false
			}
		}
	}
	return common.Truncate(h.ShortHelpView(pick()), avail)
}

// fullHelp is the `?` page: every key of this screen and the global ones.
func (m *Model) fullHelp() string {
	st := m.com.Styles
	groups := append(append([][]key.Binding(nil), m.top().FullHelp()...), m.keys.FullHelp())
	h := m.help
	h.ShowAll = true
	h.SetWidth(0) // measure whole columns: the help's own cut would hide keys
	// Columns that do not fit beside each other go on a row of their own,
	// so every key shows at any width.
	var rows []string
	var row [][]key.Binding
	for _, g := range groups {
		if len(row) > 0 && lipgloss.Width(h.FullHelpView(append(row, g))) > m.width-2 {
			rows = append(rows, h.FullHelpView(row))
			row = nil
		}
		row = append(row, g)
	}
	if len(row) > 0 {
		rows = append(rows, h.FullHelpView(row))
	}
	keys := strings.Join(rows, "\n\n")
	if lipgloss.Height(keys)+4 > m.com.Height {
		// A short window: every key in a flowing list rather than columns
		// cut at the bottom.
		keys = m.packHelp(groups)
	}
	return " " + st.Title.Render(m.com.T("help.title")) + "\n\n" + common.Indent(keys, 1) + "\n\n " +
		st.Muted.Render(m.com.T("help.close"))
}

// packHelp lays every binding out as "key what" items, as many to a line
// as fit the width.
func (m *Model) packHelp(groups [][]key.Binding) string {
	st := m.com.Styles
	sep := st.HelpSep.Render(" • ")
	var lines []string
	line := ""
	for _, g := range groups {
		for _, b := range g {
			if !b.Enabled() || b.Help().Key == "" {
				continue
			}
			item := st.HelpKey.Render(b.Help().Key) + " " + st.HelpDesc.Render(b.Help().Desc)
			switch {
			case line == "":
				line = item
			case lipgloss.Width(line+sep+item) <= m.width-2:
				line += sep + item
			default:
				lines = append(lines, line)
				line = item
			}
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// Common returns the shared state (for tests and the CLI).
func (m *Model) Common() *common.Common { return m.com }

// Screen returns the screen on top (for tests).
func (m *Model) Screen() common.Screen { return m.top() }

// String describes the stack, for debugging.
func (m *Model) String() string {
	names := make([]string, len(m.stack))
	for i, s := range m.stack {
		names[i] = fmt.Sprintf("%T", s)
	}
	return strings.Join(names, " > ")
}
