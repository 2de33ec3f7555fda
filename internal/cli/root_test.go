package cli

import (
	"testing"

	"github.com/stretchr/testify/require"
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
		{"bad global flag value", []string{"--lang", "fr", "kb", "list"},
			"pitstop: --lang is \"fr\"; expected en or es.\n"},
		{"unknown flag", []string{"check", "--bogus"},
			"pitstop: unknown flag: --bogus.\nRun `pitstop check --help` for its usage.\n"},
		{"wrong argument count", []string{"kb", "show", "a", "b"},
			"pitstop: accepts 1 arg(s), received 2.\nRun `pitstop kb show --help` for its usage.\n"},
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
