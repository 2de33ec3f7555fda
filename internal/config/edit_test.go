package config

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const editSample = `# Pitstop settings for the shop
default_profile: production
profiles:
  production:
    api:
      provider: copycar   # the platform
      base_url: "https://api.copycarai.com"
      key: 'sk-live-abcdefghijklmnopqrstuvwx  '
    crm:
      provider: hubspot
      field_mapping: {email: email, company: compnay}

    smtp:
      host: smtp.example.com
      port: 465 # submission
      security: starttls
  staging:
    smtp:
      host: smtp.staging.example.com
      port: 465
`

func TestEditProfileChangesOnlyTheValues(t *testing.T) {
	t.Parallel()
	out, err := EditProfile("settings.yaml", []byte(editSample), "production", []Edit{
		{Key: "smtp.security", Value: "tls"},
		{Key: "smtp.port", Value: 587},
		{Key: "api.base_url", Value: "https://api.copycarai.com/v2"},
		{Key: "api.key", Value: "sk-live-abcdefghijklmnopqrstuvwx"},
		{Key: "crm.field_mapping.company", Value: "company"},
	})
	require.NoError(t, err)
	want := strings.NewReplacer(
		"security: starttls", "security: tls",
		"port: 465 # submission", "port: 587 # submission",
		`base_url: "https://api.copycarai.com"`, `base_url: "https://api.copycarai.com/v2"`,
		`'sk-live-abcdefghijklmnopqrstuvwx  '`, `'sk-live-abcdefghijklmnopqrstuvwx'`,
		"company: compnay}", "company: company}",
	).Replace(editSample)
	require.Equal(t, want, string(out))

	cfg, err := Parse("settings.yaml", out)
	require.NoError(t, err)
	p := cfg.Profiles["production"]
	require.Equal(t, "tls", p.SMTP.Security)
	require.Equal(t, 587, p.SMTP.Port)
	require.Equal(t, "sk-live-abcdefghijklmnopqrstuvwx", p.API.Key.Reveal())
	require.Equal(t, 465, cfg.Profiles["staging"].SMTP.Port, "other profiles stay as they were")
}

func TestEditProfileAddsMissingKeysAndSections(t *testing.T) {
	t.Parallel()
	out, err := EditProfile("settings.yaml", []byte(editSample), "production", []Edit{
		{Key: "smtp.from", Value: "news@example.com"},
		{Key: "domain.dkim_selectors", Value: []string{"s1", "google"}},
	})
	require.NoError(t, err)
	require.Contains(t, string(out), "      security: starttls\n      from: news@example.com\n    domain:\n      dkim_selectors: [s1, google]\n  staging:\n")
	cfg, err := Parse("settings.yaml", out)
	require.NoError(t, err)
	require.Equal(t, []string{"s1", "google"}, cfg.Profiles["production"].Domain.DKIMSelectors)
	require.Empty(t, cfg.Profiles["staging"].Domain.DKIMSelectors)
}

func TestEditProfileRefusesWhatItCannotEditInPlace(t *testing.T) {
	t.Parallel()
	block := "profiles:\n  p:\n    domain:\n      name: example.com\n      dkim_selectors:\n        - s1\n"
	_, err := EditProfile("f.yaml", []byte(block), "p", []Edit{{Key: "domain.dkim_selectors", Value: []string{"s2"}}})
	require.ErrorContains(t, err, "block list")

	_, err = EditProfile("f.yaml", []byte(editSample), "nope", []Edit{{Key: "smtp.port", Value: 25}})
	require.ErrorContains(t, err, `no profile "nope"`)

	_, err = EditProfile("f.yaml", []byte(editSample), "production", []Edit{{Key: "smtp.port", Value: "not a number"}})
	require.ErrorContains(t, err, "would not load")
}

func TestEditProfileReplacesABlockScalar(t *testing.T) {
	t.Parallel()
	data := "profiles:\n  p:\n    api:\n      key: |\n        sk-live-abcdefghijklmnop\n      provider: openai\n\n    smtp:\n      host: mail.example.com\n"
	out, err := EditProfile("f.yaml", []byte(data), "p", []Edit{{Key: "api.key", Value: "sk-live-abcdefghijklmnop"}})
	require.NoError(t, err)
	require.Equal(t, "profiles:\n  p:\n    api:\n      key: sk-live-abcdefghijklmnop\n      provider: openai\n\n    smtp:\n      host: mail.example.com\n", string(out))
}
