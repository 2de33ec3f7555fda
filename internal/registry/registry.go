// Package registry is the one table of check families: each family's ID,
// its words (message ids of the catalogue), the settings it reads and asks for, and its
// checks with their IDs, titles, prerequisites, articles and what their
// outcomes mean for an escalation. Config validation, the check suite,
// every output format, the wizard's screens, the escalation assessment and
// the list of known check IDs are all derived from it: adding a family or
// a check is one entry in table.go, its words in locales/<lang>/registry.yaml
// (and, for a family, its constructor in check/suite).
//
// The package knows nothing of the UI and nothing of how checks run; it
// imports only config (the settings' own table) and i18n.
package registry

import (
	"fmt"
	"slices"
	"strings"

	"pitstop/internal/config"
	"pitstop/internal/i18n"
)

// Family is a group of checks run together against one part of the setup.
type Family struct {
	// ID is the family's name, the category of its checks and the section
	// of the settings it owns: "smtp".
	ID string
	// Title names the family in headings: "Email (SMTP)". Its words are
	// registry.family.<ID>.title in locales/<lang>/registry.yaml.
	Title i18n.Text
	// About says in one line what the family's settings describe
	// (registry.family.<ID>.about).
	About i18n.Text
	// Fields are the settings the wizard shows for this family, in order.
	Fields []string
	// Reads are the settings (of any section) the family's checks read
	// besides its Fields: a change to one of them means its checks run again.
	Reads []string
	// Issue is the escalation issue type a failure of one of its checks
	// stands for ("" none): an issue_types key of knowledge/escalation.yaml.
	Issue string
	// FailTriggers are the escalation trigger items a failure stands for.
	FailTriggers []string
	// Checks are the family's checks, in run and display order.
	Checks []Check
	// Describe says in a few words what is set ("smtp.example.com:587"),
	// never a secret; the home screen shows it.
	Describe func(p *config.Profile) string
}

// Check is one check of a family.
type Check struct {
	// ID is stable and dotted: "smtp.tls" (DESIGN.md).
	ID string
	// Title names the check. A %s stands for the provider's name where the
	// family has several providers ("%s token accepted": "HubSpot token
	// accepted"). Its words are registry.check.<ID>.title.
	Title i18n.Text
	// Requires are the checks that must pass (or warn) first.
	Requires []string
	// Articles explain a result that names none of its own (a timeout, a
	// panic, a plain pass).
	Articles []string
	// WarnTriggers are the escalation trigger items a warning stands for:
	// the check warns when things are slower or closer to failing.
	WarnTriggers []string
	// WarnByArticles: a warning counts by the articles it names (the key
	// check warns when the account is out of quota or throttled).
	WarnByArticles bool
	// Credentials: a failure that names no article means credentials were refused.
	Credentials bool
}

// Families returns every family, in display order.
func Families() []*Family { return families }

// IDs returns the family IDs in display order: "api", "crm", "smtp" ...
func IDs() []string {
	out := make([]string, len(families))
	for i, f := range families {
		out[i] = f.ID
	}
	return out
}

// Get returns the family with this ID.
func Get(id string) (*Family, bool) {
	i := slices.IndexFunc(families, func(f *Family) bool { return f.ID == id })
	if i < 0 {
		return nil, false
	}
	return families[i], true
}

// FamilyTitle returns a family's title in lang, or the ID itself for a
// family the registry does not know.
func FamilyTitle(id, lang string) string {
	if f, ok := Get(id); ok {
		return f.Title.In(lang)
	}
	return id
}

// CheckByID returns the check with this ID and its family.
func CheckByID(id string) (*Check, *Family, bool) {
	for _, f := range families {
		for i := range f.Checks {
			if f.Checks[i].ID == id {
				return &f.Checks[i], f, true
			}
		}
	}
	return nil, nil, false
}

// KnownIDs returns every check ID, in family and check order.
func KnownIDs() []string {
	var out []string
	for _, f := range families {
		for _, c := range f.Checks {
			out = append(out, c.ID)
		}
	}
	return out
}

// EnglishTitle is a check's title in English with the provider's name
// filled in where the title has a place for it.
func (c *Check) EnglishTitle(provider string) string {
	return c.TitleIn(i18n.English, provider)
}

// TitleIn is the check's title in lang, the provider's name filled in.
func (c *Check) TitleIn(lang, provider string) string {
	t := c.Title.In(lang)
	if strings.Contains(t, "%s") {
		return fmt.Sprintf(t, provider)
	}
	return t
}

// CheckTitle returns a result's title in lang: from the registry, with the
// provider's name taken from the English title the check gave (english).
// In English, for a check the registry does not know and for a language it
// lacks, english itself. An empty english stays empty, so callers still
// fall back to the ID.
func CheckTitle(id, english, lang string) string {
	c, _, ok := CheckByID(id)
	if !ok || english == "" || lang == i18n.English || !i18n.Has(lang, string(c.Title)) {
		return english
	}
	en := c.Title.In(i18n.English)
	if !strings.Contains(en, "%s") {
		return c.Title.In(lang)
	}
	prefix, suffix, _ := strings.Cut(en, "%s")
	if len(english) < len(prefix)+len(suffix) || !strings.HasPrefix(english, prefix) || !strings.HasSuffix(english, suffix) {
		return english
	}
	return c.TitleIn(lang, english[len(prefix):len(english)-len(suffix)])
}

// Configured returns the families the profile has settings for, in order.
func Configured(p *config.Profile) []string {
	var out []string
	for _, f := range families {
		if p.Configured(f.ID) {
			out = append(out, f.ID)
		}
	}
	return out
}

// Enabling returns the settings any one of which makes the family run
// (config.Field.Enables): "api.provider", "api.base_url", "api.key".
func (f *Family) Enabling() []string {
	var out []string
	for _, fd := range config.Fields() {
		if fd.Enables && fd.Section() == f.ID {
			out = append(out, fd.Key)
		}
	}
	return out
}

// FieldsOf returns the settings descriptors of the families, in order.
func FieldsOf(ids []string) []*config.Field {
	var out []*config.Field
	for _, f := range families {
		if !slices.Contains(ids, f.ID) {
			continue
		}
		for _, key := range f.Fields {
			if fd, ok := config.FieldByKey(key); ok {
				out = append(out, fd)
			}
		}
	}
	return out
}

// Affected returns the families whose checks read the setting key: its own
// section's family and those that list it in Reads.
func Affected(key string) []string {
	section, _, _ := strings.Cut(key, ".")
	var out []string
	for _, f := range families {
		if f.ID == section || slices.Contains(f.Reads, key) {
			out = append(out, f.ID)
		}
	}
	return out
}

// ParseOnly splits a --only value ("api,smtp") and rejects unknown families.
func ParseOnly(only string) ([]string, error) {
	if strings.TrimSpace(only) == "" {
		return nil, nil
	}
	var ids []string
	for _, c := range strings.Split(only, ",") {
		c = strings.TrimSpace(strings.ToLower(c))
		if c == "" {
			continue
		}
		if _, ok := Get(c); !ok {
			return nil, fmt.Errorf("unknown category %q in --only; expected some of: %s", c, strings.Join(IDs(), ","))
		}
		if !slices.Contains(ids, c) {
			ids = append(ids, c)
		}
	}
	return ids, nil
}
