package theme

import (
	"image/color"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// luminance is the relative luminance of a color (WCAG 2).
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		f := float64(v) / 0xffff
		if f <= 0.03928 {
			return f / 12.92
		}
		return math.Pow((f+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

func contrast(a, b color.Color) float64 {
	la, lb := luminance(a)+0.05, luminance(b)+0.05
	if la < lb {
		la, lb = lb, la
	}
	return la / lb
}

// TestHighContrastReadsOnBothBackgrounds: every text style of the
// high-contrast theme keeps a WCAG AAA-like ratio (at least 4.5:1, 7:1 for
// body text) against the background the terminal has, dark or light.
func TestHighContrastReadsOnBothBackgrounds(t *testing.T) {
	t.Parallel()
	hc, err := Load(HighContrast)
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		dark bool
		bg   color.Color
	}{
		{"dark", true, color.Black},
		{"light", false, color.White},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := NewStyles(hc.Palette, tc.dark)
			require.GreaterOrEqual(t, contrast(s.Paragraph.GetForeground(), tc.bg), 7.0, "body text")
			for name, st := range map[string]color.Color{
				"title": s.Title.GetForeground(), "subtitle": s.Subtitle.GetForeground(), "muted": s.Muted.GetForeground(),
				"faint": s.Faint.GetForeground(), "pass": s.Pass.GetForeground(), "warn": s.Warn.GetForeground(),
				"fail": s.Fail.GetForeground(), "error": s.Error.GetForeground(), "help key": s.HelpKey.GetForeground(),
				"accent": s.Accent.GetForeground(), "selected": s.Selected.GetForeground(),
			} {
				require.GreaterOrEqual(t, contrast(st, tc.bg), 4.5, name)
			}
		})
	}
}
