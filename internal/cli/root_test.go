package cli

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"

	"pitstop/internal/config"
	"pitstop/internal/i18n"
	"pitstop/internal/i18n/i18ntest"
)

// TestErrorsArePlainWithoutTerminal: when stderr is a pipe or a CI log, an
// error is one "pitstop: ..." line (no box, no padding to 120 columns), and
// a command-line mistake points at the command's --help.
func TestErrorsArePlainWithoutTerminal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"bad global flag value", []string{"--lang", "xx", "kb", "list"},
			"pitstop: --lang is \"xx\"; expected one of: " + strings.Join(i18n.Languages(), ", ") + ".\nRun `pitstop kb list --help` for its usage.\n"},
		{"unknown flag", []string{"check", "--bogus"},
			"pitstop: unknown flag: --bogus.\nRun `pitstop check --help` for its usage.\n"},
		{"wrong argument count", []string{"kb", "show", "a", "b"},
			"pitstop: pitstop kb show takes exactly 1 argument; got 2.\nRun `pitstop kb show --help` for its usage.\n"},
		{"several configuration problems", []string{"--config", "testdata/two-mistakes.yaml", "check"},
			"pitstop: testdata/two-mistakes.yaml:3: api.provider is \"gemini\"; expected one of: copycar, openai, anthropic, custom.\n" +
				"pitstop: testdata/two-mistakes.yaml:4: smtp.security is \"ssl\"; expected one of: starttls, tls, none.\n"},
		{"message with its own question mark", []string{"kb", "show", "api-invalid-ke"},
			"pitstop: there is no article \"api-invalid-ke\"; did you mean api-invalid-key? (`pitstop kb list` shows them all).\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runKB(t, "", tt.args...)
			require.Equal(t, ExitUsage, code)
			require.Empty(t, stdout)
			require.Equal(t, tt.want, stderr)
		})
	}
}

// TestHelpFitsEightyColumns: every command's --help reads on an 80-column
// terminal in every language, with no line cut in the middle of a flag.
func TestHelpFitsEightyColumns(t *testing.T) {
	t.Parallel()
	var paths [][]string
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		paths = append(paths, path)
		for _, sub := range c.Commands() {
			if !sub.Hidden && sub.Name() != "help" {
				walk(sub, append(slices.Clone(path), sub.Name()))
			}
		}
	}
	walk(NewRoot(&App{}), nil)
	require.Greater(t, len(paths), 10)
	for _, lang := range i18n.Languages() {
		if lang == i18ntest.Code {
			continue // its brackets make each line two columns wider than any language's
		}
		for _, path := range paths {
			t.Run(lang+" "+strings.Join(append([]string{"pitstop"}, path...), " "), func(t *testing.T) {
				t.Parallel()
				code, stdout, stderr := runKB(t, "", append([]string{"--lang", lang}, append(path, "--help")...)...)
				require.Equal(t, ExitOK, code, stderr)
				for _, line := range strings.Split(ansi.Strip(stdout), "\n") {
					line = strings.TrimRight(line, " ")
					require.LessOrEqual(t, ansi.StringWidth(line), 80, "%q", line)
					require.False(t, strings.HasSuffix(line, " --") || strings.HasSuffix(line, " -"), "a flag cut at its hyphen: %q", line)
				}
			})
		}
	}
}

// failingWriter is output that cannot be written (a full disk, a closed pipe).
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// TestExitCodes: usage mistakes are 2, output Pitstop cannot write is 3.
func TestExitCodes(t *testing.T) {
	t.Parallel()
	require.Equal(t, ExitUsage, exitCode(errors.New(`unknown flag: --x`)))
	require.Equal(t, ExitUsage, exitCode(errors.New(`invalid argument "x" for "--timeout" flag`)))
	require.Equal(t, ExitUsage, exitCode(&config.Error{File: "c.yaml", Msg: i18n.Text("config.load.empty").With()}))
	require.Equal(t, ExitInternal, exitCode(errors.New("write /dev/stdout: no space left on device")))

	var errb bytes.Buffer
	app := &App{Stdin: strings.NewReader(""), Stdout: failingWriter{}, Stderr: &errb}
	code := run(context.Background(), app, []string{"--log-file", filepath.Join(t.TempDir(), "log"), "kb", "list", "--format", "json"})
	require.Equal(t, ExitInternal, code, errb.String())
	require.Contains(t, errb.String(), "no space left on device")
}

func TestWrapTextBreaksAtSpacesOnly(t *testing.T) {
	t.Parallel()
	require.Equal(t, "one valid SPF record, ending in\n-all, see --only domain",
		wrapText("one valid SPF record, ending in -all, see --only domain", 32))
	require.Equal(t, "kept   as   is\nhttps://a-very-long-url.example/with/no/space\nx",
		wrapText("kept   as   is\nhttps://a-very-long-url.example/with/no/space x", 20))
}

// TestPipedHelpHasNoTrailingSpaces: fang pads help lines to the terminal's
// width; piped into a file or a pager those spaces are noise.
func TestPipedHelpHasNoTrailingSpaces(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--help"}, {"check", "--help"}, {"fix", "--help"}, {"kb", "--help"}} {
		code, out, _ := runCLI(t, context.Background(), args...)
		require.Equal(t, 0, code)
		require.Contains(t, out, "pitstop")
		for _, line := range strings.Split(out, "\n") {
			require.Equal(t, strings.TrimRight(line, " \t"), line, "%v: %q", args, line)
		}
	}
}
