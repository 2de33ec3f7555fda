package kb

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"pitstop/internal/i18n"
	"pitstop/knowledge"
)

// flatten writes the parts of a node tree that decodeFront reads.
func flatten(n *yaml.Node, b *strings.Builder) {
	fmt.Fprintf(b, "(%d %s %q @%d", n.Kind, n.Tag, n.Value, n.Line)
	for _, c := range n.Content {
		flatten(c, b)
	}
	b.WriteString(")")
}

func sameAsYAML(t *testing.T, front string) (quick bool) {
	t.Helper()
	got, ok := quickFront([]byte(front))
	if !ok {
		return false
	}
	var want yaml.Node
	require.NoError(t, yaml.Unmarshal([]byte(front), &want), "quickFront accepted what YAML rejects:\n%s", front)
	var g, w strings.Builder
	flatten(got, &g)
	flatten(&want, &w)
	require.Equal(t, w.String(), g.String(), "front matter:\n%s", front)
	return true
}

func frontMatters(tb testing.TB) []string {
	var out []string
	for _, lang := range i18n.Languages() {
		files, err := fs.Glob(knowledge.FS, lang+"/*.md")
		require.NoError(tb, err)
		for _, f := range files {
			data, err := fs.ReadFile(knowledge.FS, f)
			require.NoError(tb, err)
			front, _, _, ok := splitFrontMatter(data)
			require.True(tb, ok, f)
			out = append(out, string(front))
		}
	}
	return out
}

func TestQuickFrontMatchesYAML(t *testing.T) {
	t.Parallel()
	quick := 0
	for _, front := range frontMatters(t) {
		if sameAsYAML(t, front) {
			quick++
		}
	}
	// The fast path is worth having only if the articles take it.
	require.Greater(t, quick, len(frontMatters(t))*9/10)

	for _, tc := range []struct {
		front string
		quick bool
	}{
		{"id: a\ntitle: Hello world\n", true},
		{"id: a\nsymptoms: ['It''s slow', \"Quoted\", plain words]\n", true},
		{"id: a\nchecks: []\n", true},
		{"id: a\npatterns: ['\\b429\\b', '(?i)rate.?limit']\n", true},
		{"title: ¿Por qué falla?\n", true},
		{"id: a # comment\n", false},
		{"id: 42\n", false},
		{"id: true\n", false},
		{"id:\n", false},
		{"symptoms:\n  - a\n", false},
		{"title: \"esc\\\"aped\"\n", false},
		{"title: a: b\n", false},
		{"list: [a, b,]\n", false},
		{"list: [a, [b]]\n", false},
		{"\tid: a\n", false},
		{"id: a\n  \n", false},
		{"reviewed: 2026-12-01\n", true},  // a date: YAML's timestamp
		{"reviewed: 2026-02-30\n", false}, // not a real day: YAML reads text
		{"list: [2026-12-01]\n", false},
	} {
		require.Equal(t, tc.quick, sameAsYAML(t, tc.front), "%q", tc.front)
	}
}

func FuzzQuickFront(f *testing.F) {
	for _, front := range frontMatters(f) {
		f.Add(front)
	}
	f.Add("id: a\nlist: ['x''y', \"z\", p q]\n")
	f.Add("\na: A\n") // the document starts at its first key, not at line 1
	f.Fuzz(func(t *testing.T, front string) {
		sameAsYAML(t, front)
	})
}

func BenchmarkFrontMatter(b *testing.B) {
	fronts := frontMatters(b)
	b.Run("quick", func(b *testing.B) {
		for b.Loop() {
			for _, f := range fronts {
				quickFront([]byte(f))
			}
		}
	})
	b.Run("yaml.v3", func(b *testing.B) {
		for b.Loop() {
			for _, f := range fronts {
				var n yaml.Node
				_ = yaml.Unmarshal([]byte(f), &n)
			}
		}
	})
}
