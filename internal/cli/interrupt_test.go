package cli

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/stretchr/testify/require"

	"pitstop/internal/demo"
)

// executeEnv, when set, makes this test binary a child that runs Execute
// with the arguments it holds (one a line), as the real binary does.
const executeEnv = "PITSTOP_TEST_EXECUTE_ARGS"

// child returns a command that runs Pitstop through Execute.
func child(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), executeEnv+"="+strings.Join(args, "\n"), "HOME="+dir, "XDG_STATE_HOME="+dir, "XDG_CONFIG_HOME="+dir, "NO_COLOR=1")
	return cmd
}

// lockedBuffer is a buffer safe to read while a child writes to it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitForText waits until out holds want.
// startOnTerminal starts cmd on a 100x40 pseudo-terminal: tty is the
// keyboard's end, out gathers what cmd prints. The terminal closes with the
// test.
func startOnTerminal(t *testing.T, cmd *exec.Cmd) (tty *os.File, out *lockedBuffer) {
	t.Helper()
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 100})
	require.NoError(t, err)
	t.Cleanup(func() { _ = tty.Close() })
	out = &lockedBuffer{}
	go func() { _, _ = io.Copy(out, tty) }()
	return tty, out
}

func waitForText(t *testing.T, out *lockedBuffer, want string) {
	t.Helper()
	require.Eventually(t, func() bool { return strings.Contains(out.String(), want) }, 20*time.Second, 10*time.Millisecond,
		"waiting for %q in:\n%s", want, out)
}

// exitWithin waits for the child to end and returns its exit code and how
// long after since it ended.
func exitWithin(t *testing.T, cmd *exec.Cmd, since time.Time) (int, time.Duration) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		took := time.Since(since)
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), took
		}
		require.NoError(t, err)
		return 0, took
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("still running 10 s after Ctrl-C")
	}
	return 0, 0
}

// TestInterruptIsHonest: Ctrl-C during `check`, `report`, `monitor` and `fix`
// (checks waiting on a slow API) ends the command with 130 within a second,
// and nothing reports problems made of the cancelled checks.
func TestInterruptIsHonest(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"check"},
		{"check", "--format", "json"},
		{"report", "--out", "-"},
		{"monitor", "--format", "json", "--interval", "500ms"},
		{"fix"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			t.Parallel()
			cfg, srv := apiConfig(t, demo.APIOptions{Provider: demo.APIOpenAI, Faults: []string{demo.APIFaultHang}})
			cmd := child(t, append([]string{"--config", cfg, "--timeout", "30s"}, args...)...)
			var out lockedBuffer
			cmd.Stdout, cmd.Stderr = &out, &out
			require.NoError(t, cmd.Start())
			// The checks are under way once the API (which never answers) has
			// been asked something.
			require.Eventually(t, func() bool { return len(srv.Requests()) > 0 }, 20*time.Second, 5*time.Millisecond,
				"the API was never asked:\n%s", &out)
			sent := time.Now()
			require.NoError(t, cmd.Process.Signal(os.Interrupt))
			code, took := exitWithin(t, cmd, sent)
			text := out.String()
			require.Equal(t, ExitInterrupted, code, text)
			require.Less(t, took, 1500*time.Millisecond, "ended within a second of Ctrl-C")
			prose := strings.ReplaceAll(text, `"problems":`, "") // a fact's name in JSON, not a verdict
			require.NotContains(t, strings.ToLower(prose), "problem", "no problems made of cancelled checks")
			require.NotContains(t, text, "Severity: **HIGH**")
		})
	}
}

// TestInterruptAccessibleWizard drives the accessible wizard on a pseudo
// terminal: Ctrl-C at a prompt ends it with 130 within a second, no check
// runs after it and nothing says "problems".
func TestInterruptAccessibleWizard(t *testing.T) {
	t.Parallel()
	cfg, _ := apiConfig(t, demo.APIOptions{Provider: demo.APIOpenAI})
	for _, name := range []string{"at the first prompt", "after choosing"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cmd := child(t, "--config", cfg, "--accessible")
			cmd.Env = append(cmd.Env, "TERM=dumb")
			tty, out := startOnTerminal(t, cmd)
			waitForText(t, out, "Type a number from 1 to 7:") // at the first prompt
			if name == "after choosing" {
				_, err := tty.Write([]byte("1\r"))
				require.NoError(t, err)
				waitForText(t, out, "Type a number from 1 to 9:") // what is wrong?
			}
			sent := time.Now()
			_, err := tty.Write([]byte{3}) // Ctrl-C, as the terminal sends it
			require.NoError(t, err)
			code, took := exitWithin(t, cmd, sent)
			require.Equal(t, ExitInterrupted, code, out.String())
			require.Less(t, took, 1500*time.Millisecond)
			// The prompt stopped waiting by itself: the watchdog that ends a
			// command still blocked a second after Ctrl-C never had to.
			require.NotContains(t, out.String(), "pitstop: interrupted.", "the watchdog ended it (%s after Ctrl-C)", took)
			// Enter after Ctrl-C runs nothing: the process is gone.
			_, _ = tty.Write([]byte("\r"))
			require.NotContains(t, strings.ToLower(out.String()), "problems")
			require.NotContains(t, out.String(), "cancelled")
		})
	}
}

// TestInterruptWizardKeyIs130: in the full-screen wizard Ctrl-C is a key
// (raw mode): it ends the program with 130 within a second.
func TestInterruptWizardKeyIs130(t *testing.T) {
	t.Parallel()
	cfg, _ := apiConfig(t, demo.APIOptions{Provider: demo.APIOpenAI})
	cmd := child(t, "--config", cfg)
	cmd.Env = append(cmd.Env, "TERM=xterm-256color")
	tty, out := startOnTerminal(t, cmd)
	waitForText(t, out, "quit") // the help bar ends the first frame: the wizard reads keys
	sent := time.Now()
	_, err := tty.Write([]byte{3}) // in raw mode, a key: the wizard interrupts itself
	require.NoError(t, err)
	code, took := exitWithin(t, cmd, sent)
	require.Equal(t, ExitInterrupted, code)
	require.Less(t, took, 1500*time.Millisecond)
}

// TestHangupCleansTheSandbox: closing the terminal (SIGHUP) stops `pitstop
// demo --serve` like Ctrl-C, and the sandbox's settings file, which holds
// its secrets, is removed.
func TestHangupCleansTheSandbox(t *testing.T) {
	t.Parallel()
	cmd := child(t, "demo", "--serve", "--scenario", "healthy")
	cmd.Env = append(cmd.Env, "TMPDIR="+t.TempDir())
	var out lockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(t, cmd.Start())
	waitForText(t, &out, "config.yaml")
	path := strings.TrimSpace(strings.SplitN(out.String(), "\n", 2)[0])
	_, err := os.Stat(path)
	require.NoError(t, err, "the sandbox settings exist while it runs: %s", out.String())
	sent := time.Now()
	require.NoError(t, cmd.Process.Signal(syscall.SIGHUP))
	_, took := exitWithin(t, cmd, sent)
	require.Less(t, took, 5*time.Second)
	_, err = os.Stat(path)
	require.ErrorIs(t, err, os.ErrNotExist, "the settings file with the sandbox's secrets is gone")
}
