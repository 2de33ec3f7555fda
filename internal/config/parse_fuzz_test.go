package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
)

// parseSeeds are the shapes a user writes, right and wrong; `go test` runs
// them as plain tests, `make fuzz` grows from them.
var parseSeeds = []string{
	"profiles:\n  prod:\n    api: {provider: openai}\n",
	"profiles:\n  p:\n    smtp: {host: x, port: 1}\n",
	"{{{",
	"",
	"profiles: {}\n",
	"profiles:\n  prod:\n",
	"default_profile: staging\nprofiles:\n  prod: {}\n",
	`default_profile: production
profiles:
  production:
    api:
      provider: copycar
      base_url: https://api.copycarai.com/v2
      key: sk-live-0123456789abcdef0123
      endpoints: [https://eu.api.copycarai.com/v2]
      ca_file: ""
    crm:
      provider: hubspot
      base_url: https://api.hubapi.com
      token: pat-na1-0123456789abcdef
      object: contacts
      field_mapping: {email: email, company: company, personalization_score: pz_score}
    smtp:
      host: smtp.example.com
      port: 587
      security: starttls
      username: mailer@example.com
      password: "hunter2-hunter2-hunter2"
      from: news@example.com
      test_recipient: ""
    domain:
      name: example.com
      dkim_selectors: [s1]
      dns_server: 127.0.0.1:53
      dnsbl: [zen.spamhaus.org]
    content: {max_tokens: 4000, spamd: "127.0.0.1:783"}
    cache:
      redis_url: redis://:s3cret-redis-password@localhost:6379/0
`,
	"profiles:\n  prod:\n    api:\n      key: [not, text]\n",
	"profiles:\n  prod:\n    api:\n      base_url: https://user:pa55word-in-url@api.example.com/v1\n",
	"profiles:\n  prod:\n    api:\n      base_url: https://api.example.com/v1?key=abc\n",
	"profiles:\n  prod:\n    smtp: {host: 'smtp.example.com:587', port: 70000}\n",
	"profiles:\n  prod:\n    smtp: {port: five-eight-seven}\n",
	"profiles:\n  prod:\n    api: {key: '${PITSTOP_FUZZ_SURELY_UNSET}'}\n",
	"profiles:\n  prod:\n    api: {base_url: 'https://${PITSTOP_FUZZ_SURELY_UNSET}/v1'}\n",
	"profiles:\n  a: &x {api: {provider: openai}}\n  b: *x\n",
	"profiles:\n  prod:\n    cache: {redis_url: 'redis://:pw@'}\n",
	"profiles:\n  prod:\n    domain: {dns_server: '1.1.1.1'}\n",
	"profiles:\n  prod:\n    crm: {base_url: 'https://x.example.com'}\n",
	"profiles:\n  prod:\n    unknown: 1\n",
	"profiles:\n  ? [a]\n  : {}\n",
	"- a\n- b\n",
	"profiles:\n  prod:\n    api:\n      provider: openai\n    api:\n      provider: anthropic\n",
	"\xef\xbb\xbfprofiles:\n  prod: {}\n",
	"profiles:\n\tprod: {}\n",
}

// FuzzConfigParse feeds arbitrary text to Parse: it never panics, returns
// either a config or an error, names the file in every error, and never
// lets a secret's value through the formats a config is printed in.
func FuzzConfigParse(f *testing.F) {
	for _, s := range parseSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse("fuzz.yaml", data)
		if err != nil {
			if cfg != nil {
				t.Fatal("a config and an error at once")
			}
			requireConfigError(t, err)
			return
		}
		if cfg == nil {
			t.Fatal("nil config without error")
		}
		if len(cfg.Profiles) == 0 {
			t.Fatal("a config without profiles loaded")
		}
		for name, p := range cfg.Profiles {
			if p == nil {
				t.Fatalf("profile %q is nil", name)
			}
			if p.Name != name {
				t.Fatalf("profile %q is named %q", name, p.Name)
			}
			requireSecretsMasked(t, p)
		}
		if _, err := cfg.Profile(cfg.DefaultProfile); err != nil && cfg.DefaultProfile != "" {
			t.Fatalf("default_profile %q loaded but cannot be selected: %v", cfg.DefaultProfile, err)
		}
	})
}

// requireConfigError checks that a parse error is one of ours, names the
// file, says something, and lists several problems in line order.
func requireConfigError(t *testing.T, err error) {
	t.Helper()
	var one *Error
	var many Errors
	switch {
	case errors.As(err, &many):
		if len(many) == 0 {
			t.Fatal("an empty error list")
		}
		if !sort.SliceIsSorted(many, func(i, j int) bool { return many[i].Line < many[j].Line }) {
			t.Fatalf("errors not in line order: %v", err)
		}
		for _, e := range many {
			requireOneError(t, e)
		}
	case errors.As(err, &one):
		requireOneError(t, one)
	default:
		t.Fatalf("error of type %T, not a config error: %v", err, err)
	}
}

func requireOneError(t *testing.T, e *Error) {
	t.Helper()
	if e.File != "fuzz.yaml" {
		t.Fatalf("error without the file name: %q", e.Error())
	}
	if strings.TrimSpace(e.Msg.In("en")) == "" || strings.TrimSpace(e.Msg.In("es")) == "" {
		t.Fatalf("error without a message at line %d", e.Line)
	}
	if e.Line < 0 {
		t.Fatalf("negative line in %q", e.Error())
	}
}

// requireSecretsMasked prints the profile in every form a config is shown
// in and requires each secret's value to appear no more often than it does
// with the secrets emptied (a value may also be written in a plain setting).
func requireSecretsMasked(t *testing.T, p *Profile) {
	t.Helper()
	show := func(p *Profile) string {
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("profile does not encode as JSON: %v", err)
		}
		return fmt.Sprintf("%v|%+v|%#v|%s", *p, *p, *p, b)
	}
	bare := *p
	bare.API.Key, bare.CRM.Token, bare.SMTP.Password = Secret{}, Secret{}, Secret{}
	shown, shownBare := show(p), show(&bare)
	for _, s := range []Secret{p.API.Key, p.CRM.Token, p.SMTP.Password} {
		v := s.Reveal()
		if len(v) < 4 {
			continue
		}
		if strings.Count(shown, v) > strings.Count(shownBare, v) {
			t.Fatalf("secret value %q shows in the printed profile", v)
		}
	}
}
