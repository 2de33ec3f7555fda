package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/require"

	"pitstop/internal/demo"
	"pitstop/internal/monitor"
	"pitstop/internal/testutil"
)

func startSandbox(t *testing.T, scenario string) *demo.Sandbox {
	t.Helper()
	sb, err := demo.StartSandbox(scenario, demo.SandboxOptions{Dir: t.TempDir()})
	require.NoError(t, err)
	t.Cleanup(func() { sb.Close() })
	return sb
}

// monitorOutput splits `pitstop monitor --format json` output by line type.
type monitorOutput struct {
	samples []map[string]any
	alerts  []map[string]any
	emails  []map[string]any
	summary map[string]any
}

func parseMonitor(t *testing.T, out string) monitorOutput {
	t.Helper()
	var mo monitorOutput
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var line map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &line), sc.Text())
		switch line["type"] {
		case "sample":
			mo.samples = append(mo.samples, line)
		case "alert":
			mo.alerts = append(mo.alerts, line["alert"].(map[string]any))
		case "alert_email":
			mo.emails = append(mo.emails, line["email"].(map[string]any))
		case "summary":
			require.Nil(t, mo.summary, "one summary line")
			mo.summary = line["summary"].(map[string]any)
		default:
			t.Fatalf("unknown line type in %s", sc.Text())
		}
	}
	require.NotNil(t, mo.summary, "a final summary line")
	return mo
}

func TestMonitorJSONHealthy(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t, "healthy")
	start := time.Now()
	code, out, errOut := runCLI(t, context.Background(), "--config", sb.ConfigPath, "monitor",
		"--duration", "250ms", "--interval", "100ms")
	require.Less(t, time.Since(start), 250*time.Millisecond+10*time.Second+500*time.Millisecond)
	require.Equal(t, ExitOK, code, errOut)
	mo := parseMonitor(t, out)
	require.GreaterOrEqual(t, len(mo.samples), 2, "the first round probes the base and the replica")
	endpoints := map[string]bool{}
	for _, s := range mo.samples {
		require.EqualValues(t, 200, s["status"])
		require.Equal(t, "success", s["outcome"])
		require.Contains(t, s, "latency_ms")
		require.Contains(t, s, "time")
		endpoints[s["endpoint"].(string)] = true
	}
	require.Equal(t, map[string]bool{sb.API.URL: true, sb.Endpoint.URL: true}, endpoints)
	stats := mo.summary["stats"].(map[string]any)
	require.EqualValues(t, len(mo.samples), stats["total"])
	require.EqualValues(t, 1, stats["success_rate"])
	require.Len(t, stats["endpoints"], 2)
	require.Empty(t, mo.summary["alerts"])
	require.Empty(t, mo.alerts)
	require.NotContains(t, out, sb.API.Key())
}

// TestMonitorAlertEmailOncePerKind watches a provider outage for several
// rounds with --alert-email: each alert kind reaches the sandbox mailbox once.
func TestMonitorAlertEmailOncePerKind(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t, "provider-outage")
	code, out, errOut := runCLI(t, context.Background(), "--config", sb.ConfigPath, "monitor",
		"--duration", "450ms", "--interval", "100ms", "--alert-email", "oncall@example.com")
	require.Equal(t, ExitFailed, code, errOut)
	mo := parseMonitor(t, out)
	kinds := map[string]int{}
	for _, a := range mo.alerts {
		kinds[a["kind"].(string)]++
	}
	require.Equal(t, 1, kinds["HIGH_ERROR_RATE"])
	require.Equal(t, 1, kinds["LOW_SUCCESS_RATE"])
	for k, n := range kinds {
		require.Equal(t, 1, n, "alert %s reported once", k)
	}
	require.Len(t, mo.emails, len(mo.alerts))
	for _, e := range mo.emails {
		require.Equal(t, true, e["sent"], e)
	}
	subjects := map[string]int{}
	for _, m := range sb.SMTP.Messages() {
		require.True(t, m.TLS)
		require.Equal(t, []string{"oncall@example.com"}, m.To)
		for _, line := range strings.Split(string(m.Data), "\r\n") {
			if s, ok := strings.CutPrefix(line, "Subject: Pitstop alert: "); ok {
				subjects[s]++
			}
		}
	}
	require.Equal(t, kinds, subjects, "every alert kind emailed exactly once")
	for _, s := range mo.samples {
		require.EqualValues(t, 500, s["status"])
		require.Equal(t, "failed", s["outcome"])
	}
	require.NotContains(t, out, sb.API.Key())
	require.NotContains(t, out, sb.SMTP.Password())
}

func TestMonitorUsageErrors(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t, "healthy")
	noAPI := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(noAPI, []byte("profiles:\n  p:\n    smtp:\n      host: 127.0.0.1\n"), 0o600))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"interval too short", []string{"--config", sb.ConfigPath, "monitor", "--interval", "10ms"}, "--interval"},
		{"negative duration", []string{"--config", sb.ConfigPath, "monitor", "--duration", "-1s"}, "--duration"},
		{"bad format", []string{"--config", sb.ConfigPath, "monitor", "--format", "xml"}, "live or json"},
		{"bad error rate", []string{"--config", sb.ConfigPath, "monitor", "--max-error-rate", "150"}, "error-rate"},
		{"bad email", []string{"--config", sb.ConfigPath, "monitor", "--alert-email", "nobody"}, "not an email address"},
		{"no api", []string{"--config", noAPI, "monitor"}, "api.base_url"},
		{"missing config", []string{"--config", filepath.Join(t.TempDir(), "missing.yaml"), "monitor"}, "missing.yaml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, _, errOut := runCLI(t, context.Background(), tc.args...)
			require.Equal(t, ExitUsage, code)
			require.Contains(t, errOut, tc.want)
		})
	}
}

// TestActivityLogHasEveryAPICall runs the monitor and a check against a
// sandbox whose key must never reach the log: every API call is one line
// with method, endpoint without query, status and latency, and the run's
// figures are logged as performance lines. Not parallel: it owns slog's
// default logger while it runs.
func TestActivityLogHasEveryAPICall(t *testing.T) {
	sb := startSandbox(t, "bad-key")
	logPath := filepath.Join(t.TempDir(), "state", "pitstop.log")
	var out, errOut testutil.SyncBuffer
	app := &App{Stdout: &out, Stderr: &errOut, Stdin: strings.NewReader("")}
	code := run(context.Background(), app, []string{"--log-file", logPath, "--config", sb.ConfigPath,
		"monitor", "--duration", "150ms", "--interval", "100ms"})
	require.Equal(t, ExitFailed, code, errOut.String())
	app = &App{Stdout: &out, Stderr: &errOut, Stdin: strings.NewReader("")}
	code = run(context.Background(), app, []string{"--log-file", logPath, "--config", sb.ConfigPath, "--debug", "check", "--only", "api"})
	require.Equal(t, ExitFailed, code, errOut.String())

	data, err := os.ReadFile(logPath)
	require.NoError(t, err)
	for _, secret := range []string{sb.API.Key(), sb.SMTP.Password(), sb.CRM.Token(), sb.Redis.Password()} {
		require.NotContains(t, string(data), secret)
	}
	st, err := os.Stat(logPath)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), st.Mode().Perm())

	lines := readLogLines(t, logPath)
	calls, perf, failed := 0, 0, 0
	received := len(sb.API.Requests()) + len(sb.Endpoint.Requests())
	for _, l := range lines {
		switch l["msg"] {
		case "http request":
			calls++
			require.NotEmpty(t, l["method"], l)
			u, ok := l["url"].(string)
			require.True(t, ok, l)
			require.NotContains(t, u, "?", "endpoint without query")
			require.True(t, strings.HasPrefix(u, sb.API.Origin) || strings.HasPrefix(u, sb.Endpoint.Origin), u)
			require.Contains(t, l, "status")
			require.Contains(t, l, "latency_ms")
		case "check result":
			if l["id"] == "api.auth" {
				failed++
				require.Equal(t, "WARN", l["level"])
				require.Equal(t, "fail", l["status"])
				require.NotEmpty(t, l["summary"])
			}
		case "performance":
			perf++
			require.Contains(t, l, "metric")
			require.Contains(t, l, "value")
			require.Contains(t, l, "threshold")
			require.Contains(t, []any{"OK", "WARNING"}, l["status"])
		}
	}
	require.Equal(t, received, calls, "one log line per API call the sandbox received")
	require.GreaterOrEqual(t, perf, 5)
	require.Equal(t, 1, failed, "the failed check is logged")
	last := lines[len(lines)-1]
	require.Equal(t, "command finished", last["msg"])
	require.Equal(t, "pitstop check", last["command"])
}

// TestMonitorSummaryText: the summary after the live screen fits the
// terminal and speaks the --lang language, alerts included.
func TestMonitorSummaryText(t *testing.T) {
	t.Parallel()
	sum := monitor.Summary{
		Stats: monitor.Stats{Elapsed: 10 * time.Second, Total: 20, SuccessRate: 0.5, ErrorRate: 0.5, P50: 4 * time.Millisecond,
			P95: 6 * time.Millisecond, Max: 9 * time.Millisecond, Throughput: 60,
			Endpoints: []monitor.EndpointStats{{Endpoint: "https://api.example.test/v2", Total: 10, Successes: 5, LastOutcome: monitor.Success}}},
		Alerts: []monitor.Alert{{Kind: monitor.HighErrorRate, Severity: monitor.Critical, Value: 0.5, Limit: 0.05,
			Message: "The API is failing: 50.0% of requests got no good answer (limit 5.0%)."}},
	}
	var en, es bytes.Buffer
	printMonitorSummary(&en, sum, "en", 80)
	printMonitorSummary(&es, sum, "es", 80)
	require.Contains(t, en.String(), "Monitored for 10 s: 20 probes, 50.0% succeeded, 50.0% failed.\n")
	require.Contains(t, en.String(), "Throughput: 60.0 successful requests a minute.\n")
	require.Contains(t, en.String(), "https://api.example.test/v2: healthy (5/10 ok)")
	require.Contains(t, es.String(), "Monitoreado durante 10 s: 20 pruebas")
	require.Contains(t, es.String(), "La API está fallando: el 50.0% de las solicitudes")
	for _, out := range []string{en.String(), es.String()} {
		for _, line := range strings.Split(out, "\n") {
			require.LessOrEqual(t, ansi.StringWidth(line), 80, line)
		}
	}
}

// TestEndpointDownAlertCountsEndpoints: one endpoint down reads in the
// singular, several in one plural sentence naming each, in both languages
// (English is the monitor's own sentence).
func TestEndpointDownAlertCountsEndpoints(t *testing.T) {
	t.Parallel()
	const a, b = "https://api.example.test/v2", "https://replica.example.test/v2"
	alert := func(failures ...int) monitor.Alert {
		st := monitor.Stats{Window: 10, SuccessRate: 1}
		for i, n := range failures {
			st.Endpoints = append(st.Endpoints, monitor.EndpointStats{Endpoint: []string{a, b}[i], ConsecutiveFailures: n})
		}
		alerts := monitor.Thresholds{DownAfter: 3}.Evaluate(st, 0, time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
		require.Len(t, alerts, 1)
		require.Equal(t, monitor.EndpointDown, alerts[0].Kind)
		return alerts[0]
	}
	tests := []struct {
		name string
		lang string
		a    monitor.Alert
		want string
	}{
		{"one, English", "en", alert(4), a + " failed its last 4 checks in a row."},
		{"one, Spanish", "es", alert(4), a + " falló sus últimas 4 pruebas seguidas."},
		{"two, English", "en", alert(5, 3), "2 endpoints are down: " + a + ", " + b + "; each failed at least its last 3 checks in a row."},
		{"two, Spanish", "es", alert(5, 3), "Hay 2 endpoints caídos: " + a + ", " + b + "; cada uno falló al menos sus últimas 3 pruebas seguidas."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, tt.a.Text(tt.lang))
		})
	}
}

// TestMonitorTestAlert: --test-alert sends one email and says so; alone it
// probes nothing and exits 0; a mail server that refuses the login makes it
// exit 1 with the reason.
func TestMonitorTestAlert(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t, "healthy")
	probesBefore := len(sb.API.Requests())
	code, out, errOut := runCLI(t, context.Background(), "--config", sb.ConfigPath, "monitor",
		"--alert-email", "oncall@example.com", "--test-alert")
	require.Equal(t, ExitOK, code, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 1, "one line: the test alert's email, and no probe")
	var line struct {
		Type  string         `json:"type"`
		Email map[string]any `json:"email"`
	}
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &line))
	require.Equal(t, "alert_email", line.Type)
	require.Equal(t, true, line.Email["sent"])
	require.Equal(t, "TEST", line.Email["kind"])
	require.Equal(t, probesBefore, len(sb.API.Requests()))
	msgs := sb.SMTP.Messages()
	require.Len(t, msgs, 1)
	require.Contains(t, string(msgs[0].Data), "Subject: Pitstop alert: TEST\r\n")
	require.Contains(t, string(msgs[0].Data), "This is a test alert from Pitstop")

	bad := startSandbox(t, "smtp-bad-password")
	code, _, errOut = runCLI(t, context.Background(), "--config", bad.ConfigPath, "monitor",
		"--alert-email", "oncall@example.com", "--test-alert")
	require.Equal(t, ExitFailed, code)
	require.Contains(t, errOut, "the test alert could not be sent")
	require.NotContains(t, errOut, bad.SMTP.Password())

	code, _, errOut = runCLI(t, context.Background(), "--config", sb.ConfigPath, "monitor", "--test-alert")
	require.Equal(t, ExitUsage, code)
	require.Contains(t, errOut, "--test-alert needs --alert-email")
}
