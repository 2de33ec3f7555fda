package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/demo"
)

// reportCanary is the key the sandbox API rejects and echoes back in its
// 401 body: it must never reach a report.
const reportCanary = "sk-proj-CANARYcanaryCANARY0123456789abcdef"

// escalationEnv writes a config whose api section points at a sandbox API.
func escalationEnv(t *testing.T, opts demo.APIOptions, key string) (dir, cfgPath string) {
	t.Helper()
	srv, err := demo.StartAPI(opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	dir = t.TempDir()
	if key == "" {
		key = srv.Key()
	}
	cfg := "default_profile: staging\nprofiles:\n  staging:\n    api:\n      provider: " + srv.Provider +
		"\n      base_url: " + srv.URL + "\n      key: " + key + "\n"
	if srv.CAFile != "" {
		cfg += "      ca_file: " + srv.CAFile + "\n"
	}
	cfgPath = filepath.Join(dir, "config.yaml")
	require.NoError(t, os.WriteFile(cfgPath, []byte(cfg), 0o600))
	return dir, cfgPath
}

// runPitstop runs the command line with buffers and returns the exit code.
func runPitstop(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	app := &App{Version: "v9.9.9", Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb}
	logPath := filepath.Join(t.TempDir(), "pitstop.log")
	code = run(context.Background(), app, append([]string{"--log-file", logPath}, args...))
	return code, out.String(), errb.String()
}

// plainErr folds fang's styled error box into lower-case words on one line,
// so tests can look for a message whatever its wrapping and capitals.
func plainErr(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

func TestReportCommand(t *testing.T) {
	t.Parallel()
	dir, cfg := escalationEnv(t, demo.APIOptions{Provider: demo.APIOpenAI, Faults: []string{demo.APIFaultBadKey}}, reportCanary)
	for _, format := range []string{"markdown", "json"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(dir, "ticket-"+format)
			code, stdout, stderr := runPitstop(t, "", "--config", cfg, "report", "--only", "api", "--format", format, "--out", out,
				"--impact", "high", "--error", "OpenAI error 401: Incorrect API key provided: "+reportCanary,
				"--step", "Open a campaign", "--step", "Press Generate",
				"--expected", "copy is generated", "--actual", "401 Incorrect API key", "--done", "logs")
			require.Equal(t, 0, code, "stderr: %s", stderr)
			require.Empty(t, stdout)
			require.Contains(t, stderr, "Report written to "+out)
			require.NotContains(t, stderr, reportCanary)

			data, err := os.ReadFile(out)
			require.NoError(t, err)
			text := string(data)
			require.NotContains(t, text, reportCanary, "the canary key leaked into the report")
			require.NotContains(t, text, "CANARYcanaryCANARY", "part of the canary key leaked into the report")
			if runtime.GOOS != "windows" {
				info, err := os.Stat(out)
				require.NoError(t, err)
				require.Equal(t, os.FileMode(0o600), info.Mode().Perm())
			}
			if format == "json" {
				var rep struct {
					Assessment struct {
						Severity, Tier string
					}
					Results []struct{ ID, Status string }
					Steps   []string
					Error   string
				}
				require.NoError(t, json.Unmarshal(data, &rep))
				require.Equal(t, "tier_4_emergency", rep.Assessment.Tier, "high business impact")
				require.Equal(t, "high", rep.Assessment.Severity)
				require.NotEmpty(t, rep.Results)
				require.Equal(t, "Open a campaign", rep.Steps[0])
				require.Contains(t, rep.Error, "Incorrect API key provided")
				return
			}
			for _, want := range []string{
				"# Escalation report: staging", "## Severity, tier and targets", "## Environment", "## Configuration (secrets masked)",
				"## Checks", "api.auth", "## The error as seen", "## Steps to reproduce", "1. Open a campaign",
				"## Business impact", "## What was tried", "## Expected vs actual", "## Escalation checklist",
				"| Pitstop | v9.9.9 |", "| `api.key` | `sk-proj-…cdef` | written in the settings file |",
			} {
				require.Contains(t, text, want)
			}
		})
	}
}

func TestReportToStdoutInSpanish(t *testing.T) {
	t.Parallel()
	_, cfg := escalationEnv(t, demo.APIOptions{Provider: demo.APIOpenAI, Faults: []string{demo.APIFaultBadKey}}, reportCanary)
	code, stdout, stderr := runPitstop(t, "pasted from a file: "+reportCanary, "--config", cfg, "--lang", "es",
		"report", "--only", "api", "--out", "-", "--error-file", "-", "--all-users")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stdout, "# Informe de escalamiento: staging")
	require.Contains(t, stdout, "| Severidad | **CRÍTICA** |")
	require.Contains(t, stdout, "Nivel 4 — Emergencia")
	require.Contains(t, stdout, "pasted from a file: sk-")
	require.NotContains(t, stdout, reportCanary)
}

func TestReportUsageErrors(t *testing.T) {
	t.Parallel()
	_, cfg := escalationEnv(t, demo.APIOptions{}, "")
	kbDir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(kbDir, "escalation.yaml"), []byte("tiers: nope\n"), 0o600))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"format", []string{"report", "--format", "pdf"}, "expected markdown or json"},
		{"impact", []string{"report", "--impact", "huge"}, "expected low, medium or high"},
		{"both errors", []string{"report", "--error", "x", "--error-file", "y"}, "not both"},
		{"missing error file", []string{"report", "--error-file", filepath.Join(kbDir, "missing.txt")}, "missing.txt"},
		{"only", []string{"report", "--only", "fax"}, `unknown category "fax"`},
		{"done", []string{"report", "--done", "coffee"}, "no such item in the escalation checklist"},
		{"broken policy", []string{"--kb", kbDir, "report"}, "escalation.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, _, stderr := runPitstop(t, "", append([]string{"--config", cfg}, tt.args...)...)
			require.Equal(t, ExitUsage, code)
			require.Contains(t, plainErr(stderr), strings.ToLower(tt.want))
		})
	}
}

// TestReportOutCheckedFirst: a place the report cannot go is a usage error
// said in plain words before any check runs (no temporary file names).
func TestReportOutCheckedFirst(t *testing.T) {
	t.Parallel()
	_, cfg := escalationEnv(t, demo.APIOptions{}, "")
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	require.NoError(t, os.WriteFile(file, nil, 0o600))
	tests := []struct {
		name, out, want string
	}{
		{"missing folder", filepath.Join(dir, "no", "such", "r.md"), "does not exist; create it first"},
		{"a folder", dir, "is a folder; give a file name"},
		{"under a file", filepath.Join(file, "r.md"), "is a file, not a folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runPitstop(t, "", "--config", cfg, "report", "--only", "api", "--out", tt.out)
			require.Equal(t, ExitUsage, code)
			require.Empty(t, stdout)
			require.Contains(t, plainErr(stderr), tt.want)
			require.NotContains(t, stderr, ".tmp")
		})
	}
}
