package tui_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/demo"
	"pitstop/internal/tui"
	"pitstop/internal/tui/common"
	"pitstop/internal/tui/tuitest"
)

// TestGuidedFlowAgainstTheSandbox runs the whole guided flow in a real
// Bubble Tea program (80x24, no color) against the sandbox servers of the
// "mixed" scenario: Email delivery → a symptom → the settings as loaded →
// the real SMTP and domain checks → results → "Did this fix it?" yes. The
// sandbox's secrets never reach the terminal.
func TestGuidedFlowAgainstTheSandbox(t *testing.T) {
	t.Parallel()
	sb, err := demo.StartSandbox("mixed", demo.SandboxOptions{Dir: t.TempDir()})
	require.NoError(t, err)
	t.Cleanup(func() { _ = sb.Close() })
	cfg, err := config.Load(sb.ConfigPath)
	require.NoError(t, err)
	p, err := cfg.Profile("")
	require.NoError(t, err)

	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	c := common.Must(common.New(common.Options{
		KB: tuitest.KB(t, "en"), Config: cfg, Profile: p, ConfigPath: sb.ConfigPath,
		Lang: "en", Theme: "dark", Sandbox: "mixed", Timeout: 5 * time.Second, Ctx: ctx,
	}))
	c.Animate = false // no spinner frames between the checks' rows

	tm := teatest.NewTestModel(t, tui.New(c),
		teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)),
	)
	var seen bytes.Buffer // everything the terminal received, for the secret check
	waitFor := func(text string, d time.Duration) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
			seen.Write(b)
			return strings.Contains(ansi.Strip(string(b)), text)
		}, teatest.WithDuration(d), teatest.WithCheckInterval(20*time.Millisecond))
	}
	press := func(keys ...string) {
		for _, k := range keys {
			tm.Send(tuitest.Key(k))
		}
	}

	waitFor("What do you want to do?", 5*time.Second)
	require.Contains(t, ansi.Strip(seen.String()), "SANDBOX: mixed")
	press("1")
	waitFor("Pick the area closest", 5*time.Second)
	press("down", "down", "down", "enter")
	waitFor("what do you see?", 5*time.Second)
	press("space", "enter")
	waitFor("Check the settings Pitstop will use", 5*time.Second)
	// Six SMTP fields, three domain fields, then "save?" (no).
	for range 10 {
		press("enter")
	}
	waitFor("see what it means", 30*time.Second)
	press("enter")
	waitFor("did it work?", 5*time.Second)
	press("d")
	waitFor("Try what the article says", 5*time.Second)
	press("y")
	// "Yes" is confirmed by running the checks again: the mixed scenario's
	// mail server still offers no STARTTLS, so it is not fixed yet.
	waitFor("Not yet: the checks still find a problem", 30*time.Second)
	press("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))

	final := tm.FinalModel(t).(*tui.Model).Common()
	s := final.Session
	require.Equal(t, "email", s.Problem.ID)
	require.Equal(t, []string{"smtp", "domain"}, s.Categories)
	require.NotEmpty(t, s.Results)
	byID := map[string]check.Result{}
	for _, r := range s.Results {
		byID[r.ID] = r
	}
	// The mixed scenario's mail server offers no STARTTLS.
	require.Equal(t, check.Fail, byID["smtp.tls"].Status, byID["smtp.tls"].Summary)
	require.NotEmpty(t, s.Matches)
	require.NotNil(t, s.Fixed)
	require.False(t, *s.Fixed, "the checks run again still fail")
	require.Equal(t, 2, s.Runs, "the run, then the confirmation")

	out := seen.String()
	for _, secret := range sb.Profile.Secrets() {
		if secret.IsSet() {
			require.NotContains(t, out, secret.Reveal(), "a sandbox secret reached the terminal")
		}
	}
}
