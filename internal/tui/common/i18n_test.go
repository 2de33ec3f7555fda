package common

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/kb"
	"pitstop/internal/wizard"
)

// verbs finds the formatting verbs of a string, in order.
var verbs = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

// TestCatalogueIsComplete checks every entry has both languages with the
// same formatting verbs, so `--lang es` never shows English or a broken
// "%!d(MISSING)".
func TestCatalogueIsComplete(t *testing.T) {
	t.Parallel()
	for key, e := range CatalogueKeys() {
		require.NotEmpty(t, e[0], "%s has no English text", key)
		require.NotEmpty(t, e[1], "%s has no Spanish text", key)
		require.Equal(t, verbs.FindAllString(e[0], -1), verbs.FindAllString(e[1], -1), "%s: the two languages take different arguments", key)
	}
}

// literalKey matches T("key") and T("key", ...) calls with a literal key.
var literalKey = regexp.MustCompile(`\bT\("([a-z0-9_.]+)"`)

// TestEveryKeyUsedExists reads the wizard's sources: every literal key
// passed to T is in the catalogue, and so is every key built from a known
// list (families, problems, statuses ...).
func TestEveryKeyUsedExists(t *testing.T) {
	t.Parallel()
	var files []string
	require.NoError(t, filepath.WalkDir("..", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			files = append(files, path)
		}
		return nil
	}))
	require.NotEmpty(t, files)
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, m := range literalKey.FindAllStringSubmatch(string(data), -1) {
			if strings.HasSuffix(m[1], ".") {
				continue // a prefix: the built keys below cover it
			}
			require.True(t, HasKey(m[1]), "%s uses %q, which is not in the catalogue", f, m[1])
		}
	}
	var built []string
	for _, p := range wizard.Problems {
		built = append(built, "problem."+p.ID, "problem."+p.ID+".desc")
	}
	for _, c := range kb.Categories {
		built = append(built, "kbcat."+c)
	}
	for _, s := range kb.Severities {
		built = append(built, "severity."+s)
	}
	for _, s := range []check.Status{check.Pass, check.Warn, check.Fail, check.Skip, check.Error} {
		built = append(built, "status."+s.String(), "count."+s.String()+".1", "count."+s.String()+".n")
	}
	for _, e := range []string{"guided", "everything", "checklist", "search", "monitor", "escalate"} {
		built = append(built, "home."+e, "home."+e+".desc")
	}
	for _, o := range []string{"escalate", "rerun", "another", "restart"} {
		built = append(built, "outcome."+o, "outcome."+o+".desc")
	}
	for _, k := range built {
		require.True(t, HasKey(k), "%q is missing from the catalogue", k)
	}
}

func TestTranslate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lang, key string
		args      []any
		want      string
	}{
		{"en", "app.step", []any{2, 6}, "Step 2 of 6"},
		{"es", "app.step", []any{2, 6}, "Paso 2 de 6"},
		{"fr", "key.quit", nil, "quit"},
		{"es", "count.warn.n", []any{3}, "3 avisos"},
		{"en", "no.such.key", nil, "no.such.key"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, Translate(tt.lang, tt.key, tt.args...), "%s %s", tt.lang, tt.key)
	}
}

// TestCheckTitle: the interface names checks and families from the
// registry, in English by the checks' own titles.
func TestCheckTitle(t *testing.T) {
	t.Parallel()
	en, es := &Common{Core: &wizard.Core{Lang: "en"}}, &Common{Core: &wizard.Core{Lang: "es"}}
	for _, tc := range []struct{ id, title, wantES string }{
		{"api.auth", "API key accepted", "Clave de API aceptada"},
		{"crm.permissions", "HubSpot permissions", "Permisos de HubSpot"},
		{"x.unknown", "Un título", "Un título"},
	} {
		require.Equal(t, tc.title, en.CheckTitle(tc.id, tc.title))
		require.Equal(t, tc.wantES, es.CheckTitle(tc.id, tc.title))
	}
	require.Equal(t, "Email (SMTP)", en.FamilyName("smtp"))
	require.Equal(t, "Correo (SMTP)", es.FamilyName("smtp"))
}
