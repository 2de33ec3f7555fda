package tui_test

import (
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/stretchr/testify/require"

	"pitstop/internal/fix"
	"pitstop/internal/race"
	"pitstop/internal/tui"
	"pitstop/internal/tui/common"
	"pitstop/internal/tui/tuitest"
	"pitstop/internal/wizard"
)

// displayPath stands in for the temporary config path on screen, so golden
// files do not change from run to run.
const displayPath = "/home/you/.config/pitstop/config.yaml"

// newDriver starts the wizard at w×h in lang with the test fixtures.
func newDriver(t *testing.T, lang string, w, h int) (*tuitest.Driver, *common.Common) {
	t.Helper()
	c := tuitest.Common(t, lang)
	c.ConfigPath = displayPath
	return tuitest.NewDriver(t, tui.New(c), w, h), c
}

func screen(d *tuitest.Driver) common.Screen { return d.Model.(*tui.Model).Screen() }

// toStep presses enter until the guided flow reaches step (the settings
// form takes one enter per field).
func toStep(t *testing.T, d *tuitest.Driver, step int) {
	t.Helper()
	for i := 0; i < 30 && screen(d).Step() != step; i++ {
		d.Press("enter")
	}
	require.Equal(t, step, screen(d).Step(), "stuck at %s", d.View())
}

// emailSymptoms walks to step 2 on "Email delivery" with two symptoms ticked.
func emailSymptoms(d *tuitest.Driver) {
	d.Press("1", "down", "down", "down", "enter", "space", "down", "space")
}

// screens are the ways to every screen of the guided flow, from Home. The
// checklist, escalation and monitor screens test their own views.
var screens = []struct {
	name string
	walk func(t *testing.T, d *tuitest.Driver)
}{
	{"home", func(*testing.T, *tuitest.Driver) {}},
	{"help", func(_ *testing.T, d *tuitest.Driver) { d.Press("?") }},
	{"problem", func(_ *testing.T, d *tuitest.Driver) { d.Press("1") }},
	{"symptoms", func(_ *testing.T, d *tuitest.Driver) { emailSymptoms(d) }},
	{"paste", func(_ *testing.T, d *tuitest.Driver) {
		d.Press("1", "p").Send(tea.PasteMsg{Content: "SMTP error: 535 5.7.8 Error: authentication failed: " + tuitest.CanaryPassword})
	}},
	{"symptoms-none", func(_ *testing.T, d *tuitest.Driver) { d.Press("1", "down", "down", "down", "enter", "up") }},
	{"paste-optional", func(_ *testing.T, d *tuitest.Driver) { d.Press("1", "down", "down", "down", "enter", "enter") }},
	{"settings", func(_ *testing.T, d *tuitest.Driver) { emailSymptoms(d); d.Press("enter") }},
	{"settings-password", func(_ *testing.T, d *tuitest.Driver) {
		emailSymptoms(d)
		d.Press("enter", "enter", "enter", "enter", "enter")
	}},
	{"run", func(t *testing.T, d *tuitest.Driver) { emailSymptoms(d); toStep(t, d, common.StepChecks) }},
	{"results", func(t *testing.T, d *tuitest.Driver) { emailSymptoms(d); toStep(t, d, common.StepResults) }},
	{"results-details", func(t *testing.T, d *tuitest.Driver) {
		emailSymptoms(d)
		toStep(t, d, common.StepResults)
		d.Press("enter")
	}},
	{"article", func(t *testing.T, d *tuitest.Driver) {
		emailSymptoms(d)
		toStep(t, d, common.StepResults)
		d.Send(common.NavigateMsg{To: common.ScreenArticle, Article: "smtp-auth-failed"})
	}},
	{"article-contents", func(t *testing.T, d *tuitest.Driver) {
		d.Send(common.NavigateMsg{To: common.ScreenArticle, Article: "smtp-auth-failed"}).Press("c", "down", "down")
	}},
	{"article-search", func(t *testing.T, d *tuitest.Driver) {
		d.Send(common.NavigateMsg{To: common.ScreenArticle, Article: "smtp-auth-failed"}).Press("/", "535", "enter", "n")
	}},
	{"outcome", func(t *testing.T, d *tuitest.Driver) {
		emailSymptoms(d)
		toStep(t, d, common.StepResults)
		d.Press("d")
	}},
	{"outcome-yes-still-failing", func(t *testing.T, d *tuitest.Driver) {
		emailSymptoms(d)
		toStep(t, d, common.StepResults)
		d.Send(common.NavigateMsg{To: common.ScreenArticle, Article: "smtp-auth-failed"})
		d.Press("d", "y")
	}},
	{"outcome-not-fixed", func(t *testing.T, d *tuitest.Driver) {
		emailSymptoms(d)
		toStep(t, d, common.StepResults)
		d.Press("d", "n")
	}},
	{"results-fix", func(t *testing.T, d *tuitest.Driver) {
		emailSymptoms(d)
		toStep(t, d, common.StepResults)
		d.Send(common.FixesMsg{Proposal: wizard.Proposal{Fixes: sampleFixes(), Run: 1}})
	}},
	{"fix-config", func(t *testing.T, d *tuitest.Driver) {
		emailSymptoms(d)
		toStep(t, d, common.StepResults)
		d.Send(common.FixesMsg{Proposal: wizard.Proposal{Fixes: sampleFixes(), Run: 1}})
		d.Press("f")
	}},
	{"fix-dns", func(t *testing.T, d *tuitest.Driver) {
		emailSymptoms(d)
		toStep(t, d, common.StepResults)
		d.Send(common.FixesMsg{Proposal: wizard.Proposal{Fixes: sampleFixes(), Run: 1}})
		d.Send(common.NavigateMsg{To: common.ScreenFix, Check: "domain.spf"})
	}},
	{"health-check", func(_ *testing.T, d *tuitest.Driver) { d.Press("2") }},
	{"search", func(_ *testing.T, d *tuitest.Driver) { d.Press("/", "spf") }},
}

var sizes = []struct{ w, h int }{{80, 24}, {120, 40}}

// TestGolden draws every screen at 80x24 and 120x40 and compares it with
// testdata (go test ./internal/tui -update refreshes them). Every frame
// fills the window exactly and holds no secret; at 80x24 the title is whole
// and the footer keeps the way out (requireWayOut).
func TestGolden(t *testing.T) {
	t.Parallel()
	for _, size := range sizes {
		for _, sc := range screens {
			t.Run(fmt.Sprintf("%dx%d/%s", size.w, size.h, sc.name), func(t *testing.T) {
				t.Parallel()
				d, c := newDriver(t, "en", size.w, size.h)
				sc.walk(t, d)
				view := d.View()
				requireFrame(t, view, size.w, size.h)
				if size.w == 80 {
					requireWayOut(t, c, view, sc.name)
				}
				golden.RequireEqual(t, view)
			})
		}
	}
}

// TestGoldenSpanish draws the main screens in Spanish: every interface
// string comes from the catalogue.
func TestGoldenSpanish(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"home", "problem", "symptoms", "symptoms-none", "paste-optional", "settings", "settings-password", "results-details", "outcome-not-fixed", "search", "fix-config"} {
		for _, sc := range screens {
			if sc.name != name {
				continue
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				d, _ := newDriver(t, "es", 80, 24)
				sc.walk(t, d)
				view := d.View()
				requireFrame(t, view, 80, 24)
				golden.RequireEqual(t, view)
			})
		}
	}
}

// requireFrame checks a frame fits the window, line by line, and shows no
// secret.
func requireFrame(t *testing.T, view string, w, h int) {
	t.Helper()
	tuitest.NoSecrets(t, view)
	lines := strings.Split(view, "\n")
	require.Len(t, lines, h, "the frame fills the window's height")
	for i, l := range lines {
		require.LessOrEqual(t, lipgloss.Width(l), w, "line %d is wider than the window: %q", i+1, l)
	}
}

// TestSweepEverySizeFits draws every screen from 60x15 to 250x60 (under
// -race at 60x15, the smallest): nothing is wider than the window, and
// below 60x15 the wizard asks for more room.
func TestSweepEverySizeFits(t *testing.T) {
	t.Parallel()
	all := []struct{ w, h int }{{60, 15}, {72, 20}, {100, 30}, {160, 48}, {250, 60}}
	for _, size := range race.Pick(all, all[:1]) {
		for _, sc := range screens {
			t.Run(fmt.Sprintf("%dx%d/%s", size.w, size.h, sc.name), func(t *testing.T) {
				t.Parallel()
				d, _ := newDriver(t, "en", size.w, size.h)
				sc.walk(t, d)
				requireFrame(t, d.View(), size.w, size.h)
			})
		}
	}
	t.Run("too small", func(t *testing.T) {
		t.Parallel()
		d, _ := newDriver(t, "en", 80, 24)
		d.Send(tea.WindowSizeMsg{Width: 59, Height: 20})
		require.Contains(t, d.View(), "Make the window bigger")
		require.Contains(t, d.View(), "59×20")
		d.Send(tea.WindowSizeMsg{Width: 80, Height: 14})
		require.Contains(t, d.View(), "Make the window bigger")
		d.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
		require.Contains(t, d.View(), "What do you want to do?")
	})
}

func TestMain(m *testing.M) {
	// The check runner logs every bad result; tests need not read them.
	slog.SetDefault(slog.New(slog.DiscardHandler))
	os.Exit(m.Run())
}

// sampleFixes are a setting change for the failed login and an SPF record,
// as pitstop fix proposes them.
func sampleFixes() []fix.Fix {
	return []fix.Fix{
		{ID: "smtp-security", Check: "smtp.auth", Kind: fix.KindConfig, Title: "Use the encryption the mail server speaks",
			Summary: "smtp.example.test:465 speaks TLS from the first byte (security: tls); the settings say starttls on port 465.",
			Changes: []fix.Change{{File: displayPath, Key: "smtp.security", From: "starttls", To: "tls"}},
			Affects: []string{"smtp.connect", "smtp.tls", "smtp.auth"}},
		{ID: "spf-record", Check: "domain.spf", Kind: fix.KindDNS, Title: "Correct the SPF record",
			Summary: "Publish this TXT record at example.test.",
			Records: []fix.Record{{Name: "example.test", Type: "TXT", Value: "v=spf1 include:_spf.example.test -all",
				Replaces: "v=spf1 include:_spf.example.test ~all", Zone: "example.test", TTL: 3600}},
			Steps: []string{"Not published yet: the domain's name servers do not serve this record.",
				"After publishing, run `pitstop check --only domain` (or `pitstop fix` again): it reads the record back from your DNS."}},
	}
}
