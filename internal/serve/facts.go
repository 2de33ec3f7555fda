package serve

import (
	"encoding/json"
	"math"
	"regexp"
	"sort"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"pitstop/internal/check"
)

// FactMetric says how one fact of one check (Result.Facts, DESIGN.md) becomes
// a gauge: its name says what it measures, in Prometheus's base units.
type FactMetric struct {
	Check string // check id: "domain.spf"
	Fact  string // fact key, or a key prefix ending in "." ("fill_ratio.")
	Name  string // metric name
	Help  string
	// Scale multiplies the value (0.001 turns milliseconds into seconds); 0 means 1.
	Scale float64
	// Label, for a prefix fact, names the label that carries the rest of
	// the key ("field" for fill_ratio.FirstName); for a string fact, the
	// label that carries the value (an info gauge set to 1).
	Label string
	// Values, for a string fact, are the values that may be exported; any
	// other value is left out (a label never carries free text).
	Values []string
	// Skip leaves the fact out: another gauge says the same better.
	Skip bool
}

// FactMetrics is the one table from facts to metrics: the facts DESIGN.md
// names, under names chosen for them. A row with no Check matches the key in
// every check. Every gauge also has a "check" label, so one quantity
// measured by two checks (a certificate's expiry) keeps one name. A numeric
// fact without a row still becomes a gauge, named from its category and key
// (see derivedMetric).
var FactMetrics = []FactMetric{
	{Check: "api.reachability", Fact: "latency_ms", Name: "pitstop_api_latency_seconds", Scale: 0.001,
		Help: "How long the AI API took to answer the reachability probe, in seconds."},
	{Check: "api.ratelimit", Fact: "remaining", Name: "pitstop_api_ratelimit_remaining",
		Help: "Requests the AI API's rate limit still allows in the current window."},
	{Check: "api.ratelimit", Fact: "limit", Name: "pitstop_api_ratelimit_limit",
		Help: "Requests the AI API's rate limit allows per window."},
	{Check: "api.clock", Fact: "skew_seconds", Name: "pitstop_api_clock_skew_seconds",
		Help: "How far the AI API's clock is from this machine's, in seconds (positive: the server is ahead)."},
	{Check: "api.reachability", Fact: "cert_expiry_unix", Name: "pitstop_tls_cert_expiry_timestamp_seconds",
		Help: "When the server's TLS certificate expires, as a Unix timestamp."},
	{Check: "smtp.tls", Fact: "cert_expiry_unix", Name: "pitstop_tls_cert_expiry_timestamp_seconds",
		Help: "When the server's TLS certificate expires, as a Unix timestamp."},
	{Fact: "cert_days_left", Skip: true}, // pitstop_tls_cert_expiry_timestamp_seconds says it
	{Fact: "tls_version", Name: "pitstop_tls_version_info", Label: "version",
		Values: []string{"TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3", "SSLv3"},
		Help:   "The TLS version the server negotiated (1 for the version seen)."},
	{Check: "api.config", Fact: "provider", Name: "pitstop_api_provider_info", Label: "provider",
		Values: []string{"copycar", "openai", "anthropic", "custom"},
		Help:   "The AI API provider the profile uses (1 for the provider set)."},
	{Check: "cache.redis", Fact: "maxmemory_policy", Name: "pitstop_redis_maxmemory_policy_info", Label: "policy",
		Values: []string{"noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"},
		Help:   "Redis's maxmemory-policy (1 for the policy set); noeviction makes writes fail when memory is full."},
	{Check: "domain.spf", Fact: "dns_lookups", Name: "pitstop_spf_dns_lookups",
		Help: "DNS lookups the sender domain's SPF record needs, over its whole include tree (receivers allow 10)."},
	{Check: "domain.spf", Fact: "void_lookups", Name: "pitstop_spf_void_lookups",
		Help: "SPF lookups that return no answer, over the whole include tree (receivers allow 2)."},
	{Check: "domain.dkim", Fact: "key_bits", Name: "pitstop_dkim_key_size",
		Help: "Size in bits of the smallest DKIM public key found for the configured selectors (the name leaves the unit out: Prometheus would ask for bytes, mail people count bits)."},
	{Check: "domain.dmarc", Fact: "policy", Name: "pitstop_dmarc_policy_info", Label: "policy",
		Values: []string{"none", "quarantine", "reject"},
		Help:   "The sender domain's DMARC policy (1 for the policy published)."},
	{Check: "domain.dnsbl", Fact: "listed", Name: "pitstop_dnsbl_listed",
		Help: "Blocklists that list the sending host or domain."},
	{Check: "domain.bimi", Fact: "logo_ok", Name: "pitstop_bimi_logo_valid",
		Help: "1 when the BIMI logo is a valid SVG Tiny PS, 0 when it is not."},
	{Check: "content.prompt", Fact: "tokens", Name: "pitstop_prompt_tokens",
		Help: "Tokens in the configured prompt."},
	{Check: "content.spam", Fact: "score", Name: "pitstop_spam_score",
		Help: "Spam score of the configured email (SpamAssassin points)."},
	{Check: "content.headers", Fact: "one_click_unsubscribe", Name: "pitstop_email_one_click_unsubscribe",
		Help: "1 when the email offers one-click unsubscribe (RFC 8058), 0 when it does not."},
	{Check: "content.headers", Fact: "dkim_aligned", Name: "pitstop_email_dkim_aligned",
		Help: "1 when the email's DKIM signature aligns with its From domain."},
	{Check: "content.headers", Fact: "spf_aligned", Name: "pitstop_email_spf_aligned",
		Help: "1 when the email's SPF domain aligns with its From domain."},
	{Check: "cache.redis", Fact: "used_memory_bytes", Name: "pitstop_redis_used_memory_bytes",
		Help: "Memory the Redis cache uses, in bytes."},
	{Check: "cache.redis", Fact: "evicted_keys", Name: "pitstop_redis_evicted_keys",
		Help: "Keys Redis has evicted for lack of memory since it started."},
	{Check: "crm.data_quality", Fact: "records_sampled", Name: "pitstop_crm_records_sampled",
		Help: "CRM records read for the data quality check."},
	{Check: "crm.data_quality", Fact: "duplicate_emails", Name: "pitstop_crm_duplicate_emails",
		Help: "Sampled CRM records whose email address another sampled record also has."},
	{Check: "crm.data_quality", Fact: "invalid_emails", Name: "pitstop_crm_invalid_emails",
		Help: "Sampled CRM records whose email address is not valid."},
	{Check: "crm.data_quality", Fact: "complete_ratio", Name: "pitstop_crm_complete_ratio",
		Help: "Share of sampled CRM records with every mapped field filled (0 to 1)."},
	{Check: "crm.data_quality", Fact: "fill_ratio.", Name: "pitstop_crm_field_fill_ratio", Label: "field",
		Help: "Share of sampled CRM records with the field filled (0 to 1), per mapped CRM field."},
}

// maxPrefixLabels bounds the series one prefix fact may add to a probe.
const maxPrefixLabels = 100

// labelValueRe is what a label value taken from a fact key may look like
// (a CRM field name: FirstName, pz_score, custom_field__c).
var labelValueRe = regexp.MustCompile(`^[A-Za-z0-9_.:-]{1,64}$`)

// factSample is one fact turned into a sample of a gauge.
type factSample struct {
	metric *FactMetric
	check  string
	label  string // the prefix label's or the string fact's value
	value  float64
}

var (
	factKeyRe = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)
	// notBaseUnits are name parts Prometheus's linter rejects (it wants
	// seconds, bytes ... and no prefixes); a derived name with one is left out.
	notBaseUnits = regexp.MustCompile(`(^|_)(minutes|hours|days|weeks|bits|kelvins|fahrenheit|inches|yards|miles|calories|pounds|ounces|` +
		`(pico|nano|micro|milli|centi|deci|deca|hecto|kilo|kibi|mega|mebi|giga|gibi|tera|tebi|peta|pebi)(seconds|bytes|meters|grams|joules|volts|amperes))(_|$)`)
	// reservedNames are the table's names: a derived name never takes one.
	reservedNames = func() map[string]bool {
		names := map[string]bool{}
		for _, m := range FactMetrics {
			names[m.Name] = true
		}
		return names
	}()
)

// derivedMetric names a numeric fact the table has no row for after what
// it is: pitstop_<category>_<key>, with milliseconds turned into seconds
// (latency_ms → pitstop_crm_latency_seconds) and Unix times into
// timestamps. Keys that are not snake_case, names that would clash with a
// named metric, and units Prometheus does not use are left out.
func derivedMetric(category, key string) *FactMetric {
	if !factKeyRe.MatchString(key) || !factKeyRe.MatchString(category) || strings.HasSuffix(key, "_total") {
		return nil
	}
	base, scale := key, 0.0
	switch {
	case strings.HasSuffix(key, "_ms"):
		base, scale = strings.TrimSuffix(key, "_ms")+"_seconds", 0.001
	case strings.HasSuffix(key, "_unix"):
		base = strings.TrimSuffix(key, "_unix") + "_timestamp_seconds"
	}
	name := "pitstop_" + category + "_" + base
	if reservedNames[name] || probeMetricNames[name] || notBaseUnits.MatchString(base) {
		return nil
	}
	return &FactMetric{Fact: key, Name: name, Scale: scale,
		Help: "The " + key + " fact the " + category + " checks measured (the facts of `pitstop check --format json`)."}
}

// lookupFact finds the table row for a check's fact key.
func lookupFact(checkID, key string) (*FactMetric, string) {
	for i := range FactMetrics {
		m := &FactMetrics[i]
		if m.Check != checkID && m.Check != "" {
			continue
		}
		if strings.HasSuffix(m.Fact, ".") {
			if rest, ok := strings.CutPrefix(key, m.Fact); ok && rest != "" {
				return m, rest
			}
			continue
		}
		if m.Fact == key {
			return m, ""
		}
	}
	return nil, ""
}

// factSamples turns the facts of results into samples. Only numbers,
// booleans and the string values a row allows become samples; a string
// fact is never exported as free text. scrub masks secrets: a label value
// it changes is left out.
func factSamples(results []check.Result, scrub func(string) string) []factSample {
	var out []factSample
	for _, r := range results {
		keys := make([]string, 0, len(r.Facts))
		for k := range r.Facts {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		prefixed := map[string]int{}
		for _, k := range keys {
			v := r.Facts[k]
			m, rest := lookupFact(r.ID, k)
			if s, isString := v.(string); isString {
				if m == nil || m.Skip || m.Label == "" || strings.HasSuffix(m.Fact, ".") {
					continue
				}
				if allowed(m.Values, s) && scrub(s) == s {
					out = append(out, factSample{metric: m, check: r.ID, label: s, value: 1})
				}
				continue
			}
			f, ok := number(v)
			if !ok {
				continue
			}
			if m == nil {
				if m = derivedMetric(r.Category, k); m == nil {
					continue
				}
			}
			if m.Skip {
				continue
			}
			if m.Scale != 0 {
				f *= m.Scale
			}
			if rest != "" {
				if !labelValueRe.MatchString(rest) || scrub(rest) != rest || prefixed[m.Name] >= maxPrefixLabels {
					continue
				}
				prefixed[m.Name]++
			}
			out = append(out, factSample{metric: m, check: r.ID, label: rest, value: f})
		}
	}
	return out
}

func allowed(values []string, s string) bool {
	for _, v := range values {
		if v == s {
			return true
		}
	}
	return false
}

// number reads a numeric or boolean fact as a float (true is 1).
func number(v any) (float64, bool) {
	var f float64
	switch n := v.(type) {
	case bool:
		if n {
			return 1, true
		}
		return 0, true
	case int:
		f = float64(n)
	case int8:
		f = float64(n)
	case int16:
		f = float64(n)
	case int32:
		f = float64(n)
	case int64:
		f = float64(n)
	case uint:
		f = float64(n)
	case uint8:
		f = float64(n)
	case uint16:
		f = float64(n)
	case uint32:
		f = float64(n)
	case uint64:
		f = float64(n)
	case float32:
		f = float64(n)
	case float64:
		f = n
	case json.Number:
		x, err := n.Float64()
		if err != nil {
			return 0, false
		}
		f = x
	default:
		return 0, false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// registerFacts adds one gauge per metric name the samples use to reg. A
// gauge the registry refuses (a clash no table row foresaw) is left out
// rather than failing the probe.
func registerFacts(reg *prometheus.Registry, samples []factSample) {
	vecs := map[string]*prometheus.GaugeVec{}
	for _, s := range samples {
		labels, values := []string{"check"}, []string{s.check}
		if s.metric.Label != "" {
			labels, values = append(labels, s.metric.Label), append(values, s.label)
		}
		vec, ok := vecs[s.metric.Name]
		if !ok {
			vec = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: s.metric.Name, Help: s.metric.Help}, labels)
			if err := reg.Register(vec); err != nil {
				vec = nil
			}
			vecs[s.metric.Name] = vec
		}
		if vec != nil {
			vec.WithLabelValues(values...).Set(s.value)
		}
	}
}
