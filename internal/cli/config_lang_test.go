package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestBrokenSettingsSpeakTheLanguage: a settings file with a mistake is
// reported in the run's language: --lang first, then PITSTOP_LANG and the
// locale (the file is read after the flags, and has no language of its
// own). The value the user wrote is quoted as it is, except a secret in it,
// which shows in no language.
func TestBrokenSettingsSpeakTheLanguage(t *testing.T) {
	for _, v := range []string{"PITSTOP_LANG", "LC_ALL", "LC_MESSAGES", "LANG"} {
		t.Setenv(v, "")
	}
	const secret = "sk-proj-BADVALUEcanary0123456789"
	dir := t.TempDir()
	file := func(name, text string) string {
		path := filepath.Join(dir, name+".yaml")
		require.NoError(t, os.WriteFile(path, []byte(text), 0o600))
		return path
	}
	tests := []struct {
		name, path, en, es string
	}{
		{"unknown key", file("key", "profiles:\n  prod:\n    smtp: {host: mail.example.com, hots: x}\n"),
			`key.yaml:3: unknown key "hots"; expected one of: host, port`,
			`key.yaml:3: clave desconocida "hots"; se esperaba una de: host, port`},
		{"bad URL", file("url", "profiles:\n  prod:\n    api:\n      provider: custom\n      base_url: \"ftp://user:"+secret+"@api.example.com/v1\"\n"),
			`url.yaml:5: api.base_url "ftp://•••@api.example.com/v1" should start with https://`,
			`url.yaml:5: api.base_url "ftp://•••@api.example.com/v1" debería empezar por https://`},
		{"secret in a query", file("query", "profiles:\n  prod:\n    api: {base_url: \"https://api.example.com/v1?key="+secret+"\"}\n"),
			`must not contain a query string`, `no debe contener una consulta`},
		{"bad port", file("port", "profiles:\n  prod:\n    smtp:\n      host: mail.example.com\n      port: 70000\n"),
			`port.yaml:5: smtp.port is 70000; expected a port between 1 and 65535`,
			`port.yaml:5: smtp.port es 70000; se esperaba un puerto entre 1 y 65535`},
		// The settings have no durations: a duration where a number of
		// records goes is the nearest mistake.
		{"duration for a number", file("duration", "profiles:\n  prod:\n    crm: {provider: hubspot, sample_size: 30s}\n"),
			`duration.yaml:3: "30s" is not valid here: expected a whole number`,
			`duration.yaml:3: "30s" no es válido aquí: se esperaba un número entero`},
		{"a folder", dir,
			`this is a folder; give the path of the settings file`,
			`esto es una carpeta; indica la ruta del archivo de configuración`},
		{"no such file", filepath.Join(dir, "none.yaml"),
			`no such file; start one with`, `no existe el archivo; crea uno con`},
		{"bad YAML line", file("tab", "profiles:\n  prod:\n\tsmtp: {host: mail.example.com}\n"),
			`tab.yaml:3: this line has a tab: YAML indents with spaces only`,
			`tab.yaml:3: esta línea tiene un tabulador: YAML sangra solo con espacios`},
	}
	for _, tt := range tests {
		for _, cmd := range [][]string{{"check"}, {"config"}, {"fix"}, {"report", "--impact", "low"}, {"check", "--format", "json"}} {
			args := append([]string{"--config", tt.path}, cmd...)
			code, stdout, stderr := runKB(t, "", args...)
			require.Equal(t, ExitUsage, code, "%s %v: %s", tt.name, cmd, stderr)
			require.Contains(t, stderr, tt.en, "%s %v", tt.name, cmd)
			require.Empty(t, stdout, "%s %v: a script reading stdout gets nothing", tt.name, cmd)

			code, _, stderr = runKB(t, "", append([]string{"--lang", "es"}, args...)...)
			require.Equal(t, ExitUsage, code, "%s %v", tt.name, cmd)
			require.Contains(t, stderr, tt.es, "%s %v", tt.name, cmd)
			require.NotContains(t, stderr, secret)
			require.NotContains(t, stderr, secret[8:20])
		}
	}

	// No --lang: the environment's language; --lang wins over it.
	t.Setenv("PITSTOP_LANG", "es")
	_, _, stderr := runKB(t, "", "--config", tests[3].path, "check")
	require.Contains(t, stderr, tests[3].es)
	_, _, stderr = runKB(t, "", "--lang", "en", "--config", tests[3].path, "check")
	require.Contains(t, stderr, tests[3].en)
}
