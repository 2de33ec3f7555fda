// Package fix turns check results into fixes: setting changes Pitstop may
// apply (kind config), exact DNS records for the user to publish (kind dns)
// and steps at a provider (kind manual). A fix is proposed only where it is
// certain; everywhere else the check's knowledge articles stand. Fixes are
// built from what the checks measured (Result.Facts), the settings and fresh
// DNS answers, never from the prose of a summary.
package fix

import (
	"context"
	"slices"
	"sort"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/escalate"
	"pitstop/internal/spfflat"
)

// Kind says who carries a fix out.
type Kind string

// The kinds of fix (docs/ARCHITECTURE.md).
const (
	KindConfig Kind = "config" // a setting change Pitstop may apply, with consent
	KindDNS    Kind = "dns"    // records for the user to publish at their DNS provider
	KindManual Kind = "manual" // steps at a provider, or a decision for a person
)

// Name is what the kind is called in lang, for n fixes: "setting change",
// "DNS records to publish" (escalate.FixKind, the report's words too).
func (k Kind) Name(lang string, n int) string { return escalate.FixKind(lang, string(k), n) }

// Change is one setting change. Key is the setting's dotted path under the
// profile ("smtp.port"); From and To are shown to people (a secret's are
// masked). The value written is kept apart from what is shown.
type Change struct {
	File string `json:"file"`
	Key  string `json:"key"`
	From string `json:"from"`
	To   string `json:"to"`

	// value is what Apply writes (a string, an int or a []string).
	value any
	// secret marks a change whose value must never be shown.
	secret bool
}

// Fix is one proposed fix.
type Fix struct {
	ID      string   `json:"id"`
	Check   string   `json:"check"` // the check whose result it fixes
	Kind    Kind     `json:"kind"`
	Title   string   `json:"title"`
	Summary string   `json:"summary"`
	Changes []Change `json:"changes"`
	Records []Record `json:"records"`
	Steps   []string `json:"steps"`
	Applied bool     `json:"applied"`

	// Affects lists the checks to run again after the fix, the fixed check
	// first.
	Affects []string `json:"-"`
}

// Verified is a check's status before and after the fixes were applied.
type Verified struct {
	ID     string `json:"id"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// Input is what fixes are proposed from.
type Input struct {
	Profile *config.Profile
	// ConfigPath is the settings file the profile was read from; "" when the
	// settings come from the environment alone (nothing can be applied).
	ConfigPath string
	Results    []check.Result
	// Resolver answers DNS the way the domain checks asked it
	// (domain.dns_server when set).
	Resolver spfflat.Resolver
	// Run runs the named checks (and what they require) on a profile; a
	// setting change is proposed only when its checks pass with it.
	Run  func(ctx context.Context, p *config.Profile, ids []string) []check.Result
	Lang string
}

// builder proposes the fixes for one check's result.
type builder func(ctx context.Context, in *Input, r check.Result) []Fix

// builders are keyed by check ID; each looks only at results that need
// attention.
var builders = map[string][]builder{
	"api.config":        {secretWhitespace("api.key")},
	"api.reachability":  {apiVersionPath},
	"api.auth":          {apiVersionPath},
	"api.clock":         {clockSkew},
	"crm.auth":          {secretWhitespace("crm.token"), salesforceAPIEnabled, crmRedirect},
	"crm.permissions":   {hubspotScopes, salesforceAPIEnabled, crmRedirect},
	"crm.availability":  {crmRedirect},
	"crm.field_mapping": {fieldMapping},
	"smtp.connect":      {smtpSecurity},
	"smtp.tls":          {smtpSecurity},
	"smtp.auth":         {secretWhitespace("smtp.password"), gmailAppPassword, m365SMTPAuth},
	"domain.spf":        {spfFixes},
	"domain.dmarc":      {dmarcFixes},
	"domain.dkim":       {dkimSelectors},
	"domain.bimi":       {bimiRecord},
	"content.headers":   {oneClickUnsubscribe},
}

// Propose returns the fixes for the results that need attention, in the
// order of the results, without duplicates (two checks can point at the same
// fix).
func Propose(ctx context.Context, in *Input) []Fix {
	var out []Fix
	seen := map[string]bool{}
	add := func(fs []Fix) {
		for _, f := range fs {
			if seen[f.ID] {
				continue
			}
			seen[f.ID] = true
			if len(f.Affects) == 0 {
				f.Affects = []string{f.Check}
			}
			out = append(out, f)
		}
	}
	for _, r := range in.Results {
		for _, b := range builders[r.ID] {
			add(b(ctx, in, r))
		}
	}
	// Say whether each record to publish is live yet: a record already on
	// the name servers but not in the resolver's cache needs only time.
	for i, f := range out {
		if f.Kind != KindDNS {
			continue
		}
		for _, rec := range f.Records {
			if st := CheckPublished(ctx, in.Profile.Domain.DNSServer, rec.Name, rec.Value); st.State != Unknown {
				out[i].Steps = append([]string{st.Sentence()}, out[i].Steps...)
			}
		}
	}
	translate(in.Lang, out)
	return out
}

// Affected returns the checks to run again after the given fixes, sorted.
func Affected(fixes []Fix) []string {
	var ids []string
	for _, f := range fixes {
		for _, id := range f.Affects {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	sort.Strings(ids)
	return ids
}

// bad reports whether a result needs attention.
func bad(r check.Result) bool { return r.Status == check.Fail || r.Status == check.Warn }

// factString returns a string fact ("" when absent).
func factString(r check.Result, key string) string {
	if v, ok := r.Fact(key); ok {
		if s, ok := v.(string); ok {
			return s
		}
	}
	return ""
}

// factInt returns a numeric fact as an int.
func factInt(r check.Result, key string) (int, bool) {
	v, ok := r.Fact(key)
	if !ok {
		return 0, false
	}
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case float64:
		return int(n), true
	}
	return 0, false
}

// hasArticle reports whether the result points at a knowledge article.
func hasArticle(r check.Result, id string) bool { return slices.Contains(r.Articles, id) }

// Remaining counts the fixes still to do: DNS records and manual steps, and
// setting changes that were not applied.
func Remaining(fixes []Fix) int {
	n := 0
	for _, f := range fixes {
		if !f.Applied {
			n++
		}
	}
	return n
}

// Infos is how the escalation report lists fixes: each proposed, applied, or
// verified (applied, and every check it affects passed when run again).
func Infos(fixes []Fix, verified []Verified) []escalate.FixInfo {
	var out []escalate.FixInfo
	for _, f := range fixes {
		state := "proposed"
		if f.Applied {
			state = "applied"
			ok := len(f.Affects) > 0
			for _, id := range f.Affects {
				if !slices.ContainsFunc(verified, func(v Verified) bool { return v.ID == id && v.After == check.Pass.String() }) {
					ok = false
				}
			}
			if ok {
				state = "verified"
			}
		}
		out = append(out, escalate.FixInfo{ID: f.ID, Check: f.Check, Kind: string(f.Kind), Title: f.Title, State: state})
	}
	return out
}

// Compare gives each check in ids its status before and after a change
// ("not run" when a run has no result for it).
func Compare(ids []string, before, after []check.Result) []Verified {
	status := func(results []check.Result, id string) string {
		for _, r := range results {
			if r.ID == id {
				return r.Status.String()
			}
		}
		return "not run"
	}
	out := make([]Verified, 0, len(ids))
	for _, id := range ids {
		out = append(out, Verified{ID: id, Before: status(before, id), After: status(after, id)})
	}
	return out
}
