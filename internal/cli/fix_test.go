package cli

import (
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
	"pitstop/internal/fix"
	"pitstop/internal/testutil"
)

// fixJSON is `pitstop fix --format json` as the tests read it.
type fixJSON struct {
	Profile string `json:"profile"`
	Fixes   []struct {
		ID      string       `json:"id"`
		Check   string       `json:"check"`
		Kind    fix.Kind     `json:"kind"`
		Changes []fix.Change `json:"changes"`
		Records []struct {
			Name, Type, Value, Replaces string
		} `json:"records"`
		Steps   []string `json:"steps"`
		Applied bool     `json:"applied"`
	} `json:"fixes"`
	Verified []fix.Verified `json:"verified"`
}

func runFixJSON(t *testing.T, ctx context.Context, args ...string) (int, fixJSON, string) {
	t.Helper()
	code, out, errOut := runCLI(t, ctx, append(args, "--format", "json")...)
	var got fixJSON
	require.NoError(t, json.Unmarshal([]byte(out), &got), "stdout: %s\nstderr: %s", out, errOut)
	return code, got, out
}

func checkStatuses(t *testing.T, ctx context.Context, configPath string) (int, map[string]check.Status) {
	t.Helper()
	code, out, errOut := runCLI(t, ctx, "--config", configPath, "check", "--format", "json")
	var res checkJSON
	require.NoError(t, json.Unmarshal([]byte(out), &res), "stdout: %s\nstderr: %s", out, errOut)
	got := map[string]check.Status{}
	for _, r := range res.Results {
		got[r.ID] = r.Status
	}
	return code, got
}

// TestFixScenarios runs `pitstop fix --apply --yes` on each sandbox scenario
// whose fault has a certain fix, publishes the DNS records it proposes in the
// sandbox DNS server, and runs `pitstop check` again: the fixed checks pass.
// The settings file keeps its comments and its mode.
func TestFixScenarios(t *testing.T) {
	t.Parallel()
	cases := []struct {
		scenario string
		fix      string
		kind     fix.Kind
		fixed    []string
		// next is the fix the next run proposes, if any: DMARC's ramp goes
		// one decision at a time.
		next string
	}{
		{"spf-too-many-lookups", "spf-record", fix.KindDNS, []string{"domain.spf"}, ""},
		{"dmarc-missing", "dmarc-record", fix.KindDNS, nil, "dmarc-ramp"},
		{"smtp-wrong-security", "smtp-security", fix.KindConfig, []string{"smtp.connect", "smtp.tls", "smtp.auth", "smtp.send"}, ""},
		{"api-missing-version", "api-base-url", fix.KindConfig, []string{"api.config", "api.reachability", "api.auth"}, ""},
		{"key-with-newline", "trim-api-key", fix.KindConfig, []string{"api.config", "api.auth"}, ""},
		{"crm-field-missing", "crm-field-personalization_score", fix.KindConfig, []string{"crm.field_mapping"}, ""},
		{"dkim-unnamed", "dkim-selectors", fix.KindConfig, []string{"domain.dkim"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.scenario, func(t *testing.T) {
			t.Parallel()
			sb, err := demo.StartSandbox(tc.scenario, demo.SandboxOptions{Dir: t.TempDir()})
			require.NoError(t, err)
			t.Cleanup(func() { sb.Close() })
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			before, err := os.ReadFile(sb.ConfigPath)
			require.NoError(t, err)
			info, err := os.Stat(sb.ConfigPath)
			require.NoError(t, err)

			code, got, out := runFixJSON(t, ctx, "--config", sb.ConfigPath, "fix", "--apply", "--yes")
			var found bool
			for _, f := range got.Fixes {
				if f.ID != tc.fix {
					continue
				}
				found = true
				require.Equal(t, tc.kind, f.Kind)
				if f.Kind == fix.KindDNS {
					require.False(t, f.Applied)
					for _, r := range f.Records {
						require.NoError(t, sb.DNS.Publish(r.Name, r.Type, r.Value))
					}
				} else {
					require.True(t, f.Applied, "with --yes every setting change is applied")
				}
			}
			require.True(t, found, "fix %s not proposed: %s", tc.fix, out)
			if tc.kind == fix.KindConfig {
				require.Equal(t, 0, code, "everything applied and verified: %s", out)
				for _, v := range got.Verified {
					require.Equal(t, "pass", v.After, "%s after the fix: %s", v.ID, out)
				}
				after, err := os.ReadFile(sb.ConfigPath)
				require.NoError(t, err)
				require.NotEqual(t, string(before), string(after))
				require.True(t, strings.HasPrefix(string(after), "# Pitstop sandbox settings"), "comments are kept")
				now, err := os.Stat(sb.ConfigPath)
				require.NoError(t, err)
				require.Equal(t, info.Mode(), now.Mode())
			} else {
				require.Equal(t, 1, code, "records to publish remain")
				after, err := os.ReadFile(sb.ConfigPath)
				require.NoError(t, err)
				require.Equal(t, string(before), string(after), "a DNS fix never touches the settings")
			}
			for _, secret := range []string{sb.API.Key(), sb.SMTP.Password(), sb.CRM.Token()} {
				require.NotContains(t, out, secret)
			}

			_, statuses := checkStatuses(t, ctx, sb.ConfigPath)
			for _, id := range tc.fixed {
				require.Equal(t, check.Pass, statuses[id], "%s after the fix", id)
			}
			if tc.next == "" {
				return
			}
			// p=none is published: the check now warns (monitoring only), and
			// the next step of the ramp is a decision for a person.
			require.Equal(t, check.Warn, statuses["domain.dmarc"])
			_, again, out := runFixJSON(t, ctx, "--config", sb.ConfigPath, "fix")
			var ids []string
			for _, f := range again.Fixes {
				ids = append(ids, f.ID)
				if f.ID == tc.next {
					require.Equal(t, fix.KindManual, f.Kind)
					require.Contains(t, f.Records[0].Value, "p=quarantine")
				}
			}
			require.Contains(t, ids, tc.next, out)
		})
	}
}

func TestFixAsksBeforeEachChange(t *testing.T) {
	t.Parallel()
	f := &fix.Fix{Title: "Use the encryption the mail server speaks", Kind: fix.KindConfig,
		Changes: []fix.Change{{File: "/etc/pitstop.yaml", Key: "smtp.security", From: "starttls", To: "tls"}}}
	for _, tc := range []struct {
		lang, answer string
		want         bool
	}{
		{"en", "y\n", true}, {"en", "yes\n", true}, {"en", "n\n", false}, {"en", "\n", false}, {"en", "", false},
		{"en", "sí\n", false}, // the question says [y/N]
		{"es", "sí\n", true}, {"es", "s\n", true}, {"es", "y\n", true}, {"es", "n\n", false},
	} {
		answer, want := tc.answer, tc.want
		var out testutil.SyncBuffer
		app := &App{Stdin: strings.NewReader(answer), Stdout: &out, Stderr: &out}
		app.Opts.Lang = tc.lang
		ok, err := app.confirmChange(context.Background(), f)
		require.NoError(t, err)
		require.Equal(t, want, ok, "answer %q in %s", answer, tc.lang)
		require.Contains(t, out.String(), "- smtp.security: starttls\n")
		require.Contains(t, out.String(), "+ smtp.security: tls\n")
	}

	// Ctrl-C while the question waits is an interruption (130), not a "no".
	r, w := io.Pipe()
	defer w.Close()
	var out testutil.SyncBuffer
	app := &App{Stdin: r, Stdout: &out, Stderr: &out}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := app.confirmChange(ctx, f)
	var ee *ExitError
	require.ErrorAs(t, err, &ee)
	require.Equal(t, ExitInterrupted, ee.Code)
}

func TestFixUsageErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "pitstop.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("profiles:\n  p:\n    domain:\n      name: example.test\n"), 0o600))
	for _, args := range [][]string{
		{"--config", cfg, "fix", "--yes"},
		{"--config", cfg, "fix", "--apply"}, // standard input is not a terminal
		{"--config", cfg, "fix", "--format", "xml"},
	} {
		code, _, errOut := runCLI(t, context.Background(), args...)
		require.Equal(t, ExitUsage, code, "%v: %s", args, errOut)
	}
}

func TestFixSpeaksSpanish(t *testing.T) {
	t.Parallel()
	sb, err := demo.StartSandbox("dmarc-missing", demo.SandboxOptions{Dir: t.TempDir()})
	require.NoError(t, err)
	t.Cleanup(func() { sb.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	code, out, errOut := runCLI(t, ctx, "--config", sb.ConfigPath, "--lang", "es", "fix")
	require.Equal(t, 1, code, errOut)
	for _, want := range []string{"Arreglos para el perfil", "Registro DNS que publicar", "Publica un registro DMARC",
		"Aún no publicado", "Archivo de zona:", "Semana 1: publica p=none"} {
		require.Contains(t, out, want)
	}
	require.NotContains(t, out, "Publish a DMARC record")
}

// TestFixManualSteps: a HubSpot token without a scope gets the exact scope
// names to add, and nothing is written.
func TestFixManualSteps(t *testing.T) {
	t.Parallel()
	sb, err := demo.StartSandbox("crm-missing-scope", demo.SandboxOptions{Dir: t.TempDir()})
	require.NoError(t, err)
	t.Cleanup(func() { sb.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	code, got, out := runFixJSON(t, ctx, "--config", sb.ConfigPath, "fix", "--apply", "--yes")
	require.Equal(t, 1, code, "a manual step remains")
	var steps []string
	for _, f := range got.Fixes {
		if f.ID == "hubspot-scopes" {
			require.Equal(t, fix.KindManual, f.Kind)
			require.False(t, f.Applied)
			steps = f.Steps
		}
	}
	require.NotEmpty(t, steps, out)
	require.Contains(t, strings.Join(steps, "\n"), "crm.objects.contacts.write")
	require.Empty(t, got.Verified)
}

// TestFlattenedSPFGoesStale publishes the flattened SPF record pitstop fix
// proposes, then moves one of the includes it wrote out to a new address:
// domain.spf passes, then warns that the record must be made again, and
// pitstop fix proposes it anew.
func TestFlattenedSPFGoesStale(t *testing.T) {
	t.Parallel()
	sb, err := demo.StartSandbox("spf-too-many-lookups", demo.SandboxOptions{Dir: t.TempDir()})
	require.NoError(t, err)
	t.Cleanup(func() { sb.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, got, out := runFixJSON(t, ctx, "--config", sb.ConfigPath, "fix")
	var record string
	for _, f := range got.Fixes {
		if f.ID == "spf-record" {
			record = f.Records[0].Value
			require.NoError(t, sb.DNS.Publish(f.Records[0].Name, "TXT", record))
		}
	}
	require.NotEmpty(t, record, out)
	_, from, ok := strings.Cut(record, "pitstop-flat=")
	require.True(t, ok, record)
	moved, _, _ := strings.Cut(strings.Split(from, ",")[0], "/")
	_, statuses := checkStatuses(t, ctx, sb.ConfigPath)
	require.Equal(t, check.Pass, statuses["domain.spf"])

	require.NoError(t, sb.DNS.Publish(moved, "TXT", "v=spf1 ip4:192.0.2.250 -all"))
	code, outText, _ := runCLI(t, ctx, "--config", sb.ConfigPath, "check", "--only", "domain", "--format", "json")
	require.Equal(t, 0, code, "a warning does not fail the run")
	require.Contains(t, outText, "no longer covers every address of "+moved)
	_, again, _ := runFixJSON(t, ctx, "--config", sb.ConfigPath, "fix", "--only", "domain")
	var next string
	for _, f := range again.Fixes {
		if f.ID == "spf-record" {
			next = f.Records[0].Value
			require.NoError(t, sb.DNS.Publish(f.Records[0].Name, "TXT", next))
		}
	}
	require.NotEmpty(t, next, "the record is made again")
	require.True(t, strings.Contains(next, "ip4:192.0.2.250") || strings.Contains(next, "include:"+moved), next)
	_, statuses = checkStatuses(t, ctx, sb.ConfigPath)
	require.Equal(t, check.Pass, statuses["domain.spf"], "the record made again covers the provider's new address")
}
