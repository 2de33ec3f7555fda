package kb

import "pitstop/internal/config"

// passTheDoor strips control characters, terminal escape sequences and bidi
// overrides from every field of an overlay article (a --kb folder is outside
// text, as a server's answer is), once, where it is read: every screen,
// listing, report and JSON output that shows the article then shows only
// what a reader sees. The body keeps its line breaks and tabs.
func passTheDoor(a *Article) {
	for _, f := range []*string{&a.ID, &a.Title, &a.Category, &a.Severity, &a.Reviewed, &a.Provider} {
		*f = config.StripControls(*f)
	}
	for _, list := range [][]string{a.Symptoms, a.Patterns, a.Checks, a.Related, a.Sources} {
		for i := range list {
			list[i] = config.StripControls(list[i])
		}
	}
	a.Body = config.StripControlsText(a.Body)
}
