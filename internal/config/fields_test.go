package config

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestFieldsAreWhole: every setting has words in every language, one
// accessor for its kind, and a unique key under a known section.
func TestFieldsAreWhole(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, f := range Fields() {
		require.False(t, seen[f.Key], f.Key)
		seen[f.Key] = true
		require.Empty(t, f.Label.Missing(), f.Key)
		if !f.Secret() {
			require.Empty(t, f.Help.Missing(), f.Key)
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
		require.Empty(t, bad.Hint.Missing())
		require.Error(t, setErr)
		require.Error(t, fileErr, tc.key+" "+tc.value)
		require.Contains(t, fileErr.Error(), tc.key[strings.IndexByte(tc.key, '.')+1:])
	}
}
