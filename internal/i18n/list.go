package i18n

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// JoinAnd joins items as prose in lang: "a", "a and b", "a, b and c"
// ("a, b y c" in Spanish).
func JoinAnd(lang string, items []string) string { return joinWords(lang, items, "list.and") }

// JoinOr joins alternatives as prose in lang: "a, b or c" ("a, b o c").
func JoinOr(lang string, items []string) string { return joinWords(lang, items, "list.or") }

// joinWords joins items with ", " and the last one with the message last
// (" and ", " or "). Three or more items that hold commas themselves are
// separated by semicolons, so the list still reads as one.
func joinWords(lang string, items []string, last string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	sep, final := ", ", T(lang, last)
	for _, s := range items {
		if len(items) > 2 && strings.Contains(s, ",") {
			sep, final = "; ", ";"+final
			break
		}
	}
	return strings.Join(items[:len(items)-1], sep) + final + items[len(items)-1]
}

// Capitalize returns s with its first letter upper case: a phrase of the
// catalogue ("setting changes") made a heading or a sentence.
func Capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
