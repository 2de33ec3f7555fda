package escalate

import (
	"strings"

	"pitstop/internal/check"
	"pitstop/internal/i18n"
)

// msg returns the catalogue's message escalate.<key> in lang, formatted.
// Tier, severity and channel names are not messages: they come from the
// policy file, which a team may reword.
func msg(lang, key string, a ...any) string { return i18n.T(lang, "escalate."+key, a...) }

// msgN is msg in the plural form CLDR gives n in lang, so "1 comprobación"
// agrees in number.
func msgN(lang, key string, n int, a ...any) string {
	return i18n.N(lang, "escalate."+key, n, a...)
}

// statusCounts is "3 passed, 1 warned, 1 failed, 0 could not test, 1
// skipped", each count agreeing with its word.
func statusCounts(lang string, s check.Summary) string {
	return strings.Join([]string{
		msgN(lang, "n.pass", s.Pass, s.Pass), msgN(lang, "n.warn", s.Warn, s.Warn), msgN(lang, "n.fail", s.Fail, s.Fail),
		msgN(lang, "n.error", s.Error, s.Error), msgN(lang, "n.skip", s.Skip, s.Skip),
	}, ", ")
}

// joinWords joins items as prose: "a", "a and b", "a, b and c".
func joinWords(lang string, items []string, last string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	// Three or more items that hold commas themselves are separated by semicolons.
	sep, final := ", ", msg(lang, last)
	for _, s := range items {
		if len(items) > 2 && strings.Contains(s, ",") {
			sep, final = "; ", ";"+msg(lang, last)
			break
		}
	}
	return strings.Join(items[:len(items)-1], sep) + final + items[len(items)-1]
}
