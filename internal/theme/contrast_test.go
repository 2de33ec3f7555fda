package theme

import (
	"image/color"
	"testing"

	"github.com/stretchr/testify/require"
)

func hex(s string) color.Color {
	var r, g, b uint8
	for i, p := range []*uint8{&r, &g, &b} {
		var v uint8
		for _, ch := range s[1+2*i : 3+2*i] {
			v *= 16
			switch {
			case ch >= '0' && ch <= '9':
				v += uint8(ch - '0')
			default:
				v += uint8(ch-'A') + 10
			}
		}
		*p = v
	}
	return color.RGBA{r, g, b, 0xff}
}

// Terminal backgrounds each kind of theme must read well on: pure black and
// white, and common default backgrounds (VS Code, Dracula, Solarized-like
// greys).
var (
	darkBackgrounds  = []string{"#000000", "#1E1E1E", "#282A36", "#300A24"}
	lightBackgrounds = []string{"#FFFFFF", "#F5F5F5", "#EEEEEE", "#FDF6E3"}
)

// TestThemesMeetWCAGContrast checks every text color of every theme against
// the backgrounds it is made for: at least 4.5:1 (WCAG AA), 7:1 for the
// high-contrast theme (AAA; on light backgrounds its styles adapt, see
// TestHighContrastReadsOnBothBackgrounds), and text on the selected row's
// background too.
func TestThemesMeetWCAGContrast(t *testing.T) {
	t.Parallel()
	for _, name := range Names() {
		th, err := Load(name)
		require.NoError(t, err)
		p := th.Palette
		need := 4.5
		if p.HighContrast {
			need = 7
		}
		bgs := lightBackgrounds
		if p.Dark {
			bgs = darkBackgrounds
		}
		text := map[string]color.Color{
			"primary": p.Primary, "secondary": p.Secondary, "ok": p.OK, "warn": p.Warn, "fail": p.Fail,
			"error": p.Error, "info": p.Info, "skip": p.Skip, "muted": p.Muted, "text": p.Text,
			"subtle": p.Subtle, "highlight": p.Highlight,
		}
		for token, c := range text {
			for _, bg := range bgs {
				require.GreaterOrEqual(t, contrast(c, hex(bg)), need, "%s: %s on %s", name, token, bg)
			}
		}
		for _, token := range []string{"text", "primary"} {
			require.GreaterOrEqual(t, contrast(text[token], p.Selection), need, "%s: %s on the selected row", name, token)
		}
	}
}

func TestNextSkipsThemesUnreadableOnTheBackground(t *testing.T) {
	t.Parallel()
	require.Equal(t, HighContrast, Next(Dark, true, true), "light is skipped on a dark terminal")
	require.Equal(t, Dark, Next(HighContrast, true, true))
	require.Equal(t, HighContrast, Next(Light, false, true), "dark is skipped on a light terminal")
	require.Equal(t, Light, Next(HighContrast, false, true))
	require.Equal(t, Light, Next(Dark, true, false), "an undetected background cycles through all")
	require.True(t, ReadableOn(HighContrast, false))
	require.False(t, ReadableOn(Light, true))
	require.False(t, ReadableOn(Dark, false))
}

func TestContrastHelper(t *testing.T) {
	t.Parallel()
	require.InDelta(t, 21, contrast(hex("#000000"), hex("#FFFFFF")), 0.01)
	require.InDelta(t, 1, contrast(hex("#777777"), hex("#777777")), 0.01)
	require.InDelta(t, 4.48, contrast(hex("#777777"), hex("#FFFFFF")), 0.01)
}

// TestMarkdownColorsMeetWCAGContrast checks the Markdown style's colors
// drawn on a background of their own: inline code on its background and the
// title's text on its banner, at least 4.5:1 (7:1 in high contrast).
func TestMarkdownColorsMeetWCAGContrast(t *testing.T) {
	t.Parallel()
	for _, name := range Names() {
		th, err := Load(name)
		require.NoError(t, err)
		need := 4.5
		if th.Palette.HighContrast {
			need = 7
		}
		m := th.Markdown
		require.GreaterOrEqual(t, contrast(m.TitleText, m.Title), need, "%s: the title's text on its banner", name)
		if m.CodeBg != nil {
			require.GreaterOrEqual(t, contrast(m.Code, m.CodeBg), need, "%s: inline code on its background", name)
		}
	}
}
