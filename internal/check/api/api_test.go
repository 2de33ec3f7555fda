package api

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/demo"
	"pitstop/internal/probe"
	"pitstop/internal/testutil"
)

// statuses in check order: config, reachability, auth, ratelimit, clock, endpoints.
type want [6]check.Status

const (
	P = check.Pass
	W = check.Warn
	F = check.Fail
	S = check.Skip
	E = check.Error
)

var order = []string{IDConfig, IDReachability, IDAuth, IDRateLimit, IDClock, IDEndpoints}

// run starts a sandbox API with the faults, points a profile at it and runs
// the family; it returns the results by ID and the log written.
func run(t testing.TB, provider string, faults []string, timeout time.Duration, edit func(*config.Profile)) (map[string]check.Result, *demo.APIServer, string) {
	t.Helper()
	return runTuned(t, demo.APIOptions{Provider: provider, Faults: faults, Delay: 1100 * time.Millisecond}, timeout, edit, nil)
}

// runTuned is run with the server's options and the family's thresholds
// (tune) in the test's hands.
func runTuned(t testing.TB, opts demo.APIOptions, timeout time.Duration, edit func(*config.Profile), tune func(*family)) (map[string]check.Result, *demo.APIServer, string) {
	t.Helper()
	srv, err := demo.StartAPI(opts)
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	p := &config.Profile{Name: "test"}
	srv.Configure(p)
	if edit != nil {
		edit(p)
	}
	var logBuf testutil.SyncBuffer
	f := newFamily(p, probe.Options{Logger: slog.New(slog.NewJSONHandler(&logBuf, nil)), RootCAs: emptyPool()})
	if tune != nil {
		tune(f)
	}
	r := &check.Runner{Timeout: timeout, Scrub: config.NewScrubber(p.API.Key).Scrub}
	results := r.Run(context.Background(), f.checks())
	byID := map[string]check.Result{}
	for _, res := range results {
		byID[res.ID] = res
	}
	return byID, srv, logBuf.String()
}

func requireStatuses(t *testing.T, byID map[string]check.Result, w want) {
	t.Helper()
	for i, id := range order {
		r := byID[id]
		require.Equal(t, w[i], r.Status, "%s: %s\n%s", id, r.Summary, strings.Join(r.Details, "\n"))
		require.NotEmpty(t, r.Summary, id)
		require.NotEmpty(t, r.Articles, "%s names no article", id)
	}
}

func TestFaultsPerProvider(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fault string
		want  want
		words map[string]string // check id → words its summary must contain
	}{
		{"", want{P, P, P, P, P, S}, map[string]string{IDAuth: "accepted the key", IDEndpoints: "No extra endpoints"}},
		{demo.APIFaultBadKey, want{P, P, F, S, P, S}, map[string]string{IDAuth: "key was rejected (401)"}},
		{demo.APIFaultForbidden, want{P, P, F, S, P, S}, map[string]string{IDAuth: "lacks permission"}},
		{demo.APIFaultRateLimited, want{P, P, W, F, P, S}, map[string]string{IDRateLimit: "retry after 20 s"}},
		{demo.APIFaultQuotaExhausted, want{P, P, W, F, P, S}, map[string]string{IDRateLimit: "retrying will not help"}},
		{demo.APIFaultLowRemaining, want{P, P, P, W, P, S}, map[string]string{IDRateLimit: "only 3 of 100 requests left"}},
		{demo.APIFaultServerError, want{P, W, F, S, P, S}, map[string]string{IDAuth: "provider is failing", IDReachability: "reports a problem"}},
		{demo.APIFaultSkewedDate, want{P, P, P, P, F, S}, map[string]string{IDClock: "10 minutes behind"}},
		{demo.APIFaultGarbage, want{P, E, S, S, S, S}, map[string]string{IDReachability: "not HTTP", IDAuth: "Not run because api.reachability did not pass"}},
		{demo.APIFaultTLS, want{P, P, P, P, P, S}, nil},
		{demo.APIFaultUntrustedCert, want{P, F, S, S, S, S}, map[string]string{IDReachability: "authority this computer does not trust"}},
		{demo.APIFaultExpiredCert, want{P, F, S, S, S, S}, map[string]string{IDReachability: "expired on"}},
		{demo.APIFaultExpiringCert, want{P, W, P, P, P, S}, map[string]string{IDReachability: "expires in 5 days"}},
	}
	for _, provider := range demo.APIProviders {
		for _, tt := range tests {
			t.Run(provider+"/"+tt.fault, func(t *testing.T) {
				t.Parallel()
				var faults []string
				if tt.fault != "" {
					faults = []string{tt.fault}
				}
				byID, srv, logText := run(t, provider, faults, 5*time.Second, nil)
				requireStatuses(t, byID, tt.want)
				for id, w := range tt.words {
					require.Contains(t, byID[id].Summary, w, id)
				}
				assertNoKey(t, srv.Key(), byID, logText)
			})
		}
	}
}

// assertNoKey checks that the key is in no result and no log line, and
// that it only ever travelled in a header.
func assertNoKey(t *testing.T, key string, byID map[string]check.Result, logText string) {
	t.Helper()
	b, err := json.Marshal(byID)
	require.NoError(t, err)
	require.NotContains(t, string(b), key)
	require.NotContains(t, logText, key)
	require.NotContains(t, logText, "Authorization")
	require.NotContains(t, strings.ToLower(logText), "x-api-key")
}

func TestBadKeyEchoedByTheProviderIsScrubbed(t *testing.T) {
	t.Parallel()
	byID, srv, _ := run(t, demo.APIOpenAI, []string{demo.APIFaultBadKey}, 5*time.Second, nil)
	auth := byID[IDAuth]
	joined := strings.Join(auth.Details, "\n")
	require.Contains(t, joined, "Incorrect API key provided: sk-proj-…", "the echo is there, masked")
	require.NotContains(t, joined, srv.Key())
	require.Contains(t, joined, "request id: req_")
	require.Contains(t, auth.Articles, "api-invalid-key")
	for _, req := range srv.Requests() {
		require.NotContains(t, req.URL, srv.Key(), "the key never travels in a URL")
	}
}

func TestRequestsFollowProviderConventions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		provider, path, header, prefix string
	}{
		{demo.APICopyCar, "/v2/verify", "Authorization", "Bearer "},
		{demo.APIOpenAI, "/v1/models", "Authorization", "Bearer "},
		{demo.APICustom, "/v1/models", "Authorization", "Bearer "},
		{demo.APIAnthropic, "/v1/models", "X-Api-Key", ""},
	}
	for _, tt := range tests {
		t.Run(tt.provider, func(t *testing.T) {
			t.Parallel()
			byID, srv, _ := run(t, tt.provider, nil, 5*time.Second, nil)
			require.Equal(t, check.Pass, byID[IDAuth].Status)
			var keyed []demo.APIRequest
			for _, r := range srv.Requests() {
				if r.Header.Get(tt.header) != "" {
					keyed = append(keyed, r)
				}
			}
			require.Len(t, keyed, 1, "auth, ratelimit share one authenticated request")
			require.Equal(t, tt.path, keyed[0].URL)
			require.Equal(t, tt.prefix+srv.Key(), keyed[0].Header.Get(tt.header))
			if tt.provider == demo.APIAnthropic {
				require.Equal(t, "2023-06-01", keyed[0].Header.Get("Anthropic-Version"))
			}
			require.Len(t, srv.Requests(), 2, "one unauthenticated and one authenticated request per run")
		})
	}
}

func TestHangReturnsWithinTimeout(t *testing.T) {
	t.Parallel()
	const timeout = 400 * time.Millisecond
	start := time.Now()
	byID, srv, _ := run(t, demo.APICopyCar, []string{demo.APIFaultHang}, timeout, func(p *config.Profile) {
		// Two endpoints: one hangs (the sandbox itself), one is fine.
		ok, err := demo.StartAPI(demo.APIOptions{Provider: demo.APICopyCar})
		require.NoError(t, err)
		t.Cleanup(func() { ok.Close() })
		p.API.Endpoints = []string{p.API.BaseURL, ok.URL}
	})
	require.Less(t, time.Since(start), timeout+500*time.Millisecond)
	requireStatuses(t, byID, want{P, E, S, S, S, W})
	require.Contains(t, byID[IDReachability].Summary, "Could not test")
	require.Contains(t, byID[IDReachability].Summary, "no answer came")
	require.Contains(t, byID[IDReachability].Articles, "api-timeouts")
	require.Contains(t, byID[IDEndpoints].Summary, "1 of 2 endpoints answer; down: "+srv.URL)
}

func TestSlowWarns(t *testing.T) {
	t.Parallel()
	// The threshold is injected (the product's is slowThreshold, 1 s): an
	// answer held back past it warns.
	const threshold = 300 * time.Millisecond
	byID, _, _ := runTuned(t, demo.APIOptions{Provider: demo.APIOpenAI, Faults: []string{demo.APIFaultSlow}, Delay: threshold + 100*time.Millisecond},
		5*time.Second, nil, func(f *family) { f.slow = threshold })
	requireStatuses(t, byID, want{P, W, P, P, P, S})
	require.Contains(t, byID[IDReachability].Summary, "slow")
	require.Contains(t, byID[IDReachability].Articles, "perf-slow-responses")
	require.Equal(t, time.Second, newFamily(&config.Profile{}, probe.Options{}).slow, "the product's threshold")
}

func TestEndlessBodyIsBounded(t *testing.T) {
	t.Parallel()
	byID, _, _ := run(t, demo.APICopyCar, []string{demo.APIFaultEndlessBody}, 5*time.Second, nil)
	// A body that never ends is a finding for reachability (a real client
	// would wait forever); the checks that need a sound answer skip.
	requireStatuses(t, byID, want{P, F, S, S, S, S})
	require.Contains(t, byID[IDReachability].Summary, "did not end")
	require.Contains(t, strings.Join(byID[IDReachability].Details, "\n"), "read only the beginning")
}

func TestEndpoints(t *testing.T) {
	t.Parallel()
	start := func(faults ...string) string {
		s, err := demo.StartAPI(demo.APIOptions{Provider: demo.APICopyCar, Faults: faults})
		require.NoError(t, err)
		t.Cleanup(func() { s.Close() })
		return s.URL
	}
	healthy1, healthy2, broken := start(), start(), start(demo.APIFaultServerError)
	byID, _, _ := run(t, demo.APICopyCar, nil, 5*time.Second, func(p *config.Profile) {
		p.API.Endpoints = []string{healthy1, healthy2}
	})
	require.Equal(t, check.Pass, byID[IDEndpoints].Status)
	require.Equal(t, "All 2 endpoints answer.", byID[IDEndpoints].Summary)

	byID, _, _ = run(t, demo.APICopyCar, nil, 5*time.Second, func(p *config.Profile) {
		p.API.Endpoints = []string{healthy1, broken, healthy2}
	})
	r := byID[IDEndpoints]
	require.Equal(t, check.Warn, r.Status)
	require.Equal(t, "2 of 3 endpoints answer; down: "+broken+".", r.Summary)
	require.Contains(t, r.Details, "healthy: 2 of 3")
	require.Contains(t, strings.Join(r.Details, "\n"), "503 Service Unavailable")
	require.Contains(t, r.Articles, "ops-load-balancing")

	byID, _, _ = run(t, demo.APICopyCar, nil, 5*time.Second, func(p *config.Profile) {
		p.API.Endpoints = []string{broken}
	})
	require.Equal(t, check.Fail, byID[IDEndpoints].Status)
}

func TestNoKeySkipsWithTheReason(t *testing.T) {
	t.Parallel()
	byID, _, _ := run(t, demo.APICopyCar, nil, 5*time.Second, func(p *config.Profile) {
		p.API.Key = config.Secret{}
	})
	requireStatuses(t, byID, want{F, P, S, S, P, S})
	require.Equal(t, "No key configured: set COPYCAR_API_KEY or api.key.", byID[IDConfig].Summary)
	require.Equal(t, "Not run because api.config did not pass: No key configured: set COPYCAR_API_KEY or api.key.", byID[IDAuth].Summary)
	require.Contains(t, byID[IDAuth].Articles, "api-invalid-key")
}

func TestConfigFindings(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	junkCA := filepath.Join(dir, "junk.pem")
	require.NoError(t, os.WriteFile(junkCA, []byte("nope"), 0o600))
	good := "sk-proj-" + strings.Repeat("a1", 24)
	tests := []struct {
		name     string
		provider string
		base     string
		key      config.Secret
		caFile   string
		status   check.Status
		words    string
	}{
		{"fine", "openai", "https://api.openai.com/v1", config.NewSecret(good, "env:OPENAI_API_KEY"), "", P, "from OPENAI_API_KEY"},
		{"typed", "openai", "https://api.openai.com/v1", config.NewSecret(good, config.SourceTyped), "", P, "(typed in this session)"},
		{"missing", "openai", "https://api.openai.com/v1", config.Secret{}, "", F, "set OPENAI_API_KEY or api.key"},
		{"unset variable", "copycar", "https://api.copycarai.com/v2", config.NewSecret("", "env:MY_KEY"), "", F, "MY_KEY, but that variable is not set"},
		{"placeholder", "openai", "https://api.openai.com/v1", config.NewSecret("your-api-key", "file"), "", F, "placeholder"},
		{"placeholder xxx", "openai", "https://api.openai.com/v1", config.NewSecret("sk-xxxxxxxx", "file"), "", F, "placeholder"},
		{"placeholder angle", "copycar", "https://api.copycarai.com/v2", config.NewSecret("<YOUR_API_KEY>", "file"), "", F, "placeholder"},
		{"trailing newline", "openai", "https://api.openai.com/v1", config.NewSecret(good+"\n", "env:OPENAI_API_KEY"), "", F, "a line break at the end"},
		{"leading space", "openai", "https://api.openai.com/v1", config.NewSecret(" "+good, "file"), "", F, "a space at the start"},
		{"quotes", "openai", "https://api.openai.com/v1", config.NewSecret(`"`+good+`"`, "file"), "", F, "quotes"},
		{"inner space", "openai", "https://api.openai.com/v1", config.NewSecret("sk-proj-abc def-ghijklmnopqrstu", "file"), "", F, "spaces or line breaks"},
		{"anthropic key for openai", "openai", "https://api.openai.com/v1", config.NewSecret("sk-ant-api03-"+strings.Repeat("z", 40), "file"), "", W, "looks like an Anthropic key"},
		{"openai key for anthropic", "anthropic", "https://api.anthropic.com", config.NewSecret(good, "file"), "", W, "looks like an OpenAI key"},
		{"no sk for openai", "openai", "https://api.openai.com/v1", config.NewSecret(strings.Repeat("k", 40), "file"), "", W, "start with sk-"},
		{"hubspot token", "copycar", "https://api.copycarai.com/v2", config.NewSecret("pat-na1-"+strings.Repeat("1", 36), "file"), "", W, "HubSpot token"},
		{"short", "copycar", "https://api.copycarai.com/v2", config.NewSecret("abc123def", "file"), "", W, "unusually short"},
		{"copycar without v2", "copycar", "https://api.copycarai.com", config.NewSecret("ccai_live_"+strings.Repeat("f", 40), "file"), "", W, "should end in /v2"},
		{"anthropic with v1", "anthropic", "https://api.anthropic.com/v1", config.NewSecret("sk-ant-api03-"+strings.Repeat("z", 40), "file"), "", W, "no version"},
		{"plain http", "custom", "http://llm.internal.example/v1", config.NewSecret("sk-"+strings.Repeat("z", 40), "file"), "", F, "plain http://"},
		{"bad ca file", "custom", "https://llm.example/v1", config.NewSecret("sk-"+strings.Repeat("z", 40), "file"), junkCA, F, "CA file cannot be used"},
		{"fail beats warn", "copycar", "https://api.copycarai.com", config.Secret{}, "", F, "No key configured"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := &config.Profile{API: config.APIConfig{Provider: tt.provider, BaseURL: tt.base, Key: tt.key, CAFile: tt.caFile}}
			res := newFamily(p, probe.Options{}).runConfig(context.Background())
			require.Equal(t, tt.status, res.Status, res.Summary)
			require.Contains(t, res.Summary, tt.words)
			b, _ := json.Marshal(res)
			if tt.key.IsSet() && len(strings.TrimSpace(tt.key.Reveal())) >= 16 {
				require.NotContains(t, string(b), strings.TrimSpace(tt.key.Reveal()), "the key itself never appears")
			}
		})
	}
}

func TestDefaultsWhenProviderIsEmpty(t *testing.T) {
	t.Parallel()
	f := newFamily(&config.Profile{}, probe.Options{})
	require.Equal(t, "copycar", f.provider)
	require.Equal(t, "https://api.copycarai.com/v2", f.base)
	require.Equal(t, "https://api.copycarai.com/v2/verify", f.authRequest().URL)
}

func TestParseAPIError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body      string
		msg, code string
	}{
		{`{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}`, "You exceeded your current quota", "insufficient_quota"},
		{`{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}`, "invalid x-api-key", "authentication_error"},
		{`{"error":{"code":"invalid_api_key","message":"Invalid API Key"}}`, "Invalid API Key", "invalid_api_key"},
		{`{"error":"Unauthorized"}`, "Unauthorized", ""},
		{`{"message":"Forbidden","code":"403"}`, "Forbidden", "403"},
		{`{"detail":"Not authenticated"}`, "Not authenticated", ""},
	}
	for _, tt := range tests {
		e, ok := parseAPIError([]byte(tt.body))
		require.True(t, ok, tt.body)
		require.Equal(t, tt.msg, e.Message)
		require.Equal(t, tt.code, e.Code)
	}
	_, ok := parseAPIError([]byte("<html>"))
	require.False(t, ok)
	_, ok = parseAPIError([]byte(`{"data":[]}`))
	require.False(t, ok)
}

func TestQuotaDetection(t *testing.T) {
	t.Parallel()
	require.True(t, isQuota(429, apiError{Code: "insufficient_quota"}))
	require.True(t, isQuota(400, apiError{Message: "Your credit balance is too low to access the Anthropic API."}))
	require.False(t, isQuota(429, apiError{Code: "rate_limit_exceeded", Message: "Rate limit reached for requests"}))
	require.False(t, isQuota(401, apiError{Message: "quota"}))
}

func TestReadLimits(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	h := http.Header{}
	h.Set("x-ratelimit-limit-requests", "100")
	h.Set("x-ratelimit-remaining-requests", "5")
	h.Set("x-ratelimit-reset-requests", "17.28s")
	h.Set("anthropic-ratelimit-tokens-limit", "80000")
	h.Set("anthropic-ratelimit-tokens-remaining", "79000")
	h.Set("anthropic-ratelimit-tokens-reset", now.Add(3*time.Minute).Format(time.RFC3339))
	h.Set("ratelimit-limit", "60, 60;w=60")
	h.Set("ratelimit-remaining", "59")
	h.Set("ratelimit-reset", "30")
	ls := readLimits(h, now)
	require.Len(t, ls, 3)
	require.Equal(t, "5 of 100 requests left (resets in 17 s)", ls[0].words())
	require.True(t, ls[0].low())
	require.Equal(t, "79000 of 80000 tokens left (resets in 3 min)", ls[1].words())
	require.False(t, ls[1].low())
	require.Equal(t, "in 30 s", ls[2].reset)

	require.Equal(t, "in 1 min", resetWords(fmt.Sprint(now.Add(time.Minute).Unix()), now))
	require.Equal(t, "", resetWords("soon", now))

	h = http.Header{}
	h.Set("Retry-After", "20")
	d, ok := retryAfter(h, now)
	require.True(t, ok)
	require.Equal(t, 20*time.Second, d)
	h.Set("Retry-After", now.Add(90*time.Second).Format(http.TimeFormat))
	d, ok = retryAfter(h, now)
	require.True(t, ok)
	require.Equal(t, 90*time.Second, d)
}

func TestJudgeClock(t *testing.T) {
	t.Parallel()
	local := time.Date(2025, 6, 1, 12, 0, 0, 300_000_000, time.UTC)
	at := func(d time.Duration) string { return local.Add(d).Format(http.TimeFormat) }
	// skew is the skew_seconds fact: this computer minus the server,
	// positive when this computer is ahead.
	tests := []struct {
		date   string
		status check.Status
		words  string
		skew   any
	}{
		{at(0), P, "agrees", 0},
		{at(-30 * time.Second), P, "agrees", 30},
		{at(90 * time.Second), W, "90 seconds behind", -90},
		{at(-2 * time.Minute), W, "ahead of", 120},
		{at(10 * time.Minute), F, "10 minutes behind", -600},
		{at(-3 * time.Hour), F, "3.0 hours ahead of", 10800},
		{"", S, "no Date header", nil},
		{"yesterday", S, "not a valid date", nil},
	}
	for _, tt := range tests {
		r := judgeClock(nil, tt.date, local)
		require.Equal(t, tt.status, r.Status, tt.date+": "+r.Summary)
		require.Contains(t, r.Summary, tt.words)
		require.Contains(t, r.Articles, "api-clock-skew")
		skew, _ := r.Fact("skew_seconds")
		require.Equal(t, tt.skew, skew, tt.date)
	}
}

func TestSharedRequestRunsOnce(t *testing.T) {
	t.Parallel()
	var l shared
	var calls int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = l.get(context.Background(), func(context.Context) (*probe.Response, error) {
				mu.Lock()
				calls++
				mu.Unlock()
				time.Sleep(10 * time.Millisecond)
				return &probe.Response{StatusCode: 200}, nil
			})
		}()
	}
	wg.Wait()
	require.Equal(t, 1, calls)

	// A waiter whose own context ends stops waiting.
	var slow shared
	release, started := make(chan struct{}), make(chan struct{})
	defer close(release)
	go func() {
		_, _ = slow.get(context.Background(), func(context.Context) (*probe.Response, error) {
			close(started)
			<-release
			return nil, nil
		})
	}()
	<-started // the shared request is in flight; the next caller only waits
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := slow.get(ctx, nil)
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestChecksExportedShape(t *testing.T) {
	t.Parallel()
	cs := Checks(&config.Profile{API: config.APIConfig{Provider: "openai"}})
	require.Len(t, cs, 6)
	for i, c := range cs {
		require.Equal(t, order[i], c.ID)
		require.Equal(t, "api", c.Category)
		require.NotEmpty(t, c.Title)
		require.Contains(t, check.KnownIDs, c.ID)
	}
}

// BenchmarkAPIChecksLoopback runs every API check against a healthy
// loopback sandbox; the goal is well under 50 ms per run.
func BenchmarkAPIChecksLoopback(b *testing.B) {
	for _, bc := range []struct {
		name, provider string
		faults         []string
	}{
		{"copycar", demo.APICopyCar, nil},
		{"openai", demo.APIOpenAI, nil},
		{"anthropic", demo.APIAnthropic, nil},
		{"copycar-tls", demo.APICopyCar, []string{demo.APIFaultTLS}},
	} {
		provider := bc.provider
		b.Run(bc.name, func(b *testing.B) {
			srv, err := demo.StartAPI(demo.APIOptions{Provider: provider, Faults: bc.faults})
			require.NoError(b, err)
			defer srv.Close()
			second, err := demo.StartAPI(demo.APIOptions{Provider: provider})
			require.NoError(b, err)
			defer second.Close()
			p := &config.Profile{}
			srv.Configure(p)
			p.API.Endpoints = []string{srv.URL, second.URL}
			r := &check.Runner{Timeout: 5 * time.Second}
			var worst time.Duration
			for b.Loop() {
				f := newFamily(p, probe.Options{Logger: slog.New(slog.DiscardHandler), RootCAs: emptyPool()})
				start := time.Now()
				for _, res := range r.Run(context.Background(), f.checks()) {
					if res.Status != check.Pass {
						b.Fatalf("%s: %s %s", res.ID, res.Status, res.Summary)
					}
				}
				worst = max(worst, time.Since(start))
			}
			b.ReportMetric(float64(worst.Microseconds())/1000, "worst-ms")
		})
	}
}

// emptyPool keeps the tests from trusting the machine's roots.
func emptyPool() *x509.CertPool { return x509.NewCertPool() }

// TestSharedRequestPanicIsAnError keeps a panic in the shared request's own
// goroutine, which the runner's recover cannot see, from ending the program.
func TestSharedRequestPanicIsAnError(t *testing.T) {
	t.Parallel()
	var l shared
	_, err := l.get(context.Background(), func(context.Context) (*probe.Response, error) { panic("boom") })
	require.ErrorContains(t, err, "internal error")
}
