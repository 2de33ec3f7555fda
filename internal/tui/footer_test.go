package tui_test

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/require"
)

// TestNarrowFootersKeepTheWayOut walks every screen at 80x24 in both
// languages: when the help bar must drop keys, the way back and the way out
// stay, and the header's title is whole.
func TestNarrowFootersKeepTheWayOut(t *testing.T) {
	t.Parallel()
	back := map[string]string{"en": "esc back", "es": "esc atrás"}
	for _, lang := range []string{"en", "es"} {
		for _, sc := range screens {
			t.Run(lang+"/"+sc.name, func(t *testing.T) {
				t.Parallel()
				d, _ := newDriver(t, lang, 80, 24)
				sc.walk(t, d)
				lines := strings.Split(ansi.Strip(d.View()), "\n")
				footer := lines[len(lines)-1]
				require.NotContains(t, lines[0], "…", "the title is whole")
				if sc.name != "home" && sc.name != "run" && !strings.Contains(footer, "ctrl+c") {
					require.Contains(t, footer, back[lang], "the way back stays: %q", footer)
				}
				require.NotContains(t, footer, "…", "keys are dropped whole, not cut: %q", footer)
			})
		}
	}
}
