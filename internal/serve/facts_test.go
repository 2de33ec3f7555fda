package serve

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/config"
)

func gather(t *testing.T, results []check.Result, scrub func(string) string) string {
	t.Helper()
	reg := prometheus.NewRegistry()
	registerFacts(reg, factSamples(results, scrub))
	var b strings.Builder
	mfs, err := reg.Gather()
	require.NoError(t, err)
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			b.WriteString(mf.GetName())
			for _, l := range m.GetLabel() {
				b.WriteString(" " + l.GetName() + "=" + l.GetValue())
			}
			b.WriteString(" " + strconv.FormatFloat(m.GetGauge().GetValue(), 'f', -1, 64))
			b.WriteString("\n")
		}
	}
	return b.String()
}

func TestFactsBecomeNamedGauges(t *testing.T) {
	t.Parallel()
	r := func(id string, facts map[string]any) check.Result {
		return check.Result{ID: id, Category: strings.Split(id, ".")[0], Facts: facts}
	}
	tests := []struct {
		name   string
		result check.Result
		want   []string // lines of gather's output
		absent []string // substrings that must not appear
	}{
		{"spf lookups", r("domain.spf", map[string]any{"dns_lookups": 12, "void_lookups": int64(1)}),
			[]string{"pitstop_spf_dns_lookups check=domain.spf 12", "pitstop_spf_void_lookups check=domain.spf 1"}, nil},
		{"certificate expiry", r("smtp.tls", map[string]any{"cert_expiry_unix": int64(1767225600), "tls_version": "TLS 1.3"}),
			[]string{"pitstop_tls_cert_expiry_timestamp_seconds check=smtp.tls 1767225600",
				"pitstop_tls_version_info check=smtp.tls version=TLS 1.3 1"}, nil},
		{"rate limit", r("api.ratelimit", map[string]any{"remaining": 3, "limit": 100.0}),
			[]string{"pitstop_api_ratelimit_remaining check=api.ratelimit 3", "pitstop_api_ratelimit_limit check=api.ratelimit 100"}, nil},
		{"latency in seconds", r("api.reachability", map[string]any{"latency_ms": 250}),
			[]string{"pitstop_api_latency_seconds check=api.reachability 0.25"}, nil},
		{"crm quality", r("crm.data_quality", map[string]any{
			"duplicate_emails": 7, "invalid_emails": 2, "records_sampled": 500, "complete_ratio": 0.62,
			"fill_ratio.FirstName": 0.9, "fill_ratio.pz_score": 0.5,
		}), []string{
			"pitstop_crm_duplicate_emails check=crm.data_quality 7",
			"pitstop_crm_invalid_emails check=crm.data_quality 2",
			"pitstop_crm_records_sampled check=crm.data_quality 500",
			"pitstop_crm_complete_ratio check=crm.data_quality 0.62",
			"pitstop_crm_field_fill_ratio check=crm.data_quality field=FirstName 0.9",
			"pitstop_crm_field_fill_ratio check=crm.data_quality field=pz_score 0.5",
		}, nil},
		{"booleans are 0 and 1", r("content.headers", map[string]any{"one_click_unsubscribe": true, "dkim_aligned": false}),
			[]string{"pitstop_email_one_click_unsubscribe check=content.headers 1", "pitstop_email_dkim_aligned check=content.headers 0"}, nil},
		{"dmarc policy from a closed list", r("domain.dmarc", map[string]any{"policy": "reject"}),
			[]string{"pitstop_dmarc_policy_info check=domain.dmarc policy=reject 1"}, nil},
		{"a string outside the list is left out", r("domain.dmarc", map[string]any{"policy": "v=DMARC1; rua=mailto:ana@example.com"}),
			nil, []string{"ana@example.com", "pitstop_dmarc_policy_info"}},
		{"free-text facts are never exported", r("crm.auth", map[string]any{"portal": "Acme Ltd", "user": "ana@example.com"}),
			nil, []string{"Acme", "ana@"}},
		{"a numeric fact without a row is named from its category and key", r("api.auth", map[string]any{"status_code": 401, "key_set": true}),
			[]string{"pitstop_api_status_code check=api.auth 401", "pitstop_api_key_set check=api.auth 1"}, nil},
		{"derived names use base units", r("smtp.connect", map[string]any{"greeting_ms": 120, "expiry_unix": 1767225600}),
			[]string{"pitstop_smtp_greeting_seconds check=smtp.connect 0.12", "pitstop_smtp_expiry_timestamp_seconds check=smtp.connect 1767225600"}, nil},
		{"one quantity from two checks keeps one name", r("crm.auth", map[string]any{"latency_ms": 30}),
			[]string{"pitstop_crm_latency_seconds check=crm.auth 0.03"}, nil},
		{"left out: duplicates, odd keys, other units, clashes", r("api.reachability", map[string]any{
			"cert_days_left": 12, "CamelKey": 1, "age_days": 3, "size_kilobytes": 2, "ratelimit_remaining": 5, "sent_total": 9}),
			nil, []string{"days", "Camel", "kilobytes", "pitstop_api_ratelimit_remaining", "sent"}},
		{"a TLS version from a closed list", r("api.reachability", map[string]any{"tls_version": "TLS 1.2"}),
			[]string{"pitstop_tls_version_info check=api.reachability version=TLS 1.2 1"}, nil},
		{"NaN and infinities are left out", r("content.spam", map[string]any{"score": math.NaN()}),
			nil, []string{"pitstop_spam_score"}},
		{"a field name that is not a name is left out", r("crm.data_quality", map[string]any{"fill_ratio.<b>x</b>": 0.5, "fill_ratio.": 0.1}),
			nil, []string{"<b>", "field="}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := gather(t, []check.Result{tt.result}, func(s string) string { return s })
			for _, w := range tt.want {
				require.Contains(t, got, w+"\n")
			}
			for _, a := range tt.absent {
				require.NotContains(t, got, a)
			}
		})
	}
}

func TestFactLabelsNeverCarryASecret(t *testing.T) {
	t.Parallel()
	secret := "FirstName"
	scrub := config.NewScrubber(config.NewSecret(secret, "test")).Scrub
	got := gather(t, []check.Result{{ID: "crm.data_quality", Facts: map[string]any{"fill_ratio." + secret: 0.5, "fill_ratio.email": 1}}}, scrub)
	require.NotContains(t, got, secret)
	require.Contains(t, got, "field=email 1")
}

func TestFillRatioLabelsAreBounded(t *testing.T) {
	t.Parallel()
	facts := map[string]any{}
	for i := range maxPrefixLabels + 50 {
		facts["fill_ratio.f"+strconv.Itoa(i)] = 0.5
	}
	got := gather(t, []check.Result{{ID: "crm.data_quality", Facts: facts}}, func(s string) string { return s })
	require.Equal(t, maxPrefixLabels, strings.Count(got, "pitstop_crm_field_fill_ratio"))
}

// TestDesignFactsHaveRows: every fact DESIGN.md lists has a gauge of its
// own, and the table is consistent (valid names, one help and label set per
// name, names that say their unit).
func TestDesignFactsHaveRows(t *testing.T) {
	t.Parallel()
	design := map[string][]string{
		"api.reachability": {"latency_ms"},
		"api.ratelimit":    {"remaining", "limit"},
		"api.clock":        {"skew_seconds"},
		"smtp.tls":         {"tls_version", "cert_expiry_unix"},
		"domain.spf":       {"dns_lookups", "void_lookups"},
		"domain.dkim":      {"key_bits"},
		"domain.dmarc":     {"policy"},
		"domain.dnsbl":     {"listed"},
		"content.prompt":   {"tokens"},
		"content.spam":     {"score"},
		"cache.redis":      {"used_memory_bytes", "evicted_keys"},
		"crm.data_quality": {"records_sampled", "duplicate_emails", "invalid_emails", "fill_ratio.Email", "complete_ratio"},
		"content.headers":  {"one_click_unsubscribe", "dkim_aligned", "spf_aligned"},
		"domain.bimi":      {"logo_ok"},
	}
	for id, keys := range design {
		for _, k := range keys {
			m, _ := lookupFact(id, k)
			require.NotNil(t, m, "%s %s has no row in FactMetrics", id, k)
		}
	}
	nameRe := regexp.MustCompile(`^pitstop_[a-z0-9_]+$`)
	seen := map[string]FactMetric{}
	for _, m := range FactMetrics {
		if m.Skip {
			continue
		}
		require.Regexp(t, nameRe, m.Name)
		require.NotEmpty(t, m.Help, m.Name)
		require.False(t, strings.HasSuffix(m.Name, "_total"), "%s: a gauge is not a counter", m.Name)
		require.False(t, strings.HasSuffix(m.Name, "_ms"), "%s: Prometheus uses seconds", m.Name)
		if prev, ok := seen[m.Name]; ok {
			require.Equal(t, prev.Help, m.Help, m.Name)
			require.Equal(t, prev.Label, m.Label, m.Name)
		}
		seen[m.Name] = m
	}
}

func TestFactGaugesPassTheLinter(t *testing.T) {
	t.Parallel()
	results := []check.Result{{ID: "crm.auth", Category: "crm", Facts: map[string]any{"latency_ms": 12, "user_active": true, "budget_remaining": 900}}}
	for _, m := range FactMetrics {
		if m.Skip {
			continue
		}
		key := m.Fact
		var v any = 1
		if strings.HasSuffix(key, ".") {
			key += "Email"
		}
		if len(m.Values) > 0 {
			v = m.Values[0]
		}
		id := m.Check
		if id == "" {
			id = "smtp.tls"
		}
		results = append(results, check.Result{ID: id, Category: strings.Split(id, ".")[0], Facts: map[string]any{key: v}})
	}
	reg := prometheus.NewRegistry()
	registerFacts(reg, factSamples(results, func(s string) string { return s }))
	problems, err := testutil.GatherAndLint(reg)
	require.NoError(t, err)
	require.Empty(t, problems)
}

// TestEveryCheckFactPassesTheLinter feeds the fact keys the checks record
// (each as a number, the worst case: nothing is left out for being text)
// through the mapping and Prometheus's linter: whatever names come out are
// valid, in base units, and register without a clash.
func TestEveryCheckFactPassesTheLinter(t *testing.T) {
	t.Parallel()
	keys := map[string]string{
		"api":     "body_truncated cert_days_left cert_expiry_unix cert_verified endpoints endpoints_healthy key_scopes key_set latency_ms limit models_visible problems remaining retry_after_seconds skew_seconds status_code",
		"cache":   "evicted_keys keyspace_hits keyspace_misses latency_ms maxmemory_bytes used_memory_bytes",
		"content": "characters max_tokens rules_hit score spamd_reachable threshold tokens words one_click_unsubscribe dkim_aligned spf_aligned",
		"crm":     "budget_limit budget_remaining fields_mapped fields_missing latency_ms status_code user_active user_admin write_confirmed records_sampled duplicate_emails invalid_emails complete_ratio fill_ratio.Email",
		"domain":  "addresses_checked dmarc_records dns_lookups key_bits keys_found listed mx_records mx_resolved null_mx pct queries queries_failed queries_refused selectors_checked smtp_host_authorised spf_records void_lookups logo_ok",
		"smtp":    "auth_offered cert_days_left cert_expiry_unix cert_verified encrypted enhanced_code greeting_code greeting_ms latency_ms message_bytes port reply_code starttls_offered",
	}
	var results []check.Result
	for cat, list := range keys {
		facts := map[string]any{}
		for _, k := range strings.Fields(list) {
			facts[k] = 1
		}
		for _, id := range []string{cat + ".one", cat + ".two"} {
			results = append(results, check.Result{ID: id, Category: cat, Facts: facts})
		}
	}
	reg := prometheus.NewRegistry()
	samples := factSamples(results, func(s string) string { return s })
	require.Greater(t, len(samples), 100)
	registerFacts(reg, samples)
	problems, err := testutil.GatherAndLint(reg)
	require.NoError(t, err)
	require.Empty(t, problems)
	mfs, err := reg.Gather()
	require.NoError(t, err)
	var series int
	for _, mf := range mfs {
		series += len(mf.GetMetric())
	}
	require.Equal(t, len(samples), series, "every sample registered")
}
