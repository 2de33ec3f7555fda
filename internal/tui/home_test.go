package tui_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/tui/tuitest"
)

// TestHomeShowsTheLastKnownState: a configured area is not "✓" on trust; it
// shows a neutral mark until checked, then what the last run found.
func TestHomeShowsTheLastKnownState(t *testing.T) {
	t.Parallel()
	d, c := newDriver(t, "en", 120, 40)
	line := func(name string) string {
		for _, l := range strings.Split(d.View(), "\n") {
			if strings.Contains(l, name) && (strings.Contains(l, "○") || strings.ContainsAny(l, "✓✗!?–·")) && !strings.Contains(l, "Run every") {
				return l
			}
		}
		return ""
	}
	require.Contains(t, line("Email (SMTP)"), "○ Email (SMTP)", "not checked yet")
	require.NotContains(t, d.View(), "✓", "nothing claims to work before a check")
	tuitest.Finish(c, nil)
	require.Contains(t, line("Email (SMTP)"), "✗ Email (SMTP)", "smtp.auth failed in the last run")
	require.Contains(t, line("AI API"), "✗ AI API")
}
