package kb

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/require"
)

func TestLint(t *testing.T) {
	t.Parallel()
	known := []string{"api.auth", "api.ratelimit"}
	today := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	pair := func(id string, extra ...string) fstest.MapFS {
		return fstest.MapFS{
			"en/" + id + ".md": {Data: []byte(article(id, "en", "Title", extra...))},
			"es/" + id + ".md": {Data: []byte(article(id, "es", "Título", extra...))},
		}
	}
	merge := func(fs ...fstest.MapFS) fstest.MapFS {
		out := fstest.MapFS{}
		for _, f := range fs {
			for k, v := range f {
				out[k] = v
			}
		}
		return out
	}
	tests := []struct {
		name string
		fsys fstest.MapFS
		want []string
	}{
		{"clean", merge(pair("a", "checks: [api.auth]", "related: [b]", `patterns: ['\b429\b']`), pair("b")), nil},
		{"unknown check", pair("a", "checks: [api.auth, api.nope]"), []string{
			`en/a.md:7: check "api.nope" is not a known check id`,
			`es/a.md:7: check "api.nope" is not a known check id`,
		}},
		{"missing related", pair("a", "related: [ghost]"), []string{
			`en/a.md:7: related article "ghost" does not exist in en/`,
			`es/a.md:7: related article "ghost" does not exist in es/`,
		}},
		{"bad pattern", pair("a", `patterns: ['(?=x)']`), []string{
			`en/a.md:7: pattern "(?=x)" does not compile`,
			`es/a.md:7: pattern "(?=x)" does not compile`,
		}},
		{"missing translation", merge(pair("a"), fstest.MapFS{"en/b.md": {Data: []byte(article("b", "en", "B"))}}), []string{
			`en/b.md:2: article "b" has no es version (es/b.md)`,
		}},
		{"id and file name differ", fstest.MapFS{
			"en/a.md": {Data: []byte(article("x", "en", "A"))},
			"es/x.md": {Data: []byte(article("x", "es", "A"))},
		}, []string{`en/a.md:2: id "x" does not match the file name (expected "a")`}},
		{"duplicate id", fstest.MapFS{
			"en/a.md": {Data: []byte(article("a", "en", "A"))},
			"en/b.md": {Data: []byte(article("a", "en", "A again"))},
			"es/a.md": {Data: []byte(article("a", "es", "A"))},
		}, []string{
			`en/b.md:2: id "a" does not match the file name (expected "b")`,
			`en/b.md:2: id "a" is already used by en/a.md`,
		}},
		{"missing fields, sections and bad values", fstest.MapFS{
			"en/a.md": {Data: []byte("---\nid: a\ncategory: weather\nseverity: urgent\nsymptoms: []\nextra: 1\n---\n## What you see\n\n## Fix it now\n")},
			"es/a.md": {Data: []byte(article("a", "es", "A"))},
		}, []string{
			`en/a.md:1: title is missing`,
			`en/a.md:1: sources is missing`,
			`en/a.md:1: reviewed is missing`,
			`en/a.md:3: category "weather" is not one of`,
			`en/a.md:4: severity "urgent" is not one of`,
			`en/a.md:5: symptoms is missing`,
			`en/a.md:6: unknown field "extra"`,
			`en/a.md:8: section "## Why it happens" is missing`,
			`en/a.md:8: section "## Prevent it" is missing`,
			`en/a.md:8: section "## When to escalate" is missing`,
			`es/a.md:4: category [api] differs from en/a.md [weather]`,
			`es/a.md:5: severity [medium] differs from en/a.md [urgent]`,
		}},
		{"English headings in Spanish", fstest.MapFS{
			"en/a.md": {Data: []byte(article("a", "en", "A"))},
			"es/a.md": {Data: []byte(article("a", "en", "A"))},
		}, []string{
			`es/a.md:10: section "## Qué ves" is missing`,
			`es/a.md:10: section "## Por qué pasa" is missing`,
			`es/a.md:10: section "## Arréglalo ahora" is missing`,
			`es/a.md:10: section "## Cómo prevenirlo" is missing`,
			`es/a.md:10: section "## Cuándo escalar" is missing`,
		}},
		{"provider", merge(pair("crm-hubspot-x", "provider: hubspot"), pair("crm-pipedrive-x"), pair("smtp-gmail-x", "provider: m365"), pair("c", "provider: zoho")), []string{
			`en/c.md:7: provider "zoho" is not one of hubspot, salesforce`,
			`en/crm-pipedrive-x.md:1: provider must be "pipedrive": the id names that provider`,
			`en/smtp-gmail-x.md:7: provider must be "gmail"`,
			`es/c.md:7: provider "zoho" is not one of`,
			`es/crm-pipedrive-x.md:1: provider must be "pipedrive"`,
			`es/smtp-gmail-x.md:7: provider must be "gmail"`,
		}},
		{"translation disagrees on the provider", fstest.MapFS{
			"en/a.md": {Data: []byte(article("a", "en", "A", "provider: openai"))},
			"es/a.md": {Data: []byte(article("a", "es", "A"))},
		}, []string{`es/a.md:1: provider [] differs from en/a.md [openai]`}},
		{"translation disagrees", fstest.MapFS{
			"en/a.md": {Data: []byte(article("a", "en", "A", "checks: [api.auth]"))},
			"es/a.md": {Data: []byte(article("a", "es", "A", "checks: [api.ratelimit]"))},
		}, []string{`es/a.md:7: checks [api.ratelimit] differs from en/a.md [api.auth]`}},
		{"sources and review date", merge(
			pair("a", "sources: []", "reviewed: 2026-02-30"),
			pair("b", `sources: ["docs.example.com/page", "https://example.com/ok"]`, "reviewed: yesterday"),
		), []string{
			`en/a.md:7: sources is missing`,
			`en/a.md:8: reviewed "2026-02-30" is not a date like 2026-12-01`,
			`en/b.md:7: source "docs.example.com/page" is not a web address`,
			`en/b.md:8: reviewed "yesterday" is not a date`,
			`es/a.md:7: sources is missing`,
			`es/a.md:8: reviewed "2026-02-30" is not a date like 2026-12-01`,
			`es/b.md:7: source "docs.example.com/page" is not a web address`,
			`es/b.md:8: reviewed "yesterday" is not a date`,
		}},
		{"reviewed over a year ago", merge(pair("a", "reviewed: 2025-11-30"), pair("b", "reviewed: 2025-12-02")), []string{
			`en/a.md:7: warning: reviewed 2025-11-30, more than 12 months ago`,
			`es/a.md:7: warning: reviewed 2025-11-30, more than 12 months ago`,
		}},
		{"no front matter", merge(pair("b"), fstest.MapFS{"en/a.md": {Data: []byte("# Title\n")}}), []string{
			`en/a.md:1: no front matter`,
		}},
		{"no language directories", fstest.MapFS{"README.md": {Data: []byte("hi")}}, []string{
			`en: cannot read the en/ directory`,
			`es: cannot read the es/ directory`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, p := range LintAt(tc.fsys, known, today) {
				got = append(got, p.String())
			}
			require.Len(t, got, len(tc.want), strings.Join(got, "\n"))
			for i, want := range tc.want {
				require.True(t, strings.HasPrefix(got[i], want), "problem %d:\n got: %s\nwant: %s…", i, got[i], want)
			}
		})
	}
}

// TestProblemStripsControls: a problem quotes an overlay's own text (its
// file name, a pattern that does not compile); printed, it carries no
// escape sequence or control byte.
func TestProblemStripsControls(t *testing.T) {
	p := Problem{File: "evil\x1b]0;pwned\x07.md", Line: 3, Msg: "pattern \"\x1b[2J(\" does not compile"}
	for _, got := range []string{p.String(), p.In("es").String(), Warning{problem: p}.String()} {
		require.NotContains(t, got, "\x1b")
		require.NotContains(t, got, "\x07")
		require.Contains(t, got, "evil")
	}
}
