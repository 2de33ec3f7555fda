package serve

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/registry"
)

// clock is a settable clock for TTL tests.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

const twoProfiles = `default_profile: alpha
profiles:
  alpha:
    api:
      provider: openai
      key: sk-alpha-secret-0123456789abcdef
  beta:
    api:
      provider: anthropic
      key: sk-ant-beta-secret-0123456789abcdef
    smtp:
      host: mail.example.com
      test_recipient: inbox@example.com
`

func writeSettings(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(path, []byte(text), 0o600))
	return path
}

// countingChecks returns a Checks func whose one check per category counts
// its runs and, when gate is not nil, waits for it (or for its context).
func countingChecks(runs *atomic.Int64, gate <-chan struct{}) func(*config.Profile, []string) []check.Check {
	return func(p *config.Profile, cats []string) []check.Check {
		if len(cats) == 0 {
			cats = registry.Configured(p)
		}
		var out []check.Check
		for _, c := range cats {
			out = append(out, check.Check{ID: c + ".probe", Category: c, Title: c, Run: func(ctx context.Context) check.Result {
				runs.Add(1)
				if gate != nil {
					select {
					case <-gate:
					case <-ctx.Done():
						return check.Errorf("cancelled")
					}
				}
				return check.Passf("ok").WithFact("remaining", 42)
			}})
		}
		if p.SMTP.TestRecipient != "" {
			panic("the exporter must never mail test_recipient")
		}
		return out
	}
}

func newTestServer(t *testing.T, opts Options) (*Server, *httptest.Server) {
	t.Helper()
	s, err := New(opts)
	require.NoError(t, err)
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return s, ts
}

func get(t *testing.T, url string, header map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(body)
}

// value returns the value of the series (name and labels exactly as the
// text format writes them) in body.
func value(t *testing.T, body, series string) float64 {
	t.Helper()
	for _, line := range strings.Split(body, "\n") {
		if rest, ok := strings.CutPrefix(line, series+" "); ok {
			v, err := strconv.ParseFloat(strings.Fields(rest)[0], 64)
			require.NoError(t, err)
			return v
		}
	}
	t.Fatalf("no series %s in:\n%s", series, body)
	return 0
}

func TestProbeAnswersWithChecksAndFacts(t *testing.T) {
	t.Parallel()
	var runs atomic.Int64
	_, ts := newTestServer(t, Options{SettingsPath: writeSettings(t, twoProfiles), Checks: countingChecks(&runs, nil)})
	code, body := get(t, ts.URL+"/probe?profile=beta", nil)
	require.Equal(t, http.StatusOK, code, body)
	require.Equal(t, 1.0, value(t, body, "pitstop_probe_success"))
	require.Equal(t, 1.0, value(t, body, `pitstop_check_status{category="smtp",check="smtp.probe",status="pass"}`))
	require.Equal(t, 0.0, value(t, body, `pitstop_check_status{category="smtp",check="smtp.probe",status="fail"}`))
	require.Contains(t, body, `pitstop_check_duration_seconds{check="api.probe"}`)
	require.Equal(t, 42.0, value(t, body, `pitstop_api_remaining{check="api.probe"}`))
	require.Equal(t, 1.0, value(t, body, "pitstop_settings_valid"))
	require.NotContains(t, body, "profile=")
	require.NotContains(t, body, "secret")

	// only= narrows the run to those categories.
	code, body = get(t, ts.URL+"/probe?profile=beta&only=smtp", nil)
	require.Equal(t, http.StatusOK, code, body)
	require.NotContains(t, body, "api.probe")
}

func TestProbeBadRequestsArePlain400s(t *testing.T) {
	t.Parallel()
	var runs atomic.Int64
	_, ts := newTestServer(t, Options{SettingsPath: writeSettings(t, twoProfiles), Checks: countingChecks(&runs, nil)})
	for _, tt := range []struct{ query, want string }{
		{"", "the profile parameter is missing"},
		{"profile=gamma", `unknown profile "gamma"; the profiles are: alpha, beta`},
		{"profile=alpha&only=dns", `unknown category "dns" in only=`},
		{"profile=alpha&only=smtp", `profile "alpha" does not configure smtp`},
	} {
		code, body := get(t, ts.URL+"/probe?"+tt.query, nil)
		require.Equal(t, http.StatusBadRequest, code, tt.query)
		require.Contains(t, body, tt.want)
	}
	code, body := get(t, ts.URL+"/probe?profile=alpha", map[string]string{"X-Prometheus-Scrape-Timeout-Seconds": "soon"})
	require.Equal(t, http.StatusBadRequest, code)
	require.Contains(t, body, "X-Prometheus-Scrape-Timeout-Seconds")
	code, _ = get(t, ts.URL+"/probe?profile=alpha", map[string]string{"X-Prometheus-Scrape-Timeout-Seconds": "10s"})
	require.Equal(t, http.StatusBadRequest, code)
	require.Zero(t, runs.Load(), "a bad request runs nothing")
	_, metrics := get(t, ts.URL+"/metrics", nil)
	require.Equal(t, 6.0, value(t, metrics, `pitstop_probes_total{result="bad_request"}`))
}

// TestConcurrentProbesShareOneRunPerTTL: however many probes of one
// profile arrive together, the checks run once; within the TTL they run no
// more; after it, once again.
func TestConcurrentProbesShareOneRunPerTTL(t *testing.T) {
	t.Parallel()
	var runs atomic.Int64
	gate := make(chan struct{})
	clk := newClock()
	_, ts := newTestServer(t, Options{SettingsPath: writeSettings(t, twoProfiles), CacheTTL: 30 * time.Second,
		Checks: countingChecks(&runs, gate), Now: clk.Now})
	scrape := func(n int) {
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				code, body := get(t, ts.URL+"/probe?profile=alpha", nil)
				require.Equal(t, http.StatusOK, code, body)
				require.Equal(t, 1.0, value(t, body, "pitstop_probe_success"))
			})
		}
		wg.Wait()
	}
	// The first run is held at the gate until every probe has arrived.
	go func() {
		for runs.Load() == 0 {
			time.Sleep(time.Millisecond)
		}
		close(gate)
	}()
	scrape(50)
	require.EqualValues(t, 1, runs.Load())
	clk.Advance(29 * time.Second)
	scrape(50)
	require.EqualValues(t, 1, runs.Load(), "within the TTL every probe is answered from the cache")
	clk.Advance(2 * time.Second)
	scrape(50)
	require.EqualValues(t, 2, runs.Load(), "after the TTL the checks run once more")

	_, metrics := get(t, ts.URL+"/metrics", nil)
	require.Equal(t, 2.0, value(t, metrics, "pitstop_probe_runs_total"))
	require.Equal(t, 150.0, value(t, metrics, `pitstop_probes_total{result="success"}`))
	hits := value(t, metrics, "pitstop_probe_cache_hits_total")
	shared := value(t, metrics, "pitstop_probe_shared_runs_total")
	require.Equal(t, 148.0, hits+shared)
	require.GreaterOrEqual(t, hits, 50.0)
}

// TestScrapeTimeoutShorterThanTheChecks: the probe answers within
// Prometheus's timeout minus the offset, says which checks did not finish
// (error, never fail) and the next probe is served from the cache.
func TestScrapeTimeoutShorterThanTheChecks(t *testing.T) {
	t.Parallel()
	var runs atomic.Int64
	gate := make(chan struct{}) // never opens: a CRM that does not answer
	_, ts := newTestServer(t, Options{SettingsPath: writeSettings(t, twoProfiles), CacheTTL: time.Minute,
		CheckTimeout: time.Minute, TimeoutOffset: time.Second, Checks: countingChecks(&runs, gate)})
	// The probe has 3 s less the 1 s offset: a second is left for the answer
	// to travel, even on a starved machine (200 ms was not, at load 3).
	hdr := map[string]string{"X-Prometheus-Scrape-Timeout-Seconds": "3"}
	start := time.Now()
	code, body := get(t, ts.URL+"/probe?profile=alpha", hdr)
	took := time.Since(start)
	require.Equal(t, http.StatusOK, code, body)
	require.Less(t, took, 3*time.Second, "the answer must reach Prometheus before its timeout")
	require.Equal(t, 0.0, value(t, body, "pitstop_probe_success"))
	require.Equal(t, 1.0, value(t, body, `pitstop_check_status{category="api",check="api.probe",status="error"}`))
	require.Equal(t, 0.0, value(t, body, `pitstop_check_status{category="api",check="api.probe",status="fail"}`))
	require.Equal(t, 1.0, value(t, body, "pitstop_probe_unfinished_checks"))

	_, body = get(t, ts.URL+"/probe?profile=alpha", hdr)
	require.Equal(t, 1.0, value(t, body, "pitstop_probe_unfinished_checks"))
	require.EqualValues(t, 1, runs.Load(), "the cut-short run is cached like any other")
}

// TestConcurrencyIsBounded: with one slot taken by a profile whose checks
// hang, another profile's probe waits, and when its time runs out it gets a
// 503 that says why; nothing piles up.
func TestConcurrencyIsBounded(t *testing.T) {
	t.Parallel()
	var runs atomic.Int64
	gate := make(chan struct{})
	defer close(gate)
	_, ts := newTestServer(t, Options{SettingsPath: writeSettings(t, twoProfiles), Concurrency: 1,
		TimeoutOffset: time.Millisecond, Checks: countingChecks(&runs, gate)})
	go get(t, ts.URL+"/probe?profile=alpha", map[string]string{"X-Prometheus-Scrape-Timeout-Seconds": "5"})
	for runs.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	code, body := get(t, ts.URL+"/probe?profile=beta", map[string]string{"X-Prometheus-Scrape-Timeout-Seconds": "1"})
	require.Equal(t, http.StatusServiceUnavailable, code)
	require.Contains(t, body, `profile "beta" was not probed: other profiles held every one of the 1 run slots (--concurrency)`)
	require.EqualValues(t, 1, runs.Load())
}

const brokenBeta = `profiles:
  alpha:
    api:
      provider: openai
      key: sk-alpha-secret-0123456789abcdef
  beta:
    api:
      provider: nosuch
  gamma:
    api:
      base_url: ${PITSTOP_SERVE_TEST_UNSET}
`

// TestBrokenProfileDoesNotTakeTheOthersDown: profiles whose settings do
// not load answer pitstop_settings_valid 0 without running anything, the
// landing page says why with the file's line, and the others are served.
func TestBrokenProfileDoesNotTakeTheOthersDown(t *testing.T) {
	t.Parallel()
	var runs atomic.Int64
	s, ts := newTestServer(t, Options{SettingsPath: writeSettings(t, brokenBeta), Checks: countingChecks(&runs, nil)})
	require.Len(t, s.Settings().Broken, 2)
	code, body := get(t, ts.URL+"/probe?profile=beta", nil)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, 0.0, value(t, body, "pitstop_settings_valid"))
	require.Equal(t, 0.0, value(t, body, "pitstop_probe_success"))
	require.NotContains(t, body, "pitstop_check_status")
	require.Zero(t, runs.Load())

	code, body = get(t, ts.URL+"/probe?profile=alpha", nil)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, 1.0, value(t, body, "pitstop_probe_success"))

	_, page := get(t, ts.URL+"/", nil)
	require.Contains(t, page, `config.yaml:8: api.provider is &#34;nosuch&#34;`)
	require.Contains(t, page, `config.yaml:11: api.base_url uses ${PITSTOP_SERVE_TEST_UNSET}`)
	require.Contains(t, page, `href="probe?profile=alpha"`)
	_, es := newTestServer(t, Options{SettingsPath: writeSettings(t, brokenBeta), Checks: countingChecks(&runs, nil), Lang: "es"})
	_, page = get(t, es.URL+"/", nil)
	require.Contains(t, page, `config.yaml:8: api.provider es &#34;nosuch&#34;; se esperaba uno de:`, "the reason in the page's language")
	require.Contains(t, page, `config.yaml:11: api.base_url usa ${PITSTOP_SERVE_TEST_UNSET}, que no está definida en el entorno`)
	_, metrics := get(t, ts.URL+"/metrics", nil)
	require.Equal(t, 2.0, value(t, metrics, `pitstop_settings_profiles{state="broken"}`))
}

func TestUnreadableSettingsAreAnError(t *testing.T) {
	t.Parallel()
	_, err := New(Options{SettingsPath: writeSettings(t, "profiles: [\n")})
	require.Error(t, err)
	_, err = New(Options{SettingsPath: writeSettings(t, "profiles:\n  a:\n    api:\n      provider: nosuch\n")})
	require.ErrorContains(t, err, "nosuch", "no profile loads: an error, not an empty exporter")
}

// TestReloadKeepsTheLastGoodSettings: a reload with a broken file keeps
// serving the settings loaded before and says so (log, metric, page); a
// good reload takes the new profiles and drops the cached results.
func TestReloadKeepsTheLastGoodSettings(t *testing.T) {
	t.Parallel()
	var runs atomic.Int64
	path := writeSettings(t, twoProfiles)
	var logs strings.Builder
	var logMu sync.Mutex
	s, ts := newTestServer(t, Options{SettingsPath: path, CacheTTL: time.Hour, Checks: countingChecks(&runs, nil),
		Logger: newTestLogger(&logs, &logMu)})
	_, _ = get(t, ts.URL+"/probe?profile=alpha", nil)
	require.EqualValues(t, 1, runs.Load())

	require.NoError(t, os.WriteFile(path, []byte("profiles:\n  alpha: [\n"), 0o600))
	require.Error(t, s.Reload())
	code, body := get(t, ts.URL+"/probe?profile=beta", nil)
	require.Equal(t, http.StatusOK, code, "the last good settings are still served")
	require.Equal(t, 1.0, value(t, body, "pitstop_probe_success"))
	_, metrics := get(t, ts.URL+"/metrics", nil)
	require.Equal(t, 0.0, value(t, metrics, "pitstop_settings_last_reload_successful"))
	_, page := get(t, ts.URL+"/", nil)
	require.Contains(t, page, "The last reload failed")
	logMu.Lock()
	require.Contains(t, logs.String(), "settings reload failed; still serving the settings loaded before")
	logMu.Unlock()

	require.NoError(t, os.WriteFile(path, []byte(strings.Replace(twoProfiles, "beta:", "delta:", 1)), 0o600))
	require.NoError(t, s.Reload())
	_, metrics = get(t, ts.URL+"/metrics", nil)
	require.Equal(t, 1.0, value(t, metrics, "pitstop_settings_last_reload_successful"))
	code, _ = get(t, ts.URL+"/probe?profile=beta", nil)
	require.Equal(t, http.StatusBadRequest, code)
	before := runs.Load()
	_, _ = get(t, ts.URL+"/probe?profile=alpha", nil)
	require.Equal(t, before+1, runs.Load(), "new settings: results from the old ones are not reused")
}

// TestLandingPageEscapesEverything: a profile name is the user's text; the
// page prints it as text and links to it with a query that encodes it.
func TestLandingPageEscapesEverything(t *testing.T) {
	t.Parallel()
	var runs atomic.Int64
	settings := "profiles:\n  \"<script>alert(1)</script>&x\":\n    api:\n      provider: openai\n      key: sk-esc-secret-0123456789abcdef\n"
	_, ts := newTestServer(t, Options{SettingsPath: writeSettings(t, settings), Checks: countingChecks(&runs, nil)})
	code, page := get(t, ts.URL+"/", nil)
	require.Equal(t, http.StatusOK, code)
	require.NotContains(t, page, "<script>")
	require.Contains(t, page, "&lt;script&gt;alert(1)&lt;/script&gt;&amp;x")
	require.Contains(t, page, `href="probe?profile=%3Cscript%3Ealert%281%29%3C%2Fscript%3E%26x"`)
	require.NotContains(t, page, "sk-esc-secret")
	code, _ = get(t, ts.URL+"/nothing-here", nil)
	require.Equal(t, http.StatusNotFound, code)
}

func TestBudgetHonoursTheScrapeTimeout(t *testing.T) {
	t.Parallel()
	s := &Server{opts: Options{TimeoutOffset: 500 * time.Millisecond}}
	for _, tt := range []struct {
		header string
		want   time.Duration
	}{
		{"", DefaultProbeBudget},
		{"10", 9500 * time.Millisecond},
		{"0.8", 400 * time.Millisecond}, // the offset would leave less than half
		{"2.5", 2 * time.Second},
	} {
		r := httptest.NewRequest(http.MethodGet, "/probe", nil)
		if tt.header != "" {
			r.Header.Set("X-Prometheus-Scrape-Timeout-Seconds", tt.header)
		}
		got, perr := s.budget(r)
		require.Nil(t, perr, tt.header)
		require.Equal(t, tt.want, got, tt.header)
	}
}

func TestOpenMetricsWhenAsked(t *testing.T) {
	t.Parallel()
	var runs atomic.Int64
	_, ts := newTestServer(t, Options{SettingsPath: writeSettings(t, twoProfiles), Checks: countingChecks(&runs, nil)})
	code, body := get(t, ts.URL+"/probe?profile=alpha", map[string]string{"Accept": "application/openmetrics-text; version=1.0.0"})
	require.Equal(t, http.StatusOK, code)
	require.True(t, strings.HasSuffix(body, "# EOF\n"), body)
	_, body = get(t, ts.URL+"/probe?profile=alpha", nil)
	require.NotContains(t, body, "# EOF")
}

func TestMetricsHasRuntimeAndOwnFigures(t *testing.T) {
	t.Parallel()
	var runs atomic.Int64
	_, ts := newTestServer(t, Options{SettingsPath: writeSettings(t, twoProfiles), Checks: countingChecks(&runs, nil), Version: "1.2.3"})
	_, body := get(t, ts.URL+"/metrics", nil)
	for _, name := range []string{"go_goroutines", "process_resident_memory_bytes", "pitstop_probes_total",
		"pitstop_probe_cache_hits_total", "pitstop_probe_run_duration_seconds_bucket", `pitstop_build_info{version="1.2.3"}`} {
		require.Contains(t, body, name)
	}
	require.Equal(t, 1.0, value(t, body, "pitstop_settings_last_reload_successful"))
	require.Equal(t, 2.0, value(t, body, `pitstop_settings_profiles{state="ok"}`))
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *strings.Builder
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func newTestLogger(b *strings.Builder, mu *sync.Mutex) *slog.Logger {
	return slog.New(slog.NewTextHandler(lockedWriter{mu, b}, nil))
}

// TestProbeMetricNamesListsEveryProbeMetric: the names derived fact
// gauges must avoid are exactly the ones a probe registers itself.
func TestProbeMetricNamesListsEveryProbeMetric(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	newProbeMetrics(reg).fill(&run{Results: []check.Result{{ID: "api.x", Category: "api"}}}, time.Now(), func(s string) string { return s })
	mfs, err := reg.Gather()
	require.NoError(t, err)
	got := map[string]bool{}
	for _, mf := range mfs {
		got[mf.GetName()] = true
	}
	require.Equal(t, probeMetricNames, got)
}
