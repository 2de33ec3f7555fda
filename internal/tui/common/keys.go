package common

import (
	"charm.land/bubbles/v2/key"

	"pitstop/internal/i18n"
)

// KeyMap holds every key binding of the wizard, with help text in the
// interface language. Screens pick the ones they use for their help.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Select, Toggle, Continue, Back, Cancel  key.Binding
	Search, NextMatch, PrevMatch, Contents  key.Binding
	Expand, Rerun, Fixed, Paste, SaveTyped  key.Binding
	Fix                                     key.Binding
	Yes, No, Open                           key.Binding
	Help, Theme, Quit, ForceQuit            key.Binding
	NewLine, NextField, PrevField           key.Binding
	// Move stands for up and down in help bars; Scroll is the same keys
	// on a screen that scrolls text rather than moving a cursor.
	Move, Scroll key.Binding
}

// NewKeyMap builds the key bindings with help text from the catalogue.
func NewKeyMap(c *Common) KeyMap {
	b := func(help string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(keys[0], c.T(help)))
	}
	k := KeyMap{
		Up:        b("key.up", "up", "k"),
		Down:      b("key.down", "down", "j"),
		PageUp:    b("key.pageup", "pgup", "b"),
		PageDown:  b("key.pagedown", "pgdown", "space"),
		Top:       b("key.top", "home", "g"),
		Bottom:    b("key.bottom", "end", "G"),
		Select:    b("key.select", "enter"),
		Toggle:    b("key.toggle", "space", "x"),
		Continue:  b("key.continue", "enter"),
		Back:      b("key.back", "esc"),
		Cancel:    b("key.cancel", "esc"),
		Search:    b("key.search", "/"),
		NextMatch: b("key.nextmatch", "n"),
		PrevMatch: b("key.prevmatch", "N"),
		Contents:  b("key.contents", "c"),
		Expand:    b("key.expand", "enter", "space"),
		Rerun:     b("key.rerun", "r"),
		Fixed:     b("key.fixed", "d"),
		Fix:       b("key.fix", "f"),
		Paste:     b("key.paste", "p"),
		Yes:       b("key.yes", i18n.YesKey(c.Lang), "y"), // "s/n" in Spanish; y works in every language
		No:        b("key.no", "n"),
		Open:      b("key.open", "enter"),
		Help:      b("key.help", "?"),
		Theme:     b("key.theme", "t"),
		Quit:      b("key.quit", "q"),
		ForceQuit: b("key.forcequit", "ctrl+c"),
		NewLine:   b("key.newline", "alt+enter", "ctrl+j"),
		NextField: b("key.nextfield", "tab"),
		PrevField: b("key.prevfield", "shift+tab"),
		Move:      b("key.move", "up", "down"),
		Scroll:    b("key.scroll", "up", "down"),
	}
	k.Move.SetHelp("↑/↓", c.T("key.move"))
	k.Scroll.SetHelp("↑/↓", c.T("key.scroll"))
	k.Up.SetHelp("↑/k", c.T("key.up"))
	k.Down.SetHelp("↓/j", c.T("key.down"))
	k.PageDown.SetHelp("pgdn/space", c.T("key.pagedown"))
	k.PageUp.SetHelp("pgup/b", c.T("key.pageup"))
	k.Toggle.SetHelp("space", c.T("key.toggle"))
	k.Expand.SetHelp("enter", c.T("key.expand"))
	return k
}
