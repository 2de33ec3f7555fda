package markdown

import (
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/require"

	"pitstop/internal/config"
)

// ascii renders in ASCII and returns the lines.
func ascii(t *testing.T, md string, w int) []string {
	t.Helper()
	out := Render(md, w, ASCII)
	require.NotContains(t, out, "\x1b")
	requireFits(t, out, w, md)
	return strings.Split(out, "\n")
}

func TestHeadings(t *testing.T) {
	t.Parallel()
	require.Equal(t, []string{"# The title", "", "## A heading"}, ascii(t, "# The title\n\n## A heading\n", 40))

	st := testStyle()
	out := Render("# The title\n\n## A heading\n", 40, st)
	lines := strings.Split(out, "\n")
	require.Equal(t, " The title ", ansi.Strip(lines[0]), "a banner, one space each side")
	require.Contains(t, lines[0], "\x1b[38;5;4;48;5;3;1mThe title", "bold, title text on the title color")
	require.Equal(t, "A heading", ansi.Strip(lines[2]))
	require.Contains(t, lines[2], "\x1b[38;5;2;1mA heading", "bold in the heading color")

	// A long title wraps inside its banner, every line as wide.
	long := Render("# A title far too long for one line of the screen\n", 20, st)
	banner := strings.Split(long, "\n")
	require.Greater(t, len(banner), 1)
	for _, l := range banner {
		require.Equal(t, ansi.StringWidth(banner[0]), ansi.StringWidth(l))
		require.LessOrEqual(t, ansi.StringWidth(l), 20)
	}
}

func TestParagraphsWrapAtSpaces(t *testing.T) {
	t.Parallel()
	md := "Check smtp-relay.example.com and mailer@example.test\nfirst, then 535 5.7.8 and --out ticket.md."
	lines := ascii(t, md, 24)
	require.Equal(t, []string{
		"Check",
		"smtp-relay.example.com",
		"and mailer@example.test",
		"first, then 535 5.7.8",
		"and --out ticket.md.",
	}, lines)
	// A word longer than the line is cut where the line is full.
	require.Equal(t, []string{"see", "abcdefghij", "klmnop end"}, ascii(t, "see abcdefghijklmnop end", 10))
	// A hard break stays.
	require.Equal(t, []string{"one", "two"}, ascii(t, "one  \ntwo", 40))
}

func TestLists(t *testing.T) {
	t.Parallel()
	md := "- first item that wraps over two lines\n- second\n  - nested item that also wraps\n    - deeper\n- third\n"
	require.Equal(t, []string{
		"• first item that",
		"  wraps over two lines",
		"• second",
		"  ◦ nested item that",
		"    also wraps",
		"    ▪ deeper",
		"• third",
	}, ascii(t, md, 22))

	ordered := "8. eight\n9. nine wraps here\n10. ten\n"
	require.Equal(t, []string{
		" 8. eight",
		" 9. nine wraps",
		"    here",
		"10. ten",
	}, ascii(t, ordered, 14))

	// A marker is never alone on a line: a long first word is cut beside
	// it.
	require.Equal(t, []string{"• abcdefgh", "  ijkl"}, ascii(t, "- abcdefghijkl", 10))

	// Loose items are a blank line apart; so is an item holding code.
	require.Equal(t, []string{"• a", "", "• b"}, ascii(t, "- a\n\n- b\n", 20))
	require.Equal(t, []string{"1. run:", "", "     ls -l", "", "2. done"}, ascii(t, "1. run:\n   ```sh\n   ls -l\n   ```\n2. done\n", 20))
}

func TestCodeBlocks(t *testing.T) {
	t.Parallel()
	md := "```bash\ncurl -s https://api.example.com/v1/verify --header x\n\techo done\n```\n"
	require.Equal(t, []string{
		"  curl -s https://api.example.com/v1/verify --header x",
		"      echo done",
	}, ascii(t, md, 80), "a margin, tabs as spaces, nothing wrapped that fits")
	require.Equal(t, []string{
		"  curl -s",
		"    https://api.exampl",
		"    e.com/v1/verify",
		"    --header x",
		"      echo done",
	}, ascii(t, md, 22), "broken at spaces, hanging; a token cut only when longer than the line")
}

func TestTables(t *testing.T) {
	t.Parallel()
	md := "| Name | Value |\n|---|--:|\n| alpha | 1 |\n| beta gamma delta | 22 |\n"
	require.Equal(t, []string{
		"╭──────────────────┬───────╮",
		"│ Name             │ Value │",
		"├──────────────────┼───────┤",
		"│ alpha            │     1 │",
		"│ beta gamma delta │    22 │",
		"╰──────────────────┴───────╯",
	}, ascii(t, md, 40), "the second column aligned right")

	require.Equal(t, []string{
		"╭──────────┬───────╮",
		"│ Name     │ Value │",
		"├──────────┼───────┤",
		"│ alpha    │     1 │",
		"├──────────┼───────┤",
		"│ beta     │    22 │",
		"│ gamma    │       │",
		"│ delta    │       │",
		"╰──────────┴───────╯",
	}, ascii(t, md, 20), "cells wrapped, rows apart")

	// Too narrow for the longest words: Header: value lines, hanging.
	require.Equal(t, []string{
		"Name · Value",
		"",
		"Name: alpha",
		"Value: 1",
		"",
		"Name: beta",
		"  gamma",
		"  delta",
		"Value: 22",
	}, ascii(t, md, 12))
}

func TestLinks(t *testing.T) {
	t.Parallel()
	require.Equal(t, []string{"See the docs https://example.com/docs."}, ascii(t, "See [the docs](https://example.com/docs).", 80))
	require.Equal(t, []string{"https://example.com and https://example.org"},
		ascii(t, "<https://example.com> and [https://example.org](https://example.org)", 80), "the address once when it is the text")
	out := Render("[docs](https://example.com)", 80, testStyle())
	require.Contains(t, out, "\x1b[38;5;5;4mhttps://example.com", "the address underlined in the link color")
	require.Contains(t, out, "\x1b[38;5;6mdocs", "the text in the link-text color")
}

func TestInlineStyles(t *testing.T) {
	t.Parallel()
	st := testStyle()
	out := Render("plain **bold** *it* `code here`", 80, st)
	require.Contains(t, out, "\x1b[38;5;1;1mbold")
	require.Contains(t, out, "\x1b[38;5;1;3mit")
	require.Contains(t, out, "\x1b[38;5;7;48;5;8mcode here", "inline code, its space included, on its background")
	st.NoItalic = true
	require.Contains(t, Render("*it*", 80, st), "\x1b[38;5;1;4mit", "underlined, not italic")
	require.Equal(t, "plain bold it code here", Render("plain **bold** *it* `code here`", 80, ASCII))
}

func TestQuotesAndRules(t *testing.T) {
	t.Parallel()
	require.Equal(t, []string{"│ quoted text that", "│ wraps", "", "────────────────────"},
		ascii(t, "> quoted text that wraps\n\n---\n", 20))
}

func TestEntitiesAndEscapes(t *testing.T) {
	t.Parallel()
	require.Equal(t, []string{"a < b & *c* ©"}, ascii(t, `a &lt; b &amp; \*c\* &copy;`, 40))
}

// TestUntrustedText renders random bytes rich in escape sequences and
// bidirectional controls: none of them reaches the output, in either
// style, at any width.
func TestUntrustedText(t *testing.T) {
	t.Parallel()
	pieces := []string{"\x1b", "\x1b[31m", "\x1b]0;title\x07", "\x1b]8;;http://x\x1b\\", "\x07", "\x9b", "\u009d", "\r", "\b", "\x00",
		"\u202e", "\u2066", "\u200f", "\u2028", "\t", "\x7f", "\xff", "&#27;", "&#x9b;", "`", "**", "- ", "1. ", "| a |", "\n", "```\n", "> ", "#", "[x](", ")", " ", "word", "é", "世界"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		var b strings.Builder
		for range rng.IntN(60) {
			if rng.IntN(4) == 0 {
				b.WriteByte(byte(rng.IntN(256)))
			} else {
				b.WriteString(pieces[rng.IntN(len(pieces))])
			}
		}
		src, w := b.String(), 2+rng.IntN(60)
		requireFits(t, Render(src, w, ASCII), w, src)
		requireFits(t, Render(src, w, testStyle()), w, src)
		require.NotContains(t, Render(src, w, ASCII), "\x1b", src)
		require.Equal(t, Render(config.StripControlsText(src), w, ASCII), Render(src, w, ASCII), "the door takes whole sequences, before parsing: %q", src)
	}
	// What the parser and the lexers split must still go whole: no trace of
	// the sequence is left in a paragraph, a shell line or a table cell.
	for _, src := range []string{"a \x1b[31mred", "```bash\necho \x1b]0;pwned title\x07 done\n```", "| a |\n|---|\n| \x1b[2Jb |"} {
		out := Render(src, 40, ASCII)
		require.NotContains(t, out, "[31m")
		require.NotContains(t, out, "pwned")
		require.NotContains(t, out, "[2J")
	}
}

func TestConcurrentRenders(t *testing.T) {
	t.Parallel()
	arts := articles(t)[:8]
	st := testStyle()
	want := make([]string, len(arts))
	for i, a := range arts {
		want[i] = Render(a.body, 72, st)
	}
	var wg sync.WaitGroup
	for i, a := range arts {
		wg.Go(func() {
			if got := Render(a.body, 72, st); got != want[i] {
				t.Errorf("%s: a concurrent render differs", a.name)
			}
		})
	}
	wg.Wait()
}

func FuzzRender(f *testing.F) {
	f.Add("# T\n\n- a\n  - b\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n```bash\nls -l # c\n```\n", 20)
	f.Add("\x1b]0;x\x07 \u202e [a](b) `c` **d**", 3)
	f.Fuzz(func(t *testing.T, src string, w int) {
		w = 2 + int(uint(w)%200)
		requireFits(t, Render(src, w, testStyle()), w, src)
		requireFits(t, Render(src, w, ASCII), w, src)
	})
}
