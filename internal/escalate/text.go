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

// FixKind is what a kind of fix (config, dns, manual: fix.Kind) is called
// in lang, for n fixes: "setting change", "DNS records to publish". The
// report, the fix screens and pitstop fix all say it in these words.
func FixKind(lang, kind string, n int) string { return i18n.N(lang, "fix.kind."+kind, n) }

// StatusLabel is a check's status as a label in lang (check.Status.Word),
// in the report, the checklists and the command line's tables.
func StatusLabel(lang string, s check.Status) string { return s.Word(lang) }

// CheckCount is "1 check", "6 checks" in lang.
func CheckCount(lang string, n int) string { return msgN(lang, "n.checks", n, n) }
