package config

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// doorSecrets are one secret of every kind Pitstop loads, shaped as the
// providers shape them, and passwords with every character that quoting
// changes.
var doorSecrets = []Secret{
	NewSecret("sk-proj-Q7vN2mXc8RtL4pWz9KdJ6hBf3GsYa1UeTo5iVn0lMqC", "file"),                // OpenAI
	NewSecret("sk-ant-api03-Zx9_Lm3-Qp7Rt2Vw8Yb4Nc6Kd1Hf5Jg0Ts_Ua9Ie3Ro7Wp2Mq-AAA", "file"), // Anthropic
	NewSecret("cc_live_8fK2pQ9xL4mN7vR3tW6yZ1bC5dH0jS", "file"),                             // CopyCar
	NewSecret("pat-na1-3f9c2a7e-81b4-4d6f-9e0a-5c7b1d2e4f68", "file"),                       // HubSpot
	NewSecret("00D5g000004XyZq!AQ4AQKx7.Fp2Lm9Nv3Rb8Tw1Yc6Hd0Js5Gk4Qz7Ue2Io9Pa3", "file"),   // Salesforce
	NewSecret("9b1e7c4a2f8d6e3b0a5c9d7f1e4b8a2c6d0f3e7a", "file"),                           // Pipedrive
	NewPassword(`Hünter2"quo\te/sl+sh %20&<b>`, "file"),                                     // SMTP
	NewPassword("Redis-Pa55:w@rd#9", "cache.redis_url"),                                     // Redis
}

// quotings are the ways a server may echo what it was sent.
var quotings = map[string]func(string) string{
	"raw":     func(v string) string { return v },
	"query":   url.QueryEscape,
	"path":    url.PathEscape,
	"json":    func(v string) string { b, _ := json.Marshal(v); return string(b) },
	"go %q":   strconv.Quote,
	"go %+q":  strconv.QuoteToASCII,
	"\\u all": func(v string) string { return uEscape(v) },
	"hex":     func(v string) string { return hex.EncodeToString([]byte(v)) },
	"HEX":     func(v string) string { return strings.ToUpper(hex.EncodeToString([]byte(v))) },
	"base64":  func(v string) string { return base64.StdEncoding.EncodeToString([]byte(v)) },
	"b64 plain": func(v string) string {
		return base64.StdEncoding.EncodeToString([]byte("\x00mailer@example.com\x00" + v))
	},
	"b64 basic":  func(v string) string { return base64.StdEncoding.EncodeToString([]byte("ab:" + v)) },
	"b64 url":    func(v string) string { return base64.RawURLEncoding.EncodeToString([]byte("u:" + v)) },
	"ansi split": func(v string) string { return v[:len(v)/2] + "\x1b[0m" + v[len(v)/2:] },
	"bidi split": func(v string) string { return v[:len(v)/2] + "\u202e" + v[len(v)/2:] },
}

func uEscape(v string) string {
	var b strings.Builder
	for _, r := range v {
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	return b.String()
}

// leak returns a run of the secret that shows in out: 8 characters of a key
// past its public prefix, 5 of a password.
func leak(s Secret, out string) string {
	v := s.Reveal()
	run := 8
	if s.IsPassword() {
		run = 5
	} else {
		v = v[len(PublicPrefix(v)):]
	}
	for i := 0; i+run <= len(v); i++ {
		if strings.Contains(out, v[i:i+run]) {
			return v[i : i+run]
		}
	}
	return ""
}

// TestUntrustedNeverLeaks is the door's property: every secret kind, in every
// quoting, at every offset 0–600 of a text cut at 80, 120 or 300 and shown
// raw or quoted, leaves no run of itself.
//
// An echo that starts past a cut cannot reach what is left of the text (the
// door only shortens what precedes the echo, never brings the echo
// forward), so each cut is tried at every offset up to a margin past it,
// where the echo straddles or follows the cut, and at the last offset,
// where the echo lies far beyond it: the same verdicts as every offset,
// for a third of the work.
func TestUntrustedNeverLeaks(t *testing.T) {
	t.Parallel()
	const last, margin = 600, 16
	sc := NewScrubber(doorSecrets...)
	for _, sec := range doorSecrets {
		for name, quote := range quotings {
			t.Run(fmt.Sprintf("%s/%s", sec.Source(), name), func(t *testing.T) {
				t.Parallel()
				echo := quote(sec.Reveal())
				for off := 0; off <= last; off++ {
					text := `{"error":"` + strings.Repeat("x", off) + echo + ` was rejected"}`
					for _, n := range []int{80, 120, 300} {
						if off > n+margin && off < last {
							continue
						}
						for _, out := range []string{sc.Untrusted(text, n), sc.UntrustedQuoted(text, n)} {
							if run := leak(sec, out); run != "" {
								t.Fatalf("offset %d, cut %d: %q shows %q", off, n, out, run)
							}
						}
					}
				}
			})
		}
	}
}

// TestUntrustedMasksPieces covers a server that echoes part of a secret: a
// key minus its last character, and a cut that falls inside a password.
func TestUntrustedMasksPieces(t *testing.T) {
	t.Parallel()
	sc := NewScrubber(doorSecrets...)
	key, pw := doorSecrets[0].Reveal(), doorSecrets[6].Reveal()
	out := sc.Untrusted("invalid key "+key[:len(key)-1]+" (check it)", 0)
	require.Empty(t, leak(doorSecrets[0], out), out)
	require.Contains(t, out, "(check it)")
	// A server that cuts its own reply: all of a password but its last
	// character, inside the text rather than at an edge.
	for _, p := range doorSecrets[6:] {
		v := []rune(p.Reveal())
		out := sc.Untrusted("denied: "+string(v[:len(v)-1])+" (check it)", 0)
		require.Empty(t, leak(p, out), out)
		require.Contains(t, out, "(check it)")
	}
	for cut := minEdge; cut < len(pw); cut++ {
		out := sc.Untrusted("denied: "+pw[:cut], 0)
		require.NotContains(t, out, pw[:cut], "head %d", cut)
		out = sc.Untrusted(pw[len(pw)-cut:]+" is wrong", 0)
		require.NotContains(t, out, pw[len(pw)-cut:], "tail %d", cut)
	}
	// A key's public prefix alone is left alone: it is no secret.
	require.Equal(t, "keys start with sk-proj-", sc.Untrusted("keys start with sk-proj-", 0))
}

func TestStripControls(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"a\x1b]0;pwned\x07b", "ab"},
		{"a\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\b", "alinkb"},
		{"\x1b[2J\x1b[Hcleared", "cleared"},
		{"red \x1b[31mALERT\x1b[0m", "red ALERT"},
		{"bell\x07 nul\x00 del\x7f", "bell nul del"},
		{"line1\nline2\r\nx", "line1 line2 x"},
		{"admin\u202eexe.txt", "adminexe.txt"},
		{"iso\u2066late\u2069", "isolate"},
		{"c1 \u009b31mcsi", "c1 csi"},
		{"bad \xff\xfe utf8", "bad  utf8"},
		{"reset\x1bcafter", "resetafter"},
		{"ünïcödé ✓ 日本", "ünïcödé ✓ 日本"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, StripControls(tt.in), "%q", tt.in)
	}
}

func TestStripEscapeSequences(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"a\x1b]0;pwned\x07b", "ab"},
		{"\x1b[2J\x1b[Hcleared\x00\a", "cleared\x00\a"},
		{"\x16\x03\x01 tls", "\x16\x03\x01 tls"},
		{"c1 \u009d0;title\x07x", "c1 x"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, StripEscapeSequences(tt.in), "%q", tt.in)
	}
}

func TestStripControlsText(t *testing.T) {
	t.Parallel()
	require.Equal(t, "# Title\n\n\tcode\nred text end", StripControlsText("# Title\r\n\n\tcode\x00\n\x1b[31mred\x1b[0m text\x1b]0;pwned\x07 \u202eend"))
}

func TestUntrustedCutsAndQuotes(t *testing.T) {
	t.Parallel()
	var sc *Scrubber
	require.Equal(t, "abc…", sc.Untrusted("abcdef", 3))
	require.Equal(t, "abcdef", sc.Untrusted("abcdef", 0))
	require.Equal(t, `"say \"hi\""`, sc.UntrustedQuoted(`say "hi"`, 0))
	require.Equal(t, "日本…", sc.Untrusted("日本語", 2))
	huge := strings.Repeat("y", 10<<20)
	require.Equal(t, strings.Repeat("y", 80)+"…", sc.Untrusted(huge, 80))
}

func BenchmarkUntrusted(b *testing.B) {
	sc := NewScrubber(doorSecrets...)
	text := `{"error":{"message":"` + strings.Repeat("lorem ipsum ", 30) + `"}}`
	for b.Loop() {
		sc.Untrusted(text, 300)
	}
}

// TestPortZeroIsAMistake: "port: 0" no longer turns silently into 587.
func TestPortZeroIsAMistake(t *testing.T) {
	t.Parallel()
	_, err := Parse("t.yaml", []byte("profiles:\n  p:\n    smtp:\n      host: mail.example.com\n      port: 0\n"))
	require.ErrorContains(t, err, "smtp.port is 0")
	require.ErrorContains(t, err, "t.yaml:5")
	cfg, err := Parse("t.yaml", []byte("profiles:\n  p:\n    smtp:\n      host: mail.example.com\n"))
	require.NoError(t, err)
	require.Equal(t, 587, cfg.Profiles["p"].SMTP.Port, "left out: the usual port")
}

// TestZonedIPv6Hosts: a link-local address with its zone is a host.
func TestZonedIPv6Hosts(t *testing.T) {
	t.Parallel()
	for _, y := range []string{
		"profiles:\n  p:\n    smtp: {host: 'fe80::1%eth0'}\n",
		"profiles:\n  p:\n    smtp: {host: '::1'}\n",
		"profiles:\n  p:\n    api: {provider: custom, base_url: 'https://[fe80::1%25eth0]:8443/v1'}\n",
	} {
		_, err := Parse("t.yaml", []byte(y))
		require.NoError(t, err, y)
	}
	_, err := Parse("t.yaml", []byte("profiles:\n  p:\n    smtp: {host: 'mail.example.com:587'}\n"))
	require.ErrorContains(t, err, "should be a host name only")
}
