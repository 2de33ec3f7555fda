package common

import (
	"pitstop/internal/i18n"
	"pitstop/internal/registry"
)

// T returns the interface message key (tui.<key> in the catalogue,
// locales/<lang>/tui.yaml) in the session's language, formatted with args.
// A key the catalogue lacks comes back as its id, which the tests catch.
func (c *Common) T(key string, args ...any) string { return Translate(c.Lang, key, args...) }

// N returns the message key in the plural form count takes in the session's
// language ("1 problem", "2 problems"), filled with args, or with count
// alone when there are none.
func (c *Common) N(key string, count int, args ...any) string {
	return i18n.N(c.Lang, "tui."+key, count, args...)
}

// Translate returns the message key in lang, for code that holds a
// language rather than a Common.
func Translate(lang, key string, args ...any) string { return i18n.T(lang, "tui."+key, args...) }

// HasKey reports whether the catalogue has key, for strings that are
// optional (a checklist of --kb without a tab name shows its own name).
func HasKey(key string) bool { return i18n.Has(i18n.English, "tui."+key) }

// CheckTitle returns a check's title in the interface language, from the
// family registry.
func (c *Common) CheckTitle(id, title string) string {
	return registry.CheckTitle(id, title, c.Lang)
}
