package fix

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/i18n"
	"pitstop/locales"
)

// sayFormats returns every format handed to say in the package's code.
func sayFormats(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	out := map[string]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		require.NoError(t, err)
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "say" || len(call.Args) == 0 {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			require.True(t, ok, "%s: say needs a constant format", fset.Position(call.Pos()))
			s, err := strconv.Unquote(lit.Value)
			require.NoError(t, err)
			out[s] = fset.Position(call.Pos()).String()
			return true
		})
	}
	return out
}

// TestCatalogueCoversEveryFixText fails when a fix's text has no entry in
// a language's fixes.yaml (locales/es/fixes.yaml), or one whose verbs
// differ.
func TestCatalogueCoversEveryFixText(t *testing.T) {
	t.Parallel()
	formats := sayFormats(t)
	require.Greater(t, len(formats), 50)
	for _, lang := range i18n.Languages()[1:] {
		data, err := fs.ReadFile(locales.FS, lang+"/fixes.yaml")
		require.NoError(t, err, "locales/%s/ needs a fixes.yaml", lang)
		cat, err := check.ParseCatalogue(data)
		require.NoError(t, err)
		var missing []string
		for f, pos := range formats {
			if !cat.Has(f) {
				missing = append(missing, pos+": "+strconv.Quote(f))
			}
		}
		sort.Strings(missing)
		require.Empty(t, missing, "add these to locales/%s/fixes.yaml", lang)
	}
}
