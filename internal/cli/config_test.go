package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/config"
	"pitstop/internal/registry"
)

func TestConfigExampleParses(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runKB(t, "", "config", "--example")
	require.Equal(t, ExitOK, code, stderr)
	cfg, err := config.Parse("example.yaml", []byte(stdout))
	require.NoError(t, err)
	require.Equal(t, []string{"production", "staging"}, cfg.ProfileNames())
	p, err := cfg.Profile("")
	require.NoError(t, err)
	require.Equal(t, registry.IDs()[:4], registry.Configured(p))
}

func TestConfigShowsSourcesMasked(t *testing.T) {
	t.Parallel()
	const key = "sk-proj-CONFIGcanary0123456789abcdefCANARY42"
	path := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(path, []byte("default_profile: prod\nprofiles:\n  prod:\n    api: {provider: openai, key: "+key+"}\n  empty: {}\n"), 0o600))
	code, stdout, stderr := runKB(t, "", "--config", path, "config")
	require.Equal(t, ExitOK, code, stderr)
	require.Contains(t, stdout, "Settings file: "+path)
	require.Contains(t, stdout, "Profile prod (default)\n  checks: api\n  api.key: sk-proj-…RY42 (in the file)")
	require.Contains(t, stdout, "Profile empty\n  configures nothing to check")
	require.NotContains(t, stdout+stderr, key)

	code, stdout, _ = runKB(t, "", "--config", path, "--lang", "es", "config")
	require.Equal(t, ExitOK, code)
	require.Contains(t, stdout, "Perfil prod (predeterminado)")

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

// TestConfigScalesLinearly: `pitstop config` on four times the profiles
// takes about four times as long, not sixteen (it sorted every name once
// per profile: 10,000 profiles took 23 s).
func TestConfigScalesLinearly(t *testing.T) {
	t.Parallel()
	timeFor := func(n int) time.Duration {
		var b strings.Builder
		b.WriteString("profiles:\n")
		for i := range n {
			fmt.Fprintf(&b, "  p%d:\n    api: {provider: openai, base_url: https://api.openai.com/v1, key: sk-proj-abcdefghijklmnop%06d}\n", i, i)
		}
		path := filepath.Join(t.TempDir(), "config.yaml")
		require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o600))
		best := time.Duration(1<<63 - 1)
		for range 2 {
			app := &App{Version: "test", Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard}
			start := time.Now()
			code := run(context.Background(), app, []string{"--log-file", filepath.Join(t.TempDir(), "log"), "--config", path, "config"})
			best = min(best, time.Since(start))
			require.Equal(t, 0, code)
		}
		return best
	}
	small, large := timeFor(1000), timeFor(4000)
	t.Logf("1000 profiles: %s, 4000 profiles: %s", small, large)
	require.Less(t, float64(large)/float64(small), 9.0, "quadratic would be about 16")
}
