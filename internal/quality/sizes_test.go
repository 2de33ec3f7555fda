package quality

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/require"

	"pitstop/internal/race"
	"pitstop/internal/tui"
	"pitstop/internal/tui/common"
	"pitstop/internal/tui/tuitest"
)

// A walk takes the wizard from Home to one screen (or one state of it).
type walk struct {
	name string
	// finished fills the session as after a guided run about the API and
	// email (the escalation and checklist screens read it).
	finished bool
	keys     func(d *tuitest.Driver)
}

// toStep presses enter until the guided flow reaches step.
func toStep(d *tuitest.Driver, step int) {
	for i := 0; i < 30 && d.Model.(*tui.Model).Screen().Step() != step; i++ {
		d.Press("enter")
	}
}

func emailSymptoms(d *tuitest.Driver) {
	d.Press("1", "down", "down", "down", "enter", "space", "down", "space")
}

func toResults(d *tuitest.Driver) { emailSymptoms(d); toStep(d, common.StepResults) }

func article(d *tuitest.Driver) {
	d.Send(common.NavigateMsg{To: common.ScreenArticle, Article: "smtp-auth-failed"})
}

// walks reach every screen of the wizard and the states that draw
// differently: lists, forms, long articles, overlays, reports.
var walks = []walk{
	{name: "home", keys: func(*tuitest.Driver) {}},
	{name: "help", keys: func(d *tuitest.Driver) { d.Press("?") }},
	{name: "problem", keys: func(d *tuitest.Driver) { d.Press("1") }},
	{name: "symptoms", keys: emailSymptoms},
	{name: "paste", keys: func(d *tuitest.Driver) {
		d.Press("1", "p").Send(tea.PasteMsg{Content: "SMTP error: 535 5.7.8 Error: authentication failed: " + tuitest.CanaryPassword +
			"\nAuthorization: Bearer " + tuitest.Canary + "\n" + strings.Repeat("a-very-long-unbroken-token-", 20)})
	}},
	{name: "settings", keys: func(d *tuitest.Driver) { emailSymptoms(d); d.Press("enter") }},
	{name: "settings-typing", keys: func(d *tuitest.Driver) {
		emailSymptoms(d)
		d.Press("enter").Send(tea.PasteMsg{Content: strings.Repeat("x", 300)})
	}},
	{name: "run", keys: func(d *tuitest.Driver) { emailSymptoms(d); toStep(d, common.StepChecks) }},
	{name: "results", keys: toResults},
	{name: "results-details", keys: func(d *tuitest.Driver) { toResults(d); d.Press("enter") }},
	{name: "results-bottom", keys: func(d *tuitest.Driver) { toResults(d); d.Press("G", "enter") }},
	{name: "article", keys: func(d *tuitest.Driver) { toResults(d); article(d) }},
	{name: "article-contents", keys: func(d *tuitest.Driver) { article(d); d.Press("c", "down", "down") }},
	{name: "article-search", keys: func(d *tuitest.Driver) { article(d); d.Press("/", "535", "enter", "n") }},
	{name: "article-end", keys: func(d *tuitest.Driver) { article(d); d.Press("G") }},
	{name: "outcome", keys: func(d *tuitest.Driver) { toResults(d); d.Press("d") }},
	{name: "outcome-fixed", keys: func(d *tuitest.Driver) { toResults(d); article(d); d.Press("d", "y") }},
	{name: "outcome-not-fixed", keys: func(d *tuitest.Driver) { toResults(d); d.Press("d", "n") }},
	{name: "health-check", keys: func(d *tuitest.Driver) { d.Press("2") }},
	{name: "checklist", keys: func(d *tuitest.Driver) { d.Press("3") }},
	{name: "checklist-ticked", finished: true, keys: func(d *tuitest.Driver) { d.Press("3", "G", "space", "up", "space") }},
	{name: "checklist-escalation", finished: true, keys: func(d *tuitest.Driver) { d.Press("3", "right", "right") }},
	{name: "search", keys: func(d *tuitest.Driver) { d.Press("4", "spf") }},
	{name: "search-nothing", keys: func(d *tuitest.Driver) { d.Press("/", "zzzzqqqq") }},
	{name: "monitor", keys: func(d *tuitest.Driver) { d.Press("5") }},
	{name: "escalate", finished: true, keys: func(d *tuitest.Driver) { d.Press("6") }},
	{name: "escalate-expected", finished: true, keys: func(d *tuitest.Driver) { d.Press("6", "enter", "n", "n", "n") }},
	{name: "escalate-report", finished: true, keys: func(d *tuitest.Driver) {
		d.Press("6", "down", "enter", "y", "n", "y").Send(tea.PasteMsg{Content: strings.Repeat("the campaign goes out ", 8)})
		d.Press("enter").Send(tea.PasteMsg{Content: "535 " + tuitest.CanaryPassword})
		d.Press("enter")
	}},
	{name: "escalate-report-end", finished: true, keys: func(d *tuitest.Driver) {
		d.Press("6", "enter", "n", "n", "n", "enter", "enter", "G")
	}},
	{name: "escalate-no-run", keys: func(d *tuitest.Driver) { d.Press("6") }},
}

// sweep are the sizes: the smallest terminals, the wizard's minimum and
// either side of it, the usual ones, a projector, and lopsided ones.
var sweep = []struct{ w, h int }{
	{20, 5}, {30, 8}, {40, 10}, {59, 14}, {60, 15}, {61, 16}, {72, 20}, {80, 24}, {100, 30},
	{120, 40}, {160, 50}, {200, 60}, {300, 100}, {300, 5}, {20, 100}, {59, 100}, {300, 14},
}

// sweepSizes is the sweep, or under -race a sample of it: the smallest,
// the wizard's minimum, the largest (make test runs the whole sweep
// without -race).
func sweepSizes() []struct{ w, h int } {
	return race.Pick(sweep, []struct{ w, h int }{{20, 5}, {60, 15}, {300, 100}})
}

// opened are the sizes each screen is also opened at directly (walking to
// a screen is the slow part; the resize pass covers the whole sweep).
var opened = []struct{ w, h int }{{20, 5}, {60, 15}, {80, 24}, {300, 100}, {300, 5}}

// newWizard opens the wizard with the test fixtures at w×h.
func newWizard(t *testing.T, wk walk, lang string, w, h int) *tuitest.Driver {
	t.Helper()
	c := tuitest.Common(t, lang)
	c.ConfigPath = "/home/you/.config/pitstop/config.yaml"
	// The monitor probes the API for real: keep it on loopback (a closed
	// port) rather than asking the system's DNS about the fixture's host.
	c.Profile.API.BaseURL = "http://127.0.0.1:1/v2"
	if wk.finished {
		tuitest.Finish(c, []string{"api", "smtp", "domain"})
		c.Session.Pasted = "SMTP error: 535 5.7.8 Error: authentication failed: " + tuitest.CanaryPassword
		c.Session.Read = []string{"smtp-auth-failed"}
	}
	return tuitest.NewDriver(t, tui.New(c), w, h)
}

// requireFits checks one frame: no line wider than the terminal (styles
// included, as the terminal counts them), no more lines than it has.
func requireFits(t *testing.T, frame string, w, h int, what string) {
	t.Helper()
	lines := strings.Split(frame, "\n")
	require.LessOrEqual(t, len(lines), h, "%s at %dx%d: %d lines", what, w, h, len(lines))
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			require.Failf(t, "a line is wider than the terminal", "%s at %dx%d: line %d is %d wide: %q",
				what, w, h, i+1, ansi.StringWidth(l), ansi.Strip(l))
		}
	}
}

// TestSweepSizes draws every screen at every size of the sweep after
// opening it at 80x24 (a person dragging the window), and opened directly
// at the extreme sizes. Nothing panics and no line is wider than
// the terminal, in either language. After the English resizes, the screen
// is drawn alone at every size of the sweep, without the root's minimum-size
// guard: it must not panic either. Under -race, the English resizes only,
// at three sizes (make test runs the whole sweep without -race).
//
// Every walk and language is its own parallel subtest, and so is every
// size a screen is opened at; the resizes of one wizard follow each other,
// as a dragged window's do.
func TestSweepSizes(t *testing.T) {
	t.Parallel()
	for _, wk := range walks {
		for _, lang := range race.Pick([]string{"en", "es"}, []string{"en"}) {
			t.Run(wk.name+"/resized/"+lang, func(t *testing.T) {
				t.Parallel()
				d := newWizard(t, wk, lang, 80, 24)
				wk.keys(d)
				sizes := sweepSizes()
				if lang == "es" {
					sizes = opened // Spanish runs longer: its widths matter most
				}
				for _, s := range sizes {
					d.Send(tea.WindowSizeMsg{Width: s.w, Height: s.h})
					requireFits(t, d.Model.View().Content, s.w, s.h, wk.name+" ("+lang+", resized)")
				}
				if lang != "en" {
					return
				}
				// The screen alone (what the root frames), without the
				// root's minimum-size guard: a tiny area must not panic
				// either.
				scr := d.Model.(*tui.Model).Screen()
				for _, s := range sweepSizes() {
					require.NotPanics(t, func() {
						scr.SetSize(s.w, s.h)
						_ = scr.View()
					}, fmt.Sprintf("%s alone at %dx%d", wk.name, s.w, s.h))
				}
			})
		}
		for _, s := range race.Pick(opened, nil) {
			t.Run(fmt.Sprintf("%s/opened/%dx%d", wk.name, s.w, s.h), func(t *testing.T) {
				t.Parallel()
				d := newWizard(t, wk, "en", s.w, s.h)
				wk.keys(d)
				requireFits(t, d.Model.View().Content, s.w, s.h, wk.name+" (opened)")
			})
		}
	}
}
