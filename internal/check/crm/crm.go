// Package crm holds the CRM checks: is the token accepted (crm.auth), what
// may it do (crm.permissions), is the CRM answering and how much of its API
// budget is left (crm.availability), and does every field_mapping target
// exist on the object with a fitting type (crm.field_mapping), and what a
// sample of the records holds for personalisation (crm.data_quality). HubSpot,
// Salesforce and Pipedrive each live in their own file behind one small
// interface.
package crm

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/human"
	"pitstop/internal/probe"
)

// The check IDs of this family.
const (
	IDAuth         = "crm.auth"
	IDPermissions  = "crm.permissions"
	IDAvailability = "crm.availability"
	IDFieldMapping = "crm.field_mapping"
	IDDataQuality  = "crm.data_quality"
)

// Knowledge articles the results point to.
const (
	artHubSpotAuth      = "crm-hubspot-auth"
	artHubSpotScopes    = "crm-hubspot-missing-scopes"
	artSFInvalidSession = "crm-salesforce-invalid-session"
	artSFAPIDisabled    = "crm-salesforce-api-disabled"
	artPipedriveAuth    = "crm-pipedrive-auth"
	artUnavailable      = "crm-unavailable"
	artRateLimit        = "crm-rate-limit"
	artFieldMapping     = "crm-field-mapping"
	artSyncFailures     = "crm-sync-failures"
	artIntegration      = "crm-integration-failed"
)

// Thresholds for crm.availability.
const (
	lowBudget   = 0.10            // warn when less than this share of a budget is left
	slowLatency = 3 * time.Second // warn when the CRM takes longer than this
	// sharedTTL is how long one answer is reused by the other checks of the
	// same run (auth and availability read the same request).
	sharedTTL = 15 * time.Second
)

// provider speaks one CRM's API. Each method returns a finished Result; the
// runner fills in ID, category and title. Checks that run in the same run
// share answers through the provider's own memos.
type provider interface {
	// label is the CRM's name for people: "HubSpot".
	label() string
	auth(ctx context.Context) check.Result
	permissions(ctx context.Context) check.Result
	availability(ctx context.Context) check.Result
	// schema reads the object's fields. When it cannot, it returns the
	// Result that says why.
	schema(ctx context.Context) (*schema, *check.Result)

	// What crm.data_quality needs: whether the object can be listed at
	// all, the budgets the shared auth request reported, one page of
	// records (asking, where the API allows it, only for the fields), the
	// budgets an answer's headers report, the first page's cursor, the
	// fewest records a healthy page holds, and notes for the evidence.
	cannotList() (check.Result, bool)
	startBudgets(ctx context.Context) ([]budget, error)
	listPage(ctx context.Context, fields []sampleField, cursor string, want int) page
	headerBudgets(hd http.Header) []budget
	firstCursor() string
	pageFloor() int
	listNotes() []string
}

// options are what tests and benchmarks replace.
type options struct {
	client requester
	log    *slog.Logger
	now    func() time.Time
}

// Checks returns the CRM checks for a profile. Without crm.provider every
// check is skipped with the setting that is missing.
func Checks(p *config.Profile) []check.Check { return newChecks(p, options{}) }

func newChecks(p *config.Profile, o options) []check.Check {
	cfg := withDefaults(p.CRM)
	if o.log == nil {
		o.log = slog.Default()
	}
	if o.now == nil {
		o.now = time.Now
	}
	var clientErr error
	var trustFindings []string // an unusable SSL_CERT_FILE or SSL_CERT_DIR, said once, by crm.auth
	if o.client == nil {
		c, err := probe.NewClient(probe.Options{Logger: o.log})
		o.client, clientErr = c, err
		if err == nil {
			trustFindings = c.TrustFindings()
		}
	}
	door := config.NewScrubber(p.Secrets()...)
	prov, skip := newProvider(cfg, o, door)
	if clientErr != nil && prov != nil {
		skip = func(context.Context, string) (check.Result, bool) {
			return check.Errorf("Could not test: Pitstop could not load the trusted certificates (%v).", clientErr), true
		}
	}
	name := "CRM"
	if prov != nil {
		name = prov.label()
	}
	mk := func(id string, run func(context.Context) check.Result) check.Check {
		return check.Define(id, name, func(ctx context.Context) check.Result {
			if skip != nil {
				if r, skipped := skip(ctx, id); skipped {
					return scrubResult(r, door)
				}
			}
			return scrubResult(run(ctx), door)
		})
	}
	var fm, dq func(context.Context) check.Result
	var auth, perm, avail func(context.Context) check.Result
	if prov != nil {
		auth, perm, avail = prov.auth, prov.permissions, prov.availability
		if len(trustFindings) > 0 {
			auth = func(ctx context.Context) check.Result { return prov.auth(ctx).With(trustFindings...) }
		}
		fm = func(ctx context.Context) check.Result { return fieldMapping(ctx, prov, cfg) }
		dq = func(ctx context.Context) check.Result { return dataQuality(ctx, prov, cfg) }
	}
	return []check.Check{
		mk(IDAuth, auth),
		mk(IDPermissions, perm),
		mk(IDAvailability, avail),
		mk(IDFieldMapping, fm),
		mk(IDDataQuality, dq),
	}
}

// withDefaults fills the provider conventions config applies on load, so a
// profile built in code behaves the same.
func withDefaults(c config.CRMConfig) config.CRMConfig {
	c.Provider = strings.ToLower(strings.TrimSpace(c.Provider))
	if c.BaseURL == "" {
		c.BaseURL = map[string]string{"hubspot": "https://api.hubapi.com", "pipedrive": "https://api.pipedrive.com"}[c.Provider]
	}
	c.BaseURL = strings.TrimRight(strings.TrimSpace(c.BaseURL), "/")
	if c.Object == "" {
		c.Object = map[string]string{"hubspot": "contacts", "salesforce": "Contact", "pipedrive": "person"}[c.Provider]
	}
	return c
}

// newProvider builds the provider, or says why each check must be skipped.
// The skip function returns false for a check that should run anyway.
func newProvider(cfg config.CRMConfig, o options, door *config.Scrubber) (provider, func(ctx context.Context, id string) (check.Result, bool)) {
	switch {
	case cfg.Provider == "":
		return nil, func(context.Context, string) (check.Result, bool) {
			return check.Skipf("No CRM is set up: crm.provider is not set (hubspot, salesforce or pipedrive)."), true
		}
	case cfg.Provider != "hubspot" && cfg.Provider != "salesforce" && cfg.Provider != "pipedrive":
		return nil, func(context.Context, string) (check.Result, bool) {
			return check.Skipf("crm.provider is %q, which Pitstop does not know; use hubspot, salesforce or pipedrive.", cfg.Provider), true
		}
	case cfg.BaseURL == "":
		return nil, func(context.Context, string) (check.Result, bool) {
			return check.Skipf("crm.base_url is not set; for Salesforce it is your instance URL, like https://yourcompany.my.salesforce.com."), true
		}
	}
	ep := &endpoint{base: cfg.BaseURL, client: o.client, door: door}
	var prov provider
	switch cfg.Provider {
	case "hubspot":
		prov = newHubSpot(cfg, ep, o.now)
	case "salesforce":
		prov = newSalesforce(cfg, ep, o.now)
	default:
		prov = newPipedrive(cfg, ep, o.now)
	}
	if !cfg.Token.IsSet() {
		envs := config.CRMTokenEnvNames(cfg.Provider)
		where := "crm.token"
		if len(envs) > 0 {
			where += " or the " + envs[0] + " environment variable"
		}
		// Availability still runs: reachability and server errors need no token.
		return prov, func(_ context.Context, id string) (check.Result, bool) {
			if id == IDAvailability {
				return check.Result{}, false
			}
			return check.Skipf("No %s token is set: put it in %s.", prov.label(), where), true
		}
	}
	return prov, nil
}

// scrubResult passes every string of a result through the door once more:
// the providers quote what the CRM said (messages, names, labels) in many
// places, and the door masks a token echoed in any of them and strips
// control sequences. Text cut earlier went through the door before its cut.
func scrubResult(r check.Result, door *config.Scrubber) check.Result {
	r.Summary = door.Untrusted(r.Summary, 0)
	r.Details = append([]string(nil), r.Details...)
	for i := range r.Details {
		r.Details[i] = door.Untrusted(r.Details[i], 0)
	}
	return r
}

// shared runs one request for every check of a run that needs its answer
// (check.Memo: one cancellation rule, panics recovered), reused for
// sharedTTL.
type shared[T any] struct{ memo check.Memo[T] }

func (s *shared[T]) setClock(now func() time.Time) { s.memo.TTL, s.memo.Now = sharedTTL, now }

func (s *shared[T]) get(ctx context.Context, fn func(context.Context) T) (T, error) {
	return s.memo.Get(ctx, fn)
}

// exchangeFacts are the measured values of one exchange: its status code
// and how long it took, or, without an answer, what kind of failure it was.
// Each result built from the exchange records them (every return of an auth
// check does so through one deferred call).
func exchangeFacts(ex exchange) map[string]any {
	if ex.err != nil {
		kind, _ := classify(ex.err)
		return map[string]any{"failure": kind.String()}
	}
	return map[string]any{"status_code": ex.status, "latency_ms": human.Millis(ex.took)}
}

// cancelled is the result of a check whose context ended while it waited.
func cancelled(err error) check.Result {
	if r, ok := check.ResultOf(err); ok {
		return r // a panic in the shared request, or the run's cancellation
	}
	return check.Errorf("Could not test: the CRM did not answer in time (the timeout). It may be down, or a firewall may be dropping the connection.").
		Explain(artUnavailable)
}

// transportResult explains an exchange that got no HTTP answer. Checks that
// only observe (auth, permissions) report Error; crm.availability reports a
// definite "nothing listens there" or "no such host" as Fail.
func transportResult(name string, ex exchange, availability bool) check.Result {
	kind, why := classify(ex.err)
	var r check.Result
	switch {
	case availability && (kind == errRefused || kind == errNotFound):
		r = check.Failf("Pitstop could not reach %s: %s. Check crm.base_url and the network.", name, why)
	case kind == errTLS:
		r = check.Failf("Pitstop could not open a secure connection to %s: %s.", name, why)
	case kind == errInsecure:
		r = check.Failf("Pitstop did not send the token to %s: crm.base_url uses plain http://, so anyone on the network path could read it. Use https://.", name)
	default:
		r = check.Errorf("Could not test: Pitstop could not get an answer from %s: %s.", name, why)
	}
	return r.With(ex.evidence()...).Explain(artUnavailable).WithFacts(exchangeFacts(ex))
}

// unexpected explains an HTTP answer a check has no specific reading for:
// redirects, rate limits, server errors and anything else.
func unexpected(name string, ex exchange) check.Result {
	switch {
	case ex.err != nil:
		return transportResult(name, ex, false)
	case ex.status >= 300 && ex.status < 400:
		loc := config.RedactURL(ex.header.Get("Location"))
		return check.Failf("%s sent Pitstop elsewhere (%d redirect to %s): crm.base_url is probably not the API address.", name, ex.status, loc).
			With(ex.evidence()...).Explain(artIntegration).WithFacts(exchangeFacts(ex)).WithFact("redirect_location", loc)
	case ex.status == http.StatusTooManyRequests:
		return check.Errorf("Could not test: %s is refusing requests because the API rate limit was reached (429). Try again when it resets.", name).
			With(ex.evidence()...).Explain(artRateLimit)
	case ex.status >= 500:
		return check.Errorf("Could not test: %s had a problem on its side (%d %s).", name, ex.status, http.StatusText(ex.status)).
			With(ex.evidence()...).Explain(artUnavailable)
	case ex.status >= 200 && ex.status < 300:
		return check.Errorf("Could not test: %s answered with %s, not what its API sends. Check that crm.base_url is the API address.", name, describeBody(ex)).
			With(ex.evidence()...).Explain(artIntegration)
	}
	return check.Errorf("Could not test: %s answered %d %s, which Pitstop did not expect.", name, ex.status, http.StatusText(ex.status)).
		With(ex.evidence()...).Explain(artIntegration)
}

// describeBody says what a body that is not the expected JSON looks like.
func describeBody(ex exchange) string {
	ct := ex.header.Get("Content-Type")
	switch {
	case len(ex.body) == 0:
		return "an empty answer"
	case strings.Contains(ct, "html") || strings.HasPrefix(strings.TrimSpace(strings.ToLower(string(ex.body[:min(len(ex.body), 64)]))), "<"):
		return "a web page"
	case !ex.isJSON():
		return "something that is not JSON"
	}
	return "JSON of an unexpected shape"
}

// availabilityResult judges latency, server errors and budgets from one
// exchange and the budgets read from it.
func availabilityResult(name string, ex exchange, budgets []budget, notes ...string) check.Result {
	switch {
	case ex.err != nil:
		return transportResult(name, ex, true)
	case ex.status >= 500:
		return check.Failf("%s is having trouble: it answered %d %s. Syncs will fail until it recovers; its status page says more.", name, ex.status, http.StatusText(ex.status)).
			With(ex.evidence()...).Explain(artUnavailable, artSyncFailures).WithFacts(exchangeFacts(ex))
	case ex.status == http.StatusTooManyRequests:
		return check.Failf("%s is refusing requests right now because the API rate limit was reached (429). Syncs will fail until the limit resets.", name).
			With(ex.evidence()...).With(budgetLines(budgets)...).Explain(artRateLimit, artSyncFailures).WithFacts(exchangeFacts(ex))
	case ex.status >= 300 && ex.status < 400:
		return unexpected(name, ex)
	case !ex.isJSON():
		// A web page or nothing at all: whatever answers is not the API.
		return unexpected(name, ex)
	}
	details := ex.evidence()
	if ex.timings != "" {
		details = append(details, "timings: "+ex.timings)
	}
	details = append(details, budgetLines(budgets)...)
	details = append(details, notes...)
	// The facts: the answer's time and the budget closest to running out;
	// the prose prints them.
	facts := exchangeFacts(ex)
	latency := human.Latency(facts["latency_ms"].(float64))
	low := lowestBudget(budgets)
	if low != nil {
		facts["budget_remaining"], facts["budget_limit"] = low.remaining, low.limit
	}
	if low != nil && low.fraction() < lowBudget {
		return check.Warnf("%s answers (in %s), but only %s of the %s is left (%d of %d). When it runs out, syncs stop until it resets.",
			name, latency, pct(low.fraction()), low.name, facts["budget_remaining"], facts["budget_limit"]).
			With(details...).Explain(artRateLimit).WithFacts(facts)
	}
	if ex.took > slowLatency {
		return check.Warnf("%s answers, but slowly (%s). Syncs may time out.", name, latency).
			With(details...).Explain(artUnavailable).WithFacts(facts)
	}
	summary := check.Sentencef("%s answers in %s", name, latency)
	if main := mainBudget(budgets); main != nil {
		summary += check.Sentencef(", and %s of the %s is left", pct(main.fraction()), main.name)
	}
	return check.Passf("%s.", summary).With(details...).WithFacts(facts)
}

// budget is one API allowance a CRM reports.
type budget struct {
	name      string // "daily API budget"
	limit     int64
	remaining int64
	source    string // where it was read: a header or an endpoint
	// perSecond marks a per-second rate: it refills before a few pages
	// could use it up, so crm.data_quality's share leaves it out.
	perSecond bool
}

func (b budget) fraction() float64 {
	if b.limit <= 0 {
		return 1
	}
	return float64(b.remaining) / float64(b.limit)
}

func lowestBudget(bs []budget) *budget {
	var low *budget
	for i := range bs {
		if bs[i].limit <= 0 {
			continue
		}
		if low == nil || bs[i].fraction() < low.fraction() {
			low = &bs[i]
		}
	}
	return low
}

// mainBudget is the one to name when all is well: the first with a limit
// (providers list the daily budget first).
func mainBudget(bs []budget) *budget {
	for i := range bs {
		if bs[i].limit > 0 {
			return &bs[i]
		}
	}
	return nil
}

func budgetLines(bs []budget) []string {
	var out []string
	for _, b := range bs {
		if b.limit > 0 {
			out = append(out, fmt.Sprintf("%s: %d of %d left (%s), from %s", b.name, b.remaining, b.limit, pct(b.fraction()), b.source))
		} else {
			out = append(out, fmt.Sprintf("%s: %d left, from %s", b.name, b.remaining, b.source))
		}
	}
	return out
}

func pct(f float64) string {
	p := f * 100
	if p > 0 && p < 1 {
		return "under 1%"
	}
	return fmt.Sprintf("%.0f%%", p)
}
