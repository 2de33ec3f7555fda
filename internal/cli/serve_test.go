package cli

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/demo"
)

func TestServeUsageErrors(t *testing.T) {
	t.Parallel()
	cfg, _ := apiConfig(t, demo.APIOptions{})
	broken := filepath.Join(t.TempDir(), "broken.yaml")
	require.NoError(t, os.WriteFile(broken, []byte("profiles: [\n"), 0o600))
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--config", cfg, "serve", "--cache-ttl", "-1s"}, "--cache-ttl is -1s"},
		{[]string{"--config", cfg, "serve", "--concurrency", "0"}, "--concurrency is 0"},
		{[]string{"--config", cfg, "serve", "--web-config", filepath.Join(t.TempDir(), "nope.yml")}, "--web-config"},
		{[]string{"--config", broken, "serve"}, "broken.yaml"},
		{[]string{"--config", cfg, "serve", "--listen", "127.0.0.1:99999"}, "--listen 127.0.0.1:99999"},
		{[]string{"--config", cfg, "--profile", "ci", "serve"}, "--profile does not apply to serve"},
	} {
		code, _, stderr, _ := checkCLI(t, tt.args...)
		require.Equal(t, ExitUsage, code, "%v: %s", tt.args, stderr)
		require.Contains(t, stderr, tt.want)
	}
}

// syncBuffer is a buffer the server's goroutines may write while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func httpGet(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(body)
}

// TestServeEndToEnd runs `pitstop serve` against the sandbox API: a probe
// answers with the checks, SIGHUP with a broken file keeps the last good
// settings and says so, Ctrl-C stops it cleanly; no secret reaches stderr.
// Not parallel: it signals its own process.
func TestServeEndToEnd(t *testing.T) {
	cfg, _ := apiConfig(t, demo.APIOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	var stderr syncBuffer
	app := &App{Version: "test", Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &stderr}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, app, []string{"--log-file", filepath.Join(t.TempDir(), "log"), "--config", cfg, "serve", "--listen", "127.0.0.1:0"})
	}()
	addrRe := regexp.MustCompile(`on (127\.0\.0\.1:\d+) \(plain HTTP\)`)
	waitFor(t, "the serving line", func() bool { return addrRe.MatchString(stderr.String()) })
	base := "http://" + addrRe.FindStringSubmatch(stderr.String())[1]

	probe := httpGet(t, base+"/probe?profile=ci")
	require.Contains(t, probe, "pitstop_probe_success 1")
	require.Contains(t, probe, `pitstop_check_status{category="api",check="api.auth",status="pass"} 1`)

	require.NoError(t, os.WriteFile(cfg, []byte("profiles:\n  ci: [\n"), 0o600))
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGHUP))
	waitFor(t, "the failed reload", func() bool {
		return strings.Contains(httpGet(t, base+"/metrics"), "pitstop_settings_last_reload_successful 0")
	})
	require.Contains(t, httpGet(t, base+"/probe?profile=ci"), "pitstop_probe_success 1", "the last good settings are served")
	require.Contains(t, stderr.String(), "settings reload failed; still serving the settings loaded before")

	cancel()
	select {
	case code := <-done:
		require.Equal(t, ExitOK, code, stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	requireNoCheckCanary(t, stderr.String())
}

// TestServeSystemdUnitRunsThisCommandLine: the unit in deploy/ starts
// pitstop with flags this build accepts.
func TestServeSystemdUnitRunsThisCommandLine(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("..", "..", "deploy", "systemd", "pitstop-serve.service"))
	require.NoError(t, err)
	text := strings.ReplaceAll(string(data), "\\\n", " ")
	m := regexp.MustCompile(`(?m)^ExecStart=\S+pitstop (.*)$`).FindStringSubmatch(text)
	require.NotNil(t, m, "ExecStart runs pitstop")
	args := strings.Fields(m[1])
	root := NewRoot(&App{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard})
	cmd, rest, err := root.Find(args)
	require.NoError(t, err)
	require.Equal(t, "serve", cmd.Name())
	require.NoError(t, cmd.ParseFlags(rest))
	require.Empty(t, cmd.Flags().Args())
}
