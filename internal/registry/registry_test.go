package registry_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/i18n"
	. "pitstop/internal/registry"
)

// TestTableIsWhole: every phrase in every language, every ID dotted under
// its family and unique, every prerequisite a check of the table, every
// setting a field of the config.
func TestTableIsWhole(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	complete := func(what string, txt i18n.Text) {
		for _, lang := range i18n.Languages() {
			require.True(t, i18n.Has(lang, string(txt)), "%s: no %s in locales/%s/registry.yaml", what, txt, lang)
			require.Equal(t, strings.Count(txt.In(i18n.English), "%s"), strings.Count(txt.In(lang), "%s"), "%s in %s", what, lang)
		}
	}
	for _, f := range Families() {
		require.False(t, seen[f.ID], f.ID)
		seen[f.ID] = true
		complete(f.ID, f.Title)
		complete(f.ID, f.About)
		require.NotEmpty(t, f.Enabling(), "%s: no setting makes it run", f.ID)
		require.NotNil(t, f.Describe, f.ID)
		require.NotPanics(t, func() { f.Describe(&config.Profile{}) }, f.ID)
		for _, key := range append(append([]string{}, f.Fields...), f.Reads...) {
			_, ok := config.FieldByKey(key)
			require.True(t, ok, "%s names %s, which config does not know", f.ID, key)
		}
		for _, c := range f.Checks {
			require.False(t, seen[c.ID], c.ID)
			seen[c.ID] = true
			require.True(t, strings.HasPrefix(c.ID, f.ID+"."), c.ID)
			complete(c.ID, c.Title)
		}
	}
	for _, f := range Families() {
		for _, c := range f.Checks {
			for _, r := range c.Requires {
				require.True(t, seen[r], "%s requires %s, which is not a check", c.ID, r)
			}
		}
	}
	require.Equal(t, KnownIDs(), check.KnownIDs)
}

// TestDesignIDs: the stable IDs of DESIGN.md, including the checks other
// work adds, are all here.
func TestDesignIDs(t *testing.T) {
	t.Parallel()
	for _, id := range strings.Fields(`api.config api.reachability api.auth api.ratelimit api.clock api.endpoints
		crm.auth crm.permissions crm.availability crm.field_mapping crm.data_quality smtp.connect smtp.tls smtp.auth smtp.send
		domain.mx domain.spf domain.dkim domain.dmarc domain.dnsbl domain.bimi domain.ptr
		content.prompt content.spam content.headers cache.redis`) {
		require.Contains(t, KnownIDs(), id)
	}
}

func TestCheckTitle(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ id, english, lang, want string }{
		{"api.auth", "API key accepted", "es", "Clave de API aceptada"},
		{"api.auth", "API key accepted", "en", "API key accepted"},
		{"crm.auth", "HubSpot token accepted", "es", "HubSpot acepta el token"},
		{"crm.permissions", "Salesforce permissions", "es", "Permisos de Salesforce"},
		{"crm.permissions", "Salesforce permissions", "fr", "Salesforce permissions"},
		{"x.unknown", "Something", "es", "Something"},
		{"api.auth", "", "es", ""},
	} {
		require.Equal(t, tc.want, CheckTitle(tc.id, tc.english, tc.lang), tc.id)
	}
	f, _ := Get("smtp")
	require.Equal(t, "Correo (SMTP)", f.Title.In("es"))
	require.Equal(t, "Email (SMTP)", FamilyTitle("smtp", "en"))
	require.Equal(t, "El servidor que envía tu correo.", f.About.In("es"))
	require.Equal(t, "nope", FamilyTitle("nope", "es"))
	c, _, _ := CheckByID("crm.auth")
	require.Equal(t, "Pipedrive token accepted", c.EnglishTitle("Pipedrive"))
}

func TestConfigured(t *testing.T) {
	t.Parallel()
	p := &config.Profile{}
	require.Empty(t, Configured(p))
	p.API.BaseURL = "https://x"
	p.SMTP.Host = "smtp.example.com"
	p.Domain.Name = "example.com"
	p.Cache.RedisURL = "redis://localhost:6379/0"
	require.Equal(t, []string{"api", "smtp", "domain", "cache"}, Configured(p))
	f, _ := Get("api")
	require.Equal(t, []string{"api.provider", "api.base_url", "api.key"}, f.Enabling())
}

func TestAffected(t *testing.T) {
	t.Parallel()
	require.Equal(t, []string{"smtp", "domain"}, Affected("smtp.host"))
	require.Equal(t, []string{"cache"}, Affected("cache.redis_url"))
}

func TestParseOnly(t *testing.T) {
	t.Parallel()
	_, err := ParseOnly("nope")
	require.Error(t, err)
}
