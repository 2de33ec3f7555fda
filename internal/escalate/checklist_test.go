package escalate

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/knowledge"
)

func loadChecklists(t testing.TB) *Checklists {
	t.Helper()
	c, err := LoadChecklists(knowledge.FS, "")
	require.NoError(t, err)
	return c
}

// TestBuiltInChecklists holds the built-in lists word for word, and the
// prelaunch list's manual items.
func TestBuiltInChecklists(t *testing.T) {
	t.Parallel()
	c := loadChecklists(t)
	require.Equal(t, []string{"prelaunch", "bulk-sender", "before-support", "escalation", "prevention"}, c.Names())
	want := map[string][]string{
		"before-support": {
			"Check system status and known issues", "Review error messages and logs", "Try basic troubleshooting steps",
			"Check documentation and knowledge base", "Gather relevant information and context",
			"Test with minimal configuration", "Document the issue thoroughly",
		},
		"escalation": {
			"Provide detailed error messages", "Include relevant logs and screenshots", "Describe steps to reproduce the issue",
			"Explain business impact and urgency", "List attempted troubleshooting steps", "Provide system configuration details",
			"Include expected vs actual behavior",
		},
		"prevention": {
			"Implement comprehensive monitoring", "Regular system health checks", "Proactive maintenance and updates",
			"Staff training and documentation", "Backup and recovery procedures", "Security best practices", "Performance optimization",
		},
	}
	for name, labels := range want {
		l, ok := c.Get(name)
		require.True(t, ok, name)
		var got []string
		for _, it := range l.Items {
			got = append(got, it.Label.In("en"))
			require.NotEmpty(t, it.Label["es"], "%s/%s has a Spanish label", name, it.ID)
		}
		require.Equal(t, labels, got, name)
	}
	pre, ok := c.Get("prelaunch")
	require.True(t, ok)
	require.True(t, pre.IncludeChecks)
	var ids []string
	for _, it := range pre.Items {
		ids = append(ids, it.ID)
		require.True(t, it.Required, it.ID)
	}
	require.Equal(t, []string{"monitoring", "backups", "dmarc-policy", "ratelimit-headroom", "alert-recipients"}, ids)
}

// TestEvidenceSettlesItems covers every evidence key: what ticks it and
// what leaves it open.
func TestEvidenceSettlesItems(t *testing.T) {
	t.Parallel()
	failing := []check.Result{{ID: "api.auth", Status: check.Fail, Details: []string{"HTTP 401"}}}
	passing := []check.Result{{ID: "api.auth", Status: check.Pass}}
	tests := []struct {
		key  string
		ev   Evidence
		want bool
	}{
		{EvChecksRun, Evidence{Results: passing}, true},
		{EvChecksRun, Evidence{}, false},
		{EvErrorDetails, Evidence{ErrorPasted: true}, true},
		{EvErrorDetails, Evidence{Results: failing}, true},
		{EvErrorDetails, Evidence{Results: passing}, false},
		{EvLogsCollected, Evidence{Results: failing}, true},
		{EvLogsCollected, Evidence{Results: passing}, false},
		{EvReproSteps, Evidence{ReproSteps: true}, true},
		{EvReproSteps, Evidence{Results: failing}, true},
		{EvReproSteps, Evidence{Results: passing}, false},
		{EvImpactGiven, Evidence{ImpactGiven: true}, true},
		{EvImpactGiven, Evidence{}, false},
		{EvTriedListed, Evidence{Results: passing}, true},
		{EvTriedListed, Evidence{ArticlesRead: []string{"api-invalid-key"}}, true},
		{EvTriedListed, Evidence{}, false},
		{EvConfigCollected, Evidence{ConfigCollected: true}, true},
		{EvConfigCollected, Evidence{}, false},
		{EvExpectedActual, Evidence{ExpectedActual: true}, true},
		{EvExpectedActual, Evidence{}, false},
		{EvArticlesRead, Evidence{ArticlesRead: []string{"x"}}, true},
		{EvArticlesRead, Evidence{}, false},
		{EvDocumented, Evidence{ErrorPasted: true}, true},
		{EvDocumented, Evidence{ExpectedActual: true}, true},
		{EvDocumented, Evidence{}, false},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		seen[tt.key] = true
		cl := Checklist{Name: "t", Items: []ChecklistItem{{ID: "it", Label: Text{"en": "It"}, Evidence: tt.key, Required: true}}}
		f := cl.Fill(tt.ev, "en")
		require.Len(t, f.Items, 1)
		got := f.Items[0]
		if tt.want {
			require.Equal(t, Done, got.State, "%s with %+v", tt.key, tt.ev)
			require.True(t, got.Auto)
			require.NotEmpty(t, got.Note)
		} else {
			require.Equal(t, Open, got.State, "%s with %+v", tt.key, tt.ev)
			require.False(t, f.Complete())
		}
	}
	require.Len(t, seen, len(evidenceKeys), "every evidence key is tested")
}

func TestPrelaunchFromChecks(t *testing.T) {
	t.Parallel()
	c := loadChecklists(t)
	pre, _ := c.Get(ChecklistPrelaunch)
	manual := []string{"monitoring", "backups", "dmarc-policy", "ratelimit-headroom", "alert-recipients"}
	results := []check.Result{
		{ID: "api.auth", Title: "API key", Status: check.Pass},
		{ID: "api.ratelimit", Title: "Rate limits", Status: check.Warn, Summary: "Only 3% of the hourly limit is left."},
		{ID: "smtp.send", Title: "Test message", Status: check.Skip, Summary: "No test recipient is set."},
	}
	tests := []struct {
		name     string
		results  []check.Result
		done     []string
		complete bool
		states   map[string]ItemState
	}{
		{"nothing ran", nil, manual, false, map[string]ItemState{"checks": Open}},
		{"checks pass, manual items open", results, nil, false,
			map[string]ItemState{"api.auth": Done, "api.ratelimit": Done, "smtp.send": NotApplicable, "monitoring": Open}},
		{"checks pass, manual items ticked", results, manual, true,
			map[string]ItemState{"api.auth": Done, "monitoring": Done, "alert-recipients": Done}},
		{"a failing check blocks", append(results, check.Result{ID: "domain.dmarc", Status: check.Fail}), manual, false,
			map[string]ItemState{"domain.dmarc": Failing}},
		{"a check that could not run blocks", append(results, check.Result{ID: "cache.redis", Status: check.Error}), manual, false,
			map[string]ItemState{"cache.redis": Failing}},
		{"ticking a failing check does nothing", []check.Result{{ID: "api.auth", Status: check.Fail}}, append(manual, "api.auth"), false,
			map[string]ItemState{"api.auth": Failing}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := pre.Fill(Evidence{Results: tt.results, Done: tt.done}, "en")
			require.Equal(t, tt.complete, f.Complete())
			require.Equal(t, !tt.complete, len(f.Blocking()) > 0)
			for id, st := range tt.states {
				i := indexOf(f, id)
				require.GreaterOrEqual(t, i, 0, id)
				require.Equal(t, st, f.Items[i].State, id)
			}
		})
	}
}

func indexOf(f Filled, id string) int {
	for i, it := range f.Items {
		if it.ID == id {
			return i
		}
	}
	return -1
}

func TestToggleAndUnknownDone(t *testing.T) {
	t.Parallel()
	c := loadChecklists(t)
	pre, _ := c.Get(ChecklistPrelaunch)
	f := pre.Fill(Evidence{Results: []check.Result{{ID: "api.auth", Status: check.Pass}}}, "es")
	require.False(t, f.Toggle("api.auth", "es"), "check items are settled by the check")
	require.False(t, f.Toggle("nope", "es"))
	require.True(t, f.Toggle("backups", "es"))
	require.Equal(t, Done, f.Items[indexOf(f, "backups")].State)
	require.Equal(t, "marcado por ti", f.Items[indexOf(f, "backups")].Note)
	require.True(t, f.Toggle("backups", "es"))
	require.Equal(t, Open, f.Items[indexOf(f, "backups")].State)
	require.Equal(t, []string{"monitoring", "backups", "dmarc-policy", "ratelimit-headroom", "alert-recipients"}, f.ManualIDs())
	require.Equal(t, []string{"backup", "api.auth"}, pre.UnknownDone([]string{"monitoring", "backup", "api.auth"}))
}

func TestFilledOutput(t *testing.T) {
	t.Parallel()
	c := loadChecklists(t)
	esc, _ := c.Get(ChecklistEscalation)
	f := esc.Fill(Evidence{ErrorPasted: true, ConfigCollected: true, Done: []string{"logs"}}, "en")
	md := f.Markdown("en")
	require.Contains(t, md, "# When escalating issues\n")
	require.Contains(t, md, "- [x] Provide detailed error messages — the error you pasted is in the report\n")
	require.Contains(t, md, "- [x] Include relevant logs and screenshots — ticked by you\n")
	require.Contains(t, md, "- [ ] Include expected vs actual behavior (required) — `--expected \"...\" --actual \"...\"`. `expected-actual`\n")
	require.Contains(t, md, "Not complete yet: 3 of 7 done.")

	var out struct {
		Name     string `json:"name"`
		Done     int    `json:"done"`
		Total    int    `json:"total"`
		Complete bool   `json:"complete"`
		Items    []struct {
			ID    string `json:"id"`
			State string `json:"state"`
		} `json:"items"`
	}
	b, err := json.Marshal(f)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &out))
	require.Equal(t, "escalation", out.Name)
	require.Equal(t, 3, out.Done)
	require.Equal(t, 7, out.Total)
	require.False(t, out.Complete)
	require.Equal(t, "done", out.Items[0].State)
	require.Equal(t, "open", out.Items[2].State)
}

func TestChecklistsOverlayAndErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, ChecklistFile), []byte(`
checklists:
  - name: ours
    title: {en: Ours}
    items:
      - {id: one, label: {en: One}, evidence: checks_run}
`), 0o600))
	c, err := LoadChecklists(knowledge.FS, dir)
	require.NoError(t, err)
	require.Equal(t, []string{"ours"}, c.Names())

	tests := []struct{ name, yaml, want string }{
		{"unknown evidence", "checklists: [{name: a, items: [{id: x, label: {en: X}, evidence: vibes}]}]", `evidence "vibes" is unknown`},
		{"duplicate item", "checklists: [{name: a, items: [{id: x, label: {en: X}}, {id: x, label: {en: Y}}]}]", `item "x" twice`},
		{"duplicate list", "checklists: [{name: a}, {name: a}]", `"a" is defined twice`},
		{"no label", "checklists: [{name: a, items: [{id: x}]}]", "has no label"},
		{"unknown key", "checklists: [{name: a, itemz: []}]", "itemz"},
		{"unquoted comma", "checklists: [{name: a, items: [{id: x, label: {en: The API, CRM and email}}]}]", `"CRM and email" is not a language code`},
	}
	for _, tt := range tests {
		_, err := ParseChecklists([]byte(tt.yaml), "team/checklists.yaml")
		require.ErrorContains(t, err, tt.want, tt.name)
		require.ErrorContains(t, err, "team/checklists.yaml", tt.name)
	}
}

// TestEveryTextInBothLanguages: the built-in policy and checklists speak
// English and Spanish everywhere.
func TestEveryTextInBothLanguages(t *testing.T) {
	t.Parallel()
	both := func(what string, tx Text, optional bool) {
		if optional && len(tx) == 0 {
			return
		}
		require.NotEmpty(t, tx["en"], "%s in English", what)
		require.NotEmpty(t, tx["es"], "%s in Spanish", what)
	}
	for _, l := range loadChecklists(t).Lists {
		both(l.Name+" title", l.Title, false)
		both(l.Name+" description", l.Description, false)
		for _, it := range l.Items {
			both(l.Name+"/"+it.ID, it.Label, false)
			both(l.Name+"/"+it.ID+" hint", it.Hint, true)
		}
	}
	p := loadPolicy(t)
	for _, tr := range p.Tiers {
		both(tr.ID, tr.Name, false)
		both(tr.ID+" scope", tr.Scope, false)
		both(tr.ID+" criteria", tr.EscalationCriteria, false)
	}
	for _, s := range p.Severities {
		both(s.ID, s.Label, false)
	}
	for _, l := range p.SupportLevels {
		both("level name", l.Name, false)
		both("level responsibilities", l.Responsibilities, false)
	}
	for id, ch := range p.Channels {
		both("channel "+id, ch, false)
	}
	for _, c := range p.Triggers {
		both(c.Class, c.Label, false)
		for _, it := range c.Items {
			both(it.ID, it.Label, false)
		}
	}
}

// TestSkippedBehindAFailureIsNotTested: a check the runner skipped because
// the check it needs failed reads as not tested, blocked by that check,
// never as ticked "not applicable"; a check skipped because nothing is set
// up stays not applicable.
func TestSkippedBehindAFailureIsNotTested(t *testing.T) {
	t.Parallel()
	c := loadChecklists(t)
	pre, _ := c.Get(ChecklistPrelaunch)
	auth := check.Result{ID: "api.auth", Title: "API key accepted", Status: check.Fail, Summary: "The key was rejected."}
	tests := []struct {
		name      string
		results   []check.Result
		id        string
		state     ItemState
		blockedBy string
		lang      string
		line      string
	}{
		{"runner skip behind a failure", []check.Result{auth,
			{ID: "api.clock", Title: "Clock", Status: check.Skip, Summary: "Not run because api.auth did not pass: The key was rejected.",
				Details: []string{"requires api.auth, which ended fail"}}},
			"api.clock", Blocked, "api.auth", "en",
			"- [ ] Clock — not tested: blocked by “API key accepted” (api.auth), which failed"},
		{"runner skip behind a skip behind a failure", []check.Result{auth,
			{ID: "api.clock", Status: check.Skip, Details: []string{"requires api.auth, which ended fail"}},
			{ID: "api.drift", Title: "Drift", Status: check.Skip, Details: []string{"requires api.clock, which ended skip"}}},
			"api.drift", Blocked, "api.auth", "en", "- [ ] Drift — not tested: blocked by “API key accepted” (api.auth), which failed"},
		{"check's own skip pointing at the failure, Spanish", []check.Result{auth,
			{ID: "api.ratelimit", Title: "Rate limits", Status: check.Skip, Summary: "No se comprobó: la clave fue rechazada (HTTP 401), ver api.auth."}},
			"api.ratelimit", Blocked, "api.auth", "es", "- [ ] Límites de uso — sin probar: la bloquea “Clave de API aceptada” (api.auth), que falló"},
		{"behind a check that could not test", []check.Result{{ID: "smtp.connect", Title: "Mail server", Status: check.Error},
			{ID: "smtp.auth", Title: "Mail login", Status: check.Skip, Details: []string{"requires smtp.connect, which ended error"}}},
			"smtp.auth", Blocked, "smtp.connect", "en", "- [ ] Mail login — not tested: blocked by “Mail server” (smtp.connect), which could not be tested"},
		{"nothing configured", []check.Result{{ID: "smtp.auth", Title: "Mail login", Status: check.Skip, Summary: "Not run: no SMTP password is set."}},
			"smtp.auth", NotApplicable, "", "en", "- [x] Mail login — not applicable — Not run: no SMTP password is set."},
		{"behind a prerequisite that was not configured", []check.Result{
			{ID: "smtp.connect", Title: "Mail server", Status: check.Skip, Summary: "No mail server is set."},
			{ID: "smtp.auth", Title: "Mail login", Status: check.Skip, Summary: "No mail server is set.", Details: []string{"requires smtp.connect, which ended skip"}}},
			"smtp.auth", NotApplicable, "", "en", "- [x] Mail login — not applicable — No mail server is set."},
		{"a failed check whose id is only part of a longer one is no blocker", []check.Result{{ID: "api.auth", Status: check.Fail},
			{ID: "api.authz", Title: "Z", Status: check.Skip, Summary: "Not run: see api.authority."}},
			"api.authz", NotApplicable, "", "en", "- [x] Z — not applicable — Not run: see api.authority."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := pre.Fill(Evidence{Results: tt.results}, tt.lang)
			i := indexOf(f, tt.id)
			require.GreaterOrEqual(t, i, 0)
			it := f.Items[i]
			require.Equal(t, tt.state, it.State)
			require.Equal(t, tt.blockedBy, it.BlockedBy)
			require.Contains(t, f.Markdown(tt.lang), tt.line+"\n")
			if tt.state == Blocked {
				require.False(t, f.Complete())
				require.Contains(t, f.Blocking(), it)
				done, _ := f.Counts()
				require.Zero(t, done, "a blocked check is not done")
				b, err := json.Marshal(f)
				require.NoError(t, err)
				require.Contains(t, string(b), `"state":"blocked","auto":true,"manual":false,"note":`)
				require.Contains(t, string(b), `"blocked_by":"`+tt.blockedBy+`"`)
			}
		})
	}
}
