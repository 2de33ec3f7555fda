package i18n

import "fmt"

// Text is one phrase in every language, keyed by language code.
type Text map[string]string

// In returns the phrase in lang, or in English when lang has none.
func (t Text) In(lang string) string {
	if s, ok := t[lang]; ok && s != "" {
		return s
	}
	return t["en"]
}

// Format returns the phrase in lang with args filled in (fmt verbs).
func (t Text) Format(lang string, args ...any) string {
	if len(args) == 0 {
		return t.In(lang)
	}
	return fmt.Sprintf(t.In(lang), args...)
}

// Missing returns the languages the phrase lacks, for table tests.
func (t Text) Missing() []string {
	var out []string
	for _, l := range Languages() {
		if t[l] == "" {
			out = append(out, l)
		}
	}
	return out
}
