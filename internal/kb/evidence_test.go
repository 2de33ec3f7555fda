package kb

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/i18n"
)

func TestMatchChecks(t *testing.T) {
	t.Parallel()
	b := embedded()["en"]
	tests := []struct {
		name    string
		results []check.Result
		want    string // first article
		reason  string // part of its first reason
		absent  []string
	}{
		{
			name:    "failed check naming an article",
			results: []check.Result{check.Failf("wrong password").Explain("smtp-gmail-app-password")},
			want:    "smtp-gmail-app-password",
			reason:  "check smtp.auth failed and points to this article",
		},
		{
			name:    "failed check without articles votes for those that cover it",
			results: []check.Result{check.Failf("no DMARC")},
			want:    "domain-dmarc-missing",
			reason:  "this article covers check domain.dmarc, which failed",
		},
		{
			name:    "passing and skipped checks say nothing",
			results: []check.Result{check.Passf("ok").Explain("api-invalid-key"), check.Skipf("not configured").Explain("api-timeouts")},
		},
		{
			name: "a failure outweighs a warning",
			results: []check.Result{
				check.Warnf("close to the limit").Explain("api-rate-limit"),
				check.Failf("quota gone").Explain("api-quota-exhausted"),
			},
			want:   "api-quota-exhausted",
			reason: "failed and points to this article",
		},
		{
			name:    "could not test",
			results: []check.Result{check.Errorf("query refused").Explain("domain-dnsbl-query-refused")},
			want:    "domain-dnsbl-query-refused",
			reason:  "could not be tested",
		},
	}
	ids := map[string]string{
		"wrong password": "smtp.auth", "no DMARC": "domain.dmarc", "ok": "api.auth", "not configured": "api.reachability",
		"close to the limit": "api.ratelimit", "quota gone": "api.ratelimit", "query refused": "domain.dnsbl",
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for i := range tc.results {
				tc.results[i].ID = ids[tc.results[i].Summary]
			}
			got := b.Match(Evidence{Results: tc.results})
			if tc.want == "" {
				require.Empty(t, got)
				return
			}
			require.NotEmpty(t, got)
			require.Equal(t, tc.want, got[0].Article.ID, describe(got))
			require.Contains(t, got[0].Reasons[0], tc.reason)
		})
	}
}

func TestMatchSymptoms(t *testing.T) {
	t.Parallel()
	for _, lang := range i18n.Languages() {
		b := embedded()[lang]
		for _, a := range b.Articles() {
			// Picking an article's own symptoms, in another case, ranks it
			// first (ties broken by id, so look for it among the tied).
			picked := []string{strings.ToUpper(a.Symptoms[0])}
			got := b.Match(Evidence{Symptoms: picked})
			require.NotEmpty(t, got, a.ID)
			var top []string
			for _, m := range got {
				if m.Score == got[0].Score {
					top = append(top, m.Article.ID)
				}
				if m.Article.ID == a.ID {
					require.Contains(t, m.Reasons[0], `"`+a.Symptoms[0]+`"`)
				}
			}
			require.Contains(t, top, a.ID, "%s/%s: %s", lang, a.ID, describe(got))
		}
	}
}

func TestMatchEvidenceCombines(t *testing.T) {
	t.Parallel()
	b := embedded()["es"]
	r := check.Failf("auth").Explain("smtp-auth-failed")
	r.ID = "smtp.auth"
	got := b.Match(Evidence{
		Text:     "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant",
		Results:  []check.Result{r},
		Symptoms: []string{"nothing anyone picks"},
	})
	require.GreaterOrEqual(t, len(got), 2)
	ids := []string{got[0].Article.ID, got[1].Article.ID}
	require.ElementsMatch(t, []string{"smtp-auth-failed", "smtp-m365-auth-disabled"}, ids)
	for _, m := range got[:2] {
		require.NotEmpty(t, m.Reasons)
	}
	// Reasons speak the base's language.
	require.Contains(t, strings.Join(got[0].Reasons, " ")+strings.Join(got[1].Reasons, " "), "el texto contiene")
}

func TestMatchNothing(t *testing.T) {
	t.Parallel()
	b := embedded()["en"]
	require.Empty(t, b.Match(Evidence{}))
	require.Empty(t, b.Match(Evidence{Text: "   \n\t"}))
	require.Empty(t, b.Match(Evidence{Text: "the and of to"}))
	require.Empty(t, b.Match(Evidence{Symptoms: []string{"no such symptom"}}))
}

func TestMatchMasksSecretsInReasons(t *testing.T) {
	t.Parallel()
	b := embedded()["en"]
	key := "sk-proj-abc123DEF456ghi789JKL012mno345"
	got := b.Match(Evidence{Text: `{"error":{"message":"Incorrect API key provided: ` + key + `. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","code":"invalid_api_key"}}`})
	require.NotEmpty(t, got)
	require.Equal(t, "api-invalid-key", got[0].Article.ID)
	for _, m := range got {
		for _, r := range m.Reasons {
			require.NotContains(t, r, "abc123DEF456")
		}
	}
}

func TestQuoteEvidence(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"535 5.7.8  Error:\n authentication failed", "535 5.7.8 Error: authentication failed"},
		{"key sk-abcdefghij0123456789xyz rejected", "key sk-a… rejected"},
		{"rate_limit_exceeded_for_the_organization", "rate_limit_exceeded_for_the_organization"},
		{strings.Repeat("x ", 50), strings.Repeat("x ", 29) + "x…"},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, quoteEvidence(tc.in))
	}
}

func TestLongPasteIsClipped(t *testing.T) {
	t.Parallel()
	b := embedded()["en"]
	log := strings.Repeat("INFO request ok in 120ms\n", 20000) + "535 5.7.8 Error: authentication failed: authentication failure\n"
	got := b.Match(Evidence{Text: log})
	require.NotEmpty(t, got)
	require.Equal(t, "smtp-auth-failed", got[0].Article.ID)
}

func TestSearch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lang, query, want string
	}{
		{"en", "gmail app password", "smtp-gmail-app-password"},
		{"en", "salesforce session", "crm-salesforce-invalid-session"},
		{"en", "spf lookups", "domain-spf-too-many-lookups"},
		{"en", "smtp-auth", "smtp-auth-failed"},
		{"en", "personalization", "content-low-personalization"},
		{"en", "Retry-After", "api-rate-limit"},
		{"es", "personalizacion", "content-low-personalization"},
		{"es", "contraseña de aplicación", "smtp-gmail-app-password"},
		{"es", "limite de peticiones", "api-rate-limit"},
	}
	for _, tc := range tests {
		t.Run(tc.lang+"/"+tc.query, func(t *testing.T) {
			t.Parallel()
			b := embedded()[tc.lang]
			got := b.Search(tc.query)
			require.NotEmpty(t, got)
			var ids []string
			for _, h := range got[:min(3, len(got))] {
				ids = append(ids, h.Article.ID)
				require.NotEmpty(t, h.Snippet, h.Article.ID)
			}
			require.Contains(t, ids, tc.want, "top three for %q", tc.query)
		})
	}
	require.Empty(t, embedded()["en"].Search("  "))
	require.Empty(t, embedded()["en"].Search("qqqzzzxxx"))
}

func TestScanWords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string // "word=folded"
	}{
		{"535 5.7.8 Error: auth", []string{"535=535", "5.7.8=5.7.8", "Error=error", "auth=auth"}},
		{"rate_limit-exceeded.", []string{"rate=rate", "limit=limit", "exceeded=exceeded"}},
		{"v2. 1.x .5 HTTP/1.1", []string{"v2=v2", "1=1", "x=x", "5=5", "HTTP=http", "1.1=1.1"}},
		{"Autenticación fallida: CONTRASEÑA", []string{"Autenticación=autenticacion", "fallida=fallida", "CONTRASEÑA=contrasena"}},
		{"", nil},
		{"¿Qué?", []string{"Qué=que"}},
	}
	for _, tc := range tests {
		var got []string
		scanWords(tc.in, func(start, end int, folded []byte) {
			got = append(got, tc.in[start:end]+"="+string(folded))
		})
		require.Equal(t, tc.want, got, tc.in)
	}
}
