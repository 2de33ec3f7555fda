package tui_test

import (
	"image/color"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/require"
)

// TestThemeKeySaysTheThemeAndSkipsUnreadableOnes: t names the theme it
// picked in the status line, and on a dark terminal never picks the light
// palette (dark text on a dark screen).
func TestThemeKeySaysTheThemeAndSkipsUnreadableOnes(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang, first, second string
	}{
		{"en", "Theme: high contrast", "Theme: dark"},
		{"es", "Tema: alto contraste", "Tema: oscuro"},
	} {
		d, c := newDriver(t, tt.lang, 80, 24)
		d.Send(tea.BackgroundColorMsg{Color: color.Black})
		require.Equal(t, "dark", c.Theme)
		d.Press("t")
		require.Equal(t, "high-contrast", c.Theme, "light is unreadable on a dark terminal")
		require.Contains(t, d.View(), tt.first)
		d.Press("t")
		require.Equal(t, "dark", c.Theme)
		require.Contains(t, d.View(), tt.second)
	}
}
