package cli

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/demo"
	"pitstop/internal/human"
)

// factsJSON is the part of `pitstop check --format json` these tests read.
type factsJSON struct {
	Results []struct {
		ID      string         `json:"id"`
		Status  check.Status   `json:"status"`
		Summary string         `json:"summary"`
		Facts   map[string]any `json:"facts"`
	} `json:"results"`
}

// factRule is one fact docs/ARCHITECTURE.md lists: which check carries it, on which
// statuses it must be there (the ones where the check measured it), and how
// the English summary states it, if it does.
type factRule struct {
	check, fact string
	when        []check.Status
	agrees      func(t *testing.T, summary string, v float64, facts map[string]any)
}

// measuredIf says, for the facts that need it, whether the check had the
// value to measure: a provider that sends no rate-limit headers has no
// limit to report.
var measuredIf = map[string]func(facts map[string]any) bool{
	"api.ratelimit remaining": limitsReported,
	"api.ratelimit limit":     limitsReported,
}

func limitsReported(facts map[string]any) bool {
	n, _ := facts["limits_reported"].(float64)
	return n > 0
}

var measured = []check.Status{check.Pass, check.Warn, check.Fail}

// numbersAfter returns every number the pattern's group captures.
func numbersAfter(re *regexp.Regexp, s string) []float64 {
	var out []float64
	for _, m := range re.FindAllStringSubmatch(s, -1) {
		n, err := strconv.ParseFloat(m[1], 64)
		if err == nil {
			out = append(out, n)
		}
	}
	return out
}

// sameNumbers requires every number the pattern finds in the summary to be v.
func sameNumbers(pattern string) func(*testing.T, string, float64, map[string]any) {
	re := regexp.MustCompile(pattern)
	return func(t *testing.T, summary string, v float64, _ map[string]any) {
		for _, n := range numbersAfter(re, summary) {
			require.Equal(t, v, n, "%q says %v, the fact is %v", summary, n, v)
		}
	}
}

// clockWords is how api.clock words a skew of n seconds.
func clockWords(n int) string {
	switch {
	case n <= 1:
		return "1 second"
	case n < 120:
		return fmt.Sprintf("%d seconds", n)
	case n < 7200:
		return fmt.Sprintf("%d minutes", int(math.Round(float64(n)/60)))
	}
	return fmt.Sprintf("%.1f hours", float64(n)/3600)
}

var factRules = []factRule{
	{"api.reachability", "latency_ms", measured, func(t *testing.T, s string, v float64, _ map[string]any) {
		if strings.Contains(s, " answered in ") || strings.Contains(s, " took ") {
			require.Contains(t, s, human.Latency(v))
		}
	}},
	{"api.reachability", "status_code", measured, sameNumbers(`HTTP (\d+)`)},
	{"api.ratelimit", "remaining", []check.Status{check.Pass, check.Warn}, func(t *testing.T, s string, v float64, f map[string]any) {
		if limit, ok := f["limit"].(float64); ok {
			require.Contains(t, s, fmt.Sprintf("%d of %d", int64(v), int64(limit)))
		}
	}},
	{"api.ratelimit", "limit", []check.Status{check.Pass, check.Warn}, nil},
	{"api.ratelimit", "limits_reported", []check.Status{check.Pass, check.Warn, check.Fail}, nil},
	{"api.clock", "skew_seconds", measured, func(t *testing.T, s string, v float64, _ map[string]any) {
		require.Contains(t, s, clockWords(int(math.Abs(v))))
	}},
	{"smtp.tls", "tls_version", []check.Status{check.Pass}, nil},
	{"smtp.tls", "cert_expiry_unix", []check.Status{check.Pass}, func(t *testing.T, s string, v float64, _ map[string]any) {
		require.Contains(t, s, time.Unix(int64(v), 0).UTC().Format("2006-01-02"))
	}},
	{"domain.spf", "dns_lookups", measured, sameNumbers(`(\d+) DNS lookups?`)},
	{"domain.spf", "void_lookups", measured, sameNumbers(`(\d+) lookups that find nothing`)},
	{"domain.dkim", "key_bits", []check.Status{check.Pass, check.Warn}, func(t *testing.T, s string, v float64, _ map[string]any) {
		bits := numbersAfter(regexp.MustCompile(`(\d+)[- ]bits?`), s)
		if len(bits) > 0 {
			smallest := bits[0]
			for _, b := range bits {
				smallest = min(smallest, b)
			}
			require.Equal(t, v, smallest, s)
		}
	}},
	{"domain.dmarc", "policy", []check.Status{check.Pass, check.Warn}, nil},
	{"domain.dnsbl", "listed", []check.Status{check.Pass, check.Fail}, func(t *testing.T, s string, v float64, _ map[string]any) {
		says := strings.Contains(s, " is listed on ") && !strings.HasPrefix(s, "No checked address")
		require.Equal(t, v > 0, says, s)
	}},
	{"content.prompt", "tokens", []check.Status{check.Pass, check.Warn}, sameNumbers(`(\d+) tokens`)},
	{"content.spam", "score", measured, func(t *testing.T, s string, v float64, _ map[string]any) {
		require.Contains(t, s, fmt.Sprintf("%.1f", v))
	}},
	{"content.headers", "one_click_unsubscribe", measured, nil},
	{"content.headers", "dkim_aligned", measured, nil},
	{"content.headers", "spf_aligned", measured, nil},
	{"domain.bimi", "logo_ok", measured, nil},
	{"crm.permissions", "missing_scopes", []check.Status{check.Fail}, nil},
	{"cache.redis", "used_memory_bytes", []check.Status{check.Pass, check.Warn}, func(t *testing.T, s string, v float64, _ map[string]any) {
		if strings.Contains(s, " used") {
			require.Contains(t, s, human.Bytes(int64(v))+" used")
		}
	}},
	{"cache.redis", "evicted_keys", []check.Status{check.Pass, check.Warn}, func(t *testing.T, s string, v float64, _ map[string]any) {
		sameNumbers(`(\d+) were thrown out`)(t, s, v, nil)
		require.Equal(t, v == 0, !strings.Contains(s, "evicting keys:"), s)
	}},
}

// requireFacts holds one scenario's English and Spanish runs of `pitstop
// check --format json` to the facts contract: every check that measured
// something carries the facts docs/ARCHITECTURE.md lists, each agrees with
// the English summary, and the Spanish run carries the same facts
// (translation touches the prose only). Facts are numbers, booleans and
// short strings.
func requireFacts(t *testing.T, sb *demo.Sandbox, en, es factsJSON) {
	t.Helper()
	byID := map[string]int{}
	for i, r := range en.Results {
		byID[r.ID] = i
		require.NotNil(t, r.Facts, r.ID)
		for k, v := range r.Facts {
			require.Regexp(t, `^[a-z][a-z0-9_]*(\.[A-Za-z0-9_]+)?$`, k, "%s: fact names are snake_case", r.ID)
			switch v := v.(type) {
			case float64, bool:
			case string:
				require.LessOrEqual(t, len(v), 160, "%s.%s is a short string", r.ID, k)
			default:
				require.Failf(t, "not a number, boolean or string", "%s.%s = %#v", r.ID, k, v)
			}
		}
	}
	for _, rule := range factRules {
		i, ok := byID[rule.check]
		require.True(t, ok, "%s did not run", rule.check)
		r := en.Results[i]
		if m := measuredIf[rule.check+" "+rule.fact]; !contains(rule.when, r.Status) || (m != nil && !m(r.Facts)) {
			continue
		}
		v, ok := r.Facts[rule.fact]
		require.True(t, ok, "%s (%s: %s) has no %s fact; it has %v", r.ID, r.Status, r.Summary, rule.fact, r.Facts)
		if n, isNum := v.(float64); isNum && rule.agrees != nil {
			rule.agrees(t, r.Summary, n, r.Facts)
		}
		if s, isStr := v.(string); isStr {
			require.Contains(t, r.Summary, s, "%s.%s", r.ID, rule.fact)
		}
	}
	if sb.Scenario.Name == "spf-too-many-lookups" {
		spf := en.Results[byID["domain.spf"]]
		require.Equal(t, float64(demo.SPFLookupsCount), spf.Facts["dns_lookups"], spf.Summary)
		require.Contains(t, spf.Summary, fmt.Sprintf("needs %d DNS lookups", demo.SPFLookupsCount))
	}
	require.Len(t, es.Results, len(en.Results))
	for _, r := range es.Results {
		want := en.Results[byID[r.ID]].Facts
		require.Equal(t, stable(want), stable(r.Facts), "%s: the Spanish run's facts differ", r.ID)
	}
}

// stable drops the facts that differ from run to run: timings, and the
// clock skew (a second either way on a busy machine).
func stable(facts map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range facts {
		if !strings.HasSuffix(k, "_ms") && k != "skew_seconds" {
			out[k] = v
		}
	}
	return out
}

func contains(list []check.Status, s check.Status) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
