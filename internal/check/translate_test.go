package check_test

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/i18n"
	"pitstop/locales"
)

// helpers are the check package's summary builders.
var helpers = map[string]bool{"Passf": true, "Warnf": true, "Failf": true, "Skipf": true, "Errorf": true, "Sentencef": true}

// detailWrappers format evidence lines, not summaries.
var detailWrappers = map[string]bool{
	"line":   true, // domain: the SPF walk's detail lines
	"Printf": true, // cache: the Redis client's log
	"hit":    true, // content: a spam rule's reason, listed in details
}

// sharedWrappers are the check package's own builders that families call
// as methods (check.Findings.Add), by name, with their format's index.
var sharedWrappers = map[string]int{"Add": 2}

// site is one summary format found in the source.
type site struct {
	format string // "" when the format is not a constant
	pos    string
}

// summaryFormats walks internal/check/** (not tests) and returns every format
// given to a summary builder: check.Passf ... and the families' own wrappers
// (a function with a "format string" parameter that hands it on).
func summaryFormats(t *testing.T) []site {
	t.Helper()
	var sites []site
	fset := token.NewFileSet()
	files := map[string][]*ast.File{} // by directory: a package's wrappers serve all its files
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		files[filepath.Dir(path)] = append(files[filepath.Dir(path)], f)
		return nil
	})
	require.NoError(t, err)
	for _, pkg := range files {
		consts := map[string]string{}
		wrappers := map[string]int{} // name -> index of its format parameter
		noteWrapper := func(name string, ft *ast.FuncType) {
			list := ft.Params.List
			if len(list) == 0 {
				return
			}
			if _, variadic := list[len(list)-1].Type.(*ast.Ellipsis); !variadic {
				return
			}
			i := 0
			for _, field := range list {
				for _, n := range field.Names {
					if id, ok := field.Type.(*ast.Ident); ok && id.Name == "string" && n.Name == "format" && !detailWrappers[name] {
						wrappers[name] = i
					}
					i++
				}
			}
		}
		for _, f := range pkg {
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.ValueSpec:
					for i, name := range n.Names {
						if i < len(n.Values) {
							if s, ok := constString(n.Values[i], nil); ok {
								consts[name.Name] = s
							}
						}
					}
				case *ast.FuncDecl:
					if !helpers[n.Name.Name] {
						noteWrapper(n.Name.Name, n.Type)
					}
				case *ast.AssignStmt:
					if len(n.Lhs) == 1 && len(n.Rhs) == 1 {
						if id, ok := n.Lhs[0].(*ast.Ident); ok {
							if fl, ok := n.Rhs[0].(*ast.FuncLit); ok {
								noteWrapper(id.Name, fl.Type)
							}
						}
					}
				}
				return true
			})
		}
		for _, f := range pkg {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				var name string
				switch fn := call.Fun.(type) {
				case *ast.Ident:
					name = fn.Name
				case *ast.SelectorExpr:
					if x, ok := fn.X.(*ast.Ident); ok && (x.Name == "fmt" || x.Name == "slog") {
						return true
					}
					name = fn.Sel.Name
				}
				idx := -1
				if helpers[name] {
					idx = 0
				} else if i, ok := wrappers[name]; ok {
					idx = i
				} else if i, ok := sharedWrappers[name]; ok && len(call.Args) > i {
					idx = i
				}
				if idx < 0 || idx >= len(call.Args) {
					return true
				}
				pos := fset.Position(call.Pos()).String()
				if id, ok := call.Args[idx].(*ast.Ident); ok && id.Name == "format" {
					return true // a wrapper handing its own format on
				}
				s, ok := constString(call.Args[idx], consts)
				if !ok {
					s = ""
				}
				sites = append(sites, site{format: s, pos: pos})
				return true
			})
		}
	}
	return sites
}

// constString evaluates a string literal, a constant or their concatenation.
func constString(e ast.Expr, consts map[string]string) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.Ident:
		s, ok := consts[e.Name]
		return s, ok
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		a, ok1 := constString(e.X, consts)
		b, ok2 := constString(e.Y, consts)
		return a + b, ok1 && ok2
	case *ast.ParenExpr:
		return constString(e.X, consts)
	}
	return "", false
}

// TestDumpFormats writes the formats found, for keeping the catalogue up to
// date: PITSTOP_DUMP_FORMATS=file go test -run TestDumpFormats ./internal/check/
func TestDumpFormats(t *testing.T) {
	out := os.Getenv("PITSTOP_DUMP_FORMATS")
	if out == "" {
		t.Skip("set PITSTOP_DUMP_FORMATS to a file")
	}
	seen := map[string]bool{}
	var lines []string
	for _, s := range summaryFormats(t) {
		if s.format == "" {
			lines = append(lines, "# not constant: "+s.pos)
			continue
		}
		if !seen[s.format] {
			seen[s.format] = true
			lines = append(lines, strconv.Quote(s.format)+": \"\" # "+s.pos)
		}
	}
	sort.Strings(lines)
	require.NoError(t, os.WriteFile(out, []byte(strings.Join(lines, "\n")+"\n"), 0o644))
}

// TestCatalogueCoversEverySummary fails when a check adds a summary format
// with no entry in a language's checks.yaml (locales/es/checks.yaml) or
// builds a summary from a format that is not a constant.
func TestCatalogueCoversEverySummary(t *testing.T) {
	t.Parallel()
	formats := summaryFormats(t)
	for _, lang := range i18n.Languages()[1:] {
		data, err := fs.ReadFile(locales.FS, lang+"/checks.yaml")
		require.NoError(t, err, "locales/%s/ needs a checks.yaml", lang)
		cat, err := check.ParseCatalogue(data)
		require.NoError(t, err, "every entry keeps the English verbs")
		var missing []string
		for _, s := range formats {
			switch {
			case s.format == "":
				missing = append(missing, s.pos+": the summary format is not a constant, so it cannot be translated")
			case s.format == "%s" || s.format == "%s.":
				// A pass-through: the sentence inside is catalogued where it is written.
			case !cat.Has(s.format):
				missing = append(missing, s.pos+": "+strconv.Quote(s.format))
			}
		}
		require.Empty(t, missing, "add these to locales/%s/checks.yaml", lang)
	}
}

func TestCatalogueText(t *testing.T) {
	t.Parallel()
	cat, err := check.ParseCatalogue([]byte(`
"The SMTP server at %s answered in %s%s.": "El servidor SMTP en %s respondió en %s%s."
"%s has one valid SPF record (%s, ending in %sall)%s.": "%s tiene un registro SPF válido (%s, termina en %sall)%s."
" and authorises your SMTP server %s": " y autoriza a tu servidor SMTP %s"
"%d DNS lookups": "%d consultas DNS"
"Not run because %s did not pass: %s": "No se ejecutó porque %s no pasó: %s"
"The key is %d days old (%s).": "La clave (%[2]s) tiene %[1]d días."
"%s.": "%s."
`))
	require.NoError(t, err)
	for _, tc := range []struct{ in, want string }{
		{"The SMTP server at 127.0.0.1 port 587 answered in 16 ms and offers login (PLAIN, LOGIN).",
			"El servidor SMTP en 127.0.0.1 port 587 respondió en 16 ms and offers login (PLAIN, LOGIN)."},
		{"example.com has one valid SPF record (3 DNS lookups, ending in ~all) and authorises your SMTP server mx.example.com.",
			"example.com tiene un registro SPF válido (3 consultas DNS, termina en ~all) y autoriza a tu servidor SMTP mx.example.com."},
		{"The key is 12 days old (sk-…abcd).", "La clave (sk-…abcd) tiene 12 días."},
		{"Not run because smtp.connect did not pass: Not run because x did not pass: y",
			"No se ejecutó porque smtp.connect no pasó: No se ejecutó porque x no pasó: y"},
		{"Something no entry knows", "Something no entry knows"},
	} {
		got, _ := cat.Text(tc.in)
		require.Equal(t, tc.want, got, tc.in)
	}
}

func TestParseCatalogueRejectsOtherVerbs(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{
		`"Took %s for %d": "Tardó %d para %s"`,
		`"Took %s": "Tardó"`,
		`"Took %s": "Tardó %s %s"`,
		`"Took %s for %d": "Tardó %[1]d para %[2]s"`,
	} {
		_, err := check.ParseCatalogue([]byte(bad))
		require.Error(t, err, bad)
	}
}

func TestRunnerTranslatesSummaries(t *testing.T) {
	t.Parallel()
	const secret = "canary-Secret-7f3a"
	checks := []check.Check{
		{ID: "smtp.connect", Run: func(context.Context) check.Result {
			return check.Failf("Nothing accepts connections at %s (connection refused): the port is wrong, the mail server is down, or a firewall rejects the connection.", "mail."+secret+":587").
				With("dial tcp: connection refused")
		}},
		{ID: "smtp.tls", Requires: []string{"smtp.connect"}, Run: func(context.Context) check.Result { return check.Passf("unreached") }},
		{ID: "api.config", Run: func(context.Context) check.Result { return check.Result{Status: check.Pass} }},
	}
	scrub := func(s string) string { return strings.ReplaceAll(s, secret, "****") }
	r := &check.Runner{Lang: "es", Scrub: scrub}
	res := r.Run(context.Background(), checks)
	require.Equal(t, "Nada acepta conexiones en mail.****:587 (conexión rechazada): el puerto está mal, el servidor de correo está caído o un cortafuegos rechaza la conexión.", res[0].Summary)
	require.Equal(t, []string{"dial tcp: connection refused"}, res[0].Details, "details stay as they are")
	require.Equal(t, "No se ejecutó porque smtp.connect no pasó: "+res[0].Summary, res[1].Summary)
	require.Equal(t, "Correcto.", res[2].Summary)

	en := (&check.Runner{Scrub: scrub}).Run(context.Background(), checks)
	require.True(t, strings.HasPrefix(en[0].Summary, "Nothing accepts connections at mail.****:587"))
	require.Equal(t, "OK.", en[2].Summary)
}

// TestSpanishCatalogueSentences spot-checks whole summaries as the checks
// build them, including the ones put together from several formats.
func TestSpanishCatalogueSentences(t *testing.T) {
	t.Parallel()
	cat := check.CatalogueFor("es")
	require.NotNil(t, cat)
	require.Nil(t, check.CatalogueFor("en"))
	for _, tc := range []struct{ in, want string }{
		{"The SMTP server at 127.0.0.1 port 587 answered in 16 ms and offers login (PLAIN, LOGIN).",
			"El servidor SMTP en 127.0.0.1 puerto 587 respondió en 16 ms y ofrece inicio de sesión (PLAIN, LOGIN)."},
		{"The SMTP server at mx.example.com port 587 answered in 2.0 ms and offers STARTTLS and login (PLAIN).",
			"El servidor SMTP en mx.example.com puerto 587 respondió en 2.0 ms y ofrece STARTTLS y inicio de sesión (PLAIN)."},
		{"The SMTP server at mx.example.com port 25 answered in 3 ms.",
			"El servidor SMTP en mx.example.com puerto 25 respondió en 3 ms."},
		{"HubSpot answers in 12 ms, and 100% of the daily API budget is left.",
			"HubSpot responde en 12 ms, y queda 100% del presupuesto diario de la API."},
		{"2 of 4 mapped fields do not exist on HubSpot contacts: pz_score not found; did you mean personalization_score? (and 1 more).",
			"2 de 4 campos asignados no existen en HubSpot contacts: no se encontró pz_score; ¿quisiste decir personalization_score? (y 1 más)."},
		{"The key is set (from API_KEY) and looks like an OpenAI key.",
			"La clave está configurada (de API_KEY) y parece una clave de OpenAI."},
		{"Close to the rate limit: only 3 of 100 requests left (resets in 60s). Slow down or requests will start failing with 429.",
			"Cerca del límite de uso: solo quedan 3 de 100 solicitudes (se renueva en 60s). Ve más despacio o las solicitudes empezarán a fallar con 429."},
	} {
		got, ok := cat.Text(tc.in)
		require.True(t, ok, tc.in)
		require.Equal(t, tc.want, got)
	}
}

// BenchmarkCatalogueText measures translating one long summary built from
// several formats (the worst case: every entry is tried at each level).
func BenchmarkCatalogueText(b *testing.B) {
	cat := check.CatalogueFor("es")
	const s = "2 of 4 mapped fields do not exist on HubSpot contacts: pz_score not found; did you mean personalization_score? (and 1 more)."
	for b.Loop() {
		if _, ok := cat.Text(s); !ok {
			b.Fatal("no translation")
		}
	}
}

// TestTitlesAreNotHere: check titles live in registry.yaml, by check ID;
// a titles section in a summary
// catalogue is a mistake that says where they went.
func TestTitlesAreNotHere(t *testing.T) {
	t.Parallel()
	cat, err := check.ParseCatalogue([]byte(`"Took %s": "Tardó %s"` + "\n"))
	require.NoError(t, err)
	got, ok := cat.Text("Took 3 s")
	require.True(t, ok)
	require.Equal(t, "Tardó 3 s", got)
	_, err = check.ParseCatalogue([]byte("titles:\n  a.b: \"Título\"\n"))
	require.ErrorContains(t, err, "registry.yaml")
}

// TestFilePhrasesTranslateQuotedArguments: a sentence quoting safefile's
// English ("is a device, not a regular file") reads whole in Spanish, from
// file.yaml's messages; i18n's own copy of checks.yaml is left as it was
// (the catalogue adds the phrases to a copy of its own, from many
// goroutines at once).
func TestFilePhrasesTranslateQuotedArguments(t *testing.T) {
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() { check.CatalogueFor("es") })
	}
	wg.Wait()
	got, ok := check.CatalogueFor("es").Text("Could not test: cannot read content.email_file (/dev/zero): is a device, not a regular file.")
	require.True(t, ok)
	require.Equal(t, "No se pudo probar: no se puede leer content.email_file (/dev/zero): es un dispositivo, no un archivo normal.", got)
	_, added := i18n.File("es", "checks")["is a device, not a regular file"]
	require.False(t, added, "i18n's checks.yaml was written to")
}

// TestDetailsTranslateOnlyPitstopsOwnSentences: a detail that is one of
// Pitstop's specific sentences is translated; evidence that a generic
// format ("%s: %s") would also match stays as it was.
func TestDetailsTranslateOnlyPitstopsOwnSentences(t *testing.T) {
	t.Parallel()
	r := check.CatalogueFor("es").Translate(check.Result{Summary: "x", Details: []string{
		"sk-…abcd (in the settings file, 51 characters)",
		"provider: copycar",
		"HTTP/1.1 401 Unauthorized",
	}})
	require.Equal(t, []string{
		"sk-…abcd (en el archivo de configuración, 51 caracteres)",
		"provider: copycar",
		"HTTP/1.1 401 Unauthorized",
	}, r.Details)
}
