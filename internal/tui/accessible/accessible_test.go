package accessible

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/tui/tuitest"
)

// TestWalksTheGuidedFlow answers the prompts as a screen reader user would
// type them: Email delivery, one symptom, read the first article, continue,
// yes it is fixed.
func TestWalksTheGuidedFlow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lang  string
		input string
		want  []string
	}{
		{"en", "1\n4\n1\n\n1\n\ny\n4\n7\n", []string{
			"Step 1 of 6: What is wrong?",
			"4. Email delivery",
			"Step 2 of 6: What you see",
			"Step 3 of 6: Settings",
			"SMTP password: •••• (set) (from the config file)",
			"DNS server:", // the same fields as the form: an empty one is asked
			"Step 4 of 6: Checks",
			"failed: Mail login — The mail server refused the user name and password.",
			"Step 5 of 6: Results",
			"-> AUTH PLAIN ••••••",
			"What to read:",
			"## What you see",
			"Step 6 of 6: Did this fix it?",
			"Running the checks again to confirm…",
			"The checks do not agree: these still fail or could not test.",
		}},
		{"es", "1\n9\n535 5.7.8 Error: authentication failed\n\n\nn\n4\n7\n", []string{
			"Paso 1 de 6: ¿Qué pasa?",
			"9. Mejor pego el mensaje de error",
			"Lo más probable: El servidor rechaza el inicio de sesión SMTP",
			"Paso 4 de 6: Pruebas",
			"falló: El inicio de sesión SMTP funciona",
			"¿Y ahora?",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			t.Parallel()
			c := tuitest.Common(t, tt.lang)
			var out bytes.Buffer
			require.NoError(t, Run(context.Background(), c, strings.NewReader(tt.input), &out))
			text := out.String()
			for _, w := range tt.want {
				require.Contains(t, text, w)
			}
			require.NotContains(t, text, "\x1b[", "no escape sequences: plain text for screen readers")
			tuitest.NoSecrets(t, text)
		})
	}
}

// TestEndOfInputEndsQuietly: closing the input at any prompt ends the
// session without an error or a loop.
func TestEndOfInputEndsQuietly(t *testing.T) {
	t.Parallel()
	for _, input := range []string{"", "1\n", "1\n4\n", "1\n4\n1\n", "1\n4\n1\n\n", "1\n4\n1\n\n1\n", "2\n", "3\n", "4\n", "5\n", "6\n"} {
		c := tuitest.Common(t, "en")
		var out bytes.Buffer
		require.NoError(t, Run(context.Background(), c, strings.NewReader(input), &out), "input %q", input)
		require.Contains(t, out.String(), "What do you want to do?")
	}
}

// TestTypedSecretIsAskedAndMasked: a missing API key is asked for (read as
// a line when the input is not a terminal) and never printed.
func TestTypedSecretIsAskedAndMasked(t *testing.T) {
	t.Parallel()
	c := tuitest.Common(t, "en")
	c.Profile.API.Key = tuitest.Common(t, "en").Profile.CRM.Token // an empty secret
	const typed = "sk-typed-9a8b7c6d5e4f3a2b1c0d9e8f"
	var out bytes.Buffer
	require.NoError(t, Run(context.Background(), c, strings.NewReader("1\n1\n1\n"+typed+"\n"), &out))
	text := out.String()
	require.Contains(t, text, "API key (typing is hidden; empty to skip)")
	require.NotContains(t, text, typed)
	require.Equal(t, typed, c.Session.Profile.API.Key.Reveal())
}

// TestEscalatesAndSavesTheReport: "No, it still fails" then "Prepare an
// escalation" asks the questions, reads out the severity, tier and what
// the report holds, and saves the report with mode 0600, secrets masked.
func TestEscalatesAndSavesTheReport(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang, input string
		want        []string
	}{
		{"en", "1\n4\n1\n\n\nn\n2\n3\nn\ny\nn\nMail goes out\nLogin fails\ny\n7\n", []string{
			"Escalation", "How much does this hurt the business?", "Escalate as", "Severity: ", "Tier: ",
			"First answer: within", "Why: Severity is", "What the report holds", "done: ", "Report saved to",
		}},
		{"es", "1\n4\n1\n\n\nn\n2\n\n\n\n\n\n\ns\n7\n", []string{
			"Escalamiento", "Escalar como", "Severidad: ", "Lo que incluye el informe", "Informe guardado en",
		}},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			t.Parallel()
			c := tuitest.Common(t, tt.lang)
			dir := t.TempDir()
			var out bytes.Buffer
			require.NoError(t, RunWith(context.Background(), c, strings.NewReader(tt.input), &out, Options{SaveDir: dir}))
			text := out.String()
			for _, w := range tt.want {
				require.Contains(t, text, w)
			}
			tuitest.NoSecrets(t, text)
			files, err := filepath.Glob(filepath.Join(dir, "pitstop-report-*.md"))
			require.NoError(t, err)
			require.Len(t, files, 1, text)
			info, err := os.Stat(files[0])
			require.NoError(t, err)
			require.Equal(t, os.FileMode(0o600), info.Mode().Perm())
			data, err := os.ReadFile(files[0])
			require.NoError(t, err)
			tuitest.NoSecrets(t, string(data))
			if tt.lang == "en" {
				require.Contains(t, string(data), "Login fails")
			}
		})
	}
}

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.DiscardHandler)) // the runner logs bad results
	os.Exit(m.Run())
}

// TestAsksWhatTheFormAsks: the settings step reads out or asks every field
// the form shows, and a value the setting's rule refuses is asked again.
func TestAsksWhatTheFormAsks(t *testing.T) {
	t.Parallel()
	c := tuitest.Common(t, "en")
	var out bytes.Buffer
	// Email delivery, first symptom; a DNS server without a port, then a good one.
	require.NoError(t, Run(context.Background(), c, strings.NewReader("1\n4\n1\n9.9.9.9\n9.9.9.9:53\n"), &out))
	text := out.String()
	for _, f := range c.Fields() {
		require.Contains(t, text, "  "+f.Label.In("en")+":", f.Key)
	}
	require.Contains(t, text, "Type host:port, like 1.1.1.1:53.")
	require.Equal(t, "9.9.9.9:53", c.Session.Profile.Domain.DNSServer)
}
