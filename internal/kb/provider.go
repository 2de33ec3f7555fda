package kb

import (
	"regexp"
	"slices"
	"strings"
)

// A provider is a service an article can be about alone (HubSpot, Gmail):
// its name as the settings spell it, and the words that name it in pasted
// text (product names, API hosts, the tags its errors carry).
type provider struct {
	name  string
	named *regexp.Regexp
}

var providers = []provider{
	{"hubspot", regexp.MustCompile(`(?i)hubspot|hubapi\.com|\bhapikey\b`)},
	{"salesforce", regexp.MustCompile(`(?i)salesforce|force\.com|\bsfdc\b`)},
	{"pipedrive", regexp.MustCompile(`(?i)pipedrive`)},
	{"gmail", regexp.MustCompile(`(?i)gmail|googlemail|google\.com|\bgsmtp\b`)},
	{"m365", regexp.MustCompile(`(?i)office ?365|outlook\.com|\bm365\b|microsoft|exchange online|aka\.ms/smtp`)},
	{"copycar", regexp.MustCompile(`(?i)copycar`)},
	{"openai", regexp.MustCompile(`(?i)openai`)},
	{"anthropic", regexp.MustCompile(`(?i)anthropic|\bclaude\b`)},
}

// Providers are the provider names an article's provider field may hold.
func Providers() []string {
	out := make([]string, len(providers))
	for i, p := range providers {
		out[i] = p.name
	}
	return out
}

// idProvider returns the provider an article id names in one of its parts
// ("crm-hubspot-auth": hubspot), or "".
func idProvider(id string) string {
	for part := range strings.SplitSeq(id, "-") {
		for _, p := range providers {
			if part == p.name {
				return p.name
			}
		}
	}
	return ""
}

// namedProviders returns the providers the text names.
func namedProviders(text string) []string {
	var out []string
	for _, p := range providers {
		if p.named.MatchString(text) {
			out = append(out, p.name)
		}
	}
	return out
}

// offProfile reports whether an article is about a provider the profile
// does not use and the text does not name: such an article is noise.
func offProfile(a *Article, ev Evidence, named []string) bool {
	if a.Provider == "" || ev.Providers == nil {
		return false
	}
	return !slices.Contains(ev.Providers, a.Provider) && !slices.Contains(named, a.Provider)
}
