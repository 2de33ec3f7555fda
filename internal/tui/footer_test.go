package tui_test

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/require"

	"pitstop/internal/tui/common"
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

// TestHomeAndEndMoveInMenus: on the "did it work?" menu, End goes to the
// last choice and Home back to the first.
func TestHomeAndEndMoveInMenus(t *testing.T) {
	t.Parallel()
	d, _ := newDriver(t, "en", 120, 40)
	emailSymptoms(d)
	toStep(t, d, common.StepResults)
	d.Press("d", "n")
	cursorLine := func() string {
		for _, l := range strings.Split(d.View(), "\n") {
			if strings.Contains(l, "▸") {
				return l
			}
		}
		return ""
	}
	require.Contains(t, cursorLine(), "Prepare an escalation")
	d.Press("end")
	require.Contains(t, cursorLine(), "Start over")
	d.Press("home")
	require.Contains(t, cursorLine(), "Prepare an escalation")
}

// TestNarrowFootersKeepTheNextStep: at 80x24, when keys must go, the ones
// that lead on stay ("did it work?", "fix", "change answers") and the
// arrows, which every list answers to, go first.
func TestNarrowFootersKeepTheNextStep(t *testing.T) {
	t.Parallel()
	want := map[string]map[string][]string{
		"en": {"results": {"d did it work?"}, "results-fix": {"f fix", "d did it work?"}, "outcome-not-fixed": {"enter"}},
		"es": {"results": {"d ¿se arregló?"}, "results-fix": {"d ¿se arregló?"}, "outcome-not-fixed": {"enter"}},
	}
	for _, lang := range []string{"en", "es"} {
		for _, sc := range screens {
			keys, ok := want[lang][sc.name]
			if !ok {
				continue
			}
			t.Run(lang+"/"+sc.name, func(t *testing.T) {
				t.Parallel()
				d, _ := newDriver(t, lang, 80, 24)
				sc.walk(t, d)
				lines := strings.Split(ansi.Strip(d.View()), "\n")
				footer := lines[len(lines)-1]
				for _, k := range keys {
					require.Contains(t, footer, k, "%q", footer)
				}
			})
		}
	}
}
