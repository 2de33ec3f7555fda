package tui_test

import (
	"context"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/registry"
	"pitstop/internal/tui/common"
)

// TestNarrowFootersKeepTheWayOut walks every screen at 80x24 in Spanish,
// the longer language (TestGolden walks them in English at that size and
// asks the same of each frame): when the help bar must drop keys, the way
// back and the way out stay, and the header's title is whole.
func TestNarrowFootersKeepTheWayOut(t *testing.T) {
	t.Parallel()
	for _, sc := range screens {
		t.Run("es/"+sc.name, func(t *testing.T) {
			t.Parallel()
			d, c := newDriver(t, "es", 80, 24)
			sc.walk(t, d)
			requireWayOut(t, c, d.View(), sc.name)
		})
	}
}

// requireWayOut checks a frame drawn at 80x24: the header's title is whole,
// and the footer keeps the way back (on every screen but home and the run,
// unless it offers ctrl+c), as the key map words it in c's language, and
// drops keys whole rather than cutting one.
func requireWayOut(t *testing.T, c *common.Common, view, screen string) {
	t.Helper()
	help := c.Keys.Back.Help()
	back := help.Key + " " + help.Desc
	lines := strings.Split(ansi.Strip(view), "\n")
	footer := lines[len(lines)-1]
	require.NotContains(t, lines[0], "…", "the title is whole")
	if screen != "home" && screen != "run" && !strings.Contains(footer, "ctrl+c") {
		require.Contains(t, footer, back, "the way back stays: %q", footer)
	}
	require.NotContains(t, footer, "…", "keys are dropped whole, not cut: %q", footer)
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
		walked := 0
		for _, sc := range screens {
			keys, ok := want[lang][sc.name]
			if !ok {
				continue
			}
			walked++
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
		require.Equal(t, len(want[lang]), walked, "%s: a screen named here is no longer walked", lang)
	}
}

// TestStillFailingNamesEveryCheck: after "yes, it works" the checks run
// again; when some still fail, each is named in full while the window has
// room, in both languages.
func TestStillFailingNamesEveryCheck(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "es"} {
		d, c := newDriver(t, lang, 80, 24)
		// The sandbox's mixed scenario: four checks with long titles fail.
		c.Checks = func(*config.Profile, []string) []check.Check {
			var out []check.Check
			for _, id := range []string{"smtp.tls", "domain.dmarc", "content.spam", "content.headers"} {
				rc, _, _ := registry.CheckByID(id)
				cat, _, _ := strings.Cut(id, ".")
				out = append(out, check.Check{ID: id, Category: cat, Title: rc.Title.In("en"),
					Run: func(context.Context) check.Result { return check.Failf("broken") }})
			}
			return out
		}
		d.Press("2", "enter", "d", "y")
		view := d.View()
		require.Len(t, c.Session.Results, 4, "%s: the checks ran again", lang)
		require.NotContains(t, view, "…", "%s: the list is cut:\n%s", lang, view)
		flat := strings.Join(strings.Fields(view), " ")
		for _, r := range c.Session.Results {
			if r.Status == check.Fail || r.Status == check.Error {
				require.Contains(t, flat, c.CheckTitle(r.ID, r.Title), "%s:\n%s", lang, view)
			}
		}
	}
}

// TestSettingsHelpKeepsAddressesWhole: the settings form wraps a setting's
// help at spaces only, so an address like empresa.pipedrive.com/api or a
// masked token is never broken at a dot or a hyphen, at 80 and 120
// columns, in both languages.
func TestSettingsHelpKeepsAddressesWhole(t *testing.T) {
	t.Parallel()
	url, _ := config.FieldByKey("crm.base_url")
	for _, size := range sizes {
		for _, lang := range []string{"en", "es"} {
			d, _ := newDriver(t, lang, size.w, size.h)
			d.Press("1", "down", "down", "down", "down", "enter", "space", "enter")
			view := d.View()
			require.Contains(t, view, url.Label.In(lang), "%s at %d: not on the CRM settings:\n%s", lang, size.w, view)
			for _, word := range strings.Fields(url.Help.In(lang)) {
				if strings.ContainsAny(word, ".-") {
					require.Contains(t, view, word, "%s at %d:\n%s", lang, size.w, view)
				}
			}
			require.NotContains(t, view, "\u2024", "the stand-ins are swapped back")
		}
	}
}
