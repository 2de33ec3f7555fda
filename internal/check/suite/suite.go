// Package suite assembles every check family for a profile. It is the one
// place that knows all of them; the CLI and the TUI both call it.
package suite

import (
	"fmt"
	"slices"
	"strings"

	"pitstop/internal/check"
	"pitstop/internal/check/api"
	"pitstop/internal/check/cache"
	"pitstop/internal/check/content"
	"pitstop/internal/check/crm"
	"pitstop/internal/check/domain"
	"pitstop/internal/check/mail"
	"pitstop/internal/config"
)

// families maps each category to the constructor of its checks.
var families = map[string]func(*config.Profile) []check.Check{
	"api":     api.Checks,
	"crm":     crm.Checks,
	"smtp":    mail.Checks,
	"domain":  join(domain.Checks, domain.BulkSenderChecks),
	"content": join(content.Checks, content.HeaderChecks),
	"cache":   cache.Checks,
}

// join puts two constructors of one category's checks together.
func join(fs ...func(*config.Profile) []check.Check) func(*config.Profile) []check.Check {
	return func(p *config.Profile) []check.Check {
		var out []check.Check
		for _, f := range fs {
			out = append(out, f(p)...)
		}
		return out
	}
}

// ParseOnly splits a --only value ("api,smtp") and rejects unknown categories.
func ParseOnly(only string) ([]string, error) {
	if strings.TrimSpace(only) == "" {
		return nil, nil
	}
	var cats []string
	for _, c := range strings.Split(only, ",") {
		c = strings.TrimSpace(strings.ToLower(c))
		if c == "" {
			continue
		}
		if _, ok := families[c]; !ok {
			return nil, fmt.Errorf("unknown category %q in --only; expected some of: %s", c, strings.Join(config.Categories, ","))
		}
		if !slices.Contains(cats, c) {
			cats = append(cats, c)
		}
	}
	return cats, nil
}

// For returns the checks of the given categories, in display order. With no
// categories it returns every configured one's.
func For(p *config.Profile, categories []string) []check.Check {
	if len(categories) == 0 {
		categories = p.ConfiguredCategories()
	}
	var out []check.Check
	for _, c := range config.Categories {
		if slices.Contains(categories, c) {
			out = append(out, families[c](p)...)
		}
	}
	return out
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
