package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/demo"
)

// limitedEnv, when set, makes this test binary a child that runs Pitstop's
// command line with the arguments it holds (one a line) under an
// address-space limit: a read without a bound of /dev/zero dies there.
const limitedEnv = "PITSTOP_TEST_LIMITED_ARGS"

// runLimitedChild is the child's whole life (called from TestMain).
func runLimitedChild(args string) int {
	// What the runtime has reserved so far, plus 512 MiB: room to work, none
	// to read a device whole.
	limit := uint64(512 << 20)
	if status, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(status), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmSize:" {
				kb, _ := strconv.ParseUint(f[1], 10, 64)
				limit += kb << 10
			}
		}
	}
	lim := syscall.Rlimit{Cur: limit, Max: limit}
	if err := syscall.Setrlimit(syscall.RLIMIT_AS, &lim); err != nil {
		os.Stderr.WriteString("setrlimit: " + err.Error())
		return 99
	}
	app := &App{Version: "test", Stdin: strings.NewReader(""), Stdout: os.Stdout, Stderr: os.Stderr}
	return run(context.Background(), app, strings.Split(args, "\n"))
}

// runLimited runs the command line in a child under the memory limit.
func runLimited(t *testing.T, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	dir := t.TempDir()
	cmd.Env = append(os.Environ(), limitedEnv+"="+strings.Join(args, "\n"), "HOME="+dir, "XDG_STATE_HOME="+dir, "XDG_CONFIG_HOME="+dir)
	cmd.Env = append(cmd.Env, env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	require.NoError(t, ctx.Err(), "%v did not hang", args)
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), out.String(), errb.String()
	} else {
		require.NoError(t, err)
	}
	return 0, out.String(), errb.String()
}

// TestHostileFiles points every file Pitstop reads or writes at things that
// are not regular files (/dev/zero, a FIFO nobody writes, a folder, a
// symbolic link to a device) under a memory limit: each is refused at once
// with an error that names the setting and says what the file is; nothing
// hangs, nothing eats the memory, nothing is written through a link.
func TestHostileFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	kbDir := filepath.Join(dir, "kb")
	require.NoError(t, os.MkdirAll(filepath.Join(kbDir, "en"), 0o700))
	require.NoError(t, os.Symlink("/dev/zero", filepath.Join(kbDir, "en", "zero.md")))
	require.NoError(t, syscall.Mkfifo(filepath.Join(kbDir, "en", "pipe.md"), 0o600))
	cfg := filepath.Join(dir, "config.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("profiles:\n  p:\n    content:\n      prompt_file: "+fifo+"\n      email_file: /dev/zero\n"), 0o600))
	ca := filepath.Join(dir, "ca.pem")
	require.NoError(t, os.WriteFile(ca, []byte("not a certificate"), 0o600))
	certDir := filepath.Join(dir, "certs")
	require.NoError(t, os.Mkdir(certDir, 0o700))
	require.NoError(t, syscall.Mkfifo(filepath.Join(certDir, "fifo.pem"), 0o600))
	require.NoError(t, os.Symlink("/dev/zero", filepath.Join(certDir, "zero.pem")))
	apiCfg, _ := apiConfig(t, demo.APIOptions{Provider: demo.APIOpenAI, Delay: time.Millisecond})
	link := filepath.Join(dir, "report-link.md")
	require.NoError(t, os.Symlink("/dev/null", link))

	cases := []struct {
		name string
		env  []string
		args []string
		code int
		want []string
	}{
		{"settings file is /dev/zero", nil, []string{"--config", "/dev/zero", "check"}, ExitUsage, []string{"/dev/zero", "is a device"}},
		{"settings file is a FIFO", nil, []string{"--config", fifo, "check"}, ExitUsage, []string{fifo, "named pipe"}},
		{"settings file is a folder", nil, []string{"--config", dir, "check"}, ExitUsage, []string{"folder"}},
		{"error file is /dev/zero", nil, []string{"--config", cfg, "report", "--error-file", "/dev/zero", "--out", "-"}, ExitUsage, []string{"--error-file /dev/zero is a device"}},
		{"error file is a FIFO", nil, []string{"--config", cfg, "report", "--error-file", fifo, "--out", "-"}, ExitUsage, []string{"--error-file " + fifo + " is a named pipe"}},
		{"prompt is a FIFO, email is /dev/zero", nil, []string{"--config", cfg, "check", "--format", "text"}, ExitFailed,
			[]string{"content.prompt_file (" + fifo + "): is a named pipe (FIFO)", "content.email_file (/dev/zero): is a device"}},
		{"article links to /dev/zero", nil, []string{"--kb", kbDir, "kb", "list"}, ExitOK, []string{"zero.md", "pipe.md"}},
		{"report over a link", nil, []string{"--config", cfg, "report", "--out", link}, ExitUsage, []string{"--out " + link + " is a symbolic link"}},
		{"report over a device", nil, []string{"--config", cfg, "report", "--out", "/dev/null"}, ExitUsage, []string{"--out /dev/null is a device"}},
		{"report to /dev/stdout", nil, []string{"--config", cfg, "report", "--out", "/dev/stdout"}, ExitOK, []string{"# Escalation report"}},
		// The same problems said in Spanish: from safefile's messages, in a
		// settings error, a flag's error and a check's sentence alike.
		{"es: settings file is a FIFO", nil, []string{"--lang", "es", "--config", fifo, "check"}, ExitUsage, []string{fifo, "es una tubería con nombre (FIFO), no un archivo normal"}},
		{"es: error file is /dev/zero", nil, []string{"--lang", "es", "--config", cfg, "report", "--error-file", "/dev/zero", "--out", "-"}, ExitUsage, []string{"--error-file /dev/zero es un dispositivo, no un archivo normal"}},
		{"es: report over a device", nil, []string{"--lang", "es", "--config", cfg, "report", "--out", "/dev/null"}, ExitUsage, []string{"--out /dev/null es un dispositivo"}},
		{"es: prompt is a FIFO, email is /dev/zero", nil, []string{"--lang", "es", "--config", cfg, "check", "--format", "text"}, ExitFailed,
			[]string{"es una tubería con nombre (FIFO), no un archivo normal", "es un dispositivo, no un archivo normal"}},
		{"SSL_CERT_FILE is /dev/zero", []string{"SSL_CERT_FILE=/dev/zero"}, []string{"--config", apiCfg, "check", "--only", "api", "--verbose"}, ExitOK,
			[]string{"SSL_CERT_FILE /dev/zero is not a regular file"}},
		{"SSL_CERT_DIR holds a FIFO and /dev/zero", []string{"SSL_CERT_DIR=" + certDir}, []string{"--config", apiCfg, "check", "--only", "api", "--verbose"}, ExitOK,
			[]string{"fifo.pem is a named pipe (FIFO)", "zero.pem is a device"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runLimited(t, tc.env, tc.args...)
			out := stdout + stderr
			require.Equal(t, tc.code, code, out)
			require.NotContains(t, out, "fatal error", "no crash")
			require.NotContains(t, out, "goroutine ", "no stack trace")
			for _, w := range tc.want {
				require.Contains(t, out, w)
			}
		})
	}
}
