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

// StatusCounts is "3 passed, 1 warning, 1 failed, 0 could not test, 1
// skipped", each count agreeing with its word (check.Status.Count): the one
// way a run's counts are said, in the report and on the command line.
func StatusCounts(lang string, s check.Summary) string {
	return strings.Join([]string{
		check.Pass.Count(lang, s.Pass), check.Warn.Count(lang, s.Warn), check.Fail.Count(lang, s.Fail),
		check.Error.Count(lang, s.Error), check.Skip.Count(lang, s.Skip),
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

// StatusLabel is a check's status as a label in lang (check.Status.Word),
// in the report, the checklists and the command line's tables.
func StatusLabel(lang string, s check.Status) string { return s.Word(lang) }

// CheckCount is "1 check", "6 checks" in lang.
func CheckCount(lang string, n int) string { return msgN(lang, "n.checks", n, n) }
