package monitor

import "pitstop/internal/i18n"

// text returns the screen's message key (monitor.<key> in the catalogue) in
// lang, with args filled in.
func text(lang, key string, args ...any) string { return i18n.T(lang, "monitor."+key, args...) }

// t formats the message key in the interface language.
func (m *Model) t(key string, args ...any) string { return text(m.com.Lang, key, args...) }
