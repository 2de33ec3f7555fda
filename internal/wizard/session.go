package wizard

import (
	"slices"
	"strings"
	"time"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/fix"
	"pitstop/internal/kb"
	"pitstop/internal/registry"
)

// Problem is one answer to "What is wrong?": the knowledge category whose
// symptoms are offered, and the check families that always run for it.
type Problem struct {
	ID         string   // catalogue key suffix of its description: "problem.<ID>.desc"
	KBCategory string   // article category in the knowledge base
	Families   []string // check categories (the registry's) that run for it
}

// Problems are the wizard's categories, in the order shown.
//
// Which checks run for a selection: every check of each family listed here
// for the chosen problem, plus every check of each family named by the
// matched articles' `checks` (api.auth names the api family). Whole
// families run, not single checks, because a family's checks depend on one
// another (auth needs reachability) and together take about as long as the
// slowest of them.
var Problems = []Problem{
	{ID: "api", KBCategory: "api", Families: []string{"api"}},
	{ID: "performance", KBCategory: "performance", Families: []string{"api", "cache"}},
	{ID: "content", KBCategory: "content", Families: []string{"content", "api"}},
	{ID: "email", KBCategory: "email", Families: []string{"smtp", "domain"}},
	{ID: "crm", KBCategory: "crm", Families: []string{"crm"}},
	{ID: "workflow", KBCategory: "workflow", Families: []string{"api", "crm"}},
	{ID: "security", KBCategory: "security", Families: []string{"api", "crm", "smtp"}},
	{ID: "data", KBCategory: "data", Families: []string{"crm"}},
}

// ProblemByID returns the problem with this id.
func ProblemByID(id string) (Problem, bool) {
	i := slices.IndexFunc(Problems, func(p Problem) bool { return p.ID == id })
	if i < 0 {
		return Problem{}, false
	}
	return Problems[i], true
}

// Session is one guided run: what the user said, the settings used, what
// the checks found and what was read. The escalation step reads it to fill
// the report ("what was tried", the pasted error, steps to reproduce).
type Session struct {
	// Problem is the category picked at step 1 (zero when the error was pasted).
	Problem Problem
	// Symptoms are the symptoms picked at step 2, as written in the articles.
	Symptoms []string
	// Pasted is the error text pasted at step 2 (shown scrubbed).
	Pasted string
	// Suggested are the articles matched before any check ran.
	Suggested []kb.Match

	// Categories are the check families to run.
	Categories []string
	// Profile is the active profile with the values entered at step 3.
	Profile *config.Profile
	// Saved is where the settings were saved ("" when not saved).
	Saved string

	// Results are the last run's results; Runs counts the runs.
	Results  []check.Result
	Runs     int
	Started  time.Time
	Finished time.Time
	// Cancelled is true when the last run was stopped with esc.
	Cancelled bool

	// Matches are the articles ranked from every piece of evidence.
	Matches []kb.Match
	// Read lists the articles opened, in order, without repeats.
	Read []string
	// Fixed is the answer to "Did this fix it?" (nil until answered).
	Fixed *bool

	// Fixes are the fixes proposed for the last run's results, and Verified
	// the checks run again after one was applied.
	Fixes    []fix.Fix
	Verified []fix.Verified
	// settings is the settings file as read when the fixes were proposed:
	// applying refuses to write over a file changed since.
	settings []byte

	typed []config.Secret // secrets typed in the wizard, for the scrubber
}

// Reset forgets everything: a new guided run starts.
func (s *Session) Reset() {
	typed := s.typed
	*s = Session{typed: typed}
}

// Evidence returns what matching works from: symptoms, pasted text,
// results, and the providers of the session's profile.
func (s *Session) Evidence() kb.Evidence {
	return Evidence(s.Profile, s.Pasted, s.Symptoms, s.Results)
}

// MarkRead records that an article was opened.
func (s *Session) MarkRead(id string) {
	if !slices.Contains(s.Read, id) {
		s.Read = append(s.Read, id)
	}
}

// Choose records the answers to steps 1 and 2 (a problem and the symptoms
// picked, or the pasted error) and settles what follows from them: the
// articles they suggest, the families to check and the profile to edit.
func (s *Session) Choose(problem Problem, symptoms []string, pasted string, base *kb.Base, profile *config.Profile) {
	s.Problem, s.Symptoms, s.Pasted = problem, symptoms, pasted
	s.Suggested = nil
	if s.Profile == nil {
		s.Profile = CloneProfile(profile)
	}
	if base != nil {
		s.Suggested = base.Match(Evidence(s.Profile, pasted, symptoms, nil))
	}
	s.Categories = FamiliesFor(problem, s.Suggested, profile)
}

// Record stores the outcome of a run of the checks.
func (s *Session) Record(results []check.Result, matches []kb.Match, finished time.Time, cancelled bool) {
	s.Results, s.Matches = results, matches
	s.Finished, s.Cancelled = finished, cancelled
	s.Runs++
}

// FamiliesFor returns the check families to run for a problem and the
// articles matched so far, in the registry's order: the problem's own
// families; the family of every check the best article names; and those of
// the next two articles when the profile has settings for them (a CRM the
// user does not have is not worth asking about). With none of these (an
// error pasted that matches nothing), every configured family.
func FamiliesFor(p Problem, matches []kb.Match, profile *config.Profile) []string {
	want := map[string]bool{}
	for _, f := range p.Families {
		want[f] = true
	}
	for i, m := range matches {
		if i >= 3 {
			break
		}
		for _, id := range m.Article.Checks {
			fam, _, _ := strings.Cut(id, ".")
			if i == 0 || profile == nil || profile.Configured(fam) {
				want[fam] = true
			}
		}
	}
	if len(want) == 0 && profile != nil {
		for _, c := range registry.Configured(profile) {
			want[c] = true
		}
	}
	if len(want) == 0 {
		want["api"] = true
	}
	var out []string
	for _, c := range registry.IDs() {
		if want[c] {
			out = append(out, c)
		}
	}
	return out
}

// CloneProfile returns a copy of p that can be edited without touching p.
func CloneProfile(p *config.Profile) *config.Profile {
	if p == nil {
		return &config.Profile{Name: "default"}
	}
	c := *p
	c.API.Endpoints = slices.Clone(p.API.Endpoints)
	c.Domain.DKIMSelectors = slices.Clone(p.Domain.DKIMSelectors)
	c.Domain.DNSBL = slices.Clone(p.Domain.DNSBL)
	if p.CRM.FieldMapping != nil {
		c.CRM.FieldMapping = make(map[string]string, len(p.CRM.FieldMapping))
		for k, v := range p.CRM.FieldMapping {
			c.CRM.FieldMapping[k] = v
		}
	}
	return &c
}
