package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSaveProfile(t *testing.T) {
	t.Setenv("PITSTOP_SAVE_TEST_KEY", canary)
	const existing = `# my settings
default_profile: prod
profiles:
  prod:
    api:
      provider: copycar # the main one
      key: ${PITSTOP_SAVE_TEST_KEY}
  staging:
    smtp:
      host: smtp.staging.test
`
	tests := []struct {
		name     string
		existing string
		settings []Setting
		opts     SaveOptions
		want     []string // substrings of the saved file
		notWant  []string
		written  []string
		skipped  []string
	}{
		{
			name:     "env secret is written as a reference",
			existing: existing,
			settings: []Setting{
				{Key: "api.key", Value: NewSecret(canary, "env:PITSTOP_SAVE_TEST_KEY")},
				{Key: "api.base_url", Value: "https://api.copycarai.test/v2"},
			},
			want:    []string{"key: ${PITSTOP_SAVE_TEST_KEY}", "base_url: https://api.copycarai.test/v2", "# my settings", "# the main one", "staging:"},
			notWant: []string{canary},
			written: []string{"api.key", "api.base_url"},
		},
		{
			name:     "typed secret is left out without consent",
			existing: existing,
			settings: []Setting{{Key: "smtp.password", Value: NewSecret(canary, SourceTyped)}, {Key: "smtp.host", Value: "smtp.example.test"}, {Key: "smtp.port", Value: 587}},
			want:     []string{"host: smtp.example.test", "port: 587"},
			notWant:  []string{canary, "password"},
			written:  []string{"smtp.host", "smtp.port"},
			skipped:  []string{"smtp.password"},
		},
		{
			name:     "typed secret is written inline with consent",
			existing: existing,
			settings: []Setting{{Key: "smtp.password", Value: NewSecret(canary, SourceTyped)}},
			opts:     SaveOptions{InlineSecrets: true},
			want:     []string{"password: " + canary},
			written:  []string{"smtp.password"},
		},
		{
			name:     "secret from the file is left as it is",
			existing: existing,
			settings: []Setting{{Key: "api.key", Value: NewSecret(canary, "file")}},
			want:     []string{"key: ${PITSTOP_SAVE_TEST_KEY}"},
			skipped:  []string{"api.key"},
		},
		{
			name:     "new file gets a default profile",
			settings: []Setting{{Key: "domain.name", Value: "example.test"}, {Key: "domain.dkim_selectors", Value: []string{"s1", "s2"}}},
			want:     []string{"default_profile: prod", "name: example.test", "dkim_selectors: [s1, s2]"},
			written:  []string{"domain.name", "domain.dkim_selectors"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "sub", "config.yaml")
			if tt.existing != "" {
				require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o700))
				require.NoError(t, os.WriteFile(path, []byte(tt.existing), 0o644))
			}
			rep, err := SaveProfile(path, "prod", tt.settings, tt.opts)
			require.NoError(t, err)
			require.Equal(t, tt.written, rep.Written)
			require.Equal(t, tt.skipped, rep.Skipped)
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			for _, w := range tt.want {
				require.Contains(t, string(data), w)
			}
			for _, nw := range tt.notWant {
				require.NotContains(t, string(data), nw)
			}
			st, err := os.Stat(path)
			require.NoError(t, err)
			require.Equal(t, os.FileMode(0o600), st.Mode().Perm())
			cfg, err := Load(path)
			require.NoError(t, err)
			require.Contains(t, cfg.Profiles, "prod")
			entries, err := os.ReadDir(filepath.Dir(path))
			require.NoError(t, err)
			require.Len(t, entries, 1, "no temporary file is left behind")
		})
	}
}

func TestSaveProfileRefusesSettingsThatWouldNotLoad(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "config.yaml")
	const good = "profiles:\n  prod:\n    smtp:\n      host: smtp.example.test\n"
	require.NoError(t, os.WriteFile(path, []byte(good), 0o600))
	_, err := SaveProfile(path, "prod", []Setting{{Key: "api.base_url", Value: "ftp://nope"}}, SaveOptions{})
	require.Error(t, err)
	require.Contains(t, err.Error(), "was not changed")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, good, string(data))
}
