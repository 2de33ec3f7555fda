package kb

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/i18n"
)

// Articles about a provider the profile does not use stay out of the
// ranking unless the pasted text names that provider or holds an error
// only its articles know.
func TestMatchLeavesOutOtherProviders(t *testing.T) {
	t.Parallel()
	hubspot := []string{"copycar", "hubspot"}
	crmAuthFailed := check.Result{ID: "crm.auth", Status: check.Fail, Summary: "HubSpot rejected the token"}
	tests := []struct {
		name      string
		providers []string
		symptoms  []string
		text      string
		results   []check.Result
		want      string   // first article ("" when any)
		present   []string // also listed
		absent    []string
	}{
		{
			name:      "HubSpot profile, generic CRM 401",
			providers: hubspot,
			text:      `2026-12-02T10:14:03Z ERROR crm.sync: request failed: 401 Unauthorized {"status":"error","message":"Authentication credentials not found."}`,
			want:      "crm-hubspot-auth",
			absent:    []string{"crm-pipedrive-auth", "crm-salesforce-invalid-session", "crm-salesforce-external-client-app", "crm-salesforce-api-disabled"},
		},
		{
			name:      "HubSpot profile, failed crm.auth covered by every CRM's auth article",
			providers: hubspot,
			results:   []check.Result{crmAuthFailed},
			want:      "crm-hubspot-auth",
			absent:    []string{"crm-pipedrive-auth", "crm-salesforce-invalid-session", "crm-salesforce-external-client-app"},
		},
		{
			name:      "HubSpot profile, generic OAuth refresh error",
			providers: hubspot,
			text:      `oauth2: cannot fetch token: 400 Bad Request Response: {"error":"invalid_grant","error_description":"refresh token is invalid, expired or revoked"}`,
			want:      "security-oauth-invalid-grant",
			absent:    []string{"crm-salesforce-invalid-session", "crm-pipedrive-auth"},
		},
		{
			name:      "HubSpot profile, Salesforce error that names Salesforce",
			providers: hubspot,
			text:      `POST https://acme.my.salesforce.com/services/data/v60.0/sobjects/Contact: 401 [{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`,
			want:      "crm-salesforce-invalid-session",
			absent:    []string{"crm-pipedrive-auth"},
		},
		{
			name:      "HubSpot profile, Salesforce's own error code",
			providers: hubspot,
			text:      `[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`,
			want:      "crm-salesforce-invalid-session",
		},
		{
			name:      "HubSpot profile, picked symptom names Pipedrive",
			providers: hubspot,
			symptoms:  []string{"Pipedrive returns 401 Unauthorized"},
			want:      "crm-pipedrive-auth",
		},
		{
			name:      "custom SMTP server, failed AUTH: no Gmail or Microsoft 365 article",
			providers: []string{"openai"},
			text:      `535 5.7.8 Error: authentication failed: authentication failure`,
			results:   []check.Result{{ID: "smtp.auth", Status: check.Fail, Summary: "The server rejected the user name or password"}},
			want:      "smtp-auth-failed",
			absent:    []string{"smtp-gmail-app-password", "smtp-m365-auth-disabled"},
		},
		{
			name:      "Gmail profile, failed AUTH",
			providers: []string{"gmail"},
			text:      `535-5.7.8 Username and Password not accepted. For more information, go to https://support.google.com/mail/?p=BadCredentials d2-20020a05 - gsmtp`,
			want:      "smtp-gmail-app-password",
			absent:    []string{"smtp-m365-auth-disabled"},
		},
		{
			name:      "custom SMTP server, Microsoft 365 reply names it",
			providers: []string{},
			text:      `535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [AM0PR10CA0033.EURPRD10.PROD.OUTLOOK.COM]`,
			want:      "smtp-m365-auth-disabled",
		},
		{
			name:    "no profile known: nothing is left out",
			results: []check.Result{crmAuthFailed},
			present: []string{"crm-hubspot-auth", "crm-pipedrive-auth", "crm-salesforce-invalid-session"},
		},
	}
	for _, lang := range i18n.Languages() {
		for _, tc := range tests {
			t.Run(lang+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				got := embedded()[lang].Match(Evidence{Text: tc.text, Symptoms: symptomsIn(t, lang, tc.symptoms), Results: tc.results, Providers: tc.providers})
				require.NotEmpty(t, got)
				if tc.want != "" {
					require.Equal(t, tc.want, got[0].Article.ID, "ranking: %s", describe(got))
				}
				ids := make([]string, len(got))
				for i, m := range got {
					ids[i] = m.Article.ID
				}
				for _, id := range tc.present {
					require.Contains(t, ids, id)
				}
				for _, id := range tc.absent {
					require.NotContains(t, ids, id, "ranking: %s", describe(got))
				}
			})
		}
	}
}

// symptomsIn translates symptoms picked in English to the same article's
// symptom at the same position in lang.
func symptomsIn(t *testing.T, lang string, picked []string) []string {
	if lang == "en" {
		return picked
	}
	var out []string
	for _, s := range picked {
		for _, a := range embedded()["en"].Articles() {
			if i := slices.Index(a.Symptoms, s); i >= 0 {
				tr, ok := embedded()[lang].Get(a.ID)
				require.True(t, ok)
				out = append(out, tr.Symptoms[i])
			}
		}
	}
	require.Len(t, out, len(picked))
	return out
}

// The kind of evidence ranks first: a bad check naming the article or a
// pattern in the text beats a picked symptom or a bad check the article
// only covers, which beat words in common, whatever the scores.
func TestMatchEvidenceOrder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		symptoms []string
		text     string
		results  []check.Result
		want     string
	}{
		{
			name:     "the pasted error's pattern beats a picked symptom",
			symptoms: []string{"Slow responses"},
			text:     `openai.RateLimitError: Error code: 429 - {'error': {'message': 'You exceeded your current quota, please check your plan and billing details.', 'type': 'insufficient_quota', 'code': 'insufficient_quota'}}`,
			want:     "api-quota-exhausted",
		},
		{
			name:     "a warned check naming an article beats a picked symptom",
			symptoms: []string{"Slow responses"},
			results:  []check.Result{{ID: "domain.dmarc", Status: check.Warn, Summary: "no DMARC record", Articles: []string{"domain-dmarc-missing"}}},
			want:     "domain-dmarc-missing",
		},
		{
			name:     "a picked symptom beats an article that only covers a failed check",
			symptoms: []string{"Slow responses"},
			results:  []check.Result{{ID: "smtp.auth", Status: check.Fail, Summary: "login refused"}},
			want:     "perf-slow-responses",
		},
		{
			name: "a pattern beats an article sharing many words",
			text: `Our weekly newsletter to every contact in the CRM bounced for some recipients with: 550 5.1.1 The email account that you tried to reach does not exist`,
			want: "smtp-message-rejected",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := embedded()["en"]
			got := b.Match(Evidence{Text: tc.text, Symptoms: tc.symptoms, Results: tc.results})
			require.NotEmpty(t, got)
			require.Equal(t, tc.want, got[0].Article.ID, "ranking: %s", describe(got))
			seenWeak, seenSymptomOnly := false, false
			for _, m := range got {
				direct := slices.ContainsFunc(m.Reasons, func(r string) bool {
					return strings.HasPrefix(r, "check ") || strings.HasPrefix(r, "the text contains")
				})
				symptom := slices.ContainsFunc(m.Reasons, func(r string) bool {
					return strings.HasPrefix(r, "you picked") || strings.HasPrefix(r, "this article covers")
				})
				switch {
				case m.Confidence == Weak:
					seenWeak = true
				case direct:
					require.False(t, seenWeak || seenSymptomOnly, "%s, matched by a check or a pattern, ranks below weaker evidence: %s", m.Article.ID, describe(got))
				case symptom:
					require.False(t, seenWeak, "%s, a picked symptom, ranks below a words-only match: %s", m.Article.ID, describe(got))
					seenSymptomOnly = true
				}
			}
		})
	}
}
