package monitor

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"pitstop/internal/monitor"
	"pitstop/internal/tui/common"
)

// Program is the root model of `pitstop monitor` on a terminal: a header,
// the monitor screen and its help bar. It quits on q, esc or ctrl+c, and by
// itself when the run's duration is over.
type Program struct {
	com    *common.Common
	screen *Model
	help   help.Model
	quit   key.Binding
	theme  key.Binding
	// interrupted is set when Ctrl-C (not q) ended the monitor.
	interrupted bool

	width, height int
	summary       *monitor.Summary
}

// NewProgram returns the standalone monitor.
func NewProgram(com *common.Common, o Options) *Program {
	p := &Program{com: com, screen: NewWith(com, o), help: help.New(),
		quit:  key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", com.Keys.Quit.Help().Desc)),
		theme: com.Keys.Theme}
	p.styleHelp()
	return p
}

// Init asks for the terminal background and starts probing.
func (p *Program) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, p.screen.Init())
}

// Summary returns the figures at the end of the run.
func (p *Program) Summary() monitor.Summary {
	if p.summary != nil {
		return *p.summary
	}
	if p.screen.mon == nil {
		return monitor.Summary{Alerts: []monitor.Alert{}}
	}
	return p.screen.mon.Summary()
}

// Screen returns the monitor screen (for tests).
func (p *Program) Screen() *Model { return p.screen }

// Update routes messages to the screen; sizes, theme and quitting here.
func (p *Program) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		p.width, p.height = msg.Width, msg.Height
		p.help.SetWidth(msg.Width)
		p.screen.SetSize(msg.Width, max(0, msg.Height-3))
		return p, nil
	case tea.BackgroundColorMsg:
		if !p.com.FixedTheme {
			p.com.Dark = msg.IsDark()
			name := "light"
			if p.com.Dark {
				name = "dark"
			}
			p.com.ApplyTheme(name)
			p.styleHelp()
		}
		return p, nil
	case tea.KeyPressMsg:
		if key.Matches(msg, p.quit) {
			// Ctrl-C ends the monitor like q, and the command exits 130.
			p.interrupted = msg.String() == "ctrl+c"
			return p.end()
		}
		if key.Matches(msg, p.theme) {
			p.com.ApplyTheme(p.com.NextTheme())
			p.styleHelp()
			return p, nil
		}
	case common.BackMsg:
		return p.end()
	case DoneMsg:
		sum := msg.Summary
		p.summary = &sum
		return p, tea.Quit
	}
	scr, cmd := p.screen.Update(msg)
	p.screen = scr.(*Model)
	return p, cmd
}

// Interrupted reports whether Ctrl-C ended the monitor.
func (p *Program) Interrupted() bool { return p.interrupted }

func (p *Program) end() (tea.Model, tea.Cmd) {
	sum := p.Summary()
	p.summary = &sum
	p.screen.gen++
	p.screen.left = true
	return p, tea.Quit
}

func (p *Program) styleHelp() {
	st := p.com.Styles
	p.help.Styles = help.Styles{
		Ellipsis: st.HelpSep, ShortKey: st.HelpKey, ShortDesc: st.HelpDesc, ShortSeparator: st.HelpSep,
		FullKey: st.HelpKey, FullDesc: st.HelpDesc, FullSeparator: st.HelpSep,
	}
}

// View draws the frame. Every string passes the scrubber last.
func (p *Program) View() tea.View {
	v := tea.NewView(p.com.Scrub(p.render()))
	v.AltScreen = true
	v.WindowTitle = text(p.com.Lang, "window")
	return v
}

func (p *Program) render() string {
	if p.width == 0 || p.height == 0 {
		return ""
	}
	st := p.com.Styles
	left := " " + st.Brand.Render("Pitstop") + st.Header.Render("  ›  ") + st.Bold.Render(p.screen.Title())
	right := st.Header.Render(p.com.Profile.Name) + " "
	if p.com.Sandbox != "" {
		right = st.Banner.Render(" "+p.com.T("app.sandbox", p.com.Sandbox)+" ") + " " + right
	}
	gap := p.width - lipgloss.Width(left) - lipgloss.Width(right)
	header := common.Truncate(left, p.width)
	if gap >= 1 {
		header = left + strings.Repeat(" ", gap) + right
	}
	bindings := append(p.screen.ShortHelp(), p.theme, p.quit)
	return header + "\n\n" + common.Lines(p.screen.View(), max(0, p.height-3)) + "\n" +
		" " + p.help.ShortHelpView(bindings)
}
