package common

import (
	tea "charm.land/bubbletea/v2"

	"pitstop/internal/wizard"
)

// ScreenID names a screen the root model can open.
type ScreenID int

// The screens.
const (
	ScreenHome ScreenID = iota
	ScreenProblem
	ScreenSettings
	ScreenRun
	ScreenResults
	ScreenArticle
	ScreenOutcome
	ScreenSearch
	ScreenChecklist
	ScreenEscalate
	ScreenMonitor
	ScreenFix
)

var screenNames = [...]string{"home", "problem", "settings", "run", "results", "article", "outcome", "search", "checklist", "escalate", "monitor", "fix"}

// String returns the screen's short name.
func (s ScreenID) String() string {
	if s >= 0 && int(s) < len(screenNames) {
		return screenNames[s]
	}
	return "screen?"
}

// RunMode says which checks the run screen runs.
type RunMode int

// The run modes.
const (
	// RunGuided runs Session.Categories with Session.Profile (step 4).
	RunGuided RunMode = iota
	// RunEverything runs every configured category: the health check.
	RunEverything
)

// String names the run mode.
func (m RunMode) String() string {
	if m == RunEverything {
		return "everything"
	}
	return "guided"
}

// NavigateMsg asks the root to open a screen on top of the current one;
// esc (BackMsg) returns to the current one.
type NavigateMsg struct {
	To ScreenID
	// Article is the article to open (ScreenArticle).
	Article string
	// Mode is the run mode (ScreenRun).
	Mode RunMode
	// Check is the check whose fixes to show (ScreenFix).
	Check string
	// Replace drops the current screen instead of keeping it under the new
	// one.
	Replace bool
	// Rewind closes every screen down to the last one of the same kind
	// (that one too) before opening: running the checks again from the
	// results or the last step returns to step 4, so esc then goes back
	// to the settings, not to stale results.
	Rewind bool
}

// FixesMsg carries the fixes proposed for a finished run; the root stores
// them in the session.
type FixesMsg struct{ Proposal wizard.Proposal }

// ProposeFixes returns the command that proposes fixes for the session's
// last run (it reads the session now: call it in Update).
func ProposeFixes(c *Common) tea.Cmd {
	later := c.FixesLater()
	ctx := c.Ctx
	return func() tea.Msg { return FixesMsg{Proposal: later(ctx)} }
}

// BackMsg asks the root to close the current screen.
type BackMsg struct{}

// HomeMsg asks the root to close every screen but Home.
type HomeMsg struct{}

// StatusMsg shows a short note in the status line (saved, copied ...).
type StatusMsg struct {
	Text  string
	Error bool
}

// Navigate returns a command that opens a screen.
func Navigate(msg NavigateMsg) tea.Cmd { return func() tea.Msg { return msg } }

// Back returns a command that closes the current screen.
func Back() tea.Msg { return BackMsg{} }

// Home returns to the home screen.
func Home() tea.Msg { return HomeMsg{} }

// Status returns a command that shows a note in the status line.
func Status(text string, isErr bool) tea.Cmd {
	return func() tea.Msg { return StatusMsg{Text: text, Error: isErr} }
}

// ThemeChangedMsg tells every open screen that the styles were rebuilt
// (the theme was cycled with `t`, or the terminal background was learnt).
type ThemeChangedMsg struct{}
