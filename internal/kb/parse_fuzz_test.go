package kb

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"pitstop/internal/i18n"
	"pitstop/knowledge"
)

// FuzzArticle feeds arbitrary files to the article parser (front matter,
// fields, patterns, sections): it never panics, every problem names a line
// inside the file, and an article it accepts has the fields the matcher and
// the screens rely on.
func FuzzArticle(f *testing.F) {
	for _, lang := range i18n.Languages() {
		entries, err := knowledge.FS.ReadDir(lang)
		if err != nil {
			f.Fatal(err)
		}
		for i, e := range entries {
			if i%8 != 0 { // a sample keeps the seed run short
				continue
			}
			data, err := knowledge.FS.ReadFile(lang + "/" + e.Name())
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data, lang == "es")
		}
	}
	for _, s := range []string{
		"",
		"---\n---\n",
		"---\nid: a\n",
		"---\nid: a\ntitle: T\ncategory: api\nseverity: low\nsymptoms: [x]\npatterns: ['(']\n---\n## What you see\n",
		"---\nid: a\nid: b\n---\n",
		"---\n- a\n- b\n---\nbody",
		"---\nid: [a]\ntitle: {x: y}\n---\n",
		"---\nsymptoms:\n  - one\n  - [two]\n---\n",
		"\xef\xbb\xbf---\r\nid: a\r\ntitle: T\r\ncategory: api\r\nseverity: high\r\n---\r\n## What you see\r\n",
		"---\nid: a\ntitle: \"unterminated\n---\n",
		"---\nid: &x a\ntitle: *x\ncategory: api\nseverity: low\n...\nbody",
		"---\nid: a\ntitle: T\ncategory: nope\nseverity: urgent\npatterns: ['(?i)a{1001}']\n---\n",
	} {
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, data []byte, spanish bool) {
		lang := "en"
		if spanish {
			lang = "es"
		}
		p := parseArticle("fuzz.md", lang, data, true)
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, pr := range p.all() {
			if pr.File != "fuzz.md" || strings.TrimSpace(pr.Msg) == "" {
				t.Fatalf("problem without a file or a message: %+v", pr)
			}
			if pr.Line < 0 || pr.Line > lines+1 {
				t.Fatalf("problem at line %d of a %d-line file: %s", pr.Line, lines, pr)
			}
		}
		if len(p.fatal) > 0 {
			return
		}
		a := p.art
		if a.ID == "" || a.Title == "" {
			t.Fatalf("accepted an article without id or title: %+v", a)
		}
		if !slices.Contains(Categories, a.Category) || !slices.Contains(Severities, a.Severity) {
			t.Fatalf("accepted category %q, severity %q", a.Category, a.Severity)
		}
		if len(p.patterns) != len(a.Patterns) {
			t.Fatalf("%d patterns, %d compiled", len(a.Patterns), len(p.patterns))
		}
		// An accepted article must also load into a base and be matched.
		b := newBase(lang, map[string]*parsed{a.ID: p})
		b.Match(Evidence{Text: a.Title, Symptoms: a.Symptoms})
		b.Search(a.Title)
	})
}
