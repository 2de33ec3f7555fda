package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestReadHeadTail(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		in        string
		keep, lim int
		want      string
	}{
		{"short text whole", "abc", 4, 100, "abc"},
		{"exactly twice keep", "abcdefgh", 4, 100, "abcdefgh"},
		{"long text head and tail", "abcdXXXXXXXXXXwxyz", 4, 100, "abcd\nwxyz"},
		{"limit stops the read", "abcdXXXXwxyzTRAILING", 4, 12, "abcd\nwxyz"},
		{"empty", "", 4, 100, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := readHeadTail(strings.NewReader(tt.in), tt.keep, tt.lim)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

// TestDiagnoseLongLogEndsWithTheError: a pasted log longer than what is kept
// still matches the error on its last line.
func TestDiagnoseLongLogEndsWithTheError(t *testing.T) {
	t.Parallel()
	noise := strings.Repeat("2024-05-01 12:00:00 INFO worker heartbeat ok queue=0\n", 3*pasteKeep/50)
	code, stdout, stderr := runKB(t, noise+"535 5.7.8 Error: authentication failed\n", "diagnose")
	require.Equal(t, ExitOK, code, stderr)
	require.True(t, strings.HasPrefix(stdout, "1. smtp-auth-failed "), stdout)
}

// TestDiagnoseMasksLoadedSecrets: a pasted error that quotes the configured
// password comes back masked, though diagnose needs no settings.
func TestDiagnoseMasksLoadedSecrets(t *testing.T) {
	t.Parallel()
	const password = "hunter2secretpass"
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("profiles:\n  p:\n    smtp:\n      host: smtp.example.com\n      password: "+password+"\n"), 0o600))
	for _, format := range []string{"text", "json"} {
		code, stdout, stderr := runKB(t, "", "--config", cfg, "diagnose", "--format", format, "550 5.7.27 "+password+" rejected by SPF")
		require.Equal(t, ExitOK, code, stderr)
		require.Contains(t, stdout, "domain-spf-invalid")
		require.NotContains(t, stdout+stderr, password)
	}
	// A broken config does not stop diagnose.
	broken := filepath.Join(t.TempDir(), "broken.yaml")
	require.NoError(t, os.WriteFile(broken, []byte("profiles: [\n"), 0o600))
	code, stdout, stderr := runKB(t, "", "--config", broken, "diagnose", "535 5.7.8 Error: authentication failed")
	require.Equal(t, ExitOK, code, stderr)
	require.Contains(t, stdout, "smtp-auth-failed")
}

// TestDiagnoseSaysWhenOnlyWordsMatched: a text with no known error code or
// message is told so, rather than shown a weak match as an answer.
func TestDiagnoseSaysWhenOnlyWordsMatched(t *testing.T) {
	t.Parallel()
	const words = "the weekly summary feels generic and a bit boring"
	code, stdout, stderr := runKB(t, "", "diagnose", words)
	require.Equal(t, ExitOK, code, stderr)
	require.True(t, strings.HasPrefix(stdout, "No error code or message Pitstop knows is in this text"), stdout)
	require.Contains(t, stdout, "a guess, not a diagnosis")
	require.Contains(t, stdout, "If one of them fits, read it:")
	require.NotContains(t, stdout, "Read the first:")

	// JSON says the same: every match is weak.
	code, stdout, _ = runKB(t, "", "diagnose", "--format", "json", words)
	require.Equal(t, ExitOK, code)
	var d diagnosed
	require.NoError(t, json.Unmarshal([]byte(stdout), &d), stdout)
	require.NotEmpty(t, d.Matches)
	for _, m := range d.Matches {
		require.Equal(t, "weak", m.Confidence, m.ID)
	}

	code, stdout, _ = runKB(t, "", "--lang", "es", "diagnose", "el resumen semanal es genérico y aburrido")
	require.Equal(t, ExitOK, code)
	require.Contains(t, stdout, "son una suposición, no un diagnóstico")

	code, stdout, _ = runKB(t, "", "diagnose", "535 5.7.8 Error: authentication failed")
	require.Equal(t, ExitOK, code)
	require.True(t, strings.HasPrefix(stdout, "1. smtp-auth-failed"), stdout)
}
