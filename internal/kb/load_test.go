package kb

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/i18n"
	"pitstop/knowledge"
)

// article builds a valid article file.
func article(id, lang, title string, extra ...string) string {
	var b strings.Builder
	b.WriteString("---\nid: " + id + "\ntitle: " + title + "\ncategory: api\nseverity: medium\n")
	b.WriteString("symptoms: [\"Something is off\"]\n")
	for _, e := range extra {
		b.WriteString(e + "\n")
	}
	if !slices.ContainsFunc(extra, func(e string) bool { return strings.HasPrefix(e, "sources:") }) {
		b.WriteString("sources: [\"https://example.com/docs\"]\n")
	}
	if !slices.ContainsFunc(extra, func(e string) bool { return strings.HasPrefix(e, "reviewed:") }) {
		b.WriteString("reviewed: 2026-12-01\n")
	}
	b.WriteString("---\n")
	for _, h := range Sections(lang) {
		b.WriteString(h + "\n\nText.\n\n")
	}
	return b.String()
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
}

func TestEmbeddedKnowledgeLintsClean(t *testing.T) {
	t.Parallel()
	problems := Lint(knowledge.FS, check.KnownIDs)
	var lines []string
	for _, p := range problems {
		if p.Warn { // an article due for review: said, but not a failure
			t.Log("knowledge/" + p.String())
			continue
		}
		lines = append(lines, "knowledge/"+p.String())
	}
	require.Empty(t, lines, strings.Join(lines, "\n"))
}

func TestEmbeddedLanguagesHaveTheSameIDs(t *testing.T) {
	t.Parallel()
	ids := func(b *Base) []string {
		var out []string
		for _, a := range b.Articles() {
			out = append(out, a.ID)
		}
		return out
	}
	en, es := embedded()["en"], embedded()["es"]
	require.NotEmpty(t, ids(en))
	require.Equal(t, ids(en), ids(es))
	for _, a := range es.Articles() {
		require.Equal(t, "es", a.Lang)
		require.Equal(t, "knowledge/es/"+a.ID+".md", a.Source)
	}
}

func TestLoadUnknownLanguage(t *testing.T) {
	t.Parallel()
	_, _, err := Load(knowledge.FS, "", "fr")
	require.ErrorContains(t, err, `"fr"`)
}

// TestLoadFallsBackToEnglish: an article a language does not have yet
// reads in English, and says so; a language needs no articles to be usable.
func TestLoadFallsBackToEnglish(t *testing.T) {
	t.Parallel()
	b, warnings, err := Load(embeddedTwo(), "", "es")
	require.NoError(t, err)
	require.Empty(t, warnings)
	one, ok := b.Get("api-one")
	require.True(t, ok)
	require.Equal(t, "Uno embebido", one.Title)
	require.Equal(t, "es", one.Lang)
	two, ok := b.Get("api-two")
	require.True(t, ok)
	require.Equal(t, "Embedded two", two.Title)
	require.Equal(t, "en", two.Lang)
	require.Equal(t, "knowledge/en/api-two.md", two.Source)
}

// embeddedTwo is a small embedded tree: two English articles, one of
// them in Spanish.
func embeddedTwo() fstest.MapFS {
	return fstest.MapFS{
		"en/api-one.md": {Data: []byte(article("api-one", "en", "Embedded one"))},
		"en/api-two.md": {Data: []byte(article("api-two", "en", "Embedded two"))},
		"es/api-one.md": {Data: []byte(article("api-one", "es", "Uno embebido"))},
	}
}

func TestLoadOverlay(t *testing.T) {
	t.Parallel()
	base := embeddedTwo()
	tests := []struct {
		name      string
		files     map[string]string
		lang      string
		wantTitle map[string]string // id → title
		warnings  []string          // "file:line: fragment", file relative to the overlay
	}{
		{
			name:      "language subdirectory replaces and adds",
			files:     map[string]string{"en/api-one.md": article("api-one", "en", "Overlay one"), "en/api-new.md": article("api-new", "en", "New")},
			lang:      "en",
			wantTitle: map[string]string{"api-one": "Overlay one", "api-two": "Embedded two", "api-new": "New"},
		},
		{
			name:      "other language subdirectory is ignored",
			files:     map[string]string{"es/api-one.md": article("api-one", "es", "Otro")},
			lang:      "en",
			wantTitle: map[string]string{"api-one": "Embedded one", "api-two": "Embedded two"},
		},
		{
			name: "flat files, with and without a language suffix",
			files: map[string]string{
				"api-two.md":    article("api-two", "es", "Plano para todos"),
				"api-one.en.md": article("api-one", "en", "Only English"),
			},
			lang:      "es",
			wantTitle: map[string]string{"api-one": "Uno embebido", "api-two": "Plano para todos"},
		},
		{
			name: "broken articles are skipped with file and line",
			files: map[string]string{
				"en/no-front.md":   "## What you see\n",
				"en/bad-yaml.md":   "---\nid: api-bad\ntitle: [unclosed\n---\nbody\n",
				"en/bad-re.md":     article("api-bad-re", "en", "Bad pattern", `patterns: ['(unclosed']`),
				"en/bad-cat.md":    strings.Replace(article("api-bad-cat", "en", "Bad category"), "category: api", "category: nonsense", 1),
				"en/no-id.md":      strings.Replace(article("x", "en", "No id"), "id: x\n", "", 1),
				"en/list-type.md":  article("api-list", "en", "List", "checks: api.auth"),
				"en/api-one.md":    article("api-one", "en", "Still fine"),
				"en/not-md.txt":    "ignored",
				"en/sub/nested.md": "ignored too",
			},
			lang:      "en",
			wantTitle: map[string]string{"api-one": "Still fine", "api-two": "Embedded two"},
			warnings: []string{
				"en/bad-cat.md:4: category \"nonsense\"",
				"en/bad-re.md:7: pattern \"(unclosed\" does not compile",
				"en/bad-yaml.md:3: front matter is not valid YAML",
				"en/list-type.md:7: checks must be a list",
				"en/no-front.md:1: no front matter",
				"en/no-id.md:1: id is missing",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for name, content := range tc.files {
				writeFile(t, filepath.Join(dir, name), content)
			}
			b, warnings, err := Load(base, dir, tc.lang)
			require.NoError(t, err)
			got := map[string]string{}
			for _, a := range b.Articles() {
				got[a.ID] = a.Title
			}
			require.Equal(t, tc.wantTitle, got)
			var ws []string
			for _, w := range warnings {
				rel, err := filepath.Rel(dir, w.File)
				require.NoError(t, err)
				w.File = filepath.ToSlash(rel)
				ws = append(ws, w.String())
			}
			slices.Sort(ws)
			require.Len(t, ws, len(tc.warnings), strings.Join(ws, "\n"))
			for i, want := range tc.warnings {
				require.Contains(t, ws[i], want)
			}
		})
	}
}

func TestLoadOverlaySource(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "en", "api-x.md"), article("api-x", "en", "X"))
	b, warnings, err := Load(nil, dir, "en")
	require.NoError(t, err)
	require.Empty(t, warnings)
	a, ok := b.Get("api-x")
	require.True(t, ok)
	require.Equal(t, filepath.Join(dir, "en", "api-x.md"), a.Source)
	require.Contains(t, a.Body, "## Fix it now")
}

func TestLoadMissingOverlay(t *testing.T) {
	t.Parallel()
	_, _, err := Load(knowledge.FS, filepath.Join(t.TempDir(), "nope"), "en")
	require.ErrorContains(t, err, "nope")

	file := filepath.Join(t.TempDir(), "file.md")
	writeFile(t, file, "x")
	_, _, err = Load(knowledge.FS, file, "en")
	require.ErrorContains(t, err, "is a file")
}

func TestCategoriesAndSymptoms(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"en/a.md": {Data: []byte(strings.Replace(article("a", "en", "A"), `symptoms: ["Something is off"]`, `symptoms: ["Slow", "Emails bounce"]`, 1))},
		"en/b.md": {Data: []byte(strings.Replace(article("b", "en", "B"), `symptoms: ["Something is off"]`, `symptoms: ["slow", "Quota gone"]`, 1))},
		"en/c.md": {Data: []byte(strings.Replace(article("c", "en", "C"), "category: api", "category: support", 1))},
	}
	b, warnings, err := Load(fsys, "", "en")
	require.NoError(t, err)
	require.Empty(t, warnings)
	require.Equal(t, []string{"api", "support"}, b.Categories())
	require.Equal(t, []Symptom{
		{Text: "Slow", Articles: []string{"a", "b"}},
		{Text: "Emails bounce", Articles: []string{"a"}},
		{Text: "Quota gone", Articles: []string{"b"}},
	}, b.Symptoms("api"))
	require.Equal(t, []Symptom{{Text: "Something is off", Articles: []string{"c"}}}, b.Symptoms("support"))
	require.Len(t, b.Symptoms(""), 4)

	_, ok := b.Get("zzz")
	require.False(t, ok)
}

func TestEmbeddedCategoriesHaveSymptoms(t *testing.T) {
	t.Parallel()
	for _, lang := range i18n.Languages() {
		b := embedded()[lang]
		for _, c := range b.Categories() {
			require.NotEmpty(t, b.Symptoms(c), "%s/%s", lang, c)
		}
	}
}

func TestClosest(t *testing.T) {
	t.Parallel()
	b := embedded()["en"]
	tests := []struct {
		id   string
		want string
	}{
		{"api-ratelimit", "api-rate-limit"},
		{"smtp-auth", "smtp-auth-failed"},
		{"API-INVALID-KEY", "api-invalid-key"},
		{"invalid-key", "api-invalid-key"},
	}
	for _, tc := range tests {
		got := b.Closest(tc.id, 3)
		require.NotEmpty(t, got, tc.id)
		require.Equal(t, tc.want, got[0], tc.id)
	}
	require.Empty(t, b.Closest("completely-unrelated-words-here", 3))
}

// TestSymptomsLeadWithEveryArticle checks the top of a category's list names
// each article once, worst severity first, so "Invalid API key" is not buried.
func TestSymptomsLeadWithEveryArticle(t *testing.T) {
	t.Parallel()
	for _, lang := range i18n.Languages() {
		b, _, err := Load(knowledge.FS, "", lang)
		require.NoError(t, err)
		var arts []*Article
		for _, a := range b.Articles() {
			if a.Category == "api" {
				arts = append(arts, a)
			}
		}
		syms := b.Symptoms("api")
		require.GreaterOrEqual(t, len(syms), len(arts))
		firsts := map[string]bool{}
		last := -1
		for _, s := range syms[:len(arts)] {
			a, ok := b.Get(s.Articles[0])
			require.True(t, ok)
			require.Equal(t, a.Symptoms[0], s.Text, "the lead symptoms are each article's first")
			rank := slices.Index(Severities, a.Severity)
			require.GreaterOrEqual(t, rank, last, "worst severity first")
			last = rank
			firsts[a.ID] = true
		}
		require.Len(t, firsts, len(arts))
	}
}
