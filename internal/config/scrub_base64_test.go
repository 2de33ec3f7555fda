package config

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestScrubberMasksSecretInsideBase64 covers servers that echo an encoded
// login back ("You sent AUTH PLAIN AG1haWw…"): the secret sits inside a
// longer base64 text at any of three alignments.
func TestScrubberMasksSecretInsideBase64(t *testing.T) {
	t.Parallel()
	const secret = "fuzz-canary-PASSWORD-91c3e7"
	sc := NewScrubber(NewSecret(secret, "file"))
	for _, user := range []string{"", "a", "ab", "mail@fuzz.test", "mailer@fuzz.test", "x@y.z"} {
		for _, blob := range []string{"\x00" + user + "\x00" + secret, user + ":" + secret, user + ":" + secret + "!", secret + user} {
			enc := base64.StdEncoding.EncodeToString([]byte(blob))
			out := sc.Scrub("535 you sent AUTH PLAIN " + enc)
			require.NotContains(t, out, enc, "user %q", user)
			require.Contains(t, out, "…c3e7", "user %q", user)
		}
	}
	// Ordinary text and short secrets are left alone.
	require.Equal(t, "QUJD plain text", NewScrubber(NewSecret("ABCD", "file")).Scrub("QUJD plain text"))
	require.Len(t, base64Cores(base64.StdEncoding, "short"), 0)
	require.Len(t, base64Cores(base64.StdEncoding, strings.Repeat("k", 40)), 3)
}

// TestURLErrorsHideCredentials covers a password or key pasted into a URL:
// the error that rejects the URL must not repeat it.
func TestURLErrorsHideCredentials(t *testing.T) {
	t.Parallel()
	for _, yaml := range []string{
		"profiles:\n  prod:\n    api:\n      base_url: https://user:pa55word-in-url@api.example.com/v1\n",
		"profiles:\n  prod:\n    api:\n      base_url: https://api.example.com/v1?key=pa55word-in-url\n",
		"profiles:\n  prod:\n    crm: {provider: hubspot, base_url: 'https://pa55word-in-url@api.hubapi.com'}\n",
		"profiles:\n  prod:\n    api:\n      endpoints: ['ftp://u:pa55word-in-url@x.example.com']\n",
		"profiles:\n  prod:\n    api:\n      base_url: 'https://u:pa55word-in-url@[::1'\n",
	} {
		_, err := Parse("test.yaml", []byte(yaml))
		require.Error(t, err)
		require.NotContains(t, err.Error(), "pa55word-in-url", yaml)
	}
}
