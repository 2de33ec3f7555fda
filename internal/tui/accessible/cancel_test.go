package accessible

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"pitstop/internal/escalate"
	"pitstop/internal/tui/tuitest"
)

// TestPromptEndsWhenCancelled drives accessible mode on a pseudo-terminal:
// once a prompt is shown (a choice, a secret read without echo, the items
// of checklist --tick), Ctrl-C
// (the session's context cancelled) ends the session at once with
// context.Canceled, and the terminal's echo is back on. The prompt itself
// stops waiting: no watchdog is needed.
func TestPromptEndsWhenCancelled(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, prompt string
		answers      string // typed once the first prompt shows, to reach the one to cancel
		tick         bool   // checklist --tick's prompt rather than the wizard's
	}{
		{name: "a choice", prompt: "Type a number from 1 to 7:"},
		{name: "a secret", prompt: "(typing is hidden; empty to skip): ", answers: "1\n1\n1\n"},
		{name: "ticking a checklist", prompt: "(enter for none):", tick: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ptmx, tty, out := openTerminal(t)
			c := tuitest.Common(t, "en")
			c.Profile.API.Key = tuitest.Common(t, "en").Profile.CRM.Token // an empty secret: asked for
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan error, 1)
			if tc.tick {
				l, ok := c.Checklists.Get("prelaunch")
				require.True(t, ok)
				filled := l.Fill(escalate.Evidence{}, "en")
				go func() {
					_, err := Tick(ctx, "en", &filled, tty, tty)
					done <- err
				}()
			} else {
				go func() { done <- RunWith(ctx, c, tty, tty, Options{SaveDir: t.TempDir()}) }()
			}

			if tc.answers != "" {
				out.next(t, "Type a number from 1 to 7:")
				_, err := ptmx.Write([]byte(tc.answers))
				require.NoError(t, err)
			}
			out.next(t, tc.prompt)
			sent := time.Now()
			cancel()
			select {
			case err := <-done:
				require.ErrorIs(t, err, context.Canceled)
				t.Logf("%s: the prompt ended %s after the cancel", tc.name, time.Since(sent).Round(time.Millisecond))
			case <-time.After(10 * time.Second):
				t.Fatalf("the prompt still waits 10 s after the cancel:\n%s", out)
			}
			termios, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
			require.NoError(t, err)
			require.NotZero(t, termios.Lflag&unix.ECHO, "the terminal echoes again")
		})
	}
}
