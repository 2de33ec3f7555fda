package accessible

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/stretchr/testify/require"

	"pitstop/internal/tui/tuitest"
)

// screen is what the terminal has shown, safe to read while it grows.
type screen struct {
	mu  sync.Mutex
	buf bytes.Buffer
	pos int // where the next expected text is looked for
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

// next waits for text after what was already matched and moves past it.
func (s *screen) next(t *testing.T, text string) {
	t.Helper()
	require.Eventually(t, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		i := strings.Index(s.buf.String()[s.pos:], text)
		if i < 0 {
			return false
		}
		s.pos += i + len(text)
		return true
	}, 20*time.Second, 5*time.Millisecond, "waiting for %q after:\n%s", text, s)
}

// openTerminal opens a pseudo-terminal for a session to run on: tty is the
// session's end, ptmx the keyboard's, and out gathers what the session
// prints. Both ends close with the test.
func openTerminal(t *testing.T) (ptmx, tty *os.File, out *screen) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	require.NoError(t, err)
	t.Cleanup(func() { _ = ptmx.Close(); _ = tty.Close() })
	out = &screen{}
	go func() { _, _ = io.Copy(out, ptmx) }()
	return ptmx, tty, out
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// TestTerminalWalksEveryHomeEntryInSpanish drives accessible mode on a
// pseudo-terminal, as a screen reader user would, answering each prompt
// only once it is shown: every home entry in turn, in Spanish, then Quit.
// No prompt is in English, and the report is saved where asked.
func TestTerminalWalksEveryHomeEntryInSpanish(t *testing.T) {
	t.Parallel()
	ptmx, tty, out := openTerminal(t)

	c := tuitest.Common(t, "es")
	withDemoAPI(t, c)
	dir := t.TempDir()
	done := make(chan error, 1)
	go func() {
		done <- RunWith(context.Background(), c, tty, tty, Options{SaveDir: dir, MonitorInterval: 20 * time.Millisecond})
	}()

	const home = "Escribe un número del 1 al 7:"
	// Each step waits for a text; answer is typed then, unless it is "-"
	// (a text that only marks where the walk is).
	steps := []struct{ wait, answer string }{
		// Run every check; no article; not fixed; back home.
		{home, "2"}, {"Paso 5 de 6: Resultados", "-"}, {"(enter para el", ""},
		{"¿Esto lo arregló? (s/n, enter para sí):", "n"}, {"¿Y ahora?", "-"}, {"(enter para el 1):", "4"},
		// The pre-launch checklist: tick two items by range, then done.
		{home, "3"}, {"(enter para el 1):", ""}, {"Marca o desmarca lo que hayas hecho tú:", "-"},
		{"(enter para ninguno):", "1-2"}, {"(enter para ninguno):", ""},
		// Search, read the first article, then back.
		{home, "4"}, {"Buscar:", "-"}, {"> ", "dkim"}, {"coinciden.", "-"}, {"(enter para el 1):", "1"},
		{"# ", "-"}, {"> ", ""},
		// The monitor until enter: one line a round, more rounds than
		// any fixed number, then the figures and Home again.
		{home, "5"}, {"¿Cuánto tiempo debe sondear?", "-"}, {"> ", ""}, {"Pulsa enter para parar", "-"},
		{"Ronda 1: 200 en ", "-"}, {"Ronda 2: 200 en ", "-"}, {"Ronda 6: 200 en ", ""}, {"Sondeos: ", "-"},
		// The monitor for a given time: it ends by itself, and the next
		// answer goes to Home.
		{home, "5"}, {"> ", "150ms"}, {"Ronda 1: ", "-"}, {"Sondeos: ", "-"},
		// A standalone escalation, saved.
		{home, "6"}, {"(enter para el 2):", ""}, {"(s/n, enter para no):", ""}, {"(s/n, enter para no):", ""},
		{"(s/n, enter para no):", ""}, {"> ", "Que salga el correo"}, {"> ", ""},
		{"¿Guardar el informe como", "-"}, {"(s/n, enter para sí):", "s"},
		// The guided flow: email, three symptoms by range, yes it works (the checks say otherwise).
		{home, "1"}, {"Escribe un número del 1 al 9:", "4"}, {"(enter para ninguno):", "2-4"},
		{"Servidor DNS:", "-"}, {"> ", ""}, {"(enter para el", ""},
		{"(s/n, enter para sí):", "s"}, {"Las pruebas no coinciden", "-"}, {"(enter para el 1):", "4"},
		{home, "7"},
	}
	for _, st := range steps {
		out.next(t, st.wait)
		if st.answer != "-" {
			_, err := ptmx.Write([]byte(st.answer + "\n"))
			require.NoError(t, err)
		}
	}
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(20 * time.Second):
		t.Fatalf("still running after Quit:\n%s", out)
	}
	text := out.String()
	for _, w := range []string{"Ronda 1: ", "Latencia: p50", "Informe guardado en", "9 de 15 hechos.", "Paso 6 de 6:", "Contraseña SMTP: •••• (con valor)"} {
		require.Contains(t, text, w)
	}
	for _, en := range append(englishPrompts, "(set)") {
		require.NotContains(t, text, en)
	}
	require.Len(t, c.Session.Symptoms, 3, "2-4 picks three symptoms")
	files, err := filepath.Glob(filepath.Join(dir, "pitstop-report-*.md"))
	require.NoError(t, err)
	require.Len(t, files, 1)
	tuitest.NoSecrets(t, text)
}

// TestMonitorRunsUntilCtrlC: with no time given the monitor reads out one
// line a round until Ctrl-C, then the figures of what it measured, and the
// session ends as interrupted (the command exits 130).
func TestMonitorRunsUntilCtrlC(t *testing.T) {
	t.Parallel()
	ptmx, tty, out := openTerminal(t)

	c := tuitest.Common(t, "en")
	withDemoAPI(t, c)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- RunWith(ctx, c, tty, tty, Options{MonitorInterval: 20 * time.Millisecond}) }()

	out.next(t, "Type a number from 1 to 7:")
	_, err := ptmx.Write([]byte("5\n"))
	require.NoError(t, err)
	out.next(t, "How long should it run?")
	out.next(t, "> ")
	_, err = ptmx.Write([]byte("\n"))
	require.NoError(t, err)
	out.next(t, "Press enter to stop and go back; Ctrl-C quits Pitstop.")
	for _, round := range []string{"Round 1: 200 in ", "Round 2: 200 in ", "Round 5: 200 in "} {
		out.next(t, round)
	}
	cancel() // Ctrl-C
	select {
	case err := <-done:
		require.ErrorIs(t, err, context.Canceled)
	case <-time.After(10 * time.Second):
		t.Fatalf("still running after Ctrl-C:\n%s", out)
	}
	out.next(t, "Probes: ")
	out.next(t, "Latency: p50")
	text := out.String()
	require.Equal(t, 1, strings.Count(text, "What do you want to do?"), "Ctrl-C does not go back to Home")
	tuitest.NoSecrets(t, text)
}
