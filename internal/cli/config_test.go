package cli

import (
	"os"
	"path/filepath"
	"testing"

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
	require.Contains(t, stdout, "Profile prod (default)\n  checks: api\n  api.key: sk-…RY42 (in the file)")
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
