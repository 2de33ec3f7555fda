// Package suite builds the checks of every family for a profile. Which
// families there are, their order and their checks' IDs, titles and
// prerequisites come from the family registry (internal/registry); this
// package only knows which constructor builds each family's checks.
package suite

import (
	"slices"

	"pitstop/internal/check"
	"pitstop/internal/check/api"
	"pitstop/internal/check/cache"
	"pitstop/internal/check/content"
	"pitstop/internal/check/crm"
	"pitstop/internal/check/domain"
	"pitstop/internal/check/mail"
	"pitstop/internal/config"
	"pitstop/internal/registry"
)

// constructors build each registry family's checks.
var constructors = map[string]func(*config.Profile) []check.Check{
	"api":     api.Checks,
	"crm":     crm.Checks,
	"smtp":    mail.Checks,
	"domain":  join(domain.Checks, domain.BulkSenderChecks),
	"content": join(content.Checks, content.HeaderChecks),
	"cache":   cache.Checks,
}

// join puts two constructors of one family's checks together.
func join(fs ...func(*config.Profile) []check.Check) func(*config.Profile) []check.Check {
	return func(p *config.Profile) []check.Check {
		var out []check.Check
		for _, f := range fs {
			out = append(out, f(p)...)
		}
		return out
	}
}

// ParseOnly splits a --only value ("api,smtp") and rejects unknown families.
func ParseOnly(only string) ([]string, error) { return registry.ParseOnly(only) }

// For returns the checks of the given families, in registry order. With no
// families it returns every configured one's.
func For(p *config.Profile, families []string) []check.Check {
	if len(families) == 0 {
		families = registry.Configured(p)
	}
	var out []check.Check
	for _, id := range registry.IDs() {
		if build := constructors[id]; build != nil && slices.Contains(families, id) {
			out = append(out, build(p)...)
		}
	}
	return out
}

// ForIDs returns the checks with these IDs, plus everything they require,
// built for p: what to run again after a change that affects them.
func ForIDs(p *config.Profile, ids []string) []check.Check {
	families := FamiliesOf(ids)
	if len(families) == 0 {
		return nil
	}
	return Select(For(p, families), ids)
}

// Select keeps the checks whose ID is in ids, plus everything they require.
func Select(checks []check.Check, ids []string) []check.Check {
	want := map[string]bool{}
	var add func(id string)
	add = func(id string) {
		if want[id] {
			return
		}
		want[id] = true
		for _, c := range checks {
			if c.ID == id {
				for _, r := range c.Requires {
					add(r)
				}
			}
		}
	}
	for _, id := range ids {
		add(id)
	}
	var out []check.Check
	for _, c := range checks {
		if want[c.ID] {
			out = append(out, c)
		}
	}
	return out
}

// FamiliesOf returns the registry families of check IDs, in the order they
// first appear (unknown IDs are left out).
func FamiliesOf(ids []string) []string {
	var out []string
	for _, id := range ids {
		if _, f, ok := registry.CheckByID(id); ok && !slices.Contains(out, f.ID) {
			out = append(out, f.ID)
		}
	}
	return out
}
