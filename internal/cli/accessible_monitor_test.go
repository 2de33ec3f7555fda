package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/demo"
)

// TestAccessibleMonitorCtrlC: in accessible mode (TERM=dumb) Home → monitor
// runs until Ctrl-C, one line a round; Ctrl-C prints the figures of what
// was measured and exits 130 within a second.
func TestAccessibleMonitorCtrlC(t *testing.T) {
	t.Parallel()
	cfg, _ := apiConfig(t, demo.APIOptions{Provider: demo.APIOpenAI})
	cmd := child(t, "--config", cfg, "--lang", "es")
	cmd.Env = append(cmd.Env, "TERM=dumb")
	tty, out := startOnTerminal(t, cmd)
	waitForText(t, out, "Escribe un número del 1 al 7:")
	_, err := tty.Write([]byte("5\r"))
	require.NoError(t, err)
	waitForText(t, out, "¿Cuánto tiempo debe sondear?")
	_, err = tty.Write([]byte("\r"))
	require.NoError(t, err)
	waitForText(t, out, "Ronda 1: 200 en ")
	sent := time.Now()
	_, err = tty.Write([]byte{3}) // Ctrl-C, as the terminal sends it
	require.NoError(t, err)
	code, took := exitWithin(t, cmd, sent)
	require.Equal(t, ExitInterrupted, code, out.String())
	require.Less(t, took, 1500*time.Millisecond)
	waitForText(t, out, "Sondeos: 1 (correctos: 1,")
	text := out.String()
	require.Equal(t, 1, strings.Count(text, "¿Qué quieres hacer?"), "Ctrl-C ends Pitstop, not only the monitor")
	require.NotContains(t, text, "Ronda 2:", "no round after Ctrl-C")
}
