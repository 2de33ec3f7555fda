package escalate

import (
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/kb"
	"pitstop/knowledge"
)

// The report's matched article is the best match diagnose shows, and only
// when its confidence is strong: a few words in common are no diagnosis.
func TestTopMatch(t *testing.T) {
	t.Parallel()
	base, warnings, err := kb.Load(knowledge.FS, "", "en")
	require.NoError(t, err)
	require.Empty(t, warnings)
	hubspot := []string{"hubspot"}
	tests := []struct {
		name string
		ev   kb.Evidence
		want string // "" for none
	}{
		{"nothing to go on", kb.Evidence{Providers: hubspot}, ""},
		{"words in common only", kb.Evidence{Text: "the newsletter looks odd today and nobody knows why"}, ""},
		{"a pattern is clear", kb.Evidence{Text: "HTTP/1.1 429 Too Many Requests"}, "api-rate-limit"},
		{"a picked symptom", kb.Evidence{Symptoms: []string{"Slow responses"}}, "perf-slow-responses"},
		{"HubSpot profile, generic CRM error", kb.Evidence{Text: `401 Unauthorized {"status":"error","message":"Authentication credentials not found."}`, Providers: hubspot}, "crm-hubspot-auth"},
		{"HubSpot profile, Salesforce error naming Salesforce", kb.Evidence{Text: `https://acme.my.salesforce.com/services/data/v60.0/query 401 Session expired or invalid`, Providers: hubspot}, "crm-salesforce-invalid-session"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := TopMatch(base, tc.ev)
			if tc.want == "" {
				require.Empty(t, got)
				return
			}
			require.Len(t, got, 1)
			require.Equal(t, tc.want, got[0].ID, "%v", base.Match(tc.ev))
		})
	}
}
