package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/demo"
	"pitstop/internal/testutil"
)

// runCLI runs pitstop with args and buffers, logging to a file of its own.
func runCLI(t *testing.T, ctx context.Context, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut testutil.SyncBuffer
	app := &App{Stdout: &out, Stderr: &errOut, Stdin: strings.NewReader("")}
	args = append([]string{"--log-file", filepath.Join(t.TempDir(), "pitstop.log")}, args...)
	code = run(ctx, app, args)
	return code, out.String(), errOut.String()
}

// checkJSON is the part of `pitstop check --format json` the scenario tests read.
type checkJSON struct {
	Results []struct {
		ID      string       `json:"id"`
		Status  check.Status `json:"status"`
		Summary string       `json:"summary"`
		Details []string     `json:"details"`
	} `json:"results"`
}

// TestScenarioCheckOutcomes starts each sandbox scenario and runs `pitstop
// check --format json` against it in English and in Spanish: the key checks
// have the expected statuses and the exit code is the expected one, every
// Spanish summary is in Spanish (none equals the English one of the same
// check), the facts keep their contract (requireFacts), and no sandbox
// secret shows in either run. One pair of runs per scenario serves every
// assertion: each run is a whole check against a sandbox of its own.
func TestScenarioCheckOutcomes(t *testing.T) {
	t.Parallel()
	forEachScenario(t, func(t *testing.T, ctx context.Context, sb *demo.Sandbox) {
		sc := sb.Scenario
		run := func(lang string) factsJSON {
			code, out, errOut := runCLI(t, ctx, "--config", sb.ConfigPath, "--lang", lang, "check", "--format", "json")
			var res factsJSON
			require.NoError(t, json.Unmarshal([]byte(out), &res), "stdout: %s\nstderr: %s", out, errOut)
			for _, secret := range []string{sb.API.Key(), sb.SMTP.Password(), sb.CRM.Token(), sb.Redis.Password()} {
				require.NotContains(t, out, secret)
				require.NotContains(t, errOut, secret)
			}
			if lang == "en" {
				require.Equal(t, sc.ExitCode, code, "exit code; stderr: %s", errOut)
			}
			return res
		}
		enRun := run("en")
		got := map[string]check.Status{}
		for _, r := range enRun.Results {
			got[r.ID] = r.Status
		}
		for id, want := range sc.Expect {
			st, ok := got[id]
			require.True(t, ok, "%s: no result for %s", sc.Name, id)
			if st != want {
				for _, r := range enRun.Results {
					if r.ID == id && slownessOnly(want, r.Status, r.Summary) {
						// Latency thresholds measure this machine, not the scenario.
						t.Logf("%s: %s warned about speed under load: %s", sc.Name, id, r.Summary)
						continue
					}
					if r.ID == id {
						t.Errorf("%s: %s is %s, want %s: %s", sc.Name, id, st, want, r.Summary)
					}
				}
			}
		}

		esRun := run("es")
		requireFacts(t, sb, enRun, esRun)
		en, es := map[string]string{}, map[string]string{}
		for _, r := range enRun.Results {
			en[r.ID] = r.Summary
		}
		for _, r := range esRun.Results {
			es[r.ID] = r.Summary
		}
		require.Equal(t, len(en), len(es))
		for id, s := range es {
			t.Logf("%s\n  en: %s\n  es: %s", id, en[id], s)
			require.NotEqual(t, en[id], s, "%s: the summary is still in English", id)
		}
	})
}

// forEachScenario starts each sandbox scenario in a parallel subtest and
// calls test with it and a context that bounds the subtest to a minute.
func forEachScenario(t *testing.T, test func(t *testing.T, ctx context.Context, sb *demo.Sandbox)) {
	t.Helper()
	for _, sc := range demo.Scenarios() {
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			sb, err := demo.StartSandbox(sc.Name, demo.SandboxOptions{Dir: t.TempDir()})
			require.NoError(t, err)
			t.Cleanup(func() { sb.Close() })
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			test(t, ctx, sb)
		})
	}
}

// slownessOnly reports a Pass that became a Warn only because the loaded
// test machine answered slowly (the checks' latency warnings say "slow").
func slownessOnly(want, got check.Status, summary string) bool {
	return want == check.Pass && got == check.Warn && strings.Contains(summary, "slow")
}

func TestDemoList(t *testing.T) {
	t.Parallel()
	code, out, _ := runCLI(t, context.Background(), "demo", "--list")
	require.Equal(t, ExitOK, code)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, len(demo.Scenarios()))
	for i, sc := range demo.Scenarios() {
		require.True(t, strings.HasPrefix(lines[i], sc.Name), lines[i])
		require.Contains(t, lines[i], sc.Describe("en"))
	}
	require.Contains(t, out, "mixed (default)")

	code, out, _ = runCLI(t, context.Background(), "--lang", "es", "demo", "--list")
	require.Equal(t, ExitOK, code)
	require.Contains(t, out, "Todo funciona: una base con la que comparar los fallos.")

	code, out, _ = runCLI(t, context.Background(), "demo", "--list", "--format", "json")
	require.Equal(t, ExitOK, code)
	var list struct {
		Scenarios []struct {
			Name        string `json:"name"`
			Description string `json:"description"`
			Default     bool   `json:"default"`
		} `json:"scenarios"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &list))
	require.Len(t, list.Scenarios, len(demo.Scenarios()))
	defaults := 0
	for _, s := range list.Scenarios {
		require.NotEmpty(t, s.Description)
		if s.Default {
			defaults++
			require.Equal(t, "mixed", s.Name)
		}
	}
	require.Equal(t, 1, defaults)
}

func TestDemoUsageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no terminal", []string{"demo"}, "--serve"},
		{"unknown scenario", []string{"demo", "--scenario", "nope"}, "healthy"},
		{"bad format", []string{"demo", "--list", "--format", "xml"}, "text or json"},
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

// TestDemoServe starts `pitstop demo --serve`, reads the config path from
// its first line, runs a check against it, stops it like Ctrl-C does and
// sees its files gone.
func TestDemoServe(t *testing.T) {
	t.Parallel()
	pr, pw := io.Pipe()
	var errOut testutil.SyncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	app := &App{Stdout: pw, Stderr: &errOut, Stdin: strings.NewReader("")}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, app, []string{"--log-file", filepath.Join(t.TempDir(), "pitstop.log"), "demo", "--serve", "--scenario", "bad-key"})
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	require.NoError(t, err)
	path := strings.TrimSpace(line)
	require.True(t, filepath.IsAbs(path), path)
	st, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	go io.Copy(io.Discard, pr)

	code, out, _ := runCLI(t, context.Background(), "--config", path, "check", "--only", "api", "--format", "json")
	require.Equal(t, ExitFailed, code)
	var res checkJSON
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	for _, r := range res.Results {
		if r.ID == "api.auth" {
			require.Equal(t, check.Fail, r.Status)
		}
	}

	cancel()
	select {
	case code := <-done:
		require.Equal(t, ExitOK, code)
	case <-time.After(10 * time.Second):
		t.Fatal("demo --serve did not stop on cancel")
	}
	_, err = os.Stat(filepath.Dir(path))
	require.ErrorIs(t, err, os.ErrNotExist, "the sandbox directory is removed")
	require.Contains(t, errOut.String(), "Ctrl-C")
}

func TestDemoServeJSON(t *testing.T) {
	t.Parallel()
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	app := &App{Stdout: pw, Stderr: io.Discard, Stdin: strings.NewReader("")}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, app, []string{"--log-file", filepath.Join(t.TempDir(), "pitstop.log"), "demo", "--serve", "--format", "json"})
		pw.Close()
	}()
	var got struct {
		Scenario string   `json:"scenario"`
		Config   string   `json:"config"`
		Services []string `json:"services"`
	}
	require.NoError(t, json.NewDecoder(pr).Decode(&got))
	require.Equal(t, "mixed", got.Scenario)
	require.FileExists(t, got.Config)
	require.Len(t, got.Services, 7) // API, replica, CRM, SMTP, DNS, Redis, BIMI logos
	go io.Copy(io.Discard, pr)
	cancel()
	require.Equal(t, ExitOK, <-done)
	require.NoFileExists(t, got.Config)
}
