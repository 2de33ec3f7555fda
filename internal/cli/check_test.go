package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/demo"
	"pitstop/internal/escalate"
	"pitstop/internal/kb"
	"pitstop/knowledge"
)

// checkCanary is the API key in the end-to-end runs, shaped per provider:
// the sandbox accepts it (or, with bad-key, rejects it and echoes it back).
// No part of it may appear in any output, error or log.
const checkCanary = "sk-proj-CHECKcanary0123456789abcdefCANARY42"

func canaryFor(provider string) string {
	switch provider {
	case demo.APIAnthropic:
		return "sk-ant-api03-CHECKcanary0123456789abcdefCANARY42"
	case demo.APICopyCar:
		return "ccai_live_CHECKcanary0123456789abcdefCANARY42"
	}
	return checkCanary
}

// sampleRun is a fixed run for the golden files: every status, details
// with a pipe and a control byte, fixed durations.
func sampleRun(strict bool) *checkRun {
	ms := time.Millisecond
	results := []check.Result{
		{ID: "api.config", Category: "api", Title: "API settings", Status: check.Pass, Duration: 0,
			Summary: "The key is set (from OPENAI_API_KEY) and looks like an OpenAI key.", Details: []string{"provider: openai", "key: sk-…AR42"}, Articles: []string{"api-invalid-key"}},
		{ID: "api.reachability", Category: "api", Title: "API reachable", Status: check.Warn, Duration: 1500 * ms,
			Summary:  "The API is reachable but slow: it took 1.50s to answer a request that should take well under a second.",
			Details:  []string{"GET https://api.example.test/v1/models → 401 Unauthorized (HTTP/1.1) in 1.5 s", "DNS 1.0 ms │ connect 0 ms │ TLS 3.0 ms │ server 1.5 s │ transfer 0 ms"},
			Articles: []string{"perf-slow-responses", "api-timeouts"}},
		{ID: "api.auth", Category: "api", Title: "API key accepted", Status: check.Fail, Duration: 12 * ms,
			Summary:  "The key was rejected (401): it is wrong, expired or revoked.",
			Details:  []string{`provider said: "Incorrect API key provided: sk-…AR42 | see docs" (invalid_api_key)`, "request id: req_123 (x-request-id)", "bad byte: \x01"},
			Articles: []string{"api-invalid-key"}},
		{ID: "api.ratelimit", Category: "api", Title: "Rate limits", Status: check.Skip, Duration: 11 * ms,
			Summary: "Not checked: the key was refused (HTTP 401), so the provider reported no limits for it (see api.auth).", Articles: []string{"api-rate-limit"}},
		{ID: "api.clock", Category: "api", Title: "Clock in sync", Status: check.Error, Duration: 10 * time.Second,
			Summary: "Could not compare the clocks: no answer in time.", Articles: []string{"api-timeouts"}},
		{ID: "smtp.connect", Category: "smtp", Title: "SMTP server reachable", Status: check.Pass, Duration: 40 * ms,
			Summary: "smtp.example.test:587 answered with a 220 banner."},
	}
	return newCheckRun("production", results, 10*time.Second+20*ms, strict)
}

func plain(s string) string {
	var b bytes.Buffer
	w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.NoTTY}
	_, _ = w.Write([]byte(s))
	return b.String()
}

func TestCheckOutputGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		strict bool
		write  func(*checkRun, *bytes.Buffer) error
	}{
		{"text", false, func(r *checkRun, b *bytes.Buffer) error { return r.writeText(b, newTextStyles(), false, 0) }},
		{"text-verbose", false, func(r *checkRun, b *bytes.Buffer) error { return r.writeText(b, newTextStyles(), true, 0) }},
		{"text-80-columns", false, func(r *checkRun, b *bytes.Buffer) error { return r.writeText(b, newTextStyles(), true, 80) }},
		{"json", false, func(r *checkRun, b *bytes.Buffer) error { return r.writeJSON(b) }},
		{"junit", false, func(r *checkRun, b *bytes.Buffer) error { return r.writeJUnit(b) }},
		{"junit-strict", true, func(r *checkRun, b *bytes.Buffer) error { return r.writeJUnit(b) }},
		{"markdown", false, func(r *checkRun, b *bytes.Buffer) error { return r.writeMarkdown(b) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			require.NoError(t, tt.write(sampleRun(tt.strict), &b))
			golden.RequireEqual(t, plain(b.String()))
		})
	}
}

func TestCheckTextColorsOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	var raw bytes.Buffer
	require.NoError(t, sampleRun(false).writeText(&raw, newTextStyles(), false, 0))
	var ansi bytes.Buffer
	w := &colorprofile.Writer{Forward: &ansi, Profile: colorprofile.ANSI}
	_, err := w.Write(raw.Bytes())
	require.NoError(t, err)
	require.Contains(t, ansi.String(), "\x1b[", "a terminal gets colors")
	require.Contains(t, ansi.String(), "✗")
	require.NotContains(t, plain(raw.String()), "\x1b[", "anything else gets none")
}

func TestCheckJSONShape(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	require.NoError(t, sampleRun(false).writeJSON(&b))
	var doc map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(b.Bytes(), &doc))
	require.Len(t, doc, 4)
	for _, k := range []string{"profile", "results", "summary", "assessment"} {
		require.Contains(t, doc, k)
	}
	var results []map[string]any
	require.NoError(t, json.Unmarshal(doc["results"], &results))
	require.Len(t, results, 6)
	for _, r := range results {
		for _, k := range []string{"id", "category", "title", "status", "summary", "details", "duration_ms", "articles", "facts"} {
			require.Contains(t, r, k)
		}
		require.Len(t, r, 9)
	}
	require.Equal(t, "could not test", statusWord(check.Error, "en"))
	require.JSONEq(t, `{"pass":2,"warn":1,"fail":1,"skip":1,"error":1}`, string(doc["summary"]))
	require.JSONEq(t, `{"severity":"high","tier":"tier_2_technical"}`, string(doc["assessment"]))

	b.Reset()
	require.NoError(t, newCheckRun("p", nil, 0, false).writeJSON(&b))
	require.Contains(t, b.String(), `"results": []`)
}

func TestAssessResults(t *testing.T) {
	t.Parallel()
	res := func(id, category string, st check.Status, articles ...string) check.Result {
		return check.Result{ID: id, Category: category, Status: st, Articles: articles}
	}
	tests := []struct {
		results []check.Result
		want    assessment
	}{
		{nil, assessment{"low", "tier_1_basic"}},
		{[]check.Result{res("api.auth", "api", check.Pass), res("smtp.send", "smtp", check.Skip)}, assessment{"low", "tier_1_basic"}},
		{[]check.Result{res("api.reachability", "api", check.Warn, "perf-slow-responses")}, assessment{"medium", "tier_1_basic"}},
		{[]check.Result{res("api.clock", "api", check.Error)}, assessment{"low", "tier_2_technical"}},
		{[]check.Result{res("api.auth", "api", check.Fail, "api-invalid-key")}, assessment{"high", "tier_2_technical"}},
		{[]check.Result{res("smtp.auth", "smtp", check.Fail)}, assessment{"medium", "tier_2_technical"}},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, assessResults(tt.results), "%+v", tt.results)
	}
}

// TestAssessmentLoadsArticlesOnlyForProblems: the knowledge base is parsed
// for the first result that did not pass, never for a run that passed.
func TestAssessmentLoadsArticlesOnlyForProblems(t *testing.T) {
	t.Parallel()
	policy, err := escalate.LoadPolicy(knowledge.FS, "")
	require.NoError(t, err)
	for _, tt := range []struct {
		results []check.Result
		loads   int
	}{
		{[]check.Result{{ID: "api.auth", Category: "api", Status: check.Pass}}, 0},
		{[]check.Result{{ID: "api.auth", Category: "api", Status: check.Fail, Articles: []string{"api-invalid-key"}},
			{ID: "api.clock", Category: "api", Status: check.Warn, Articles: []string{"api-invalid-key"}}}, 1},
	} {
		loads := 0
		articles := &lazyArticles{load: func() (*kb.Base, error) {
			loads++
			base, _, err := kb.Load(knowledge.FS, "", "en")
			return base, err
		}}
		got := assessmentOf(policy, articles, tt.results)
		require.Equal(t, tt.loads, loads, "%+v", tt.results)
		require.Equal(t, assessResults(tt.results), got)
	}
}

func TestCheckJUnitParses(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	require.NoError(t, sampleRun(false).writeJUnit(&b))
	var doc junitSuites
	require.NoError(t, xml.Unmarshal(b.Bytes(), &doc))
	require.Equal(t, 6, doc.Tests)
	require.Equal(t, 1, doc.Failures)
	require.Equal(t, 1, doc.Errors)
	require.Equal(t, 1, doc.Skipped)
	require.Len(t, doc.Suites, 2)
	require.Equal(t, "api", doc.Suites[0].Name)
	require.Equal(t, "11.523", doc.Suites[0].Time)
	require.Equal(t, "0.012", doc.Suites[0].Cases[2].Time)
	require.NotNil(t, doc.Suites[0].Cases[2].Failure)
	require.NotContains(t, b.String(), "\x01")

	b.Reset()
	require.NoError(t, sampleRun(true).writeJUnit(&b))
	require.NoError(t, xml.Unmarshal(b.Bytes(), &doc))
	require.Equal(t, 2, doc.Failures, "--strict: the warning fails too")
}

// checkCLI runs the command line with buffers, a private log file, and
// returns the exit code, the outputs and the log.
func checkCLI(t *testing.T, args ...string) (code int, stdout, stderr, logText string) {
	t.Helper()
	var out, errb bytes.Buffer
	app := &App{Version: "test", Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb}
	logPath := filepath.Join(t.TempDir(), "pitstop.log")
	code = run(context.Background(), app, append([]string{"--log-file", logPath}, args...))
	data, _ := os.ReadFile(logPath)
	return code, out.String(), errb.String(), string(data)
}

// apiConfig starts a sandbox API and writes a config pointing at it.
func apiConfig(t *testing.T, opts demo.APIOptions) (path string, srv *demo.APIServer) {
	t.Helper()
	opts.Key = canaryFor(opts.Provider)
	if opts.Delay == 0 {
		opts.Delay = 1100 * time.Millisecond
	}
	srv, err := demo.StartAPI(opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	cfg := "profiles:\n  ci:\n    api:\n      provider: " + srv.Provider + "\n      base_url: " + srv.URL +
		"\n      key: " + opts.Key + "\n"
	if srv.CAFile != "" && !srv.Has(demo.APIFaultUntrustedCert) {
		cfg += "      ca_file: " + srv.CAFile + "\n"
	}
	path = filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(path, []byte(cfg), 0o600))
	return path, srv
}

func requireNoCheckCanary(t *testing.T, outputs ...string) {
	t.Helper()
	for _, o := range outputs {
		require.NotContains(t, o, "CHECKcanary")
		require.NotContains(t, o, "0123456789abcdef")
	}
}

func TestCheckEndToEndFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		provider string
		fault    string
		statuses string // config reachability auth ratelimit clock endpoints
		code     int
		timeout  string // --timeout; 1s when empty
	}{
		{demo.APICopyCar, "", "pass pass pass pass pass skip", 0, ""},
		{demo.APIOpenAI, "", "pass pass pass pass pass skip", 0, ""},
		{demo.APIAnthropic, "", "pass pass pass pass pass skip", 0, ""},
		{demo.APIOpenAI, demo.APIFaultBadKey, "pass pass fail skip pass skip", 1, ""},
		{demo.APICopyCar, demo.APIFaultForbidden, "pass pass fail skip pass skip", 1, ""},
		{demo.APIOpenAI, demo.APIFaultRateLimited, "pass pass warn fail pass skip", 1, ""},
		{demo.APIOpenAI, demo.APIFaultQuotaExhausted, "pass pass warn fail pass skip", 1, ""},
		{demo.APIAnthropic, demo.APIFaultLowRemaining, "pass pass pass warn pass skip", 0, ""},
		{demo.APICopyCar, demo.APIFaultServerError, "pass warn fail skip pass skip", 1, ""},
		{demo.APIAnthropic, demo.APIFaultSkewedDate, "pass pass pass pass fail skip", 1, ""},
		{demo.APIOpenAI, demo.APIFaultSlow, "pass warn pass pass pass skip", 0, "5s"},
		{demo.APICopyCar, demo.APIFaultHang, "pass error skip skip skip skip", 1, ""},
		{demo.APICopyCar, demo.APIFaultGarbage, "pass error skip skip skip skip", 1, ""},
		{demo.APICopyCar, demo.APIFaultEndlessBody, "pass fail skip skip skip skip", 1, ""},
		{demo.APIOpenAI, demo.APIFaultTLS, "pass pass pass pass pass skip", 0, ""},
		{demo.APIOpenAI, demo.APIFaultUntrustedCert, "pass fail skip skip skip skip", 1, ""},
		{demo.APICopyCar, demo.APIFaultExpiredCert, "pass fail skip skip skip skip", 1, ""},
		{demo.APIAnthropic, demo.APIFaultExpiringCert, "pass warn pass pass pass skip", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.provider+"/"+tt.fault, func(t *testing.T) {
			t.Parallel()
			var faults []string
			if tt.fault != "" {
				faults = []string{tt.fault}
			}
			cfg, _ := apiConfig(t, demo.APIOptions{Provider: tt.provider, Faults: faults})
			timeout := tt.timeout
			if timeout == "" {
				timeout = "1s"
			}
			start := time.Now()
			code, stdout, stderr, logText := checkCLI(t, "--config", cfg, "--timeout", timeout, "check", "--only", "api", "--format", "json")
			if tt.fault == demo.APIFaultHang {
				require.Less(t, time.Since(start), time.Second+500*time.Millisecond, "returns within the timeout")
			}
			var doc struct {
				Profile string         `json:"profile"`
				Results []check.Result `json:"results"`
			}
			require.NoError(t, json.Unmarshal([]byte(stdout), &doc), stdout+stderr)
			require.Equal(t, "ci", doc.Profile)
			var got []string
			for _, r := range doc.Results {
				got = append(got, r.Status.String())
				require.NotEmpty(t, r.Articles, r.ID)
			}
			require.Equal(t, tt.statuses, strings.Join(got, " "), stdout)
			require.Equal(t, tt.code, code, stderr)
			requireNoCheckCanary(t, stdout, stderr, logText)
		})
	}
}

func TestCheckCanaryInEveryFormat(t *testing.T) {
	t.Parallel()
	// The OpenAI sandbox echoes a rejected key in its error body.
	cfg, _ := apiConfig(t, demo.APIOptions{Provider: demo.APIOpenAI, Faults: []string{demo.APIFaultBadKey}})
	for _, format := range checkFormats {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr, logText := checkCLI(t, "--config", cfg, "check", "--only", "api", "--format", format, "--verbose")
			require.Equal(t, ExitFailed, code)
			require.Contains(t, stdout, "api.auth")
			requireNoCheckCanary(t, stdout, stderr, logText)
			if format != "text" {
				// The echo is kept as evidence, masked.
				require.Contains(t, stdout, "Incorrect API key provided: sk-proj-…RY42")
			}
		})
	}
}

func TestCheckTextEndToEnd(t *testing.T) {
	t.Parallel()
	cfg, _ := apiConfig(t, demo.APIOptions{Provider: demo.APICopyCar, Faults: []string{demo.APIFaultBadKey}})
	code, stdout, _, _ := checkCLI(t, "--config", cfg, "--no-color", "check", "--only", "api")
	require.Equal(t, ExitFailed, code)
	require.NotContains(t, stdout, "\x1b[")
	require.Contains(t, stdout, "Pitstop check · profile ci")
	require.Contains(t, stdout, "AI API\n")
	require.Contains(t, stdout, "✗ API key accepted  api.auth · ")
	require.Contains(t, stdout, "    read: api-invalid-key")
	require.Regexp(t, `6 checks in [0-9.]+ m?s: 3 passed, 0 warnings, 1 failed, 0 could not test, 2 skipped\.\n$`, stdout)
}

func TestCheckStrict(t *testing.T) {
	t.Parallel()
	cfg, _ := apiConfig(t, demo.APIOptions{Provider: demo.APIOpenAI, Faults: []string{demo.APIFaultLowRemaining}})
	code, _, _, _ := checkCLI(t, "--config", cfg, "check", "--only", "api", "--format", "json")
	require.Equal(t, ExitOK, code, "a warning passes")
	code, _, _, _ = checkCLI(t, "--config", cfg, "check", "--only", "api", "--format", "json", "--strict")
	require.Equal(t, ExitFailed, code, "--strict: a warning fails")
}

func TestCheckUsageErrors(t *testing.T) {
	t.Parallel()
	cfg, _ := apiConfig(t, demo.APIOptions{})
	empty := filepath.Join(t.TempDir(), "empty.yaml")
	require.NoError(t, os.WriteFile(empty, []byte("profiles:\n  bare: {}\n"), 0o600))
	broken := filepath.Join(t.TempDir(), "broken.yaml")
	require.NoError(t, os.WriteFile(broken, []byte("profiles:\n  p:\n    api:\n      kee: "+checkCanary+"\n"), 0o600))
	tests := []struct {
		name  string
		args  []string
		words string
	}{
		{"format", []string{"--config", cfg, "check", "--format", "yaml"}, "text, json, junit, markdown"},
		{"only", []string{"--config", cfg, "check", "--only", "api,ftp"}, `"ftp"`},
		{"missing config", []string{"--config", filepath.Join(t.TempDir(), "nope.yaml"), "check"}, "no such file"},
		{"unknown key", []string{"--config", broken, "check"}, `broken.yaml:4: unknown key "kee"`},
		{"nothing configured", []string{"--config", empty, "check"}, "configures nothing to check"},
		{"bad timeout", []string{"--config", cfg, "--timeout", "0s", "check"}, "--timeout"},
		{"arguments", []string{"--config", cfg, "check", "api"}, `"api" is not a command of pitstop check`},
		{"only a category the profile lacks", []string{"--config", cfg, "check", "--only", "api,smtp"},
			`--only smtp: profile "ci" does not configure it (smtp.host)`},
		{"report: only a category the profile lacks", []string{"--config", cfg, "report", "--only", "cache", "--out", "-"},
			`--only cache: profile "ci" does not configure it (cache.redis_url)`},
		{"prelaunch: only a category the profile lacks", []string{"--config", cfg, "checklist", "prelaunch", "--only", "crm,cache"},
			`--only crm,cache: profile "ci" does not configure them`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr, logText := checkCLI(t, tt.args...)
			require.Equal(t, ExitUsage, code, stdout+stderr)
			require.Contains(t, stderr, tt.words)
			requireNoCheckCanary(t, stdout, stderr, logText)
		})
	}
}

func TestCheckNoColorEnvironment(t *testing.T) {
	// Not parallel: it sets the environment.
	t.Setenv("CLICOLOR_FORCE", "1")
	cfg, _ := apiConfig(t, demo.APIOptions{})
	_, stdout, _, _ := checkCLI(t, "--config", cfg, "check", "--only", "api")
	require.Contains(t, stdout, "\x1b[", "CLICOLOR_FORCE colors even a pipe")
	_, stdout, _, _ = checkCLI(t, "--config", cfg, "--no-color", "check", "--only", "api")
	require.NotContains(t, stdout, "\x1b[")
	t.Setenv("NO_COLOR", "1")
	_, stdout, _, _ = checkCLI(t, "--config", cfg, "check", "--only", "api")
	require.NotContains(t, stdout, "\x1b[")
}

func TestCheckLogsEveryAPICall(t *testing.T) {
	// Not parallel: the activity log is the process-wide slog default, and
	// sequential tests run before the parallel ones start.
	cfg, srv := apiConfig(t, demo.APIOptions{Provider: demo.APIOpenAI, Faults: []string{demo.APIFaultBadKey}})
	code, _, _, logText := checkCLI(t, "--config", cfg, "check", "--only", "api")
	require.Equal(t, ExitFailed, code)
	require.Contains(t, logText, `"msg":"http request","method":"GET","url":"`+srv.URL+`/models","status":401`)
	require.Equal(t, 2, strings.Count(logText, `"msg":"http request"`), "one unauthenticated and one authenticated call")
	require.Contains(t, logText, `"latency_ms":`)
	require.NotContains(t, logText, "Authorization")
	requireNoCheckCanary(t, logText)
}

// TestCheckInterrupted: Ctrl-C during a run says the results are
// incomplete and does not pass; report writes nothing.
func TestCheckInterrupted(t *testing.T) {
	t.Parallel()
	cfg, _ := apiConfig(t, demo.APIOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	app := &App{Version: "test", Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb}
	code := run(ctx, app, []string{"--log-file", filepath.Join(t.TempDir(), "log"), "--config", cfg, "check", "--only", "api"})
	require.Equal(t, ExitInterrupted, code, errb.String())
	require.Contains(t, out.String(), "Stopped before every check finished (interrupted): these results are incomplete.")

	report := filepath.Join(t.TempDir(), "r.md")
	out.Reset()
	errb.Reset()
	app = &App{Version: "test", Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb}
	code = run(ctx, app, []string{"--log-file", filepath.Join(t.TempDir(), "log"), "--config", cfg, "report", "--only", "api", "--out", report})
	require.Equal(t, ExitInterrupted, code)
	require.Contains(t, errb.String(), "no report was written")
	require.NoFileExists(t, report)
}

// TestCheckEverythingSkipped: a run that tested nothing does not say
// "All clear".
func TestCheckEverythingSkipped(t *testing.T) {
	t.Parallel()
	run := newCheckRun("p", []check.Result{{ID: "smtp.connect", Category: "smtp", Title: "SMTP", Status: check.Skip, Summary: "No SMTP server is configured."}}, 0, false)
	var b bytes.Buffer
	require.NoError(t, run.writeText(&b, newTextStyles(), false, 0))
	require.Contains(t, plain(b.String()), "Nothing was tested: every check was skipped")
	require.NotContains(t, plain(b.String()), "All clear")
}
