package escalate

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/kb"
	"pitstop/internal/registry"
)

// articles is a stand-in knowledge base.
type articles map[string]*kb.Article

func (a articles) Get(id string) (*kb.Article, bool) { v, ok := a[id]; return v, ok }

var testArticles = articles{
	"api-invalid-key":             {ID: "api-invalid-key", Title: "The API rejects the key", Category: "api", Severity: "high"},
	"api-rate-limit":              {ID: "api-rate-limit", Title: "Requests are rejected with 429", Category: "performance", Severity: "medium"},
	"api-provider-outage":         {ID: "api-provider-outage", Title: "The provider is down", Category: "api", Severity: "high"},
	"crm-unavailable":             {ID: "crm-unavailable", Title: "The CRM does not answer", Category: "crm", Severity: "high"},
	"domain-spf-invalid":          {ID: "domain-spf-invalid", Title: "SPF is wrong", Category: "email", Severity: "high"},
	"data-sync-problems":          {ID: "data-sync-problems", Title: "Data does not sync", Category: "data", Severity: "medium"},
	"security-data-protection":    {ID: "security-data-protection", Title: "Personal data is exposed", Category: "security", Severity: "critical"},
	"content-low-personalization": {ID: "content-low-personalization", Title: "Low personalization", Category: "content", Severity: "low"},
}

func res(id, category string, st check.Status, arts ...string) check.Result {
	return check.Result{ID: id, Category: category, Title: id, Status: st, Summary: "summary of " + id, Articles: arts}
}

func titled(r check.Result, title string) check.Result {
	r.Title = title
	return r
}

func TestAssess(t *testing.T) {
	t.Parallel()
	p := loadPolicy(t)
	tests := []struct {
		name       string
		in         Input
		severity   string
		tier       string
		issues     []string
		trigger    string
		items      []string
		response   time.Duration
		resolution time.Duration
		level      int
		channels   []string
	}{
		{
			name: "nothing wrong", severity: "low", tier: "tier_1_basic", issues: []string{IssueGeneral},
			trigger: TriggerStandard, items: []string{"general_question"},
			response: 8 * time.Hour, resolution: 48 * time.Hour, level: 1, channels: []string{"email"},
		},
		{
			name: "passing checks only", in: Input{Results: []check.Result{res("api.auth", "api", check.Pass)}},
			severity: "low", tier: "tier_1_basic", issues: []string{IssueGeneral}, trigger: TriggerStandard,
			items: []string{"general_question"}, response: 8 * time.Hour, resolution: 48 * time.Hour, level: 1, channels: []string{"email"},
		},
		{
			name: "everyone affected", in: Input{Answers: Answers{AllAffected: true}},
			severity: "critical", tier: "tier_4_emergency", issues: []string{IssueOutage}, trigger: TriggerImmediate,
			items: []string{"system_outage"}, response: 15 * time.Minute, resolution: 4 * time.Hour, level: 3,
			channels: []string{"email", "sms", "phone"},
		},
		{
			name: "data loss", in: Input{Answers: Answers{DataLoss: true, Impact: "low"}},
			severity: "critical", tier: "tier_4_emergency", issues: []string{IssueDataLoss}, trigger: TriggerImmediate,
			items: []string{"data_loss"}, response: 15 * time.Minute, resolution: 4 * time.Hour, level: 3,
			channels: []string{"email", "sms", "phone"},
		},
		{
			name: "security concern", in: Input{Answers: Answers{Security: true, Impact: "medium"}},
			severity: "high", tier: "tier_3_expert", issues: []string{IssueSecurity}, trigger: TriggerImmediate,
			items: []string{"security_breach", "compliance_violation"}, response: time.Hour, resolution: 12 * time.Hour, level: 2,
			channels: []string{"email", "chat"},
		},
		{
			name: "security concern with high impact", in: Input{Answers: Answers{Security: true, Impact: "high"}},
			severity: "high", tier: "tier_4_emergency", issues: []string{IssueSecurity}, trigger: TriggerImmediate,
			items: []string{"security_breach", "compliance_violation"}, response: time.Hour, resolution: 4 * time.Hour, level: 2,
			channels: []string{"email", "chat"},
		},
		{
			name: "high impact alone", in: Input{Answers: Answers{Impact: "high"}},
			severity: "high", tier: "tier_4_emergency", issues: []string{IssueGeneral}, trigger: TriggerUrgent,
			items: []string{"general_question"}, response: time.Hour, resolution: 4 * time.Hour, level: 2, channels: []string{"email", "chat"},
		},
		{
			name: "medium impact alone", in: Input{Answers: Answers{Impact: "medium"}},
			severity: "medium", tier: "tier_1_basic", issues: []string{IssueGeneral}, trigger: TriggerUrgent,
			items: []string{"general_question"}, response: 4 * time.Hour, resolution: 48 * time.Hour, level: 1, channels: []string{"email"},
		},
		{
			name: "low impact alone", in: Input{Answers: Answers{Impact: "low"}},
			severity: "low", tier: "tier_1_basic", issues: []string{IssueGeneral}, trigger: TriggerStandard,
			items: []string{"general_question"}, response: 8 * time.Hour, resolution: 48 * time.Hour, level: 1, channels: []string{"email"},
		},
		{
			name:     "api key rejected, article rated high",
			in:       Input{Results: []check.Result{res("api.auth", "api", check.Fail, "api-invalid-key")}, Articles: testArticles},
			severity: "high", tier: "tier_2_technical", issues: []string{IssueAPI}, trigger: TriggerUrgent,
			items: []string{"api_failure", "user_access"}, response: time.Hour, resolution: 24 * time.Hour, level: 2,
			channels: []string{"email", "chat"},
		},
		{
			name:     "crm down, no knowledge base",
			in:       Input{Results: []check.Result{res("crm.availability", "crm", check.Fail, "crm-unavailable")}},
			severity: "medium", tier: "tier_2_technical", issues: []string{IssueIntegration}, trigger: TriggerUrgent,
			items: []string{"data_sync"}, response: 4 * time.Hour, resolution: 24 * time.Hour, level: 1, channels: []string{"email"},
		},
		{
			name:     "rate limit warning",
			in:       Input{Results: []check.Result{res("api.ratelimit", "api", check.Warn, "api-rate-limit")}, Articles: testArticles},
			severity: "medium", tier: "tier_1_basic", issues: []string{IssueGeneral}, trigger: TriggerUrgent,
			items: []string{"performance"}, response: 4 * time.Hour, resolution: 48 * time.Hour, level: 1, channels: []string{"email"},
		},
		{
			name:     "a warning never counts above medium",
			in:       Input{Results: []check.Result{res("crm.availability", "crm", check.Warn, "crm-unavailable")}, Articles: testArticles},
			severity: "medium", tier: "tier_1_basic", issues: []string{IssueGeneral}, trigger: TriggerUrgent,
			items: []string{"performance"}, response: 4 * time.Hour, resolution: 48 * time.Hour, level: 1, channels: []string{"email"},
		},
		{
			name:     "could not test the api",
			in:       Input{Results: []check.Result{res("api.reachability", "api", check.Error)}},
			severity: "low", tier: "tier_2_technical", issues: []string{IssueAPI}, trigger: TriggerUrgent,
			items: []string{"api_failure"}, response: 8 * time.Hour, resolution: 24 * time.Hour, level: 1, channels: []string{"email"},
		},
		{
			name:     "pasted error matches a critical security article",
			in:       Input{Matched: []*kb.Article{testArticles["security-data-protection"]}},
			severity: "critical", tier: "tier_4_emergency", issues: []string{IssueSecurity}, trigger: TriggerImmediate,
			items: []string{"security_breach"}, response: 15 * time.Minute, resolution: 4 * time.Hour, level: 3,
			channels: []string{"email", "sms", "phone"},
		},
		{
			name:     "pasted error about data sync",
			in:       Input{Matched: []*kb.Article{testArticles["data-sync-problems"]}},
			severity: "medium", tier: "tier_2_technical", issues: []string{IssueIntegration}, trigger: TriggerUrgent,
			items: []string{"data_sync"}, response: 4 * time.Hour, resolution: 24 * time.Hour, level: 1, channels: []string{"email"},
		},
		{
			name:     "spf failure is an integration problem",
			in:       Input{Results: []check.Result{res("domain.spf", "domain", check.Fail, "domain-spf-invalid")}, Articles: testArticles},
			severity: "high", tier: "tier_2_technical", issues: []string{IssueIntegration}, trigger: TriggerUrgent,
			items: []string{"general_question"}, response: time.Hour, resolution: 24 * time.Hour, level: 2, channels: []string{"email", "chat"},
		},
		{
			name:     "content problem stays basic",
			in:       Input{Results: []check.Result{res("content.prompt", "content", check.Fail, "content-low-personalization")}, Articles: testArticles},
			severity: "low", tier: "tier_1_basic", issues: []string{IssueGeneral}, trigger: TriggerStandard,
			items: []string{"general_question"}, response: 8 * time.Hour, resolution: 48 * time.Hour, level: 1, channels: []string{"email"},
		},
		{
			name:     "smtp password refused",
			in:       Input{Results: []check.Result{res("smtp.auth", "smtp", check.Fail)}},
			severity: "medium", tier: "tier_2_technical", issues: []string{IssueIntegration}, trigger: TriggerUrgent,
			items: []string{"user_access"}, response: 4 * time.Hour, resolution: 24 * time.Hour, level: 1, channels: []string{"email"},
		},
		{
			name: "outage plus api failure: everything at once",
			in: Input{
				Results:  []check.Result{res("api.auth", "api", check.Fail, "api-provider-outage"), res("crm.auth", "crm", check.Pass)},
				Articles: testArticles,
				Answers:  Answers{AllAffected: true, DataLoss: true, Impact: "high"},
			},
			severity: "critical", tier: "tier_4_emergency", issues: []string{IssueDataLoss, IssueOutage, IssueAPI}, trigger: TriggerImmediate,
			items: []string{"data_loss", "system_outage", "api_failure"}, response: 15 * time.Minute, resolution: 4 * time.Hour,
			level: 3, channels: []string{"email", "sms", "phone"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := p.Assess(tt.in, "en")
			require.Equal(t, tt.severity, a.Severity, "severity; reasons: %v", a.Reasons)
			require.Equal(t, tt.tier, a.Tier, "tier")
			require.Equal(t, tt.issues, a.IssueTypes, "issue types")
			require.Equal(t, tt.trigger, a.Trigger, "trigger class")
			require.Equal(t, tt.items, a.TriggerItems, "trigger items")
			require.Equal(t, tt.response, time.Duration(a.Response), "response target")
			require.Equal(t, tt.resolution, time.Duration(a.Resolution), "resolution target")
			require.Equal(t, tt.level, a.SupportLevel, "support level")
			require.Equal(t, tt.channels, a.Channels, "notification channels")
			require.NotEmpty(t, a.Reasons)
			require.NotEmpty(t, a.Justification)
			require.Contains(t, a.Justification, a.SeverityLabel)
			require.Contains(t, a.Justification, a.TierName)
		})
	}
}

func TestAssessChannelTargetsFollowSupportLevel(t *testing.T) {
	t.Parallel()
	p := loadPolicy(t)
	a := p.Assess(Input{Answers: Answers{AllAffected: true}}, "es")
	require.Equal(t, []ChannelTarget{
		{Channel: "email", Label: "correo", Response: Duration(time.Hour)},
		{Channel: "chat", Label: "chat", Response: Duration(30 * time.Minute)},
		{Channel: "phone", Label: "teléfono", Response: Duration(15 * time.Minute)},
	}, a.ChannelResponse)
	require.Equal(t, "Nivel 3: Soporte Experto", a.SupportLevelName)
}

func TestJustificationReadsPlainly(t *testing.T) {
	t.Parallel()
	p := loadPolicy(t)
	in := Input{
		Results:  []check.Result{titled(res("api.auth", "api", check.Fail, "api-invalid-key"), "API key accepted")},
		Articles: testArticles,
		Answers:  Answers{Impact: "high"},
	}
	en := p.Assess(in, "en")
	require.NotContains(t, en.Justification, "api-invalid-key", "articles are named by their titles")
	require.Equal(t, "Severity is HIGH because you rated the business impact high and check “API key accepted” (api.auth) failed, "+
		"a problem the article “The API rejects the key” rates high. That puts the case in Tier 4 — Emergency, because the business impact is high. "+
		"The first answer is due within 1h (the Tier 4 — Emergency response time), and the tier aims to resolve it within 4h. "+
		"Level 2: Advanced support handles it; notify by email or chat. "+
		"Escalation class: Urgent escalation (API failures affecting business and User access problems).", en.Justification)

	es := p.Assess(in, "es")
	require.Contains(t, es.Justification, "La severidad es ALTA porque")
	require.Contains(t, es.Justification, "Nivel 4 — Emergencia")
	require.Contains(t, es.Justification, "correo o chat")
	require.Equal(t, "Escalamiento urgente", es.TriggerLabel)

	none := p.Assess(Input{}, "en")
	require.Contains(t, none.Justification, "no check failed and no answer raised it")
	require.Contains(t, none.Justification, "none of the conditions for a higher tier apply")
}

func TestParseImpact(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"": "", "LOW": "low", " medium ": "medium", "high": "high"} {
		got, err := ParseImpact(in)
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
	_, err := ParseImpact("huge")
	require.ErrorContains(t, err, "low, medium, high")
}

// TestMatchedReasonFollowsTheEvidence: the justification says an article
// matched the pasted error only when an error was pasted, and names the
// symptoms when the person picked them instead.
func TestMatchedReasonFollowsTheEvidence(t *testing.T) {
	t.Parallel()
	p := loadPolicy(t)
	key := &kb.Article{ID: "api-invalid-key", Title: "The API rejects the key", Category: "api", Severity: "high",
		Symptoms: []string{"Invalid API key", "401 Unauthorized"}, Patterns: []string{`\b401\b`, `(?i)invalid.?api.?key`}}
	tests := []struct {
		name     string
		in       Input
		lang     string
		want     string
		notWant  string
		wantLang string
	}{
		{name: "pasted only", in: Input{ErrorText: "HTTP 401: Invalid API key"}, lang: "en",
			want: "the error you pasted matches the article"},
		{name: "one symptom only", in: Input{Symptoms: []string{"401 Unauthorized"}}, lang: "en",
			want: "the symptom you picked (“401 Unauthorized”) matches the article", notWant: "pasted"},
		{name: "two symptoms only", in: Input{Symptoms: []string{"Invalid API key", "401 Unauthorized", "Slow responses"}}, lang: "en",
			want: "the symptoms you picked (“Invalid API key” and “401 Unauthorized”) match the article", notWant: "pasted"},
		{name: "both", in: Input{ErrorText: "401 from the API", Symptoms: []string{"Invalid API key"}}, lang: "en",
			want: "the error you pasted and the symptoms you picked match the article"},
		{name: "symptom picked, pasted text says nothing the article knows", in: Input{ErrorText: "it broke", Symptoms: []string{"Invalid API key"}}, lang: "en",
			want: "the symptom you picked (“Invalid API key”) matches the article", notWant: "pasted"},
		{name: "neither known", lang: "en", want: "what you described matches the article", notWant: "pasted"},
		{name: "symptom, Spanish", in: Input{Symptoms: []string{"401 Unauthorized"}}, lang: "es",
			want: "el síntoma que elegiste (“401 Unauthorized”) coincide con el artículo", notWant: "pegaste"},
		{name: "pasted, Spanish", in: Input{ErrorText: "401"}, lang: "es", want: "el error que pegaste coincide con el artículo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := tt.in
			in.Matched = []*kb.Article{key}
			a := p.Assess(in, tt.lang)
			require.Contains(t, a.Justification, tt.want)
			if tt.notWant != "" {
				require.NotContains(t, a.Justification, tt.notWant)
			}
		})
	}
}

// TestReasonsNameTitles: checks and articles are named the way a reader
// knows them, by title; a check's id follows in parentheses, and an id
// stands in only when there is no title.
func TestReasonsNameTitles(t *testing.T) {
	t.Parallel()
	p := loadPolicy(t)
	arts := articles{
		"crm-hubspot-missing-scopes": {ID: "crm-hubspot-missing-scopes", Title: "HubSpot token lacks scopes", Category: "crm", Severity: "high"},
		"untitled":                   {ID: "untitled", Category: "crm", Severity: "medium"},
	}
	tests := []struct {
		name string
		r    check.Result
		lang string
		want string
	}{
		{"failed with article", titled(res("crm.permissions", "crm", check.Fail, "crm-hubspot-missing-scopes"), "CRM permissions"), "en",
			"check “CRM permissions” (crm.permissions) failed, a problem the article “HubSpot token lacks scopes” rates high"},
		{"failed with article, Spanish", titled(res("crm.permissions", "crm", check.Fail, "crm-hubspot-missing-scopes"), "HubSpot permissions"), "es",
			"la comprobación “Permisos de HubSpot” (crm.permissions) falló, un problema que el artículo “HubSpot token lacks scopes” califica de severidad alta"},
		{"warned with article", titled(res("crm.permissions", "crm", check.Warn, "crm-hubspot-missing-scopes"), "CRM permissions"), "en",
			"check “CRM permissions” (crm.permissions) warned, a problem the article “HubSpot token lacks scopes” rates high"},
		{"failed, no article", titled(res("crm.permissions", "crm", check.Fail), "CRM permissions"), "en",
			"check “CRM permissions” (crm.permissions) failed"},
		{"no titles at all", titled(res("crm.permissions", "crm", check.Fail, "untitled"), ""), "en",
			"check crm.permissions failed, a problem the article untitled rates medium"},
		{"no titles at all, Spanish", titled(res("crm.permissions", "crm", check.Fail, "untitled"), ""), "es",
			"la comprobación crm.permissions falló"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := p.Assess(Input{Results: []check.Result{tt.r}, Articles: arts}, tt.lang)
			require.Contains(t, a.Justification, tt.want)
			if tt.r.Title != "" {
				require.NotContains(t, a.Justification, "crm-hubspot-missing-scopes")
			}
		})
	}
}

// TestTriggerItems maps each common failure to the policy's escalation
// triggers, with the knowledge base's real article ids and categories.
func TestTriggerItems(t *testing.T) {
	t.Parallel()
	kbase := articles{}
	for _, a := range []kb.Article{
		{ID: "api-invalid-key", Category: "api"}, {ID: "api-forbidden", Category: "api"},
		{ID: "api-connection-failed", Category: "api"}, {ID: "api-timeouts", Category: "api"},
		{ID: "api-tls-certificate", Category: "api"}, {ID: "api-provider-outage", Category: "api"},
		{ID: "api-rate-limit", Category: "performance"}, {ID: "api-quota-exhausted", Category: "performance"},
		{ID: "perf-slow-responses", Category: "performance"}, {ID: "perf-reliability", Category: "performance"},
		{ID: "perf-high-costs", Category: "performance"}, {ID: "ops-health-check", Category: "operations"},
		{ID: "ops-load-balancing", Category: "operations"}, {ID: "ops-caching", Category: "operations"},
		{ID: "crm-hubspot-auth", Category: "crm"}, {ID: "smtp-connection-failed", Category: "email"}, {ID: "crm-unavailable", Category: "crm"},
		{ID: "crm-rate-limit", Category: "crm"}, {ID: "crm-field-mapping", Category: "crm"},
		{ID: "smtp-auth-failed", Category: "email"}, {ID: "domain-dmarc-missing", Category: "email"},
		{ID: "content-generation-failed", Category: "content"},
		{ID: "data-sync-problems", Category: "data"}, {ID: "security-authentication-problems", Category: "security"},
		{ID: "security-data-protection", Category: "security"}, {ID: "security-compliance", Category: "security"},
	} {
		kbase[a.ID] = &a
	}
	r := func(id string, st check.Status, arts ...string) check.Result {
		cat, _, _ := strings.Cut(id, ".")
		return res(id, cat, st, arts...)
	}
	tests := []struct {
		name    string
		results []check.Result
		matched []string
		want    []string
	}{
		{"invalid api key", []check.Result{r("api.auth", check.Fail, "api-invalid-key")}, nil, []string{"api_failure", "user_access"}},
		{"invalid api key, rate limit not checked", []check.Result{
			r("api.auth", check.Fail, "api-invalid-key"), r("api.ratelimit", check.Skip, "api-rate-limit"),
		}, nil, []string{"api_failure", "user_access"}},
		{"key lacks permission", []check.Result{r("api.auth", check.Fail, "api-forbidden")}, nil, []string{"api_failure", "user_access"}},
		{"api key pasted only", nil, []string{"api-invalid-key"}, []string{"api_failure", "user_access"}},
		{"key refused, no knowledge base", []check.Result{r("api.auth", check.Fail)}, nil, []string{"api_failure", "user_access"}},
		{"key accepted, out of quota", []check.Result{r("api.auth", check.Warn, "api-quota-exhausted")}, nil, []string{"api_failure"}},
		{"key accepted, throttled", []check.Result{r("api.auth", check.Warn, "api-rate-limit")}, nil, []string{"performance"}},
		{"api unreachable", []check.Result{r("api.reachability", check.Error, "api-connection-failed")}, nil, []string{"api_failure"}},
		{"api bad certificate", []check.Result{r("api.reachability", check.Fail, "api-tls-certificate")}, nil, []string{"api_failure"}},
		{"api slow", []check.Result{r("api.reachability", check.Warn, "perf-slow-responses", "api-timeouts")}, nil, []string{"performance"}},
		{"api timing out", []check.Result{r("api.reachability", check.Error, "api-timeouts")}, nil, []string{"api_failure", "performance"}},
		{"provider outage", []check.Result{r("api.auth", check.Fail, "api-provider-outage")}, nil, []string{"api_failure"}},
		{"throttled", []check.Result{r("api.ratelimit", check.Fail, "api-rate-limit")}, nil, []string{"api_failure", "performance"}},
		{"close to the limit", []check.Result{r("api.ratelimit", check.Warn, "api-rate-limit")}, nil, []string{"performance"}},
		{"out of quota", []check.Result{r("api.ratelimit", check.Fail, "api-quota-exhausted", "api-rate-limit")}, nil, []string{"api_failure", "performance"}},
		{"out of quota, pasted", nil, []string{"api-quota-exhausted"}, []string{"api_failure"}},
		{"an endpoint down", []check.Result{r("api.endpoints", check.Warn, "ops-load-balancing", "perf-reliability")}, nil, []string{"performance"}},
		{"crm token refused", []check.Result{r("crm.auth", check.Fail, "crm-hubspot-auth")}, nil, []string{"data_sync", "user_access"}},
		{"crm down", []check.Result{r("crm.availability", check.Fail, "crm-unavailable")}, nil, []string{"data_sync"}},
		{"crm slow", []check.Result{r("crm.availability", check.Warn, "crm-rate-limit")}, nil, []string{"performance"}},
		{"crm field mapping warns", []check.Result{r("crm.field_mapping", check.Warn, "crm-field-mapping")}, nil, []string{"general_question"}},
		{"crm field mapping wrong", []check.Result{r("crm.field_mapping", check.Fail, "crm-field-mapping")}, nil, []string{"data_sync"}},
		{"smtp login refused", []check.Result{r("smtp.auth", check.Fail, "smtp-auth-failed")}, nil, []string{"user_access"}},
		{"smtp server unreachable", []check.Result{r("smtp.connect", check.Fail, "smtp-connection-failed")}, nil, []string{"general_question"}},
		{"dmarc only monitors", []check.Result{r("domain.dmarc", check.Warn, "domain-dmarc-missing")}, nil, []string{"general_question"}},
		{"prompt costly", []check.Result{r("content.prompt", check.Warn, "perf-high-costs", "content-generation-failed")}, nil, []string{"general_question"}},
		{"prompt too long", []check.Result{r("content.prompt", check.Fail, "content-generation-failed", "perf-high-costs")}, nil, []string{"general_question"}},
		{"redis evicting", []check.Result{r("cache.redis", check.Warn, "ops-caching")}, nil, []string{"performance"}},
		{"redis down", []check.Result{r("cache.redis", check.Fail, "ops-caching")}, nil, []string{"performance"}},
		{"data does not sync, pasted", nil, []string{"data-sync-problems"}, []string{"data_sync"}},
		{"login failures, picked", nil, []string{"security-authentication-problems"}, []string{"user_access"}},
		{"data exposed, picked", nil, []string{"security-data-protection"}, []string{"security_breach"}},
		{"compliance, picked", nil, []string{"security-compliance"}, []string{"compliance_violation"}},
		{"slow responses, picked", nil, []string{"perf-slow-responses"}, []string{"performance"}},
		{"costs, picked", nil, []string{"perf-high-costs"}, []string{"general_question"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := Input{Results: tt.results, Articles: kbase}
			for _, id := range tt.matched {
				in.Matched = append(in.Matched, kbase[id])
			}
			require.Equal(t, tt.want, triggerItems(in))
		})
	}
}

// TestRegistryEscalationNames: the issue types and trigger items the family
// registry names are ones the assessment knows.
func TestRegistryEscalationNames(t *testing.T) {
	t.Parallel()
	triggers := append(slices.Clone(triggerOrder), trigGeneral)
	for _, f := range registry.Families() {
		if f.Issue != "" {
			require.Contains(t, issueOrder, f.Issue, f.ID)
		}
		for _, tr := range f.FailTriggers {
			require.Contains(t, triggers, tr, f.ID)
		}
		for _, c := range f.Checks {
			for _, tr := range c.WarnTriggers {
				require.Contains(t, triggers, tr, c.ID)
			}
		}
	}
}
