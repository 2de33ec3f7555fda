package settings

import (
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/config"
	"pitstop/internal/tui/tuitest"
	"pitstop/internal/wizard"
)

// TestOnlyTheNeededSettingsAreAsked: the form holds the fields of the
// session's check families, prefilled from the profile, in order.
func TestOnlyTheNeededSettingsAreAsked(t *testing.T) {
	t.Parallel()
	tests := []struct {
		categories []string
		want       []string
	}{
		{[]string{"api"}, []string{"api.provider", "api.base_url", "api.key"}},
		{[]string{"smtp", "domain"}, []string{"smtp.host", "smtp.port", "smtp.security", "smtp.username", "smtp.password", "smtp.from",
			"domain.name", "domain.dkim_selectors", "domain.dns_server"}},
		{[]string{"cache"}, []string{"cache.redis_url"}},
	}
	for _, tt := range tests {
		c := tuitest.Common(t, "en")
		c.Session.Categories = tt.categories
		m := New(c)
		require.Equal(t, tt.want, m.Fields())
		for _, f := range m.fields {
			if f.Secret() {
				require.Empty(t, f.value, "a secret is never put into the form")
			}
		}
	}
	c := tuitest.Common(t, "en")
	c.Session.Categories = []string{"smtp"}
	m := New(c)
	require.Equal(t, "smtp.example.test", m.fields[0].value)
	require.Equal(t, "587", m.fields[1].value)
}

// TestValidatorSpeaksTheLanguage: the form's check is the setting's own
// rule, with its hint in the interface language.
func TestValidatorSpeaksTheLanguage(t *testing.T) {
	t.Parallel()
	f, _ := config.FieldByKey("domain.dns_server")
	require.NoError(t, wizard.Validator(f, "es")("1.1.1.1:53"))
	require.EqualError(t, wizard.Validator(f, "es")("1.1.1.1"), "Escribe host:puerto, como 1.1.1.1:53.")
	redis, _ := config.FieldByKey("cache.redis_url")
	require.NoError(t, wizard.Validator(redis, "en")("unix:///run/redis.sock"), "config accepts a socket, so the form does")
}
