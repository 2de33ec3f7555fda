package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// canary is a fake secret that must never appear in any output.
const canary = "sk-canary-7f3d9a1b2c4e6f8091a2b3c4d5e6f708"

func TestParseExpandsVariables(t *testing.T) {
	t.Setenv("PITSTOP_TEST_HOST", "api.example.test")
	t.Setenv("PITSTOP_TEST_KEY", canary)
	cfg, err := Parse("test.yaml", []byte(`
profiles:
  prod:
    api:
      provider: openai
      base_url: https://${PITSTOP_TEST_HOST}/v1
      key: ${PITSTOP_TEST_KEY}
`))
	require.NoError(t, err)
	p, err := cfg.Profile("")
	require.NoError(t, err)
	require.Equal(t, "prod", p.Name)
	require.Equal(t, "https://api.example.test/v1", p.API.BaseURL)
	require.Equal(t, canary, p.API.Key.Reveal())
	require.Equal(t, "env:PITSTOP_TEST_KEY", p.API.Key.Source())
}

func TestParseUnsetVariableNamesFileAndLine(t *testing.T) {
	_, err := Parse("test.yaml", []byte(`profiles:
  prod:
    api:
      base_url: https://${PITSTOP_SURELY_UNSET_VAR}/v1
`))
	require.Error(t, err)
	require.Contains(t, err.Error(), "test.yaml:4:")
	require.Contains(t, err.Error(), "PITSTOP_SURELY_UNSET_VAR")
}

func TestSecretFromUnsetVariableIsEmptyButKnowsItsSource(t *testing.T) {
	cfg, err := Parse("test.yaml", []byte(`profiles:
  prod:
    api:
      provider: copycar
      key: ${PITSTOP_SURELY_UNSET_KEY}
`))
	require.NoError(t, err)
	k := cfg.Profiles["prod"].API.Key
	require.False(t, k.IsSet())
	require.Equal(t, "env:PITSTOP_SURELY_UNSET_KEY", k.Source())
}

func TestEnvOnlySecrets(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", canary)
	t.Setenv("HUBSPOT_TOKEN", "pat-na1-0000000000000000000000")
	t.Setenv("SMTP_PASSWORD", "hunter2-but-longer")
	cfg, err := Parse("test.yaml", []byte(`profiles:
  prod:
    api: {provider: openai}
    crm: {provider: hubspot}
    smtp: {host: smtp.example.com}
`))
	require.NoError(t, err)
	p := cfg.Profiles["prod"]
	require.Equal(t, canary, p.API.Key.Reveal())
	require.Equal(t, "env:OPENAI_API_KEY", p.API.Key.Source())
	require.Equal(t, "env:HUBSPOT_TOKEN", p.CRM.Token.Source())
	require.Equal(t, "env:SMTP_PASSWORD", p.SMTP.Password.Source())
	require.Equal(t, "https://api.openai.com/v1", p.API.BaseURL)
	require.Equal(t, 587, p.SMTP.Port)
	require.Equal(t, "starttls", p.SMTP.Security)
}

func TestInlineSecretWinsOverEnvironment(t *testing.T) {
	t.Setenv("COPYCAR_API_KEY", "from-the-environment-0000")
	cfg, err := Parse("test.yaml", []byte(`profiles:
  prod:
    api: {provider: copycar, key: inline-key-1234567890}
`))
	require.NoError(t, err)
	require.Equal(t, "inline-key-1234567890", cfg.Profiles["prod"].API.Key.Reveal())
	require.Equal(t, "file", cfg.Profiles["prod"].API.Key.Source())
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		yaml string
		want []string // substrings of the error
	}{
		{
			name: "unknown key in api",
			yaml: "profiles:\n  prod:\n    api:\n      provider: openai\n      bsae_url: https://x\n",
			want: []string{"test.yaml:5:", `unknown key "bsae_url"`, "provider", "base_url", "key", "endpoints", "ca_file"},
		},
		{
			name: "unknown section",
			yaml: "profiles:\n  prod:\n    smpt:\n      host: x\n",
			want: []string{"test.yaml:3:", `unknown key "smpt"`, "api", "crm", "smtp", "domain", "content", "cache"},
		},
		{
			name: "unknown top-level key",
			yaml: "default: prod\nprofiles:\n  prod: {}\n",
			want: []string{"test.yaml:1:", `unknown key "default"`, "default_profile", "profiles"},
		},
		{
			name: "port out of range",
			yaml: "profiles:\n  prod:\n    smtp:\n      host: smtp.example.com\n      port: 70000\n",
			want: []string{"test.yaml:5:", "smtp.port", "70000", "between 1 and 65535"},
		},
		{
			name: "port not a number",
			yaml: "profiles:\n  prod:\n    smtp:\n      host: smtp.example.com\n      port: five-eight-seven\n",
			want: []string{"test.yaml:5:", `"five-eight-seven"`, "whole number"},
		},
		{
			name: "bad url scheme",
			yaml: "profiles:\n  prod:\n    api:\n      provider: openai\n      base_url: ftp://api.example.com/v1\n",
			want: []string{"test.yaml:5:", "api.base_url", "https://"},
		},
		{
			name: "url with a query string",
			yaml: "profiles:\n  prod:\n    api:\n      base_url: https://api.example.com/v1?key=abc\n",
			want: []string{"test.yaml:4:", "query string"},
		},
		{
			name: "url with userinfo",
			yaml: "profiles:\n  prod:\n    crm:\n      provider: hubspot\n      base_url: https://me:pw@api.hubapi.com\n",
			want: []string{"test.yaml:5:", "user name or password"},
		},
		{
			name: "bad endpoint url",
			yaml: "profiles:\n  prod:\n    api:\n      provider: copycar\n      endpoints:\n        - not a url\n",
			want: []string{"test.yaml:5:", "api.endpoints"},
		},
		{
			name: "unknown api provider",
			yaml: "profiles:\n  prod:\n    api:\n      provider: gemini\n",
			want: []string{"test.yaml:4:", `"gemini"`, "copycar, openai, anthropic, custom"},
		},
		{
			name: "unknown crm provider",
			yaml: "profiles:\n  prod:\n    crm:\n      provider: zoho\n",
			want: []string{"test.yaml:4:", `"zoho"`, "hubspot, salesforce, pipedrive"},
		},
		{
			name: "crm sample size out of range",
			yaml: "profiles:\n  prod:\n    crm:\n      provider: hubspot\n      sample_size: -5\n",
			want: []string{"test.yaml:5:", "crm.sample_size", "-5", "0 (skip crm.data_quality) to 10000"},
		},
		{
			name: "crm sample size not a number",
			yaml: "profiles:\n  prod:\n    crm:\n      provider: hubspot\n      sample_size: lots\n",
			want: []string{"test.yaml:5:", `"lots"`, "whole number"},
		},
		{
			name: "custom without base url",
			yaml: "profiles:\n  prod:\n    api:\n      provider: custom\n",
			want: []string{"test.yaml:4:", "base_url is required"},
		},
		{
			name: "bad smtp security",
			yaml: "profiles:\n  prod:\n    smtp:\n      host: smtp.example.com\n      security: ssl\n",
			want: []string{"test.yaml:5:", `"ssl"`, "starttls, tls, none"},
		},
		{
			name: "smtp host with port",
			yaml: "profiles:\n  prod:\n    smtp:\n      host: smtp.example.com:587\n",
			want: []string{"test.yaml:4:", "host name only"},
		},
		{
			name: "bad redis url",
			yaml: "profiles:\n  prod:\n    cache:\n      redis_url: http://localhost:6379\n",
			want: []string{"test.yaml:4:", "redis://"},
		},
		{
			name: "dns server without port",
			yaml: "profiles:\n  prod:\n    domain:\n      name: example.com\n      dns_server: 1.1.1.1\n",
			want: []string{"test.yaml:5:", "host:port"},
		},
		{
			name: "secret as a map",
			yaml: "profiles:\n  prod:\n    api:\n      key:\n        value: x\n",
			want: []string{"test.yaml:5:", "text value for a secret"},
		},
		{
			name: "no profiles",
			yaml: "default_profile: prod\n",
			want: []string{"test.yaml:1:", "no profiles"},
		},
		{
			name: "default profile missing",
			yaml: "default_profile: staging\nprofiles:\n  prod: {}\n",
			want: []string{"test.yaml:1:", `"staging"`, "prod"},
		},
		{
			name: "broken yaml",
			yaml: "profiles:\n  prod:\n    api: [\n",
			want: []string{"test.yaml:"},
		},
		{
			name: "section given as text",
			yaml: "profiles:\n  prod:\n    api: openai\n",
			want: []string{"test.yaml:3:", "section"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse("test.yaml", []byte(tt.yaml))
			require.Error(t, err)
			var ce *Error
			var ces Errors
			require.True(t, errors.As(err, &ce) || errors.As(err, &ces), "error type %T", err)
			for _, w := range tt.want {
				require.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestSeveralErrorsReportedTogetherInLineOrder(t *testing.T) {
	t.Parallel()
	_, err := Parse("test.yaml", []byte(`profiles:
  prod:
    api:
      provider: gemini
    smtp:
      host: smtp.example.com
      port: 99999
`))
	require.Error(t, err)
	lines := strings.Split(err.Error(), "\n")
	require.Len(t, lines, 2)
	require.True(t, strings.HasPrefix(lines[0], "test.yaml:4:"), lines[0])
	require.True(t, strings.HasPrefix(lines[1], "test.yaml:7:"), lines[1])
}

func TestLoad(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "config.yaml")
	require.NoError(t, os.WriteFile(path, []byte("profiles:\n  prod:\n    api: {provider: openai, key: "+canary+"}\n"), 0o600))
	cfg, err := Load(path)
	require.NoError(t, err)
	require.Equal(t, path, cfg.Path)

	_, err = Load(filepath.Join(dir, "missing.yaml"))
	require.Error(t, err)
	require.Contains(t, err.Error(), "missing.yaml")
	require.Contains(t, err.Error(), "no such file")
}

func TestLoadWithoutFileUsesEnvironment(t *testing.T) {
	t.Setenv("PITSTOP_CONFIG", "")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("COPYCAR_API_KEY", canary)
	cfg, err := Load("")
	require.NoError(t, err)
	p, err := cfg.Profile("")
	require.NoError(t, err)
	require.Equal(t, canary, p.API.Key.Reveal())
	require.True(t, p.Configured("api"))
}

func TestProfileSelection(t *testing.T) {
	t.Parallel()
	cfg, err := Parse("test.yaml", []byte("profiles:\n  prod: {}\n  staging: {}\n"))
	require.NoError(t, err)
	_, err = cfg.Profile("")
	require.ErrorContains(t, err, "--profile")
	p, err := cfg.Profile("staging")
	require.NoError(t, err)
	require.Equal(t, "staging", p.Name)
	_, err = cfg.Profile("qa")
	require.ErrorContains(t, err, "prod, staging")
}

func TestSecretIsMaskedInEveryFormat(t *testing.T) {
	t.Parallel()
	s := NewSecret(canary, "file")
	p := &Profile{Name: "prod", API: APIConfig{Provider: "openai", Key: s}, SMTP: SMTPConfig{Password: s}}
	outputs := map[string]string{}
	for _, verb := range []string{"%v", "%s", "%q", "%+v", "%#v", "%x", "%X", "%d", "%10s", "%-v"} {
		outputs["secret "+verb] = fmt.Sprintf(verb, s)
		outputs["profile "+verb] = fmt.Sprintf(verb, p)
		outputs["value "+verb] = fmt.Sprintf(verb, *p)
		outputs["pointer "+verb] = fmt.Sprintf(verb, &s)
	}
	outputs["Sprint"] = fmt.Sprint(s, p)
	outputs["Sprintln"] = fmt.Sprintln(s, p)
	outputs["String"] = s.String()
	outputs["error"] = fmt.Errorf("request with %v failed", s).Error()

	j, err := json.Marshal(p)
	require.NoError(t, err)
	outputs["json"] = string(j)
	j, err = json.Marshal(map[string]any{"k": s, "p": &s})
	require.NoError(t, err)
	outputs["json map"] = string(j)

	y, err := yaml.Marshal(p)
	require.NoError(t, err)
	outputs["yaml"] = string(y)
	y, err = yaml.Marshal(map[string]any{"k": s, "p": &s})
	require.NoError(t, err)
	outputs["yaml map"] = string(y)

	for name, h := range map[string]func(*bytes.Buffer) slog.Handler{
		"slog json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		"slog text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
	} {
		var buf bytes.Buffer
		l := slog.New(h(&buf))
		l.Info("calling", "key", s, "ptr", &s, "profile", p, slog.Any("any", s), slog.Group("g", "k", s))
		l.With("key", s).Info("with")
		outputs[name] = buf.String()
	}

	for name, out := range outputs {
		require.NotContains(t, out, canary, name)
		require.NotContains(t, out, canary[8:20], name)
	}
	require.Equal(t, "sk-…f708", s.String())
	require.Contains(t, outputs["json"], "sk-…f708")
	require.Contains(t, outputs["slog json"], "sk-…f708")
}

func TestMask(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", "(not set)"},
		{"short", "••••••"},
		{"sk-proj-abcdefghijklmnop1234", "sk-proj-…1234"},
		{"sk-ant-api03-abcdefghijklmnop1234", "sk-ant-api03-…1234"},
		{"abcdefghijklmnopqrstuvwxyz", "…wxyz"},
		{"pat-na1-11111111-2222-3333", "pat-na1-…3333"},
		{"sk-short", "sk-••••••"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, Mask(tt.in), tt.in)
	}
	// A password shows none of its characters, whatever it looks like.
	for _, pw := range []string{"Hunter2-secret-1234", "sk-proj-abcdefghijklmnop1234", "x"} {
		require.Equal(t, "•••• (set)", NewPassword(pw, "file").Masked())
	}
	require.Equal(t, "(not set)", NewPassword("", "").Masked())
	p, err := Parse("t.yaml", []byte("profiles:\n  p:\n    smtp: {host: mail.example.com, password: Hunter2-secret-1234}\n    cache: {redis_url: 'redis://:Redis-pass-5678@cache.example.com:6379'}\n"))
	require.NoError(t, err)
	for _, s := range p.Profiles["p"].Secrets()[2:] {
		require.Equal(t, "•••• (set)", s.Masked())
	}
}

// TestMaskSpeaksTheLanguage: the words of a mask follow the interface
// language; the characters shown do not, and a password shows none.
func TestMaskSpeaksTheLanguage(t *testing.T) {
	t.Parallel()
	const pw = "Hunter2-secret-1234"
	tests := []struct {
		lang     string
		s        Secret
		want     string
		notShown string
	}{
		{"en", NewPassword(pw, "file"), "•••• (set)", pw},
		{"es", NewPassword(pw, "file"), "•••• (con valor)", pw},
		{"es", NewPassword("", ""), "(sin valor)", ""},
		{"es", NewSecret("", "env:COPYCAR_API_KEY"), "(sin valor)", ""},
		{"es", NewSecret("sk-proj-abcdefghijklmnop1234", "file"), "sk-proj-…1234", "abcdefghijklmnop"},
	}
	for _, tt := range tests {
		got := tt.s.MaskedIn(tt.lang)
		require.Equal(t, tt.want, got, tt.lang)
		if tt.notShown != "" {
			require.NotContains(t, got, tt.notShown)
		}
	}
	// fmt, JSON and logs stay English whatever the interface speaks.
	require.Equal(t, "•••• (set)", fmt.Sprint(NewPassword(pw, "file")))
}

func TestScrubber(t *testing.T) {
	t.Parallel()
	other := NewSecret("token/with+special=chars&more", "file")
	sc := NewScrubber(NewSecret(canary, "file"), other, NewSecret("abc", "file"), Secret{})
	tests := []struct {
		name, in string
	}{
		{"plain", "Incorrect API key provided: " + canary + "."},
		{"twice", canary + " and " + canary},
		{"in a url", "Get \"https://api.example.com/v1?key=" + canary + "\": dial tcp"},
		{"query escaped", "https://x/?t=" + "token%2Fwith%2Bspecial%3Dchars%26more"},
		{"path escaped", "https://x/token%2Fwith+special=chars&more/"},
		{"base64", "Basic " + "dG9rZW4vd2l0aCtzcGVjaWFsPWNoYXJzJm1vcmU="},
		{"json escaped", `{"token":"token/with+special=chars\u0026more"}`},
		{"header", "Authorization: Bearer " + canary},
	}
	for _, tt := range tests {
		out := sc.Scrub(tt.in)
		require.NotContains(t, out, canary, tt.name)
		require.NotContains(t, out, "with+special", tt.name)
		require.NotContains(t, out, "d2l0aCtzcGVjaWFs", tt.name)
	}
	require.Equal(t, "key sk-…f708 end", sc.Scrub("key "+canary+" end"))
	require.Equal(t, "abc stays", sc.Scrub("abc stays"), "short values are not scrubbed")

	lines := sc.ScrubAll([]string{canary, "ok"})
	require.Equal(t, []string{"sk-…f708", "ok"}, lines)

	base := errors.New("boom " + canary)
	err := sc.ScrubError(fmt.Errorf("wrapped: %w", base))
	require.NotContains(t, err.Error(), canary)
	require.ErrorIs(t, err, base)
	require.NoError(t, sc.ScrubError(nil))

	var nilSc *Scrubber
	require.Equal(t, "x", nilSc.Scrub("x"))
}

func TestConfigScrubberKnowsEveryProfile(t *testing.T) {
	t.Parallel()
	cfg, err := Parse("test.yaml", []byte(`profiles:
  prod:
    api: {provider: openai, key: `+canary+`}
  staging:
    crm: {provider: hubspot, token: pat-na1-staging-token-000000}
`))
	require.NoError(t, err)
	sc := cfg.Scrubber()
	out := sc.Scrub(canary + " pat-na1-staging-token-000000")
	require.NotContains(t, out, canary)
	require.NotContains(t, out, "staging-token")
}

func TestConfiguredCategories(t *testing.T) {
	t.Parallel()
	cfg, err := Parse("test.yaml", []byte(`profiles:
  prod:
    api: {provider: openai}
    smtp: {host: smtp.example.com, from: news@example.com}
    cache: {redis_url: "redis://localhost:6379/0"}
`))
	require.NoError(t, err)
	p := cfg.Profiles["prod"]
	for section, want := range map[string]bool{"api": true, "crm": false, "smtp": true, "domain": true, "content": false, "cache": true} {
		require.Equal(t, want, p.Configured(section), section)
	}
	require.Equal(t, "example.com", p.Domain.Name)
}

func TestErrorFormatting(t *testing.T) {
	t.Parallel()
	bad := msgEditNotFound.With()
	require.Equal(t, "a.yaml:3: cannot find the value in the file", (&Error{File: "a.yaml", Line: 3, Msg: bad}).Error())
	require.Equal(t, "a.yaml: cannot find the value in the file", (&Error{File: "a.yaml", Msg: bad}).Error())
	require.Equal(t, "cannot find the value in the file", (&Error{Msg: bad}).Error())
	require.Equal(t, "a.yaml:3: no se encuentra el valor en el archivo", (&Error{File: "a.yaml", Line: 3, Msg: bad}).In("es"))
}

func TestCRMSampleSize(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		yaml string
		want int
	}{
		{"profiles:\n  prod:\n    crm: {provider: hubspot}\n", DefaultCRMSampleSize},
		{"profiles:\n  prod:\n    crm: {provider: hubspot, sample_size: 0}\n", 0},
		{"profiles:\n  prod:\n    crm: {provider: hubspot, sample_size: 1200}\n", 1200},
	} {
		cfg, err := Parse("test.yaml", []byte(tc.yaml))
		require.NoError(t, err, tc.yaml)
		p, err := cfg.Profile("")
		require.NoError(t, err)
		require.Equal(t, tc.want, p.CRM.Sample(), tc.yaml)
	}
}
