package fix

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/config"
)

const applySample = `# shop settings
profiles:
  production:
    smtp:
      host: smtp.example.com
      port: 465
      security: starttls # as the old docs said
`

func securityFix(path string) *Fix {
	return &Fix{ID: "smtp-security", Kind: KindConfig, Changes: []Change{
		{File: path, Key: "smtp.security", From: "starttls", To: "tls", value: "tls"},
	}}
}

func writeSample(t *testing.T, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pitstop.yaml")
	require.NoError(t, os.WriteFile(path, []byte(applySample), mode))
	require.NoError(t, os.Chmod(path, mode))
	return path
}

func TestApplyKeepsTextAndMode(t *testing.T) {
	t.Parallel()
	path := writeSample(t, 0o640)
	f := securityFix(path)
	require.NoError(t, Apply(path, "production", []byte(applySample), []*Fix{f}))
	require.True(t, f.Applied)
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, "# shop settings\nprofiles:\n  production:\n    smtp:\n      host: smtp.example.com\n      port: 465\n      security: tls # as the old docs said\n", string(got))
	info, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o640), info.Mode().Perm())
	entries, err := os.ReadDir(filepath.Dir(path))
	require.NoError(t, err)
	require.Len(t, entries, 1, "no temporary file is left behind")
}

func TestApplyRefusesAndLeavesTheFileAlone(t *testing.T) {
	t.Parallel()
	t.Run("changed since the checks ran", func(t *testing.T) {
		t.Parallel()
		path := writeSample(t, 0o600)
		f := securityFix(path)
		err := Apply(path, "production", []byte(applySample+"# edited meanwhile\n"), []*Fix{f})
		require.ErrorIs(t, err, ErrChanged)
		require.False(t, f.Applied)
		got, _ := os.ReadFile(path)
		require.Equal(t, applySample, string(got))
	})
	t.Run("read-only", func(t *testing.T) {
		t.Parallel()
		path := writeSample(t, 0o400)
		err := Apply(path, "production", []byte(applySample), []*Fix{securityFix(path)})
		require.ErrorContains(t, err, "read-only (mode 0400)")
		got, _ := os.ReadFile(path)
		require.Equal(t, applySample, string(got))
	})
	t.Run("symbolic link", func(t *testing.T) {
		t.Parallel()
		target := writeSample(t, 0o600)
		link := filepath.Join(t.TempDir(), "link.yaml")
		require.NoError(t, os.Symlink(target, link))
		err := Apply(link, "production", []byte(applySample), []*Fix{securityFix(link)})
		require.ErrorContains(t, err, "symbolic link (to "+target+")")
		info, err := os.Lstat(link)
		require.NoError(t, err)
		require.NotZero(t, info.Mode()&os.ModeSymlink, "the link is still a link")
		got, _ := os.ReadFile(target)
		require.Equal(t, applySample, string(got))
	})
	t.Run("not a regular file", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		_, err := ReadSettings(dir)
		require.ErrorContains(t, err, "not a regular file")
	})
}

// A secret from the environment with blank space around it is never written
// into the file: the fix names the variable to correct.
func TestSecretFromTheEnvironmentIsNeverWritten(t *testing.T) {
	t.Parallel()
	p := &config.Profile{Name: "production"}
	p.API.Provider = "openai"
	p.API.Key = config.NewSecret("sk-proj-abcdefghijklmnopqrstuvwx\n", "env:OPENAI_API_KEY")
	in := &Input{Profile: p, ConfigPath: "/etc/pitstop.yaml",
		Results: []check.Result{{ID: "api.config", Status: check.Fail}}}
	fixes := Propose(context.Background(), in)
	require.Len(t, fixes, 1)
	require.Equal(t, KindManual, fixes[0].Kind)
	require.Empty(t, fixes[0].Changes)
	require.Contains(t, fixes[0].Title, "$OPENAI_API_KEY")
	require.Contains(t, fixes[0].Title, "line break")
	for _, s := range append(fixes[0].Steps, fixes[0].Summary, fixes[0].Title) {
		require.NotContains(t, s, "abcdefghijklmnop")
	}

	// From the file: a config change whose shown values are masked.
	p.API.Key = config.NewSecret("  sk-proj-abcdefghijklmnopqrstuvwx", "file")
	fixes = Propose(context.Background(), in)
	require.Len(t, fixes, 1)
	require.Equal(t, KindConfig, fixes[0].Kind)
	ch := fixes[0].Changes[0]
	require.Equal(t, "api.key", ch.Key)
	require.NotContains(t, ch.From+ch.To, "abcdefghijklmnop")
	require.Equal(t, "sk-proj-abcdefghijklmnopqrstuvwx", ch.value)
}
