package markdown

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"unicode"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/require"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"pitstop/internal/race"
	"pitstop/knowledge"
)

// article is a knowledge article's body, its front matter cut off.
type article struct{ name, body string }

func articles(t testing.TB) []article {
	t.Helper()
	var out []article
	for _, lang := range []string{"en", "es"} {
		names, err := fs.Glob(knowledge.FS, lang+"/*.md")
		require.NoError(t, err)
		require.NotEmpty(t, names)
		for _, n := range names {
			data, err := fs.ReadFile(knowledge.FS, n)
			require.NoError(t, err)
			_, body, ok := strings.Cut(strings.TrimPrefix(string(data), "---\n"), "\n---\n")
			require.True(t, ok, n)
			out = append(out, article{n, body})
		}
	}
	return out
}

func BenchmarkRenderArticle(b *testing.B) {
	arts := articles(b)
	st := testStyle()
	i := 0
	for b.Loop() {
		Render(arts[i%len(arts)].body, 80, st)
		i++
	}
}

// sourceWords are the words of a document's text as goldmark reads it:
// text, inline code, code lines, autolinks (a link's address is left out:
// it is shown only when it differs from the link's text).
func sourceWords(src string) []string {
	source := []byte(src)
	doc := mdParser().Parse(text.NewReader(source))
	var words []string
	add := func(s string) { words = append(words, strings.Fields(clean(s))...) }
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			v := n.Segment.Value(source)
			if !n.IsRaw() {
				v = resolve(v)
			}
			add(string(v))
		case *ast.AutoLink:
			add(string(n.URL(source)))
		case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock:
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				add(expandTabs(string(seg.Value(source))))
			}
		}
		return ast.WalkContinue, nil
	})
	for i, w := range words {
		words[i] = squeeze(w)
	}
	return words
}

// squeeze drops spaces and box-drawing characters (borders, bars, rules),
// so a word cut over two lines reads whole again.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r >= 0x2500 && r <= 0x257f {
			return -1
		}
		return r
	}, s)
}

// requireWordsInOrder checks that every word of src appears in out, in
// order: nothing is lost, nothing moved.
func requireWordsInOrder(t *testing.T, words []string, out, what string) {
	t.Helper()
	hay := squeeze(untable(ansi.Strip(out)))
	at := 0
	for _, w := range words {
		i := strings.Index(hay[at:], w)
		if i < 0 {
			t.Fatalf("%s: %q is missing after byte %d of:\n%s", what, w, at, ansi.Strip(out))
		}
		at += i + len(w)
	}
}

// untable reads a drawn table's rows back cell by cell, so a cell wrapped
// over several lines reads as one text again, cells in order. A table
// whose cells wrap has a line between rows (more than one ├ line, or a
// header over several lines); in one that does not, each line is a row.
func untable(out string) string {
	lines := strings.Split(out, "\n")
	var b strings.Builder
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(strings.TrimSpace(lines[i]), "╭") {
			b.WriteString(lines[i] + "\n")
			continue
		}
		end, seps, firstSep := i, 0, 0
		for end < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[end]), "╰") {
			if strings.HasPrefix(strings.TrimSpace(lines[end]), "├") {
				seps++
				if firstSep == 0 {
					firstSep = end
				}
			}
			end++
		}
		wrapped := seps > 1 || firstSep-i > 2
		var row [][]string
		flush := func() {
			for _, col := range row {
				b.WriteString(strings.Join(col, " ") + " ")
			}
			b.WriteString("\n")
			row = nil
		}
		for _, l := range lines[i+1 : min(end+1, len(lines))] {
			t := strings.TrimSpace(l)
			if !strings.HasPrefix(t, "│") {
				flush()
				continue
			}
			cols := strings.Split(strings.Trim(t, "│"), "│")
			if row == nil {
				row = make([][]string, len(cols))
			}
			for k, c := range cols {
				if k < len(row) {
					row[k] = append(row[k], c)
				}
			}
			if !wrapped {
				flush()
			}
		}
		i = end
	}
	return b.String()
}

// requireFits checks every line's width and that the only escape sequences
// are the renderer's own colors.
func requireFits(t *testing.T, out string, w int, what string) {
	t.Helper()
	for i, l := range strings.Split(out, "\n") {
		if got := ansi.StringWidth(l); got > w {
			t.Fatalf("%s: line %d is %d wide:\n%s", what, i, got, ansi.Strip(out))
		}
	}
	requireClean(t, out, what)
}

// withoutSGR returns s without the escape sequences the renderer writes,
// colors and attributes (ESC [ digits, semicolons or colons, m); any other
// escape stays, for requireClean to find. A scan, not a regexp: it runs on
// every frame of the width sweep, where the regexp was a sixth of the time.
func withoutSGR(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "\x1b[")
		if i < 0 {
			break
		}
		j := i + 2
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';' || s[j] == ':') {
			j++
		}
		if j == len(s) || s[j] != 'm' {
			b.WriteString(s[:i+1]) // not SGR: the ESC is kept
			s = s[i+1:]
			continue
		}
		b.WriteString(s[:i])
		s = s[j+1:]
	}
	b.WriteString(s)
	return b.String()
}

// requireClean checks that out holds no control character but newlines and
// the renderer's own SGR sequences, and no bidirectional control.
func requireClean(t *testing.T, out, what string) {
	t.Helper()
	for i, r := range withoutSGR(out) {
		if (r < 0x20 && r != '\n') || (r >= 0x7f && r <= 0x9f) || bidiControl(r) || r == '\u2028' || r == '\u2029' {
			t.Fatalf("%s: control %U at byte %d: %q", what, r, i, out)
		}
	}
}

// TestArticlesAtEveryWidth draws every article of both languages at every
// width from 10 to 160 columns: no line is wider, every word is there in
// order, and the plain style writes no escape sequence. In colors, every
// tenth width and the narrowest ones. With -short, every seventh width;
// with -race, every thirtieth. Not a TestSweep: the whole range takes 9 s,
// too long for make test's sweep pass; go test ./internal/markdown draws it.
func TestArticlesAtEveryWidth(t *testing.T) {
	t.Parallel()
	color := testStyle()
	step := 1
	switch {
	case race.Enabled: // the sweep is one goroutine per article: -race finds nothing more
		step = 30
	case testing.Short():
		step = 7
	}
	for _, a := range articles(t) {
		t.Run(a.name, func(t *testing.T) {
			t.Parallel()
			words := sourceWords(a.body)
			for w := 10; w <= 160; w += step {
				out := Render(a.body, w, ASCII)
				what := fmt.Sprintf("%s at %d", a.name, w)
				require.NotContains(t, out, "\x1b", what)
				requireFits(t, out, w, what)
				requireWordsInOrder(t, words, out, what)
				if w%10 == 0 || w < 20 {
					out = Render(a.body, w, color)
					requireFits(t, out, w, what+" in color")
					requireWordsInOrder(t, words, out, what+" in color")
				}
			}
		})
	}
}

// bidiControl reports whether r is a bidirectional formatting character.
func bidiControl(r rune) bool {
	return r == '\u061c' || r == '\u200e' || r == '\u200f' ||
		(r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}
