package monitor

import (
	"charm.land/bubbles/v2/key"

	"pitstop/internal/tui/common"
)

// KeyMap holds the monitor screen's keys.
type KeyMap struct {
	Pause key.Binding
	Reset key.Binding
	Back  key.Binding
}

// DefaultKeyMap returns the keys with help in the interface language.
func DefaultKeyMap(com *common.Common) KeyMap {
	t := func(k string) string { return text(com.Lang, k) }
	return KeyMap{
		Pause: key.NewBinding(key.WithKeys("space", "p"), key.WithHelp("space", t("key.pause"))),
		Reset: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", t("key.reset"))),
		Back:  com.Keys.Back, // "esc back", worded as on every other screen
	}
}
