package config

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRedactURL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://api.example.com/v1":                     "https://api.example.com/v1",
		"http://proxy:3128":                              "http://proxy:3128",
		"http://user:s3cret@proxy:3128":                  "http://•••@proxy:3128",
		"https://tok3n@proxy.example.com/path":           "https://•••@proxy.example.com/path",
		"user:s3cret@proxy:3128":                         "•••@proxy:3128",
		"proxy:3128":                                     "proxy:3128",
		"redis://:rds-0123456789@cache.internal:6379/0":  "redis://•••@cache.internal:6379/0",
		"rediss://app:pw@cache:6380":                     "rediss://•••@cache:6380",
		"https://api.example.com/v1?key=sk-123&x=1#frag": "https://api.example.com/v1?key=•••&x=•••",
		"redis://:pa%zz@cache:6379/0":                    "redis://•••@cache:6379/0",
		"http://host/%zz?key=s3cret":                     "http://host/%zz",
		"":                                               "",
	} {
		got := RedactURL(in)
		require.Equal(t, want, got, in)
		for _, secret := range []string{"s3cret", "rds-0123456789", "sk-123", "tok3n", "pa%zz"} {
			require.NotContains(t, got, secret, in)
		}
	}
}
