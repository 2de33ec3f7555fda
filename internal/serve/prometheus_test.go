package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"pitstop/internal/demo"
)

// deployDir is the repository's deploy/ folder.
var deployDir = filepath.Join("..", "..", "deploy")

// tool finds a Prometheus binary. Debian's prometheus package has both;
// `make test` installs it when it can.
func tool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed, so this test cannot run: install Debian's prometheus package (apt-get install prometheus; `make test` does it when it can)", name)
	}
	return path
}

func promtool(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(tool(t, "promtool"), args...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "promtool %s:\n%s", strings.Join(args, " "), out)
	return string(out)
}

func TestDeployRulesPassPromtool(t *testing.T) {
	t.Parallel()
	rules := filepath.Join(deployDir, "rules", "pitstop.rules.yml")
	require.Contains(t, promtool(t, "", "check", "rules", rules), "SUCCESS")
	require.Contains(t, promtool(t, "", "test", "rules", filepath.Join(deployDir, "rules", "pitstop.rules.test.yml")), "SUCCESS")
	require.Contains(t, promtool(t, "", "check", "config", filepath.Join(deployDir, "prometheus.yml")), "SUCCESS")
}

// freePort returns a loopback port nothing listens on now.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := ln.Addr().(*net.TCPAddr).Port
	require.NoError(t, ln.Close())
	return port
}

// scrapeConfig is deploy/prometheus.yml made to scrape the exporter at addr
// for the sandbox profile every second: the relabelling is the deploy
// file's own, so this test proves it.
func scrapeConfig(t *testing.T, addr string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(deployDir, "prometheus.yml"))
	require.NoError(t, err)
	var cfg map[string]any
	require.NoError(t, yaml.Unmarshal(data, &cfg))
	rules, err := filepath.Abs(filepath.Join(deployDir, "rules", "pitstop.rules.yml"))
	require.NoError(t, err)
	cfg["global"] = map[string]any{"scrape_interval": "1s", "evaluation_interval": "1s"}
	cfg["rule_files"] = []any{rules}
	for _, j := range cfg["scrape_configs"].([]any) {
		job := j.(map[string]any)
		switch job["job_name"] {
		case "pitstop":
			job["scrape_interval"], job["scrape_timeout"] = "2s", "2s"
			job["static_configs"] = []any{map[string]any{"targets": []any{demo.SandboxProfile}}}
			relabels := job["relabel_configs"].([]any)
			last := relabels[len(relabels)-1].(map[string]any)
			require.Equal(t, "__address__", last["target_label"])
			last["replacement"] = addr
		case "pitstop-exporter":
			job["scrape_interval"] = "1s"
			job["static_configs"] = []any{map[string]any{"targets": []any{addr}}}
		}
	}
	out, err := yaml.Marshal(cfg)
	require.NoError(t, err)
	return out
}

// startPrometheus runs prometheus with config in a temporary directory on
// a free port, and stops it when the test ends.
func startPrometheus(t *testing.T, config []byte) string {
	t.Helper()
	bin := tool(t, "prometheus")
	dir := t.TempDir()
	path := filepath.Join(dir, "prometheus.yml")
	require.NoError(t, os.WriteFile(path, config, 0o600))
	promtool(t, "", "check", "config", path)
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	cmd := exec.Command(bin, "--config.file="+path, "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr, "--log.level=warn")
	var logs bytes.Buffer
	var logMu sync.Mutex
	cmd.Stdout, cmd.Stderr = lockedWriterOf(&logs, &logMu), lockedWriterOf(&logs, &logMu)
	require.NoError(t, cmd.Start())
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
		if t.Failed() {
			logMu.Lock()
			t.Logf("prometheus said:\n%s", logs.String())
			logMu.Unlock()
		}
	})
	return "http://" + addr
}

type bufWriter struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (w bufWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func lockedWriterOf(b *bytes.Buffer, mu *sync.Mutex) bufWriter { return bufWriter{mu, b} }

// promSample is one element of a Prometheus instant query's vector.
type promSample struct {
	Metric map[string]string `json:"metric"`
	Value  [2]any            `json:"value"`
}

func (s promSample) float(t *testing.T) float64 {
	f, err := strconv.ParseFloat(s.Value[1].(string), 64)
	require.NoError(t, err)
	return f
}

// query runs an instant query through Prometheus's HTTP API.
func query(t *testing.T, base, q string) []promSample {
	t.Helper()
	resp, err := http.Get(base + "/api/v1/query?query=" + url.QueryEscape(q))
	if err != nil {
		return nil // not up yet
	}
	defer resp.Body.Close()
	var out struct {
		Status string `json:"status"`
		Data   struct {
			Result []promSample `json:"result"`
		} `json:"data"`
	}
	if json.NewDecoder(resp.Body).Decode(&out) != nil || out.Status != "success" {
		return nil
	}
	return out.Data.Result
}

// eventually polls q until it returns a sample, for up to a minute.
func eventually(t *testing.T, base, q string) []promSample {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if res := query(t, base, q); len(res) > 0 {
			return res
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("Prometheus returned nothing for %s within a minute", q)
	return nil
}

// TestPrometheusScrapesTheSandbox runs a real Prometheus with
// deploy/prometheus.yml's relabelling and deploy/rules against `pitstop
// serve` on the sandbox, and reads the results back through Prometheus's
// HTTP API: the profile label comes from relabelling, the check states, a
// real fact and the exporter's own figures arrive, the alert rules evaluate
// on them, and scrapes every 2 s cost the sandbox one run per TTL.
//
// It spends most of its time waiting for scrapes, so the package's other
// tests run meanwhile (its sandbox, exporter and Prometheus are its own).
func TestPrometheusScrapesTheSandbox(t *testing.T) {
	t.Parallel()
	tool(t, "prometheus")
	sb := startSandbox(t, "mixed")
	s, err := New(Options{SettingsPath: sb.ConfigPath, CacheTTL: 30 * time.Second, TimeoutOffset: DefaultTimeoutOffset})
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln, "") }()
	t.Cleanup(func() {
		cancel()
		if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	})
	exporter := ln.Addr().String()
	start := time.Now()
	prom := startPrometheus(t, scrapeConfig(t, exporter))

	success := eventually(t, prom, `pitstop_probe_success{job="pitstop",profile="sandbox"}`)
	require.Len(t, success, 1)
	require.Equal(t, 0.0, success[0].float(t), "the mixed scenario has failing checks")
	require.Equal(t, exporter, success[0].Metric["instance"])

	auth := eventually(t, prom, `pitstop_check_status{profile="sandbox",check="api.auth"} == 1`)
	require.Equal(t, "pass", auth[0].Metric["status"])
	failing := eventually(t, prom, `pitstop_check_status{profile="sandbox",status="fail"} == 1`)
	require.NotEmpty(t, failing)
	eventually(t, prom, `pitstop_check_duration_seconds{profile="sandbox",check="api.reachability"}`)
	require.Empty(t, query(t, prom, `{job="pitstop",__name__=~"pitstop_.*",profile!="sandbox"}`),
		"every probe series carries the profile label from relabelling")
	up := eventually(t, prom, `up{job="pitstop-exporter"}`)
	require.Equal(t, 1.0, up[0].float(t))
	eventually(t, prom, `pitstop_probes_total{result="failure"} > 0`)
	eventually(t, prom, `go_goroutines{job="pitstop-exporter"}`)

	// A real fact, measured by api.ratelimit against the sandbox (the mixed
	// scenario leaves 3 of 100 requests), reaches Prometheus as a gauge.
	remaining := eventually(t, prom, `pitstop_api_ratelimit_remaining{profile="sandbox",check="api.ratelimit"}`)
	require.Equal(t, 3.0, remaining[0].float(t))
	limit := eventually(t, prom, `pitstop_api_ratelimit_limit{profile="sandbox",check="api.ratelimit"}`)
	require.Equal(t, 100.0, limit[0].float(t))

	// The rules from deploy/ evaluate on what the exporter gives: a failing
	// check and the nearly spent rate limit are pending (their for: is minutes).
	pending := eventually(t, prom, `ALERTS{alertname="PitstopCheckFailing",profile="sandbox"}`)
	require.Equal(t, "pending", pending[0].Metric["alertstate"])
	pending = eventually(t, prom, `ALERTS{alertname="PitstopAPIRateLimitNearlySpent",profile="sandbox"}`)
	require.Equal(t, "pending", pending[0].Metric["alertstate"])

	// Prometheus scraped every 2 s; the providers saw one run per TTL.
	eventually(t, prom, `pitstop_probe_cache_hits_total > 2`)
	runs := query(t, prom, `pitstop_probe_runs_total`)
	require.Len(t, runs, 1)
	maxRuns := 1 + int(time.Since(start)/(30*time.Second))
	require.LessOrEqual(t, int(runs[0].float(t)), maxRuns)

	// promtool lints what the exporter serves, both pages.
	_, probe := get(t, "http://"+exporter+"/probe?profile=sandbox", nil)
	promtool(t, probe, "check", "metrics")
	_, metrics := get(t, "http://"+exporter+"/metrics", nil)
	promtool(t, metrics, "check", "metrics")
}
