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

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/stretchr/testify/require"

	"pitstop/internal/demo"
	"pitstop/internal/i18n"
	"pitstop/internal/i18n/i18ntest"
	"pitstop/internal/kb"
	"pitstop/internal/monitor"
	"pitstop/internal/registry"
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
		if strings.HasSuffix(id, ".example") {
			continue // sample commands quote error texts and article words
		}
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

// TestSpanishOutputHasNoEnglish runs the main commands with --lang es (and
// any other language of the catalogue) against the sandbox and fails on any
// line that shows a phrase of an English message of the catalogue: text
// that bypassed it, or a message left in English. The same commands in
// English must trip it, so the test can fail.
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
		{"report", "--impact", "huge"},
		{"fix", "--apply"},
		{"fix"},
		{"fix", "--yes"},
		{"checklist"},
		{"checklist", "nope"},
		{"config"},
		{"config", "--example"},
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
		{"--help"},
		{"check", "--help"},
		{"kb", "lint", "--help"},
		{"monitor", "--help"},
	}
	_, lists, err := (&App{}).loadEscalation()
	require.NoError(t, err)
	for _, name := range lists.Names() {
		commands = append(commands, []string{"checklist", name})
	}
	var english []string
	for _, args := range commands {
		for _, lang := range i18n.Languages() {
			if lang == i18ntest.Code {
				continue // the pseudo-locale reads English articles
			}
			_, out, errOut := runCLI(t, ctx, append([]string{"--config", sb.ConfigPath, "--lang", lang}, args...)...)
			bad := untranslated(out+"\n"+errOut, phrases)
			if lang == i18n.English {
				english = append(english, bad...)
				continue
			}
			require.Empty(t, bad, "pitstop %s --lang %s shows English:\n%s", strings.Join(args, " "), lang, out+errOut)
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

// TestHelpFromCatalogue: every command has a summary and every flag a usage
// in each language (the help lives in the catalogue, not in the commands),
// and `--lang es --help` prints the Spanish help.
func TestHelpFromCatalogue(t *testing.T) {
	t.Parallel()
	for _, lang := range i18n.Languages() {
		root := NewRoot(&App{})
		localizeHelp(root, lang)
		var walk func(c *cobra.Command)
		walk = func(c *cobra.Command) {
			if c.Parent() == nil || c.Parent().Name() != "completion" {
				require.NotEmpty(t, c.Short, "%s %s: no summary", lang, c.CommandPath())
			}
			usage := func(f *pflag.Flag) {
				require.NotEmpty(t, f.Usage, "%s %s --%s: no usage", lang, c.CommandPath(), f.Name)
				require.NotContains(t, f.Usage, "%!", "%s %s --%s", lang, c.CommandPath(), f.Name)
			}
			c.Flags().VisitAll(usage)
			c.PersistentFlags().VisitAll(usage)
			for _, sub := range c.Commands() {
				walk(sub)
			}
		}
		walk(root)
	}
	_, out, _ := runCLI(t, context.Background(), "--lang", "es", "check", "--help")
	require.Contains(t, out, "Check ejecuta todas las comprobaciones")
	// fang capitalises a flag's usage: compare from the second letter.
	require.Contains(t, out, i18n.T("es", "cli.flag.check.strict")[1:])
	require.Contains(t, out, i18n.T("es", "cli.flag.only", strings.Join(registry.IDs(), ","))[1:])
	_, out, _ = runCLI(t, context.Background(), "--lang=en", "check", "--help")
	require.Contains(t, out, "Check runs every check")
}
