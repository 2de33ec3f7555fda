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

// literalKey matches T("key"), t("key"), N("key", n) and Translate(lang,
// "key") calls with a literal key.
var literalKey = regexp.MustCompile(`(?:\bT\(|\bN\(|\bs\.t\(|\bTranslate\([a-zA-Z.]+, )"([a-z0-9_./]+)"`)

// TestEveryKeyUsedExists reads the wizard's sources: every literal key
// passed to T or N is in the catalogue (locales/en/tui.yaml), and so is
// every key built from a known list (problems, statuses ...). That each
// message has every language is internal/i18n's test.
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
		built = append(built, "kbcat."+p.KBCategory, "problem."+p.ID+".desc")
	}
	for _, c := range kb.Categories {
		built = append(built, "kbcat."+c)
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
		{"en", "no.such.key", nil, "tui.no.such.key"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, Translate(tt.lang, tt.key, tt.args...), "%s %s", tt.lang, tt.key)
	}
}

// TestCounts: a count takes the plural form of the interface language.
func TestCounts(t *testing.T) {
	t.Parallel()
	en, es := &Common{Core: &wizard.Core{Lang: "en"}}, &Common{Core: &wizard.Core{Lang: "es"}}
	require.Equal(t, "1 warning", en.Count(check.Warn, 1))
	require.Equal(t, "3 warnings", en.Count(check.Warn, 3))
	require.Equal(t, "1 aviso", es.Count(check.Warn, 1))
	require.Equal(t, "3 avisos", es.Count(check.Warn, 3))
	require.Equal(t, "2 no se pudieron probar", es.Count(check.Error, 2))
	require.Equal(t, "Pitstop found 1 problem. It points to an article below.", en.N("results.problems", 1))
	require.Equal(t, "Pitstop encontró 2 problemas. Cada uno apunta a un artículo más abajo.", es.N("results.problems", 2))
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
