package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/stretchr/testify/require"

	"pitstop/internal/demo"
	"pitstop/internal/i18n"
	"pitstop/internal/kb"
	"pitstop/internal/monitor"
)

// code matches what reads the same in every language: fmt verbs, `quoted
// commands`, and command lines (pitstop kb show, --out ticket.md).
var code = regexp.MustCompile(i18n.VerbRe.String() + "|`[^`]*`|pitstop( [a-z-]+)*|--[a-z-]+( [a-zA-Z.]+)?")

// englishPhrases returns the phrases of the English catalogue a Spanish
// screen must not show: each message cut at its fmt verbs, commands and
// line breaks, kept when it has three words or more.
func englishPhrases(t *testing.T) map[string]string {
	t.Helper()
	forms := func(lang, id string) []string {
		if f := i18n.Forms(lang, id); f != nil {
			out := make([]string, 0, len(f))
			for _, s := range f {
				out = append(out, s)
			}
			return out
		}
		return []string{i18n.T(lang, id)}
	}
	phrases := map[string]string{} // phrase -> id
	for _, id := range i18n.IDs(i18n.English) {
		for _, s := range forms(i18n.English, id) {
			for _, part := range code.Split(s, -1) {
				for _, p := range strings.Split(part, "\n") {
					p = strings.TrimFunc(p, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
					if len(strings.Fields(p)) < 3 || len(p) < 12 {
						continue
					}
					phrases[p] = id
				}
			}
		}
	}
	require.NotEmpty(t, phrases)
	return phrases
}

// untranslated returns the lines of out that hold an English phrase, each
// with the message it comes from.
func untranslated(out string, phrases map[string]string) []string {
	var bad []string
	for _, line := range strings.Split(out, "\n") {
		for p, id := range phrases {
			if strings.Contains(line, p) {
				bad = append(bad, id+": "+line)
				break
			}
		}
	}
	return bad
}

// TestSpanishOutputHasNoEnglish runs the main commands with --lang es
// against the sandbox and fails on any line that shows a phrase of an
// English message of the catalogue: text that bypassed it, or a Spanish
// message left in English. The same commands in English must trip it, so
// the test can fail.
func TestSpanishOutputHasNoEnglish(t *testing.T) {
	t.Parallel()
	phrases := englishPhrases(t)
	sb, err := demo.StartSandbox("mixed", demo.SandboxOptions{Dir: t.TempDir()})
	require.NoError(t, err)
	t.Cleanup(func() { sb.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// A --kb folder with mistakes, for lint's messages and load warnings
	// (the English article has its headings: a missing one is quoted as
	// written, in the article's language).
	kbDir := t.TempDir()
	for name, text := range map[string]string{
		"en/broken.md": "---\nid: broken\ntitle: [x\n---\n",
		"en/thin.md":   "---\nid: thin\ntitle: Thin\ncategory: api\nseverity: low\nreviewed: 2020-01-01\nchecks: [no.such]\nrelated: [gone]\n---\n" + strings.Join(kb.Sections("en"), "\n\n") + "\n",
		"es/thin.md":   "---\nid: thin\ntitle: Fino\ncategory: email\nseverity: low\n---\ncuerpo\n",
	} {
		require.NoError(t, os.MkdirAll(filepath.Join(kbDir, filepath.Dir(name)), 0o700))
		require.NoError(t, os.WriteFile(filepath.Join(kbDir, name), []byte(text), 0o600))
	}

	commands := [][]string{
		{"check"},
		{"check", "-v"},
		{"check", "--format", "markdown"},
		{"check", "--only", "cache"},
		{"check", "--format", "pdf"},
		{"report", "--out", "-", "--error", "CopyCar API error 401: Invalid API Key", "--impact", "high"},
		{"report", "--format", "pdf"},
		{"fix"},
		{"fix", "--yes"},
		{"checklist"},
		{"checklist", "nope"},
		{"config"},
		{"diagnose", "535 5.7.8 Error: authentication failed"},
		{"diagnose", "the purple banana wobbles on tuesdays"},
		{"diagnose", "--limit", "0", "x"},
		{"kb", "list"},
		{"kb", "search", "rate limit"},
		{"kb", "search", "zzzyyyxxx"},
		{"kb", "show", "api-rate-limit"},
		{"kb", "show", "api-rate-limt"},
		{"kb", "lint"},
		{"kb", "lint", kbDir},
		{"kb", "list", "--kb", kbDir},
		{"demo", "--list"},
		{"demo", "--scenario", "nope"},
		{"monitor", "--interval", "1ms"},
		{"serve", "--concurrency", "0"},
	}
	_, lists, err := (&App{}).loadEscalation()
	require.NoError(t, err)
	for _, name := range lists.Names() {
		commands = append(commands, []string{"checklist", name})
	}
	var english []string
	for _, args := range commands {
		for _, lang := range []string{"es", "en"} {
			_, out, errOut := runCLI(t, ctx, append([]string{"--config", sb.ConfigPath, "--lang", lang}, args...)...)
			bad := untranslated(out+"\n"+errOut, phrases)
			if lang == "en" {
				english = append(english, bad...)
				continue
			}
			require.Empty(t, bad, "pitstop %s --lang es shows English:\n%s", strings.Join(args, " "), out+errOut)
		}
	}
	require.NotEmpty(t, english, "the English runs show no English phrase: the test cannot fail")

	// The monitor's closing summary (the live screen itself is the TUI's).
	sum := monitor.Summary{Stats: monitor.Stats{Total: 3, Successes: 2, SuccessRate: 2.0 / 3, ErrorRate: 1.0 / 3,
		Elapsed: time.Minute, Endpoints: []monitor.EndpointStats{{Endpoint: "https://api.example", Total: 3, Successes: 2}}},
		Alerts: []monitor.Alert{{Kind: monitor.HighErrorRate, Severity: monitor.Critical, Value: 0.3, Limit: 0.1}}}
	var b bytes.Buffer
	printMonitorSummary(&b, sum, "es", 0)
	require.Empty(t, untranslated(b.String(), phrases), b.String())
	b.Reset()
	printMonitorSummary(&b, sum, "en", 0)
	require.NotEmpty(t, untranslated(b.String(), phrases), b.String())
}
