package theme

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/require"

	"pitstop/internal/markdown"
	"pitstop/knowledge"
)

func TestBuiltInThemes(t *testing.T) {
	t.Parallel()
	for _, name := range Names() {
		th, err := Load(name)
		require.NoError(t, err, name)
		require.Equal(t, name, th.Name)
		for _, tok := range Tokens {
			require.NotEmpty(t, th.Colors[tok], "%s: %s", name, tok)
		}
		p := th.Palette
		for _, c := range []any{p.Primary, p.Secondary, p.OK, p.Warn, p.Fail, p.Error, p.Info, p.Skip, p.Muted, p.Text, p.Subtle, p.Border, p.Highlight, p.Selection} {
			require.NotNil(t, c, name)
		}
		require.NotNil(t, th.Markdown.Heading, name)
		require.NotNil(t, th.Markdown.CodeBlock, name)
	}
	dark, _ := Load(Dark)
	light, _ := Load(Light)
	hc, _ := Load(HighContrast)
	require.True(t, dark.Palette.Dark)
	require.False(t, light.Palette.Dark)
	require.True(t, hc.Palette.HighContrast)
	require.Nil(t, hc.Markdown.Keyword, "high contrast: no syntax colors")
	require.True(t, hc.Markdown.NoItalic)
	require.NotNil(t, dark.Markdown.Keyword)
	require.NotEqual(t, dark.Markdown.Keyword, light.Markdown.Keyword)

	def, err := Load("")
	require.NoError(t, err)
	require.Equal(t, Dark, def.Name)
	_, err = Load("neon")
	require.ErrorContains(t, err, "neon")
	require.Equal(t, dark.Palette, MustPalette("neon"))
}

// validTheme is a small theme file; the line of each field is fixed.
const validTheme = `background: dark
high_contrast: false
palette:
  primary: "#C38BEA"
  secondary: "#67ECF9"
  ok: "#4ADE80"
  warn: "#EACC15"
  fail: "#F87171"
  error: "#EC79F9"
  info: "#60A5FA"
  skip: "#9CA3B8"
  muted: "#9CA3AF"
  text: "#E4E4E7"
  subtle: "#737680"
  border: "#4B5563"
  highlight: "#E872C6"
  selection: "#312E81"
markdown:
  heading: primary
  title_text: "#000"
  code_keyword: primary
`

func TestParseErrors(t *testing.T) {
	t.Parallel()
	_, err := Parse("x", "x.yaml", []byte(validTheme))
	require.NoError(t, err)
	tests := []struct {
		name    string
		old     string
		new     string
		wantErr string
	}{
		{"bad color", `ok: "#4ADE80"`, `ok: "green"`, `x.yaml:6: palette.ok is "green"`},
		{"missing token", "  skip: \"#9CA3B8\"\n", "", "x.yaml:3: palette.skip is missing"},
		{"unknown token", "palette:\n", "palette:\n  purple: \"#800080\"\n", "x.yaml:4: palette.purple is not a color token"},
		{"unknown field", "high_contrast: false\n", "high_contrast: false\nextra: 1\n", "field extra not found"},
		{"bad background", "background: dark", "background: grey", `x.yaml:1: background is "grey"`},
		{"bad markdown token", "heading: primary", "heading: purple", `x.yaml:19: markdown.heading is "purple"`},
		{"bad code color", "code_keyword: primary", "code_keyword: nope", `x.yaml:21: markdown.code_keyword is "nope"`},
		{"old glamour section", "markdown:\n", "glamour:\n", `x.yaml:18: the glamour section is now called markdown`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Contains(t, validTheme, tc.old)
			_, err := Parse("x", "x.yaml", []byte(strings.Replace(validTheme, tc.old, tc.new, 1)))
			require.ErrorContains(t, err, tc.wantErr)
		})
	}
}

func article(t testing.TB) string {
	data, err := fs.ReadFile(knowledge.FS, "en/api-rate-limit.md")
	require.NoError(t, err)
	_, body, _ := strings.Cut(strings.TrimPrefix(string(data), "---\n"), "\n---\n")
	return "# Requests are rejected with 429 Too Many Requests\n\n" + body
}

func TestMarkdownStyle(t *testing.T) {
	t.Parallel()
	md := article(t)
	for _, name := range append(Names(), ASCII) {
		st, err := MarkdownStyle(name)
		require.NoError(t, err)
		out := markdown.Render(md, 100, st)
		plain := ansi.Strip(out)
		require.Contains(t, plain, "What you see")
		require.Contains(t, plain, "Retry-After")
		for _, line := range strings.Split(plain, "\n") {
			require.LessOrEqual(t, ansi.StringWidth(line), 100, "%s: %q", name, line)
		}
		if name == ASCII {
			require.Equal(t, plain, out, "ascii has no escape codes")
		} else {
			require.NotEqual(t, plain, out, "%s has colors", name)
		}
	}
	_, err := MarkdownStyle("neon")
	require.Error(t, err)
}
