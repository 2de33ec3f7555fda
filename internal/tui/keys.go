package tui

import (
	"charm.land/bubbles/v2/key"

	"pitstop/internal/tui/common"
)

// KeyMap holds the keys the root model handles on every screen.
type KeyMap struct {
	Help      key.Binding
	Theme     key.Binding
	Quit      key.Binding
	ForceQuit key.Binding
}

// DefaultKeyMap returns the root bindings, with help in the interface language.
func DefaultKeyMap(com *common.Common) KeyMap {
	return KeyMap{
		Help:      com.Keys.Help,
		Theme:     com.Keys.Theme,
		Quit:      com.Keys.Quit,
		ForceQuit: com.Keys.ForceQuit,
	}
}

// ShortHelp lists the root keys shown after a screen's own in the help bar.
// While the screen takes typed text only ctrl+c is a root key.
func (k KeyMap) ShortHelp(capturing bool) []key.Binding {
	if capturing {
		return []key.Binding{k.ForceQuit}
	}
	return []key.Binding{k.Theme, k.Help, k.Quit}
}

// FullHelp lists every root key for the `?` page.
func (k KeyMap) FullHelp() []key.Binding {
	return []key.Binding{k.Help, k.Theme, k.Quit, k.ForceQuit}
}
