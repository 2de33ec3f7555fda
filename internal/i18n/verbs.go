package i18n

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// VerbRe matches one fmt verb: %%, or % [explicit index] flags width
// precision verb.
var VerbRe = regexp.MustCompile(`%(?:%|(\[\d+\])?[-+# 0]*(\d+|\*)?(\.(\d+|\*)?)?[a-zA-Z])`)

// Verbs lists a format's verbs in order, normalised to their letter with any
// explicit index ("%[2]s" stays "%[2]s"; "%-8.1f" is "%f"). "%%" is left out.
func Verbs(format string) []string {
	var out []string
	for _, m := range VerbRe.FindAllStringSubmatch(format, -1) {
		if m[0] == "%%" {
			continue
		}
		out = append(out, "%"+m[1]+m[0][len(m[0])-1:])
	}
	return out
}

// SameVerbs reports whether a translation's verbs fit the English ones: the
// same verbs in the same order, or every English verb once with an explicit
// index (%[2]s) when the translation reorders them.
func SameVerbs(en, tr []string) error {
	letters := func(vs []string) []string {
		out := make([]string, len(vs))
		for i, v := range vs {
			out[i] = v[len(v)-1:]
		}
		return out
	}
	if strings.Join(en, " ") == strings.Join(tr, " ") {
		return nil
	}
	// Reordered with explicit indexes: every English argument appears with its verb.
	if len(en) == len(tr) {
		want := letters(en)
		seen := make([]bool, len(en))
		ok := true
		for i, v := range tr {
			k := i
			if strings.HasPrefix(v, "%[") {
				k, _ = strconv.Atoi(v[2:strings.Index(v, "]")])
				k--
			} else {
				ok = false
				break
			}
			if k < 0 || k >= len(en) || seen[k] || want[k] != v[len(v)-1:] {
				ok = false
				break
			}
			seen[k] = true
		}
		if ok {
			return nil
		}
	}
	return fmt.Errorf("verbs %v in the translation, want %v", tr, en)
}
