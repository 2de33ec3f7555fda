package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSyntaxErrorsInPlainWords: YAML's parser messages become what to fix,
// on the line that needs fixing.
func TestSyntaxErrorsInPlainWords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		yaml string
		want string // "file:line: start of the message"
	}{
		{"key indented less than its siblings", "profiles:\n  p:\n    api:\n      provider: copycar\n     base_url: https://x/v2\n",
			"test.yaml:5: this line is not lined up"},
		{"key indented more than its siblings", "profiles:\n  p:\n    api:\n      provider: copycar\n        base_url: https://x/v2\n",
			"test.yaml:5: this line is not lined up"},
		{"back out to no section's column", "profiles:\n  p:\n    smtp:\n      host: a\n    port: 5\n   from: x\n",
			"test.yaml:6: this line is not lined up"},
		{"value with a colon", "profiles:\n  p:\n    smtp:\n      host: a: b\n",
			`test.yaml:4: YAML found a ": " it did not expect`},
		{"tab", "profiles:\n  p:\n    api:\n\tprovider: copycar\n",
			"test.yaml:4: this line has a tab"},
		{"reserved character", "profiles:\n  p:\n    api:\n      provider: @copycar\n",
			"test.yaml:4: a value starts with a character YAML reserves"},
		{"unclosed quote", "profiles:\n  p:\n    smtp:\n      host: \"abc\n",
			"test.yaml:4: the file ends inside an unfinished value"},
		{"variable in a flow map", "profiles:\n  p:\n    api: {provider: openai, key: ${OPENAI_API_KEY}}\n",
			"test.yaml:3: a { ... } or [ ... ] that starts here is not closed"},
		{"list for a number", "profiles:\n  p:\n    smtp:\n      host: x\n      port: [587]\n",
			"test.yaml:5: a list is not valid here: expected a whole number"},
		{"list for a section", "profiles:\n  p:\n    api: [a, b]\n",
			"test.yaml:3: a list is not valid here: expected a section (key: value lines)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse("test.yaml", []byte(tt.yaml))
			require.Error(t, err)
			require.True(t, strings.HasPrefix(err.Error(), tt.want), err.Error())
			require.NotContains(t, err.Error(), "config.")
		})
	}
}

func TestMisindented(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		yaml string
		want int
	}{
		{"in line", "a:\n  b: 1\n  c:\n    - x\n    - y\n  d: 2\ne: 3\n", 0},
		{"list of maps", "a:\n  - name: x\n    host: y\n  - name: z\n", 0},
		{"comments and blanks", "a:\n  # note\n\n  b: 1 # c:\n  c: 2\n", 0},
		{"block text", "a:\n  b: |\n    line\n      indented\n  c: 1\n", 0},
		{"deeper without a section", "a:\n  b: 1\n    c: 2\n", 3},
		{"back out between columns", "a:\n    b:\n      c: 1\n  d: 2\n", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, misindented(strings.Split(tt.yaml, "\n")))
		})
	}
}

func TestLoadFolderAndMissingFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, err := Load(dir)
	require.ErrorContains(t, err, "this is a folder; give the path of the settings file")
	_, err = Load(filepath.Join(dir, "missing.yaml"))
	require.ErrorContains(t, err, "pitstop config --example >")
}

func TestFromEnvPicksTheProviderWhoseKeyIsSet(t *testing.T) {
	tests := []struct {
		env          map[string]string
		api, crm     string
		apiConfigued bool
	}{
		{map[string]string{"OPENAI_API_KEY": canary}, "openai", "", true},
		{map[string]string{"ANTHROPIC_API_KEY": canary, "PIPEDRIVE_API_TOKEN": "t"}, "anthropic", "pipedrive", true},
		{map[string]string{"COPYCAR_API_KEY": canary, "OPENAI_API_KEY": "x", "HUBSPOT_TOKEN": "t"}, "copycar", "hubspot", true},
		{map[string]string{}, "", "", false},
	}
	for _, name := range []string{"COPYCAR_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "PITSTOP_API_KEY",
		"HUBSPOT_TOKEN", "HUBSPOT_ACCESS_TOKEN", "SALESFORCE_TOKEN", "SALESFORCE_ACCESS_TOKEN", "PIPEDRIVE_API_TOKEN", "PIPEDRIVE_TOKEN"} {
		t.Setenv(name, "")
		os.Unsetenv(name)
	}
	for _, tt := range tests {
		for k, v := range tt.env {
			t.Setenv(k, v)
		}
		p, err := FromEnv().Profile("")
		require.NoError(t, err)
		require.Equal(t, tt.api, p.API.Provider, "%v", tt.env)
		require.Equal(t, tt.crm, p.CRM.Provider, "%v", tt.env)
		require.Equal(t, tt.apiConfigued, p.Configured("api"))
		for k := range tt.env {
			os.Unsetenv(k)
		}
	}
}

func TestEmptyFile(t *testing.T) {
	t.Parallel()
	for _, data := range []string{"", "\n  \n"} {
		_, err := Parse("c.yaml", []byte(data))
		require.EqualError(t, err, "c.yaml: the file is empty; `pitstop config --example` prints one to start from")
	}
}
