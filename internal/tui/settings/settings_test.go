package settings

import (
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/config"
	"pitstop/internal/tui/common"
	"pitstop/internal/tui/tuitest"
)

// TestEveryFieldIsNamedInBothLanguages: each setting the form can show has
// a title (and a description, but secrets say where they came from).
func TestEveryFieldIsNamedInBothLanguages(t *testing.T) {
	t.Parallel()
	for _, cat := range config.Categories {
		require.True(t, common.HasKey("settings.family."+cat), cat)
		for _, f := range familyFields[cat] {
			require.True(t, common.HasKey("field."+f.key), f.key)
			if f.kind != kindSecret {
				require.True(t, common.HasKey("field."+f.key+".desc"), f.key)
			}
		}
	}
}

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
			if f.kind == kindSecret {
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

func TestValuesRoundTrip(t *testing.T) {
	t.Parallel()
	p := &config.Profile{}
	for _, fields := range familyFields {
		for _, f := range fields {
			if f.kind == kindSecret {
				continue
			}
			v := "x"
			switch f.kind {
			case kindNumber:
				v = "42"
			case kindList:
				v = "s1, s2"
			}
			setValue(p, f.key, v)
			require.Equal(t, v, valueOf(p, f.key), f.key)
		}
	}
}
