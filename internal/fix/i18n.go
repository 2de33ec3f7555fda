package fix

import (
	"fmt"

	"pitstop/internal/check"
)

// say formats a sentence or phrase a person reads (a fix's title, summary
// or step). Every such text goes through it, so the translation test finds
// its format; Propose translates the finished texts through
// locales/<lang>/fixes.yaml, the same catalogue format as the checks'.
func say(format string, a ...any) string { return fmt.Sprintf(format, a...) }

// catalogueFor returns the fix catalogue of a language
// (locales/<lang>/fixes.yaml), nil for English.
func catalogueFor(lang string) *check.Catalogue { return check.FixCatalogueFor(lang) }

// translate puts the texts people read into lang; a text with no entry
// stays in English.
func translate(lang string, fixes []Fix) {
	cat := catalogueFor(lang)
	if cat == nil {
		return
	}
	tr := func(s string) string {
		if t, ok := cat.Text(s); ok {
			return t
		}
		return s
	}
	for i := range fixes {
		f := &fixes[i]
		f.Title, f.Summary = tr(f.Title), tr(f.Summary)
		for j := range f.Steps {
			f.Steps[j] = tr(f.Steps[j])
		}
		for j := range f.Changes {
			if f.Changes[j].secret {
				f.Changes[j].From, f.Changes[j].To = tr(f.Changes[j].From), tr(f.Changes[j].To)
			}
		}
	}
}
