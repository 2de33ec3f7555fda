package config

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/i18n"
)

// TestFieldsAreWhole: every setting has words in every language, one
// accessor for its kind, and a unique key under a known section.
func TestFieldsAreWhole(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, f := range Fields() {
		require.False(t, seen[f.Key], f.Key)
		seen[f.Key] = true
		for _, lang := range i18n.Languages() {
			require.True(t, i18n.Has(lang, string(f.Label)), "%s: no label in locales/%s/settings.yaml", f.Key, lang)
			if !f.Secret() {
				require.True(t, i18n.Has(lang, string(f.Help.ID)), "%s: no help in locales/%s/settings.yaml", f.Key, lang)
				require.NotContains(t, f.Help.In(lang), "%!", f.Key)
			}
		}
		if f.Secret() {
			require.Empty(t, f.Help.In("en"), "%s: a secret says where it comes from instead", f.Key)
		}
		if f.Kind == KindChoice {
			require.NotEmpty(t, f.Options, f.Key)
		}
		_, ok := FieldByKey(f.Key)
		require.True(t, ok)
	}
}

// TestFieldsCoverTheFile: each YAML key of a profile section is a field, so
// expansion, validation and the wizard cannot miss one.
func TestFieldsCoverTheFile(t *testing.T) {
	t.Parallel()
	for section, typ := range map[string]string{"api": "APIConfig", "crm": "CRMConfig", "smtp": "SMTPConfig",
		"domain": "DomainConfig", "content": "ContentConfig", "cache": "CacheConfig"} {
		for _, k := range knownKeys(typ) {
			_, ok := FieldByKey(section + "." + k)
			require.True(t, ok, "%s.%s has no field descriptor in fields.go", section, k)
		}
	}
}

func TestFieldRoundTrip(t *testing.T) {
	t.Parallel()
	p := &Profile{}
	for _, f := range Fields() {
		v := "x"
		switch f.Kind {
		case KindSecret, KindMap:
			continue
		case KindNumber:
			v = "42"
		case KindList:
			v = "s1, s2"
		case KindChoice:
			v = f.Options[len(f.Options)-1]
		}
		if f.Validate(v) != nil {
			continue // a rule that wants more than "x": covered below
		}
		require.NoError(t, f.Set(p, v), f.Key)
		require.Equal(t, v, f.Get(p), f.Key)
	}
	key, _ := FieldByKey("api.key")
	require.NoError(t, key.Set(p, "sk-typed-1234567890"))
	require.Equal(t, SourceTyped, p.API.Key.Source())
	require.NotContains(t, key.Get(p), "typed-123", "Get masks a secret")
}

// TestOneRuleForFileAndForm: the same values are accepted and refused when
// typed as when read from a file.
func TestOneRuleForFileAndForm(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		key, value string
		ok         bool
	}{
		{"cache.redis_url", "redis://localhost:6379/0", true},
		{"cache.redis_url", "rediss://u:p@cache.example.com:6380/1", true},
		{"cache.redis_url", "unix:///var/run/redis.sock", true},
		{"cache.redis_url", "http://localhost:6379", false},
		{"smtp.port", "587", true},
		{"smtp.port", "70000", false},
		{"smtp.host", "smtp.example.com", true},
		{"smtp.host", "smtp.example.com:587", false},
		{"api.base_url", "https://api.example.com/v1", true},
		{"api.base_url", "https://api.example.com/v1?key=s", false},
		{"api.endpoints", "https://a.example.com, ftp://b.example.com", false},
		{"domain.dns_server", "1.1.1.1:53", true},
		{"domain.dns_server", "1.1.1.1", false},
		{"api.provider", "gemini", false},
		{"content.max_tokens", "-1", false},
	} {
		f, ok := FieldByKey(tc.key)
		require.True(t, ok, tc.key)
		typed := f.Validate(tc.value)
		p := &Profile{}
		setErr := f.Set(p, tc.value)
		yaml := "profiles:\n  p:\n    " + tc.key[:strings.IndexByte(tc.key, '.')] + ":\n      " + tc.key[strings.IndexByte(tc.key, '.')+1:] + ": "
		if f.Kind == KindList {
			yaml += "[" + tc.value + "]\n"
		} else {
			yaml += "\"" + tc.value + "\"\n"
		}
		if f.Kind == KindNumber {
			yaml = strings.ReplaceAll(yaml, "\"", "")
		}
		_, fileErr := Parse("t.yaml", []byte(yaml))
		if tc.ok {
			require.NoError(t, typed, tc.key+" "+tc.value)
			require.NoError(t, setErr, tc.key+" "+tc.value)
			require.NoError(t, fileErr, tc.key+" "+tc.value)
			continue
		}
		var bad *Invalid
		require.ErrorAs(t, typed, &bad, tc.key+" "+tc.value)
		for _, lang := range i18n.Languages() {
			require.True(t, i18n.Has(lang, string(bad.Hint.ID)), "%s %s: hint %s in %s", tc.key, tc.value, bad.Hint.ID, lang)
			require.NotContains(t, bad.Hint.In(lang), "%!", tc.key)
		}
		require.Error(t, setErr)
		require.Error(t, fileErr, tc.key+" "+tc.value)
		require.Contains(t, fileErr.Error(), tc.key[strings.IndexByte(tc.key, '.')+1:])
	}
}

// TestFieldWords: a field's words come from the catalogue, their arguments
// filled in, in the language asked for.
func TestFieldWords(t *testing.T) {
	t.Parallel()
	f, _ := FieldByKey("smtp.host")
	require.Equal(t, "SMTP server", f.Label.In("en"))
	require.Equal(t, "Servidor SMTP", f.Label.In("es"))
	f, _ = FieldByKey("crm.sample_size")
	require.Equal(t, "How many records crm.data_quality reads (default 500; 0 skips it).", f.Help.In("en"))
	hint := func(key, v, lang string) string {
		f, _ := FieldByKey(key)
		var bad *Invalid
		require.ErrorAs(t, f.Validate(v), &bad)
		return bad.Hint.In(lang)
	}
	require.Equal(t, "Escribe host:puerto, como 1.1.1.1:53.", hint("domain.dns_server", "nope", "es"))
	require.Equal(t, "Pick one of: starttls, tls, none.", hint("smtp.security", "ssl", "en"))
	require.Equal(t, "Type a whole number.", hint("smtp.port", "x", "en"))
	require.Equal(t, "Escribe de 0 (omitir la prueba) a 10000.", hint("crm.sample_size", "-1", "es"))
}
