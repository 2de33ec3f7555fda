package theme

import (
	"io/fs"
	"strings"
	"sync"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/require"

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
		require.NotNil(t, th.Glamour.Heading.Color, name)
		require.Nil(t, th.Glamour.CodeBlock.Chroma, name)
	}
	dark, _ := Load(Dark)
	light, _ := Load(Light)
	hc, _ := Load(HighContrast)
	require.True(t, dark.Palette.Dark)
	require.False(t, light.Palette.Dark)
	require.True(t, hc.Palette.HighContrast)
	require.Empty(t, hc.Glamour.CodeBlock.Theme, "high contrast: no syntax colors")

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
glamour:
  base: dark
  heading: primary
  title_text: "#000"
  code_theme: dracula
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
		{"bad glamour base", "base: dark", "base: pink", `x.yaml:19: glamour.base is "pink"`},
		{"bad glamour token", "heading: primary", "heading: purple", `x.yaml:20: glamour.heading is "purple"`},
		{"bad code theme", "code_theme: dracula", "code_theme: nope", `x.yaml:22: glamour.code_theme "nope"`},
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

func TestRenderer(t *testing.T) {
	t.Parallel()
	md := article(t)
	for _, name := range append(Names(), ASCII) {
		r, err := Renderer(name, 100)
		require.NoError(t, err)
		again, err := Renderer(name, 100)
		require.NoError(t, err)
		require.Same(t, r, again, "one renderer per style and width")
		other, err := Renderer(name, 60)
		require.NoError(t, err)
		require.NotSame(t, r, other)

		out, err := r.Render(md)
		require.NoError(t, err)
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
	_, err := Renderer("neon", 80)
	require.Error(t, err)
}

func TestRendererConcurrent(t *testing.T) {
	t.Parallel()
	md := article(t)
	r, err := Renderer(Light, 72)
	require.NoError(t, err)
	want, err := r.Render(md)
	require.NoError(t, err)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			got, err := r.Render(md)
			if err != nil || got != want {
				t.Errorf("concurrent render differs (err %v)", err)
			}
		})
	}
	wg.Wait()
}

func BenchmarkRenderArticle100(b *testing.B) {
	md := article(b)
	for _, name := range Names() {
		b.Run(name, func(b *testing.B) {
			r, err := Renderer(name, 100)
			require.NoError(b, err)
			for b.Loop() {
				if _, err := r.Render(md); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkNewRenderer(b *testing.B) {
	th, err := Load(Dark)
	require.NoError(b, err)
	for b.Loop() {
		renderers.Delete(rendererKey{th.Name, 100})
		if _, err := Renderer(th.Name, 100); err != nil {
			b.Fatal(err)
		}
	}
}
