package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/config"
	"pitstop/internal/i18n"
	"pitstop/internal/registry"
)

func TestConfigExampleParses(t *testing.T) {
	t.Parallel()
	for _, lang := range i18n.Languages() {
		code, stdout, stderr := runKB(t, "", "--lang", lang, "config", "--example")
		require.Equal(t, ExitOK, code, stderr)
		require.NotContains(t, stdout, "«", "%s: a comment the catalogue lacks", lang)
		cfg, err := config.Parse("example.yaml", []byte(stdout))
		require.NoError(t, err, lang)
		require.Equal(t, []string{"production", "staging"}, cfg.ProfileNames())
		p, err := cfg.Profile("")
		require.NoError(t, err)
		require.Equal(t, registry.IDs()[:4], registry.Configured(p))
	}
}

func TestConfigShowsSourcesMasked(t *testing.T) {
	t.Parallel()
	const key = "sk-proj-CONFIGcanary0123456789abcdefCANARY42"
	const password = "smtpCANARYpassword77"
	path := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(path, []byte("default_profile: prod\nprofiles:\n  prod:\n    api: {provider: openai, key: "+key+"}\n"+
		"    smtp: {host: smtp.example.test, username: u, password: "+password+", from: a@example.test}\n  empty: {}\n"), 0o600))
	code, stdout, stderr := runKB(t, "", "--config", path, "config")
	require.Equal(t, ExitOK, code, stderr)
	require.Contains(t, stdout, "Settings file: "+path)
	require.Contains(t, stdout, "Profile prod (default)\n  checks: api, smtp, domain\n  api.key: sk-proj-…RY42 (in the file)")
	require.Contains(t, stdout, "smtp.password: •••• (set) (in the file)")
	require.Contains(t, stdout, "Profile empty\n  configures nothing to check")
	require.NotContains(t, stdout+stderr, key)

	code, stdout, stderr = runKB(t, "", "--config", path, "--lang", "es", "config")
	require.Equal(t, ExitOK, code)
	require.Contains(t, stdout, "Perfil prod (predeterminado)")
	require.Contains(t, stdout, "smtp.password: •••• (con valor) (en el archivo)")
	require.NotContains(t, stdout, "(set)")
	require.NotContains(t, stdout+stderr, password)

	code, _, stderr = runKB(t, "", "--config", filepath.Join(t.TempDir(), "none.yaml"), "config")
	require.Equal(t, ExitUsage, code)
	require.Contains(t, stderr, "pitstop config --example >")
}

// TestCheckWithoutAnySettings: no file and nothing in the environment says
// where the file was looked for and how to start one.
func TestCheckWithoutAnySettings(t *testing.T) {
	home := t.TempDir()
	t.Setenv("PITSTOP_CONFIG", "")
	t.Setenv("XDG_CONFIG_HOME", home)
	for _, name := range []string{"COPYCAR_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "PITSTOP_API_KEY",
		"HUBSPOT_TOKEN", "HUBSPOT_ACCESS_TOKEN", "SALESFORCE_TOKEN", "SALESFORCE_ACCESS_TOKEN", "PIPEDRIVE_API_TOKEN", "PIPEDRIVE_TOKEN"} {
		t.Setenv(name, "")
	}
	code, stdout, stderr := runKB(t, "", "check")
	require.Equal(t, ExitUsage, code)
	require.Empty(t, stdout)
	require.Contains(t, stderr, "no settings found: there is no "+filepath.Join(home, "pitstop", "config.yaml"))
	require.Contains(t, stderr, "pitstop config --example >")
}

// BenchmarkConfigProfiles: `pitstop config` on 1,000 and 4,000 profiles;
// the second should take about four times the first, not sixteen (it once
// sorted every name once per profile: 10,000 profiles took 23 s). A speed
// goal, so a benchmark (make bench), not a timed test.
func BenchmarkConfigProfiles(b *testing.B) {
	for _, n := range []int{1000, 4000} {
		var cfg strings.Builder
		cfg.WriteString("profiles:\n")
		for i := range n {
			fmt.Fprintf(&cfg, "  p%d:\n    api: {provider: openai, base_url: https://api.openai.com/v1, key: sk-proj-abcdefghijklmnop%06d}\n", i, i)
		}
		dir := b.TempDir()
		path := filepath.Join(dir, "config.yaml")
		require.NoError(b, os.WriteFile(path, []byte(cfg.String()), 0o600))
		b.Run(fmt.Sprintf("profiles=%d", n), func(b *testing.B) {
			for b.Loop() {
				app := &App{Version: "test", Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard}
				if code := run(context.Background(), app, []string{"--log-file", filepath.Join(dir, "log"), "--config", path, "config"}); code != 0 {
					b.Fatalf("exit %d", code)
				}
			}
		})
	}
}
