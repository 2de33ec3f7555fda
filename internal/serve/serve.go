// Package serve is Pitstop's Prometheus exporter, built on the multi-target
// pattern of Prometheus's blackbox_exporter: Prometheus decides which
// profile to probe and when (GET /probe?profile=NAME), the exporter runs
// that profile's checks and answers with their results as metrics, from a
// registry made for that probe alone. Results are reused for a TTL and
// concurrent probes of one profile share one run, so however often and from
// however many Prometheus servers a profile is scraped, its providers see
// at most one run per TTL.
package serve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/exporter-toolkit/web"
	"golang.org/x/sync/singleflight"

	"pitstop/internal/check"
	"pitstop/internal/check/suite"
	"pitstop/internal/config"
	"pitstop/internal/registry"
)

// Defaults for Options.
const (
	DefaultCacheTTL      = 30 * time.Second
	DefaultConcurrency   = 8
	DefaultTimeoutOffset = 500 * time.Millisecond
	// DefaultProbeBudget bounds a probe that carries no
	// X-Prometheus-Scrape-Timeout-Seconds header (a person with curl).
	DefaultProbeBudget = 2 * time.Minute
)

// Options configure a Server.
type Options struct {
	// SettingsPath is the settings file ("" as for every command:
	// $PITSTOP_CONFIG, else the XDG default).
	SettingsPath string
	// CacheTTL is how long a profile's results are reused (0: never).
	CacheTTL time.Duration
	// Concurrency bounds the profiles probed at once.
	Concurrency int
	// CheckTimeout bounds each check (--timeout); the probe budget may
	// shorten it.
	CheckTimeout time.Duration
	// TimeoutOffset is taken off Prometheus's scrape timeout, so the answer
	// reaches Prometheus before it gives up.
	TimeoutOffset time.Duration
	// Checks builds a profile's checks (suite.For when nil).
	Checks func(p *config.Profile, categories []string) []check.Check
	// Logger receives the exporter's own messages (already scrubbed by the
	// caller's handler, if any); slog.Default when nil.
	Logger *slog.Logger
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Version is reported by pitstop_build_info.
	Version string
	// Lang is the language of the landing page (--lang); English when ""
	// or not one of i18n.Languages(). Metrics and probe errors are for
	// machines and logs, and stay English.
	Lang string
}

// Server is the exporter. Its zero value is not usable; use New.
type Server struct {
	opts     Options
	log      *slog.Logger
	settings atomic.Pointer[Settings]
	gen      atomic.Uint64 // bumped at each successful reload; part of the cache key

	cache *resultCache
	group singleflight.Group
	slots chan struct{}

	reloadMu sync.Mutex
	metrics  *selfMetrics
}

// New loads the settings and returns a server. A settings file that does
// not load at all is an error; one whose profiles partly load is served,
// and each broken profile says why at its probes and on the landing page.
func New(opts Options) (*Server, error) {
	if opts.CacheTTL < 0 {
		opts.CacheTTL = 0
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = DefaultConcurrency
	}
	if opts.CheckTimeout <= 0 {
		opts.CheckTimeout = check.DefaultTimeout
	}
	if opts.TimeoutOffset < 0 {
		opts.TimeoutOffset = 0
	}
	if opts.Checks == nil {
		opts.Checks = suite.For
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{
		opts:  opts,
		log:   opts.Logger,
		cache: newResultCache(opts.CacheTTL),
		slots: make(chan struct{}, opts.Concurrency),
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	st, err := LoadSettings(opts.SettingsPath, opts.Now())
	if err != nil {
		return nil, err
	}
	s.settings.Store(st)
	s.metrics = newSelfMetrics(s)
	s.metrics.reloaded(st, true, opts.Now())
	s.logBroken(st)
	return s, nil
}

// Settings returns the settings being served.
func (s *Server) Settings() *Settings { return s.settings.Load() }

// Scrub masks the served settings' secrets in text (for log handlers).
func (s *Server) Scrub(text string) string {
	if st := s.settings.Load(); st != nil {
		return st.Scrub(text)
	}
	return text
}

// Reload reads the settings file again. When it does not load, the last
// good settings stay in service, the error is logged and
// pitstop_settings_last_reload_successful drops to 0; the error is returned.
func (s *Server) Reload() error {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	now := s.opts.Now()
	st, err := LoadSettings(s.opts.SettingsPath, now)
	if err != nil {
		err = s.Settings().scrub.ScrubError(err)
		s.log.Error("settings reload failed; still serving the settings loaded before", "error", err.Error(),
			"loaded_at", s.Settings().Loaded.UTC().Format(time.RFC3339))
		s.metrics.reloaded(s.Settings(), false, now)
		return err
	}
	s.settings.Store(st)
	s.gen.Add(1)
	s.cache.clear()
	s.metrics.reloaded(st, true, now)
	s.log.Info("settings reloaded", "profiles", len(st.Config.Profiles), "broken", len(st.Broken))
	s.logBroken(st)
	return nil
}

func (s *Server) logBroken(st *Settings) {
	for _, name := range sortedKeys(st.Broken) {
		s.log.Warn("profile settings do not load; its probes report pitstop_settings_valid 0", "profile", name,
			"error", st.Scrub(st.Broken[name].Error()))
	}
}

// Handler serves /probe, /metrics and the landing page.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/probe", s.serveProbe)
	mux.Handle("/metrics", promhttp.InstrumentMetricHandler(s.metrics.reg,
		promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{EnableOpenMetrics: true})))
	mux.HandleFunc("/", s.serveLanding)
	return mux
}

// probeError is a probe that could not be answered with metrics.
type probeError struct {
	status int
	msg    string
}

func (e *probeError) Error() string { return e.msg }

// request is a parsed /probe query.
type request struct {
	profile    *config.Profile
	name       string
	categories []string // as asked, normalized; nil: every configured one
	broken     error    // the profile's settings do not load
}

// parseRequest checks the query against the served settings.
func (s *Server) parseRequest(st *Settings, q map[string][]string) (request, *probeError) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	name := strings.TrimSpace(get("profile"))
	if name == "" {
		return request{}, &probeError{http.StatusBadRequest, "the profile parameter is missing: ask for /probe?profile=NAME (the profiles are listed at /)"}
	}
	cats, err := suite.ParseOnly(get("only"))
	if err != nil {
		return request{}, &probeError{http.StatusBadRequest, strings.Replace(err.Error(), "in --only", "in only=", 1)}
	}
	if berr, ok := st.Broken[name]; ok {
		return request{name: name, categories: cats, broken: berr}, nil
	}
	p, ok := st.Config.Profiles[name]
	if !ok {
		return request{}, &probeError{http.StatusBadRequest, fmt.Sprintf("unknown profile %q; the profiles are: %s", name, strings.Join(st.ProfileNames(), ", "))}
	}
	var missing []string
	for _, c := range cats {
		if !p.Configured(c) {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return request{}, &probeError{http.StatusBadRequest, fmt.Sprintf("profile %q does not configure %s, so nothing there can be probed; configured: %s",
			name, strings.Join(missing, ","), strings.Join(registry.Configured(p), ","))}
	}
	if len(registry.Configured(p)) == 0 && len(cats) == 0 {
		return request{}, &probeError{http.StatusBadRequest, fmt.Sprintf("profile %q configures nothing to check", name)}
	}
	return request{profile: p, name: name, categories: cats}, nil
}

// budget is how long a probe may take: Prometheus's scrape timeout minus
// the offset, as blackbox_exporter does, or DefaultProbeBudget without one.
func (s *Server) budget(r *http.Request) (time.Duration, *probeError) {
	v := r.Header.Get("X-Prometheus-Scrape-Timeout-Seconds")
	if v == "" {
		return DefaultProbeBudget, nil
	}
	secs, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || secs <= 0 || secs > 86400 {
		return 0, &probeError{http.StatusBadRequest, fmt.Sprintf("X-Prometheus-Scrape-Timeout-Seconds is %q; expected a number of seconds", v)}
	}
	total := time.Duration(secs * float64(time.Second))
	b := total - s.opts.TimeoutOffset
	if b < total/2 {
		// An offset as long as the timeout would leave nothing: keep half.
		b = total / 2
	}
	return b, nil
}

// key names a run in the cache and in the singleflight group: the same
// profile and categories under the same settings share results.
func (s *Server) key(name string, cats []string) string {
	sorted := slices.Clone(cats)
	sort.Strings(sorted)
	return fmt.Sprintf("%d\x00%s\x00%s", s.gen.Load(), name, strings.Join(sorted, ","))
}

// outcome is how a probe got its results.
type outcome int

const (
	fromRun    outcome = iota // this probe started the run
	fromShared                // joined a run another probe started
	fromCache                 // the cache had them
)

// results returns the run for req: from the cache, from a run in flight,
// or from a new run (which waits for one of the Concurrency slots). The run
// itself is detached from the request (one impatient caller must not cancel
// the others' run) and bounded by budget; a caller whose own deadline comes
// first gets an error while the run goes on and fills the cache.
func (s *Server) results(ctx context.Context, req request, budget time.Duration) (*run, outcome, error) {
	key := s.key(req.name, req.categories)
	if r, ok := s.cache.get(key, s.opts.Now()); ok {
		return r, fromCache, nil
	}
	// how is written by the function only when this caller's one runs
	// (singleflight runs the first caller's), before the result is sent.
	how := fromShared
	ch := s.group.DoChan(key, func() (any, error) {
		how = fromRun
		// A probe may have filled the cache between our look and now.
		if r, ok := s.cache.get(key, s.opts.Now()); ok {
			how = fromCache
			return r, nil
		}
		// The run stops well before the probe must answer, so the answer
		// (with what did not finish) is written in time: the runner takes
		// a few tens of milliseconds to give up on checks that outlive
		// their deadline, more on a loaded machine.
		deadline, ok := ctx.Deadline()
		if !ok {
			deadline = time.Now().Add(budget)
		}
		runCtx, cancel := context.WithDeadline(context.WithoutCancel(ctx), deadline.Add(-runMargin(budget)))
		defer cancel()
		s.metrics.waiting.Inc()
		select {
		case s.slots <- struct{}{}:
			s.metrics.waiting.Dec()
		case <-runCtx.Done():
			s.metrics.waiting.Dec()
			return nil, &probeError{http.StatusServiceUnavailable, fmt.Sprintf(
				"profile %q was not probed: other profiles held every one of the %d run slots (--concurrency) for the whole %s this probe could wait; raise --concurrency, lengthen scrape_timeout or spread the scrapes",
				req.name, s.opts.Concurrency, budget.Round(time.Millisecond))}
		}
		defer func() { <-s.slots }()
		r := s.runChecks(runCtx, req)
		s.cache.put(key, r, s.opts.Now())
		return r, nil
	})
	select {
	case res := <-ch:
		if res.Err != nil {
			return nil, fromRun, res.Err
		}
		return res.Val.(*run), how, nil
	case <-ctx.Done():
		// Both may be ready at once on a busy machine: the run's own answer
		// (results, or why it could not start) says more than "time ran out".
		select {
		case res := <-ch:
			if res.Err != nil {
				return nil, fromRun, res.Err
			}
			return res.Val.(*run), how, nil
		default:
		}
		return nil, fromShared, &probeError{http.StatusServiceUnavailable, fmt.Sprintf(
			"profile %q: its checks were still running when this probe's time ran out; the run goes on and the next probe gets its results", req.name)}
	}
}

// runMargin is how long before a probe's deadline its run stops: a fifth
// of the budget, at most 250 ms.
func runMargin(budget time.Duration) time.Duration { return min(budget/5, 250*time.Millisecond) }

// runChecks runs the profile's checks until ctx's deadline. Each check keeps
// --timeout unless less time is left; checks the deadline cuts short end
// as Error (could not test), never as Fail.
func (s *Server) runChecks(ctx context.Context, req request) *run {
	s.metrics.inFlight.Inc()
	defer s.metrics.inFlight.Dec()
	checks := s.opts.Checks(lookOnly(req.profile), req.categories)
	st := s.Settings()
	budget := s.opts.CheckTimeout
	if d, ok := ctx.Deadline(); ok {
		budget = min(budget, time.Until(d).Round(time.Millisecond))
	}
	runner := &check.Runner{Timeout: budget, Scrub: st.Scrub}
	start := time.Now()
	results := runner.Run(ctx, checks)
	elapsed := time.Since(start)
	s.metrics.runs.Inc()
	s.metrics.runDuration.Observe(elapsed.Seconds())
	r := &run{Results: compact(results), Duration: elapsed, At: s.opts.Now()}
	// Cut short: the deadline passed, or shared work gave up at its margin
	// just before it (check.WorkContext) and the checks said so themselves.
	if ctx.Err() != nil || elapsed >= budget-check.Margin(budget) {
		for _, res := range results {
			if res.Status == check.Error {
				r.Lost++
			}
		}
		s.log.Warn("probe budget ran out before every check finished; the unfinished ones report error",
			"profile", req.name, "budget", budget.String(), "unfinished", r.Lost)
	}
	return r
}

// lookOnly returns a copy of p for the exporter's runs, which look at the
// world and never act on it: no test message is mailed at every probe
// (smtp.send reports skip), and the SMTP conversation ends with QUIT after
// the last check that runs instead of idling for a send that never comes.
func lookOnly(p *config.Profile) *config.Profile {
	c := *p
	c.SMTP.TestRecipient = ""
	return &c
}

// compact keeps what the metrics read (id, category, status, duration,
// facts): the prose and evidence are for people and stay out of the cache,
// which holds one run per profile probed within the TTL.
func compact(results []check.Result) []check.Result {
	out := make([]check.Result, len(results))
	for i, r := range results {
		out[i] = check.Result{ID: r.ID, Category: r.Category, Status: r.Status, Duration: r.Duration, Facts: r.Facts}
	}
	return out
}

// serveProbe answers GET /probe?profile=NAME[&only=CATEGORIES].
func (s *Server) serveProbe(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		s.fail(w, &probeError{http.StatusMethodNotAllowed, "use GET"})
		return
	}
	st := s.Settings()
	req, perr := s.parseRequest(st, r.URL.Query())
	if perr != nil {
		s.fail(w, perr)
		return
	}
	budget, perr := s.budget(r)
	if perr != nil {
		s.fail(w, perr)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), budget)
	defer cancel()

	reg := prometheus.NewRegistry()
	pm := newProbeMetrics(reg)
	if req.broken != nil {
		// Honest and bounded: nothing ran, and the metrics say why.
		pm.settingsValid.Set(0)
		pm.success.Set(0)
		s.metrics.probes.WithLabelValues("failure").Inc()
		s.log.Warn("probe of a profile whose settings do not load", "profile", req.name, "error", st.Scrub(req.broken.Error()))
		s.write(w, r, reg)
		return
	}
	res, how, err := s.results(ctx, req, budget)
	if err != nil {
		var pe *probeError
		if !errors.As(err, &pe) {
			pe = &probeError{http.StatusInternalServerError, err.Error()}
		}
		s.fail(w, pe)
		return
	}
	switch how {
	case fromCache:
		s.metrics.cacheHits.Inc()
	case fromShared:
		s.metrics.shared.Inc()
	}
	ok := pm.fill(res, s.opts.Now(), st.Scrub)
	if ok {
		s.metrics.probes.WithLabelValues("success").Inc()
	} else {
		s.metrics.probes.WithLabelValues("failure").Inc()
	}
	s.write(w, r, reg)
}

func (s *Server) write(w http.ResponseWriter, r *http.Request, reg *prometheus.Registry) {
	promhttp.HandlerFor(reg, promhttp.HandlerOpts{EnableOpenMetrics: true}).ServeHTTP(w, r)
}

// fail answers with a plain message, counted by pitstop_probes_total.
func (s *Server) fail(w http.ResponseWriter, e *probeError) {
	result := "bad_request"
	if e.status == http.StatusServiceUnavailable {
		result = "unavailable"
	} else if e.status >= 500 {
		result = "error"
	}
	s.metrics.probes.WithLabelValues(result).Inc()
	msg := s.Scrub(e.msg)
	if e.status >= 500 {
		s.log.Warn("probe not answered", "status", e.status, "reason", msg)
	}
	http.Error(w, msg, e.status)
}

// probeMetricNames are the names a probe's own metrics take; a fact's
// derived name never does.
var probeMetricNames = map[string]bool{
	"pitstop_probe_success": true, "pitstop_probe_duration_seconds": true, "pitstop_probe_results_age_seconds": true,
	"pitstop_probe_unfinished_checks": true, "pitstop_settings_valid": true, "pitstop_check_status": true,
	"pitstop_check_duration_seconds": true,
}

// probeMetrics are one probe's metrics, in the probe's own registry.
type probeMetrics struct {
	reg           *prometheus.Registry
	success       prometheus.Gauge
	duration      prometheus.Gauge
	age           prometheus.Gauge
	unfinished    prometheus.Gauge
	settingsValid prometheus.Gauge
}

func newProbeMetrics(reg *prometheus.Registry) *probeMetrics {
	pm := &probeMetrics{
		reg: reg,
		success: prometheus.NewGauge(prometheus.GaugeOpts{Name: "pitstop_probe_success",
			Help: "1 when every check of the profile passed or warned, 0 when one failed or could not test."}),
		duration: prometheus.NewGauge(prometheus.GaugeOpts{Name: "pitstop_probe_duration_seconds",
			Help: "How long the run of the profile's checks took, in seconds."}),
		age: prometheus.NewGauge(prometheus.GaugeOpts{Name: "pitstop_probe_results_age_seconds",
			Help: "How old the results are, in seconds: 0 for a run made for this probe, more when they come from the cache (--cache-ttl)."}),
		unfinished: prometheus.NewGauge(prometheus.GaugeOpts{Name: "pitstop_probe_unfinished_checks",
			Help: "Checks that could not finish before the probe's time ran out (Prometheus's scrape timeout minus the offset); they report status error."}),
		settingsValid: prometheus.NewGauge(prometheus.GaugeOpts{Name: "pitstop_settings_valid",
			Help: "1 when the profile's settings load, 0 when they do not (nothing was checked; the exporter's log says why)."}),
	}
	reg.MustRegister(pm.success, pm.duration, pm.settingsValid)
	pm.settingsValid.Set(1)
	return pm
}

// fill sets the metrics from a run and reports whether the probe succeeded.
func (pm *probeMetrics) fill(res *run, now time.Time, scrub func(string) string) bool {
	pm.reg.MustRegister(pm.age, pm.unfinished)
	pm.unfinished.Set(float64(res.Lost))
	pm.age.Set(max(now.Sub(res.At), 0).Seconds())
	pm.duration.Set(res.Duration.Seconds())
	status := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "pitstop_check_status",
		Help: "A state set: 1 for each check's current status (pass, warn, fail, skip, error), 0 for the others."},
		[]string{"check", "category", "status"})
	duration := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "pitstop_check_duration_seconds",
		Help: "How long each check took, in seconds."}, []string{"check"})
	pm.reg.MustRegister(status, duration)
	for _, r := range res.Results {
		for _, st := range []check.Status{check.Pass, check.Warn, check.Fail, check.Skip, check.Error} {
			v := 0.0
			if r.Status == st {
				v = 1
			}
			status.WithLabelValues(r.ID, r.Category, st.String()).Set(v)
		}
		duration.WithLabelValues(r.ID).Set(r.Duration.Seconds())
	}
	registerFacts(pm.reg, factSamples(res.Results, scrub))
	ok := check.Summarize(res.Results).OK(false) && len(res.Results) > 0
	if ok {
		pm.success.Set(1)
	}
	return ok
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func sortedUnique(s []string) []string {
	sort.Strings(s)
	return slices.Compact(s)
}

// selfMetrics are the exporter's own, served at /metrics.
type selfMetrics struct {
	reg          *prometheus.Registry
	probes       *prometheus.CounterVec
	cacheHits    prometheus.Counter
	shared       prometheus.Counter
	runs         prometheus.Counter
	runDuration  prometheus.Histogram
	inFlight     prometheus.Gauge
	waiting      prometheus.Gauge
	reloadOK     prometheus.Gauge
	reloadTime   prometheus.Gauge
	profileState *prometheus.GaugeVec
	failed       atomic.Bool // the last reload failed
}

func newSelfMetrics(s *Server) *selfMetrics {
	m := &selfMetrics{
		reg: prometheus.NewRegistry(),
		probes: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pitstop_probes_total",
			Help: "Probes answered, by result: success, failure (a check failed or could not test), bad_request, unavailable (no answer within the scrape timeout), error."},
			[]string{"result"}),
		cacheHits: prometheus.NewCounter(prometheus.CounterOpts{Name: "pitstop_probe_cache_hits_total",
			Help: "Probes answered from results younger than --cache-ttl, without running any check."}),
		shared: prometheus.NewCounter(prometheus.CounterOpts{Name: "pitstop_probe_shared_runs_total",
			Help: "Probes answered by joining a run another probe of the same profile had started."}),
		runs: prometheus.NewCounter(prometheus.CounterOpts{Name: "pitstop_probe_runs_total",
			Help: "Runs of a profile's checks: the only probes that reach the providers."}),
		runDuration: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "pitstop_probe_run_duration_seconds",
			Help:    "How long each run of a profile's checks took, in seconds.",
			Buckets: []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60}}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{Name: "pitstop_probe_runs_in_flight",
			Help: "Runs going on now (at most --concurrency)."}),
		waiting: prometheus.NewGauge(prometheus.GaugeOpts{Name: "pitstop_probe_runs_waiting",
			Help: "Runs waiting for a free slot because --concurrency profiles are being probed."}),
		reloadOK: prometheus.NewGauge(prometheus.GaugeOpts{Name: "pitstop_settings_last_reload_successful",
			Help: "1 when the last (re)load of the settings file worked, 0 when it failed and the settings loaded before are still served."}),
		reloadTime: prometheus.NewGauge(prometheus.GaugeOpts{Name: "pitstop_settings_last_reload_success_timestamp_seconds",
			Help: "When the settings in service were loaded, as a Unix timestamp."}),
		profileState: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "pitstop_settings_profiles",
			Help: "Profiles in the settings in service, by state: ok, or broken (their settings do not load)."}, []string{"state"}),
	}
	cached := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "pitstop_probe_cached_runs",
		Help: "Runs kept in the cache (one per profile and categories probed within --cache-ttl)."},
		func() float64 { return float64(s.cache.len()) })
	build := prometheus.NewGauge(prometheus.GaugeOpts{Name: "pitstop_build_info",
		Help: "Always 1; the version label says which Pitstop answers.", ConstLabels: prometheus.Labels{"version": versionOr(s.opts.Version)}})
	build.Set(1)
	for _, r := range []string{"success", "failure", "bad_request", "unavailable", "error"} {
		m.probes.WithLabelValues(r)
	}
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.probes, m.cacheHits, m.shared, m.runs, m.runDuration, m.inFlight, m.waiting, m.reloadOK, m.reloadTime,
		m.profileState, cached, build)
	return m
}

func (m *selfMetrics) reloaded(st *Settings, ok bool, now time.Time) {
	m.failed.Store(!ok)
	if !ok {
		m.reloadOK.Set(0)
		return
	}
	m.reloadOK.Set(1)
	m.reloadTime.Set(float64(now.UnixNano()) / 1e9)
	m.profileState.WithLabelValues("ok").Set(float64(len(st.Config.Profiles)))
	m.profileState.WithLabelValues("broken").Set(float64(len(st.Broken)))
}

func (m *selfMetrics) reloadFailed() bool { return m.failed.Load() }

func versionOr(v string) string {
	if v == "" {
		return "dev"
	}
	return v
}

// Serve answers on ln until ctx ends, then shuts down, giving probes in
// progress a few seconds to finish. webConfig is an exporter-toolkit web
// configuration file (TLS, basic auth; "" for plain HTTP), read again for
// each new connection as the toolkit does.
func (s *Server) Serve(ctx context.Context, ln net.Listener, webConfig string) error {
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		// A probe may take its whole budget; the toolkit's TLS and auth
		// wrap the handler.
		ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	done := make(chan error, 1)
	go func() {
		done <- web.Serve(ln, srv, &web.FlagConfig{WebConfigFile: &webConfig}, s.log)
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(shutdownCtx)
	if serr := <-done; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		return serr
	}
	return err
}
