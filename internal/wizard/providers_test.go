package wizard

import (
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/config"
)

func TestProviders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		profile *config.Profile
		want    []string
	}{
		{"no profile: nothing is left out", nil, nil},
		{"a profile with no provider", &config.Profile{SMTP: config.SMTPConfig{Host: "mail.example.com"}}, []string{}},
		{"HubSpot and OpenAI", &config.Profile{API: config.APIConfig{Provider: "openai"}, CRM: config.CRMConfig{Provider: "hubspot"}}, []string{"openai", "hubspot"}},
		{"Gmail by its host", &config.Profile{SMTP: config.SMTPConfig{Host: "smtp.gmail.com"}}, []string{"gmail"}},
		{"Microsoft 365 by its host", &config.Profile{SMTP: config.SMTPConfig{Host: "smtp.office365.com"}, CRM: config.CRMConfig{Provider: "salesforce"}}, []string{"salesforce", "m365"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, Providers(tc.profile))
			s := &Session{Profile: tc.profile, Pasted: "x"}
			require.Equal(t, tc.want, s.Evidence().Providers)
		})
	}
}
