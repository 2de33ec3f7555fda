package accessible

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/demo"
	"pitstop/internal/escalate"
	"pitstop/internal/tui/common"
	"pitstop/internal/tui/tuitest"
)

// withDemoAPI points the profile's API at a sandbox API on loopback, so the
// monitor probes something real and nothing leaves the machine.
func withDemoAPI(t *testing.T, c *common.Common) {
	t.Helper()
	srv, err := demo.StartAPI(demo.APIOptions{Provider: demo.APICopyCar, Key: c.Profile.API.Key.Reveal()})
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	c.Profile.API.BaseURL, c.Profile.API.CAFile = srv.URL, srv.CAFile
}

// englishPrompts are huh's own accessible prompts and other English that
// must not appear under --lang es.
var englishPrompts = []string{"Enter a number", "Select up to", "Confirm selection", "Type a number", "Type the numbers", "is not one of", "(y/n", "enter for"}

// TestHomeReachesEveryEntry walks from the home menu through every entry
// (every check, a checklist with a tick, a search and an article, the
// monitor, a standalone escalation, the guided flow) and quits, in both
// languages; under es no prompt is English.
func TestHomeReachesEveryEntry(t *testing.T) {
	t.Parallel()
	const input = "" +
		"2\n\nn\n4\n" + // every check, no article, not fixed, back home
		"3\n\n1\n\n" + // the pre-launch checklist, tick the first manual item, done
		"4\ndkim\n1\n\n" + // search "dkim", read the first article, back
		"5\n\n\n" + // monitor until stopped; a line stops it after its first round
		"6\n\n\n\n\n\n\nn\n" + // escalate: impact, three questions, two sentences, do not save
		"1\n4\n1,3\n\n\nn\n4\n" + // guided: email, symptoms 1 and 3, no DNS server, no article, not fixed
		"7\n" // quit
	for _, tt := range []struct {
		lang string
		want []string
	}{
		{"en", []string{
			"What do you want to do?", "7. Quit", "Type a number from 1 to 7:",
			"Run every check", "failed: Mail login", "Type the numbers that match, like 1,3,5 or 2-4",
			"of", "done.", "Tick or untick what you have done yourself:",
			"articles match.", "# ", // an article is read
			"Round 1: ", "Probes: ", "Latency: p50",
			"How much does this hurt the business?", "Escalate as",
			"Step 1 of 6: What is wrong?", "Step 6 of 6: Did this fix it?",
		}},
		{"es", []string{
			"¿Qué quieres hacer?", "7. Salir", "Escribe un número del 1 al 7:",
			"Ejecutar todas las pruebas", "falló: El inicio de sesión SMTP", "Escribe los números que coincidan, como 1,3,5 o 2-4",
			"hechos.", "Marca o desmarca lo que hayas hecho tú:",
			"coinciden.", "Ronda 1: ", "Sondeos: ", "Latencia: p50",
			"Escalar como", "(s/n, enter para no):",
			"Paso 1 de 6: ¿Qué pasa?", "Paso 6 de 6:",
		}},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			t.Parallel()
			c := tuitest.Common(t, tt.lang)
			withDemoAPI(t, c)
			var out bytes.Buffer
			require.NoError(t, RunWith(context.Background(), c, strings.NewReader(input), &out, Options{SaveDir: t.TempDir(), MonitorInterval: 20 * time.Millisecond}))
			text := out.String()
			for _, w := range tt.want {
				require.Contains(t, text, w)
			}
			require.Equal(t, 7, strings.Count(text, Translate(tt.lang, "home.question")), "home is shown after every entry")
			if tt.lang == "es" {
				for _, en := range englishPrompts {
					require.NotContains(t, text, en)
				}
			}
			require.Len(t, c.Session.Symptoms, 2, "1,3 picks two symptoms")
			tuitest.NoSecrets(t, text)
		})
	}
}

// Translate is common.Translate, short for the tests.
func Translate(lang, key string, args ...any) string { return common.Translate(lang, key, args...) }

// TestOneWordingPerMistake: a wrong answer to a one-choice and to a
// several-choice question is said the same way, in the session's language,
// and asked again.
func TestOneWordingPerMistake(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "es"} {
		c := tuitest.Common(t, lang)
		var out bytes.Buffer
		// "x" at home, then the guided flow; "99" and "2-x" among the symptoms.
		require.NoError(t, Run(context.Background(), c, strings.NewReader("x\n1\n4\n999\n2-x\n2-4\n"), &out))
		text := out.String()
		require.Contains(t, text, Translate(lang, "acc.invalid.number", "x", 7))
		n := len(c.KB.Symptoms("email"))
		require.Contains(t, text, Translate(lang, "acc.invalid.number", "999", n))
		require.Contains(t, text, Translate(lang, "acc.invalid.number", "2-x", n))
		require.Len(t, c.Session.Symptoms, 3, "2-4 picks three symptoms")
	}
}

// TestParseNumbers: lists, ranges and spaces; anything else names the
// part that is wrong.
func TestParseNumbers(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		want []int
		bad  string
	}{
		{"", nil, ""},
		{"1,3,5", []int{0, 2, 4}, ""},
		{"2-4", []int{1, 2, 3}, ""},
		{"5, 1 2-3", []int{0, 1, 2, 4}, ""},
		{"3,3", []int{2}, ""},
		{"0", nil, "0"},
		{"6", nil, "6"},
		{"4-2", nil, "4-2"},
		{"a", nil, "a"},
		{"1,,2", []int{0, 1}, ""},
	} {
		got, bad := parseNumbers(tt.in, 5)
		require.Equal(t, tt.want, got, tt.in)
		require.Equal(t, tt.bad, bad, tt.in)
	}
}

// TestSkippedChecksNameWhatFailedByTitle: every check run from Home reads
// out a check skipped behind another (even behind a skip) by the title of
// the one that failed, in the session's language, never by its ID.
func TestSkippedChecksNameWhatFailedByTitle(t *testing.T) {
	t.Parallel()
	c := tuitest.Common(t, "es")
	c.Checks = func(*config.Profile, []string) []check.Check {
		run := func(r check.Result) func(context.Context) check.Result {
			return func(context.Context) check.Result { return r }
		}
		return []check.Check{
			{ID: "smtp.tls", Category: "smtp", Title: "SMTP connection is encrypted", Run: run(check.Failf("The server does not offer STARTTLS."))},
			{ID: "smtp.auth", Category: "smtp", Title: "SMTP login works", Requires: []string{"smtp.tls"}, Run: run(check.Passf("ok"))},
			{ID: "smtp.send", Category: "smtp", Title: "SMTP server accepts a test message", Requires: []string{"smtp.auth"}, Run: run(check.Passf("ok"))},
		}
	}
	var out bytes.Buffer
	require.NoError(t, Run(context.Background(), c, strings.NewReader("2\n\nn\n4\n7\n"), &out))
	text := out.String()
	require.Equal(t, 4, strings.Count(text, "No se ejecutó: “La conexión SMTP está cifrada” falló."), "two checks, read out as they finish and in the results:\n%s", text)
	require.NotContains(t, text, "smtp.tls")
	require.NotContains(t, text, "requires ")
}

// TestTickSpeaksTheLanguage: ticking a checklist's items on a screen reader
// (pitstop checklist --tick --accessible) asks with Pitstop's own prompts,
// in the interface language, and returns the items picked.
func TestTickSpeaksTheLanguage(t *testing.T) {
	t.Parallel()
	c := tuitest.Common(t, "es")
	l, ok := c.Checklists.Get("prelaunch")
	require.True(t, ok)
	filled := l.Fill(escalate.Evidence{}, "es")
	manual := filled.ManualIDs()
	require.GreaterOrEqual(t, len(manual), 3)
	var out bytes.Buffer
	ids, err := Tick(context.Background(), "es", &filled, strings.NewReader("x\n1,3\n"), &out)
	require.NoError(t, err)
	require.Equal(t, []string{manual[0], manual[2]}, ids)
	text := out.String()
	require.Contains(t, text, Translate("es", "acc.clist.tick"))
	require.Contains(t, text, Translate("es", "acc.invalid.number", "x", len(manual)))
	for _, en := range englishPrompts {
		require.NotContains(t, text, en)
	}
	ids, err = Tick(context.Background(), "es", &filled, strings.NewReader(""), &out)
	require.NoError(t, err, "input that ends picks nothing")
	require.Empty(t, ids)
}

// TestPastePromptSaysItOnce: "paste the error" is asked once, its hint
// does not say it again.
func TestPastePromptSaysItOnce(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "es"} {
		c := tuitest.Common(t, lang)
		var out bytes.Buffer
		require.NoError(t, Run(context.Background(), c, strings.NewReader("1\n9\n"), &out))
		q, hint := Translate(lang, "paste.question"), Translate(lang, "acc.paste.hint")
		require.Contains(t, out.String(), q+" "+hint)
		require.NotContains(t, strings.ToLower(hint), strings.ToLower(q), "%s: the hint says the question again", lang)
	}
}
