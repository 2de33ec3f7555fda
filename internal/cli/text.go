package cli

import (
	"pitstop/internal/i18n"
	"strings"
)

// T returns the catalogue's message cli.<key> in the run's language (--lang),
// with args filled in by its fmt verbs.
func (a *App) T(key string, args ...any) string { return i18n.T(a.Opts.Lang, "cli."+key, args...) }

// N is T in the plural form CLDR gives count in the run's language.
func (a *App) N(key string, count int, args ...any) string {
	return i18n.N(a.Opts.Lang, "cli."+key, count, args...)
}

// T returns the catalogue's message cli.<key> in the run's language.
func (r *checkRun) T(key string, args ...any) string { return i18n.T(r.Lang, "cli."+key, args...) }

// formatErr is the usage error for a --format that is not one of allowed.
func (a *App) formatErr(got string, allowed ...string) error {
	if len(allowed) == 2 {
		return usageErrf("%s", a.T("err.format_two", got, allowed[0], allowed[1]))
	}
	return usageErrf("%s", a.T("err.format_list", got, strings.Join(allowed, ", ")))
}
