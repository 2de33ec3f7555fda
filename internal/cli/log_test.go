package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

// logCanary is a key that must never reach the log, in any encoding.
const logCanary = "sk-logcanary-7f3e9a1b2c4d5e6f8091"

func TestRotatingFileRotatesAtTenMiB(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "state", "pitstop")
	path := filepath.Join(dir, "pitstop.log")
	w, err := openRotating(path, maxLogSize)
	require.NoError(t, err)
	t.Cleanup(func() { w.Close() })

	line := append(bytes.Repeat([]byte("x"), 1023), '\n')
	for range maxLogSize / len(line) {
		_, err := w.Write(line)
		require.NoError(t, err)
	}
	_, err = os.Stat(path + ".1")
	require.ErrorIs(t, err, os.ErrNotExist, "exactly 10 MiB: not rotated yet")

	_, err = w.Write(line)
	require.NoError(t, err)
	old, err := os.Stat(path + ".1")
	require.NoError(t, err)
	require.EqualValues(t, maxLogSize, old.Size())
	cur, err := os.Stat(path)
	require.NoError(t, err)
	require.EqualValues(t, len(line), cur.Size())

	for _, p := range []string{path, path + ".1"} {
		st, err := os.Stat(p)
		require.NoError(t, err)
		require.Equal(t, os.FileMode(0o600), st.Mode().Perm(), p)
	}
	st, err := os.Stat(dir)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o700), st.Mode().Perm())

	// A second rotation replaces the old backup: at most two files.
	for range maxLogSize / len(line) {
		_, err := w.Write(line)
		require.NoError(t, err)
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 2)
}

func TestRotatingFileKeepsTheModeOfAFileItDidNotMake(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "pitstop.log")
	require.NoError(t, os.WriteFile(path, []byte("old\n"), 0o644))
	w, err := openRotating(path, 10)
	require.NoError(t, err)
	_, err = w.Write([]byte("new\n"))
	require.NoError(t, err)
	st, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o644), st.Mode().Perm(), "a file Pitstop did not create is never chmodded")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, "old\nnew\n", string(data), "appends")

	// Past the size limit the log rotates; the new file is Pitstop's: 0600.
	_, err = w.Write([]byte("rotated\n"))
	require.NoError(t, err)
	require.NoError(t, w.Close())
	st, err = os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), st.Mode().Perm())

	_, err = w.Write([]byte("late\n"))
	require.ErrorIs(t, err, os.ErrClosed)
}

// TestLogFileRefusesWhatIsNotAFile: --log-file never follows a symbolic
// link, never appends to a device or a FIFO, never chmods their target, and
// says so with exit 2.
func TestLogFileRefusesWhatIsNotAFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	target := filepath.Join(dir, "target")
	require.NoError(t, os.WriteFile(target, []byte("keep\n"), 0o644))
	link := filepath.Join(dir, "link.log")
	require.NoError(t, os.Symlink(target, link))
	fifo := filepath.Join(dir, "fifo.log")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	for path, want := range map[string]string{
		link:        "symbolic link",
		fifo:        "named pipe",
		"/dev/null": "device",
		dir:         "folder",
	} {
		_, err := openRotating(path, 100)
		require.ErrorContains(t, err, want, path)
		require.ErrorContains(t, err, "--log-file "+path, path)

		code, _, stderr := runKB(t, "", "--log-file", path, "kb", "list")
		require.Equal(t, ExitUsage, code, path)
		require.Contains(t, stderr, want, path)
	}
	data, err := os.ReadFile(target)
	require.NoError(t, err)
	require.Equal(t, "keep\n", string(data), "the link's target is untouched")
	st, err := os.Stat(target)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o644), st.Mode().Perm(), "and not chmodded")
	st, err = os.Stat("/dev/null")
	require.NoError(t, err)
	require.NotEqual(t, os.FileMode(0o600), st.Mode().Perm(), "/dev/null keeps its mode")
}

// writeLogConfig writes a config whose API key is the canary.
func writeLogConfig(t *testing.T, dir, baseURL string) string {
	t.Helper()
	path := filepath.Join(dir, "config.yaml")
	cfg := fmt.Sprintf(`profiles:
  test:
    api:
      provider: copycar
      base_url: %s
      key: %s
    smtp:
      host: 127.0.0.1
      port: 2525
      username: mailer@example.com
      password: smtp-canary-password-55
      from: news@example.com
`, baseURL, logCanary)
	require.NoError(t, os.WriteFile(path, []byte(cfg), 0o600))
	return path
}

func readLogLines(t *testing.T, path string) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var m map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &m), sc.Text())
		out = append(out, m)
	}
	return out
}

// requireNoCanary fails when a secret shows in the log in any common encoding.
func requireNoCanary(t *testing.T, logText string) {
	t.Helper()
	for _, secret := range []string{logCanary, "smtp-canary-password-55"} {
		require.NotContains(t, logText, secret)
		require.NotContains(t, logText, strings.ReplaceAll(secret, "-", "%2D"))
	}
}

// TestLogScrubsSecrets is not parallel: it owns slog's default logger while
// it runs (top-level parallel tests start only after it ends).
func TestLogScrubsSecrets(t *testing.T) {
	dir := t.TempDir()
	logPath := filepath.Join(dir, "pitstop.log")
	app := &App{Opts: Options{ConfigPath: writeLogConfig(t, dir, "http://127.0.0.1:9/v2"), LogFile: logPath, Debug: true,
		Lang: "en", Timeout: 1}}
	require.NoError(t, app.validateGlobal())
	_, p, err := app.LoadProfile()
	require.NoError(t, err)

	log := slog.Default().With("key_attr", "with "+logCanary)
	log.Info("calling with "+logCanary,
		"plain", logCanary,
		"secret", p.API.Key,
		"err", errors.New(`Get "http://x/?key=`+logCanary+`": refused`),
		slog.Group("req", "auth", "Bearer "+logCanary, "n", 3),
		"any", []string{logCanary},
	)
	log.WithGroup("g").Debug("debug", "password", "smtp-canary-password-55")
	logExit("pitstop check", app.Scrubber().ScrubError(fmt.Errorf("auth with %s failed", logCanary)), ExitFailed)
	app.closeLog()
	// After close, logging does not reach the closed file and does not fail.
	slog.Info("after close " + logCanary)

	data, err := os.ReadFile(logPath)
	require.NoError(t, err)
	requireNoCanary(t, string(data))
	require.Contains(t, string(data), "sk-…8091")
	lines := readLogLines(t, logPath)
	require.Len(t, lines, 3)
	require.Equal(t, "ERROR", lines[2]["level"])
	require.Equal(t, "pitstop check", lines[2]["command"])
	require.EqualValues(t, ExitFailed, lines[2]["exit"])
	st, err := os.Stat(logPath)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), st.Mode().Perm())
}

// TestLogRecordsCommandErrors is not parallel for the same reason.
func TestLogRecordsCommandErrors(t *testing.T) {
	dir := t.TempDir()
	logPath := filepath.Join(dir, "pitstop.log")
	var out, errOut bytes.Buffer
	app := &App{Stdout: &out, Stderr: &errOut, Stdin: strings.NewReader("")}
	code := run(context.Background(), app, []string{"--log-file", logPath, "--config", filepath.Join(dir, "missing.yaml"), "monitor"})
	require.Equal(t, ExitUsage, code)
	lines := readLogLines(t, logPath)
	require.NotEmpty(t, lines)
	last := lines[len(lines)-1]
	require.Equal(t, "ERROR", last["level"])
	require.Contains(t, last["error"], "missing.yaml")
	require.Equal(t, "pitstop monitor", last["command"])
}
