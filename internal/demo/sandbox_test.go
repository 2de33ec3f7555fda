package demo

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/i18n"
	"pitstop/internal/registry"
)

func TestScenariosAreWellFormed(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	want := []string{"healthy", "bad-key", "rate-limited", "quota-exhausted", "smtp-no-starttls", "smtp-bad-password",
		"spf-too-many-lookups", "dmarc-missing", "crm-missing-scope", "crm-field-missing", "crm-data-quality", "provider-outage", "mixed",
		"smtp-wrong-security", "api-missing-version", "key-with-newline", "dkim-unnamed", "bulk-sender"}
	require.ElementsMatch(t, want, ScenarioNames())
	for _, sc := range Scenarios() {
		require.False(t, seen[sc.Name], "duplicate %s", sc.Name)
		seen[sc.Name] = true
		for _, lang := range i18n.Languages() {
			require.True(t, i18n.Has(lang, "demo.scenario."+sc.Name), "%s: no line in locales/%s/demo.yaml", sc.Name, lang)
			require.NotContains(t, sc.Describe(lang), "\n", sc.Name)
		}
		require.NotEmpty(t, sc.Expect, sc.Name)
		bad := false
		for id, st := range sc.Expect {
			require.Contains(t, check.KnownIDs, id, sc.Name)
			bad = bad || st == check.Fail || st == check.Error
		}
		if bad {
			require.Equal(t, 1, sc.ExitCode, sc.Name)
		} else {
			require.Equal(t, 0, sc.ExitCode, sc.Name)
		}
	}
	_, ok := ScenarioByName(DefaultScenario)
	require.True(t, ok)
}

func TestSandboxStartsWritesConfigAndCleansUp(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"healthy", "mixed"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			sb, err := StartSandbox(name, SandboxOptions{Dir: t.TempDir()})
			require.NoError(t, err)
			closed := false
			t.Cleanup(func() {
				if !closed {
					sb.Close()
				}
			})

			st, err := os.Stat(sb.ConfigPath)
			require.NoError(t, err)
			require.Equal(t, os.FileMode(0o600), st.Mode().Perm())
			dirSt, err := os.Stat(sb.Dir)
			require.NoError(t, err)
			require.Equal(t, os.FileMode(0o700), dirSt.Mode().Perm())

			cfg, err := config.Load(sb.ConfigPath)
			require.NoError(t, err)
			p, err := cfg.Profile("")
			require.NoError(t, err)
			require.Equal(t, SandboxProfile, p.Name)
			require.Equal(t, sb.API.URL, p.API.BaseURL)
			require.True(t, strings.HasPrefix(p.API.BaseURL, "https://127.0.0.1:"))
			require.Equal(t, []string{sb.Endpoint.URL}, p.API.Endpoints)
			require.Equal(t, sb.API.Key(), p.API.Key.Reveal())
			require.Equal(t, sb.CAFile, p.API.CAFile)
			require.Equal(t, sb.CAFile, p.SMTP.CAFile)
			require.Equal(t, sb.CAFile, p.Domain.CAFile, "the BIMI server's CA is trusted for the domain checks")
			require.Equal(t, sb.SMTP.Password(), p.SMTP.Password.Reveal())
			require.Equal(t, sb.CRM.Token(), p.CRM.Token.Reveal())
			require.Equal(t, sb.DNS.Addr, p.Domain.DNSServer)
			require.Equal(t, sb.Redis.URL(), p.Cache.RedisURL)
			require.Equal(t, registry.IDs(), registry.Configured(p))
			services := sb.Services()
			require.Len(t, services, 7)
			col := strings.Index(services[0], "https://")
			require.Positive(t, col)
			for _, line := range services {
				require.Equal(t, "  ", line[col-2:col], "addresses in one column: %q", services)
				require.NotEqual(t, byte(' '), line[col], "addresses in one column: %q", services)
			}

			require.NoError(t, sb.Close())
			closed = true
			_, err = os.Stat(sb.Dir)
			require.ErrorIs(t, err, os.ErrNotExist, "the sandbox's files are removed")
		})
	}
}

func TestStartSandboxUnknownScenario(t *testing.T) {
	t.Parallel()
	_, err := StartSandbox("nope", SandboxOptions{Dir: t.TempDir()})
	require.ErrorContains(t, err, `unknown scenario "nope"`)
	require.ErrorContains(t, err, "mixed")
}
