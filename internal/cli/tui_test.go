package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// tuiCanary is the API key of the wizard's command-line tests.
const tuiCanary = "sk-tui-CANARYabcdef0123456789abcdef42"

// TestWizardWithoutTerminalAsksPlainQuestions: with input and output that
// are not terminals (a pipe, a screen reader's console), `pitstop` and
// `pitstop tui` ask numbered questions instead of drawing screens, in the
// chosen language, and end quietly when the input ends.
func TestWizardWithoutTerminalAsksPlainQuestions(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(path, []byte("profiles:\n  prod:\n    api:\n      provider: openai\n      key: "+tuiCanary+"\n"), 0o600))
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"root", []string{"--config", path}, []string{"What do you want to do?", "1. Guided troubleshooting", "7. Quit"}},
		{"tui --accessible", []string{"tui", "--accessible", "--config", path}, []string{"accessible mode", "Profile prod."}},
		{"--lang es", []string{"--lang", "es", "--config", path}, []string{"¿Qué quieres hacer?", "Escribe un número del 1 al 7:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out, errOut bytes.Buffer
			app := &App{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut}
			code := run(context.Background(), app, append(tt.args, "--log-file", filepath.Join(t.TempDir(), "log")))
			require.Equal(t, ExitOK, code, errOut.String())
			for _, w := range tt.want {
				require.Contains(t, out.String(), w)
			}
			require.NotContains(t, out.String()+errOut.String(), tuiCanary)
			require.NotContains(t, out.String(), "\x1b[", "no screen drawing without a terminal")
		})
	}
}

// TestWizardConfigErrorsExitTwo: a broken config is a usage error before
// any screen opens.
func TestWizardConfigErrorsExitTwo(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(path, []byte("profiles:\n  prod:\n    api:\n      base_url: ftp://nope\n"), 0o600))
	var out, errOut bytes.Buffer
	app := &App{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut}
	code := run(context.Background(), app, []string{"tui", "--config", path, "--log-file", filepath.Join(t.TempDir(), "log")})
	require.Equal(t, ExitUsage, code)
	require.Contains(t, errOut.String(), "config.yaml:4")
}
