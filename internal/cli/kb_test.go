package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// runKB runs the command line with buffers and returns the exit code and
// what was written.
func runKB(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	app := &App{Version: "test", Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb}
	args = append([]string{"--log-file", filepath.Join(t.TempDir(), "pitstop.log")}, args...)
	code = run(context.Background(), app, args)
	return code, out.String(), errb.String()
}

type listed struct {
	Articles []struct {
		ID       string  `json:"id"`
		Title    string  `json:"title"`
		Category string  `json:"category"`
		Severity string  `json:"severity"`
		Lang     string  `json:"lang"`
		Score    float64 `json:"score"`
	} `json:"articles"`
}

func listIDs(t *testing.T, lang string) []string {
	t.Helper()
	code, stdout, stderr := runKB(t, "", "kb", "list", "--format", "json", "--lang", lang)
	require.Equal(t, ExitOK, code, stderr)
	var l listed
	require.NoError(t, json.Unmarshal([]byte(stdout), &l))
	var ids []string
	for _, a := range l.Articles {
		require.Equal(t, lang, a.Lang)
		require.NotEmpty(t, a.Title)
		require.NotEmpty(t, a.Category)
		require.NotEmpty(t, a.Severity)
		ids = append(ids, a.ID)
	}
	return ids
}

func TestKBList(t *testing.T) {
	t.Parallel()
	en, es := listIDs(t, "en"), listIDs(t, "es")
	require.NotEmpty(t, en)
	require.Equal(t, en, es, "both languages list the same ids")

	code, stdout, _ := runKB(t, "", "kb", "list")
	require.Equal(t, ExitOK, code)
	require.True(t, strings.HasPrefix(stdout, "ID "), stdout)
	require.Contains(t, stdout, "api-rate-limit")
	require.Len(t, strings.Split(strings.TrimSpace(stdout), "\n"), len(en)+1)

	code, _, stderr := runKB(t, "", "kb", "list", "--format", "yaml")
	require.Equal(t, ExitUsage, code)
	require.Contains(t, stderr, "text or json")
}

func TestKBSearch(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runKB(t, "", "kb", "search", "gmail", "app", "password")
	require.Equal(t, ExitOK, code, stderr)
	require.True(t, strings.HasPrefix(stdout, "smtp-gmail-app-password "), stdout)
	require.Contains(t, stdout, "pitstop kb show smtp-gmail-app-password")

	code, stdout, _ = runKB(t, "", "kb", "search", "--format", "json", "--lang", "es", "contraseña de aplicación")
	require.Equal(t, ExitOK, code)
	var l listed
	require.NoError(t, json.Unmarshal([]byte(stdout), &l))
	require.NotEmpty(t, l.Articles)
	require.Equal(t, "smtp-gmail-app-password", l.Articles[0].ID)
	require.Positive(t, l.Articles[0].Score)

	code, stdout, _ = runKB(t, "", "kb", "search", "qqqzzzxxx")
	require.Equal(t, ExitOK, code)
	require.Contains(t, stdout, "No article matches")

	code, stdout, _ = runKB(t, "", "kb", "search", "--format", "json", "qqqzzzxxx")
	require.Equal(t, ExitOK, code)
	require.JSONEq(t, `{"articles":[]}`, stdout)

	code, _, _ = runKB(t, "", "kb", "search")
	require.Equal(t, ExitUsage, code)
}

func TestKBShow(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runKB(t, "", "kb", "show", "api-rate-limit")
	require.Equal(t, ExitOK, code, stderr)
	require.True(t, strings.HasPrefix(stdout, "# "), "plain Markdown when not a terminal: %q", stdout[:40])
	require.NotContains(t, stdout, "\x1b[", "no escape codes when not a terminal")
	for _, h := range []string{"## What you see", "## Fix it now", "## When to escalate", "## Related articles", "`api-quota-exhausted`",
		"## Sources", "Checked against these pages on 2026-", "- <https://platform.openai.com/docs/guides/rate-limits>"} {
		require.Contains(t, stdout, h)
	}
	require.Less(t, strings.Index(stdout, "## Related articles"), strings.Index(stdout, "## Sources"), "the sources close the article")

	code, stdout, _ = runKB(t, "", "--lang", "es", "kb", "show", "api-rate-limit")
	require.Equal(t, ExitOK, code)
	require.Contains(t, stdout, "## Qué ves")
	require.Contains(t, stdout, "## Artículos relacionados")
	require.Contains(t, stdout, "## Fuentes")
	require.Contains(t, stdout, "Comprobado con estas páginas el 2026-")

	code, stdout, _ = runKB(t, "", "kb", "show", "--format", "json", "smtp-auth-failed")
	require.Equal(t, ExitOK, code)
	var a struct {
		ID       string   `json:"id"`
		Lang     string   `json:"lang"`
		Symptoms []string `json:"symptoms"`
		Checks   []string `json:"checks"`
		Sources  []string `json:"sources"`
		Reviewed string   `json:"reviewed"`
		Body     string   `json:"body"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &a))
	require.Equal(t, "smtp-auth-failed", a.ID)
	require.NotEmpty(t, a.Sources)
	require.NotContains(t, a.Body, "## Sources", "JSON gives the sources as a list, not again in the body")
	require.Regexp(t, `^\d{4}-\d{2}-\d{2}$`, a.Reviewed)
	require.Equal(t, "en", a.Lang)
	require.Contains(t, a.Checks, "smtp.auth")
	require.NotEmpty(t, a.Symptoms)
	require.Contains(t, a.Body, "## Why it happens")
}

func TestKBShowUnknownSuggests(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runKB(t, "", "kb", "show", "api-ratelimit")
	require.Equal(t, ExitUsage, code)
	require.Empty(t, stdout)
	require.Contains(t, stderr, `"api-ratelimit"`)
	require.Contains(t, stderr, "api-rate-limit")
}

func TestKBLint(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runKB(t, "", "kb", "lint")
	require.Equal(t, ExitOK, code, stdout+stderr)
	require.Contains(t, stdout, "no problems")

	dir := t.TempDir()
	writeArticle(t, filepath.Join(dir, "en", "api-x.md"), "api-x", "en", "checks: [api.nope]")
	writeArticle(t, filepath.Join(dir, "es", "api-x.md"), "api-x", "es", "checks: [api.nope]")
	writeArticle(t, filepath.Join(dir, "en", "api-y.md"), "api-y", "en", "")
	code, stdout, stderr = runKB(t, "", "kb", "lint", dir)
	require.Equal(t, ExitFailed, code)
	require.Contains(t, stdout, filepath.Join(dir, "en", "api-x.md")+`:7: check "api.nope" is not a known check id`)
	require.Contains(t, stdout, filepath.Join(dir, "en", "api-y.md")+`:2: article "api-y" has no es version`)
	require.Contains(t, stderr, "3 problems and 0 warnings")

	code, stdout, _ = runKB(t, "", "kb", "lint", "--format", "json", dir)
	require.Equal(t, ExitFailed, code)
	var out struct {
		Problems []struct {
			File    string `json:"file"`
			Line    int    `json:"line"`
			Message string `json:"message"`
		} `json:"problems"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &out))
	require.Len(t, out.Problems, 3)
	require.Equal(t, 7, out.Problems[0].Line)

	// An article reviewed long ago is a warning: said, exit code 0.
	old := t.TempDir()
	writeArticle(t, filepath.Join(old, "en", "api-z.md"), "api-z", "en", "reviewed: 2020-01-31")
	writeArticle(t, filepath.Join(old, "es", "api-z.md"), "api-z", "es", "reviewed: 2020-01-31")
	code, stdout, stderr = runKB(t, "", "kb", "lint", old)
	require.Equal(t, ExitOK, code, stdout+stderr)
	require.Contains(t, stdout, filepath.Join(old, "en", "api-z.md")+":7: warning: reviewed 2020-01-31, more than 12 months ago")
	require.Contains(t, stderr, "2 warnings in")

	// An article without sources fails.
	writeArticle(t, filepath.Join(old, "en", "api-w.md"), "api-w", "en", "sources: []")
	writeArticle(t, filepath.Join(old, "es", "api-w.md"), "api-w", "es", "sources: []")
	code, stdout, _ = runKB(t, "", "kb", "lint", old)
	require.Equal(t, ExitFailed, code)
	require.Contains(t, stdout, filepath.Join(old, "en", "api-w.md")+":7: sources is missing")

	code, _, stderr = runKB(t, "", "kb", "lint", filepath.Join(dir, "missing"))
	require.Equal(t, ExitUsage, code)
	require.Contains(t, stderr, "missing")
}

// writeArticle writes a complete article with one extra front-matter line.
func writeArticle(t *testing.T, path, id, lang, extra string) {
	t.Helper()
	sections := map[string][]string{
		"en": {"What you see", "Why it happens", "Fix it now", "Prevent it", "When to escalate"},
		"es": {"Qué ves", "Por qué pasa", "Arréglalo ahora", "Cómo prevenirlo", "Cuándo escalar"},
	}
	var b strings.Builder
	b.WriteString("---\nid: " + id + "\ntitle: Overlay " + id + "\ncategory: api\nseverity: low\nsymptoms: [\"Odd\"]\n")
	if extra != "" {
		b.WriteString(extra + "\n")
	}
	if !strings.Contains(extra, "sources:") {
		b.WriteString("sources: [\"https://example.com/docs\"]\n")
	}
	if !strings.Contains(extra, "reviewed:") {
		b.WriteString("reviewed: 2026-12-01\n")
	}
	b.WriteString("---\n")
	for _, h := range sections[lang] {
		b.WriteString("## " + h + "\n\nText.\n\n")
	}
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o600))
}

func TestKBOverlay(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeArticle(t, filepath.Join(dir, "en", "api-rate-limit.md"), "api-rate-limit", "en", "")
	writeArticle(t, filepath.Join(dir, "custom-note.md"), "custom-note", "en", "")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "en", "broken.md"), []byte("---\nid: broken\ntitle: [x\n---\n"), 0o600))

	code, stdout, stderr := runKB(t, "", "--kb", dir, "kb", "show", "api-rate-limit")
	require.Equal(t, ExitOK, code, stderr)
	require.True(t, strings.HasPrefix(stdout, "# Overlay api-rate-limit"), stdout)
	require.Equal(t, 1, strings.Count(stderr, "1 article file has mistakes and was left out"), stderr)
	require.Contains(t, stderr, "`pitstop kb lint "+dir+"`")
	require.Contains(t, stderr, "\n  "+filepath.Join(dir, "en", "broken.md")+":3:")

	code, stdout, _ = runKB(t, "", "--kb", dir, "kb", "list")
	require.Equal(t, ExitOK, code)
	require.Contains(t, stdout, "custom-note")

	code, _, stderr = runKB(t, "", "--kb", filepath.Join(dir, "nope"), "kb", "list")
	require.Equal(t, ExitUsage, code)
	require.Contains(t, stderr, "nope")
}

type diagnosed struct {
	Matches []struct {
		ID         string   `json:"id"`
		Title      string   `json:"title"`
		Category   string   `json:"category"`
		Severity   string   `json:"severity"`
		Score      float64  `json:"score"`
		Confidence string   `json:"confidence"`
		Reasons    []string `json:"reasons"`
	} `json:"matches"`
}

func TestDiagnose(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"argument", "", []string{"535 5.7.8 Error: authentication failed: authentication failure"}, "smtp-auth-failed"},
		{"several arguments", "", []string{"x509:", "certificate", "signed", "by", "unknown", "authority"}, "api-tls-certificate"},
		{"stdin", `[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`, nil, "crm-salesforce-invalid-session"},
		{"spanish", `{"error":{"code":"insufficient_quota"}}`, []string{"--lang", "es"}, "api-quota-exhausted"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"diagnose", "--format", "json"}, tc.args...)
			code, stdout, stderr := runKB(t, tc.stdin, args...)
			require.Equal(t, ExitOK, code, stderr)
			var d diagnosed
			require.NoError(t, json.Unmarshal([]byte(stdout), &d), stdout)
			require.NotEmpty(t, d.Matches)
			first := d.Matches[0]
			require.Equal(t, tc.want, first.ID)
			require.NotEmpty(t, first.Title)
			require.NotEmpty(t, first.Category)
			require.NotEmpty(t, first.Severity)
			require.Positive(t, first.Score)
			require.Equal(t, "strong", first.Confidence)
			require.NotEmpty(t, first.Reasons)
			for i := 1; i < len(d.Matches); i++ {
				require.GreaterOrEqual(t, d.Matches[i-1].Score, d.Matches[i].Score, "best first")
			}
		})
	}
}

func TestDiagnoseText(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runKB(t, "", "diagnose", "--limit", "2", `{"error":{"message":"You exceeded your current quota","type":"insufficient_quota"}}`)
	require.Equal(t, ExitOK, code, stderr)
	require.True(t, strings.HasPrefix(stdout, "1. api-quota-exhausted "), stdout)
	require.Contains(t, stdout, `- the text contains "insufficient_quota"`)
	require.NotContains(t, stdout, "3. ")
	require.Contains(t, stdout, "pitstop kb show api-quota-exhausted")

	code, stdout, _ = runKB(t, "", "diagnose", "the and of to")
	require.Equal(t, ExitOK, code)
	require.Contains(t, stdout, "No article matches")

	code, stdout, _ = runKB(t, "", "diagnose", "--format", "json", "the and of to")
	require.Equal(t, ExitOK, code)
	require.JSONEq(t, `{"matches":[]}`, stdout)
}

func TestDiagnoseUsageErrors(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"diagnose"},                         // empty stdin
		{"diagnose", "   "},                  // blank text
		{"diagnose", "--format", "xml", "x"}, // bad format
		{"diagnose", "--limit", "0", "x"},    // bad limit
	} {
		code, _, stderr := runKB(t, "", args...)
		require.Equal(t, ExitUsage, code, "%v: %s", args, stderr)
	}
}

// TestKBTextInSpanish: with --lang es the words Pitstop adds around the
// articles are Spanish too (the JSON keeps the ids).
func TestKBTextInSpanish(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runKB(t, "", "--lang", "es", "kb", "list")
	require.Equal(t, ExitOK, code, stderr)
	require.True(t, strings.HasPrefix(stdout, "ID"), stdout)
	require.Contains(t, strings.SplitN(stdout, "\n", 2)[0], "GRAVEDAD")
	require.Regexp(t, `(?m)^api-invalid-key +api +alta +`, stdout)

	code, stdout, _ = runKB(t, "", "--lang", "es", "kb", "show", "smtp-auth-failed")
	require.Equal(t, ExitOK, code)
	require.Contains(t, stdout, "· correo · gravedad alta")

	code, stdout, _ = runKB(t, "", "--lang", "es", "diagnose", "535 5.7.8 Error: authentication failed")
	require.Equal(t, ExitOK, code)
	require.Contains(t, stdout, "   correo · gravedad alta · puntuación")

	code, _, stderr = runKB(t, "", "--lang", "es", "kb", "show", "smtp-auth-faile")
	require.Equal(t, ExitUsage, code)
	require.Contains(t, stderr, `no hay ningún artículo "smtp-auth-faile"; ¿quisiste decir smtp-auth-failed?`)
}

func TestHangingWrap(t *testing.T) {
	t.Parallel()
	require.Equal(t, "    short\n", hangingWrap("    ", "short", 80))
	require.Equal(t, "    aaaa bbbb cccc dddd eeee\n    ffff gggg\n", hangingWrap("    ", "aaaa bbbb cccc dddd eeee ffff gggg", 30))
	require.Equal(t, "    a b\n", hangingWrap("    ", "a b", 0), "no width: no wrapping")
	require.Equal(t, 12, widest("abc\nabcdefghijkl\n"))
}

// TestKBListStripsControlsFromOverlayTitles: an overlay article is outside
// text; its title cannot retitle or clear the terminal.
func TestKBListStripsControlsFromOverlayTitles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "en", "api-evil.md")
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o700))
	writeArticle(t, path, "api-evil", "en", "")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	evil := strings.Replace(string(data), "title: Overlay api-evil", `title: "Evil \e]0;pwned\a\e[2J title \u202e"`, 1)
	require.NoError(t, os.WriteFile(path, []byte(evil), 0o600))
	code, stdout, stderr := runKB(t, "", "--kb", dir, "kb", "list")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stdout, "Evil  title")
	for _, bad := range []string{"\x1b", "\a", "\u202e"} {
		require.NotContains(t, stdout, bad)
	}
}

// TestOverlayFieldsPassTheDoorEverywhere: an overlay article with escape
// sequences, control characters and bidi overrides in its title, symptoms,
// patterns, sources and body shows none of them in any command that shows
// it: kb list, search and show, in text and JSON, and diagnose.
func TestOverlayFieldsPassTheDoorEverywhere(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "en", "api-evil.md")
	const evil = `\e]0;pwned\a\e[2J\0\u202e`
	writeArticle(t, path, "api-evil", "en", `patterns: ["(?i)zorbulated\e\a\0\u202e widget"]`+"\n"+`sources: ["https://example.com/`+evil+`docs"]`)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	evilText := strings.Replace(string(data), "title: Overlay api-evil", `title: "Evil`+evil+` zorbulated title"`, 1)
	evilText = strings.Replace(evilText, `symptoms: ["Odd"]`, `symptoms: ["Zorbulated`+evil+` widget"]`, 1)
	evilText = strings.Replace(evilText, "Text.", "Body \x1b]8;;https://evil.test\x07link\x1b]8;;\x07 \x1b[31mzorbulated\x1b[0m\x00 \u202eend", -1)
	require.NoError(t, os.WriteFile(path, []byte(evilText), 0o600))
	for _, args := range [][]string{
		{"kb", "list"}, {"kb", "list", "--format", "json"},
		{"kb", "search", "zorbulated"}, {"kb", "search", "zorbulated", "--format", "json"},
		{"kb", "show", "api-evil"}, {"kb", "show", "api-evil", "--format", "json"},
		{"diagnose", "the zorbulated widget broke"}, {"diagnose", "--format", "json", "the zorbulated widget broke"},
	} {
		code, stdout, stderr := runKB(t, "", append([]string{"--kb", dir}, args...)...)
		require.Equal(t, 0, code, "%v: %s", args, stderr)
		require.Contains(t, stdout, "api-evil", "%v shows the article: %s", args, stderr)
		for _, bad := range []string{"\x1b", "\a", "\x00", "\u202e", `\u001b`, `\u0007`, `\u0000`, `\u202e`, "pwned", "evil.test"} {
			require.NotContains(t, stdout+stderr, bad, "%v", args)
		}
	}
}

// diagnose leaves out the articles about a provider the profile does not
// use, unless the text names it, as the report does.
func TestDiagnoseUsesTheProfilesProviders(t *testing.T) {
	t.Parallel()
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("default_profile: prod\nprofiles:\n  prod:\n    crm:\n      provider: hubspot\n      token: pat-na1-0000\n"), 0o600))
	tests := []struct {
		name   string
		text   string
		first  string
		absent []string
	}{
		{"generic CRM error", `crm sync failed: 401 Unauthorized {"status":"error","message":"Authentication credentials not found."}`,
			"crm-hubspot-auth", []string{"crm-pipedrive-auth", "crm-salesforce-invalid-session"}},
		{"Salesforce error naming Salesforce", `GET https://acme.my.salesforce.com/services/data/v60.0/query: 401 [{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`,
			"crm-salesforce-invalid-session", []string{"crm-pipedrive-auth"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runKB(t, tc.text, "--config", cfg, "diagnose", "--format", "json", "--limit", "50")
			require.Equal(t, ExitOK, code, stderr)
			var d diagnosed
			require.NoError(t, json.Unmarshal([]byte(stdout), &d), stdout)
			require.NotEmpty(t, d.Matches)
			require.Equal(t, tc.first, d.Matches[0].ID)
			for _, m := range d.Matches {
				require.NotContains(t, tc.absent, m.ID)
			}
		})
	}
}

// TestKBShowMasksSecrets: an overlay article that quotes the settings' key
// is shown with the key masked, as text and as JSON.
func TestKBShowMasksSecrets(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const key = "sk-proj-kbshowCanary0123456789abcdefXYZ"
	path := filepath.Join(dir, "en", "note.md")
	writeArticle(t, path, "note", "en", "")
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString("\nOur key was " + key + " when it broke.\n")
	require.NoError(t, err)
	require.NoError(t, f.Close())
	cfg := filepath.Join(dir, "config.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("profiles:\n  p:\n    api: {provider: openai, key: "+key+"}\n"), 0o600))
	for _, format := range []string{"text", "json"} {
		code, stdout, stderr := runKB(t, "", "--config", cfg, "--kb", dir, "kb", "show", "--format", format, "note")
		require.Equal(t, 0, code, stderr)
		require.Contains(t, stdout, "when it broke", format)
		require.NotContains(t, stdout, key, format)
		require.NotContains(t, stdout, key[8:30], format)
	}
}
