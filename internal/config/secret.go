package config

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"

	"pitstop/internal/i18n"
)

// Secret holds a credential. It formats itself masked in every fmt verb, in
// JSON, in YAML and in slog; the real value leaves only through Reveal, which
// is called only where a request is built.
type Secret struct {
	value  string
	source string
	// password marks a secret a person chose (SMTP, Redis): its mask shows
	// none of its characters. A key or token, made by a provider, shows its
	// public prefix and last four.
	password bool
}

// NewSecret returns a key or token with the given value and a description of
// where it came from ("file", "env:NAME").
func NewSecret(value, source string) Secret { return Secret{value: value, source: source} }

// NewPassword returns a password: masked without any of its characters.
func NewPassword(value, source string) Secret {
	return Secret{value: value, source: source, password: true}
}

// WithValue returns a secret of the same kind (key or password) holding a
// new value, for a value typed in the wizard.
func (s Secret) WithValue(value, source string) Secret {
	return Secret{value: value, source: source, password: s.password}
}

// withKindOf returns s as a password when old is one.
func (s Secret) withKindOf(old Secret) Secret {
	s.password = s.password || old.password
	return s
}

// IsPassword reports whether the secret is a password rather than a key.
func (s Secret) IsPassword() bool { return s.password }

// Reveal returns the real value. Call it only to build a request.
func (s Secret) Reveal() string { return s.value }

// IsSet reports whether the secret has a value.
func (s Secret) IsSet() bool { return s.value != "" }

// Source says where the value came from: "file", "env:NAME", or "" when unset.
func (s Secret) Source() string { return s.source }

// Masked returns the value in a form safe to show (DESIGN.md's mask policy):
// a key shows its provider's public prefix and its last four characters, a
// password none of its characters. Its words are English, for fmt, logs and
// JSON; a screen or a report shows MaskedIn.
func (s Secret) Masked() string { return s.MaskedIn(i18n.English) }

// MaskedIn is Masked with its words ("(set)", "(not set)") in the interface
// language lang; the characters shown are the same in every language.
func (s Secret) MaskedIn(lang string) string {
	if s.password {
		return MaskPasswordIn(s.value, lang)
	}
	return MaskIn(s.value, lang)
}

// String implements fmt.Stringer with the masked value.
func (s Secret) String() string { return s.Masked() }

// GoString implements fmt.GoStringer so %#v stays masked.
func (s Secret) GoString() string { return fmt.Sprintf("config.Secret(%q)", s.Masked()) }

// Format makes every verb (%v %s %q %x %d ...) print the masked value.
func (s Secret) Format(f fmt.State, verb rune) {
	switch verb {
	case 'q':
		fmt.Fprintf(f, "%q", s.Masked())
	default:
		fmt.Fprint(f, s.Masked())
	}
}

// MarshalJSON writes the masked value.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(s.Masked()) }

// MarshalText writes the masked value (used by encoders that prefer text).
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.Masked()), nil }

// MarshalYAML writes the masked value.
func (s Secret) MarshalYAML() (any, error) { return s.Masked(), nil }

// LogValue implements slog.LogValuer with the masked value.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.Masked()) }

// publicPrefixes are the prefixes providers define for their keys and tokens
// and print in their own dashboards: they say which kind of key it is and
// nothing about its value. Longest first.
var publicPrefixes = []string{
	"sk-ant-admin01-", "sk-ant-api03-", "sk-svcacct-", "sk-admin-", "sk-proj-", "sk-ant-",
	"pat-na1-", "pat-eu1-", "pat-na2-", "pat-ap1-", "pat-", "ccai_live_", "ccai_test_", "sk-",
}

// PublicPrefix returns the provider-defined prefix a key starts with, or "".
func PublicPrefix(v string) string {
	for _, p := range publicPrefixes {
		if strings.HasPrefix(v, p) {
			return p
		}
	}
	return ""
}

// Mask returns the display form of a key or token: its public prefix and its
// last four characters ("sk-proj-…9f2a", "pat-na1-…c47c", "…9f2a" without a
// known prefix), bullets for a short one.
func Mask(v string) string { return MaskIn(v, i18n.English) }

// MaskIn is Mask with "(not set)" in the interface language lang.
func MaskIn(v, lang string) string {
	if v == "" {
		return i18n.T(lang, "secret.unset")
	}
	prefix := PublicPrefix(v)
	r := []rune(v[len(prefix):])
	if len(r) < 16 {
		return prefix + "••••••"
	}
	return prefix + "…" + string(r[len(r)-4:])
}

// MaskPasswordIn returns the display form of a password in the interface
// language lang: none of its characters, only whether it is set ("•••• (set)",
// "•••• (con valor)" in Spanish).
func MaskPasswordIn(v, lang string) string {
	if v == "" {
		return i18n.T(lang, "secret.unset")
	}
	return edgeMask + " " + i18n.T(lang, "secret.set")
}

// Scrubber replaces every known secret value in text with its masked form.
// Every string bound for the screen, a log or a report passes through one;
// outside text passes its door, Untrusted, first.
type Scrubber struct {
	pairs []string // old, new, old, new ... for strings.NewReplacer
	repl  *strings.Replacer
	// edges are the forms a cut may leave a piece of (prefix at the end of a
	// text, suffix at its start); bodies are keys past their public prefix,
	// any 8-character run of which is masked wherever it shows.
	edges []edge
	grams map[uint64]string // every keyRun-byte run of a key's body → the body
}

// edge is a secret's form and the shortest run of its head worth masking
// (a key's public prefix alone is no secret).
type edge struct {
	form    string
	minHead int
}

// NewScrubber builds a scrubber for the given secrets. Values shorter than
// four characters are ignored: they would mangle ordinary text.
func NewScrubber(secrets ...Secret) *Scrubber {
	seen := map[string]bool{}
	type pair struct{ old, new string }
	var ps []pair
	sc := &Scrubber{}
	add := func(old, new string) {
		if len(old) < 4 || seen[old] {
			return
		}
		seen[old] = true
		ps = append(ps, pair{old, new})
		if len(old) > minEdge {
			sc.edges = append(sc.edges, edge{form: old, minHead: minEdge + len(PublicPrefix(old))})
		}
	}
	for _, s := range secrets {
		v := s.value
		if v == "" {
			continue
		}
		m := s.Masked()
		if s.password {
			m = edgeMask // in running text "(set)" would read as part of it
		}
		for _, form := range encodings(v) {
			add(form, m)
		}
		if t := strings.TrimSpace(v); t != v {
			for _, form := range encodings(t) {
				add(form, m)
			}
		}
		// Runs of a key past its public prefix, and of a long password: a
		// server that echoes all of one but a character shows none of it.
		body := v
		if !s.password {
			body = v[len(PublicPrefix(v)):]
		}
		if len(body) >= 2*keyRun || s.password && len(body) > keyRun {
			if sc.grams == nil {
				sc.grams = map[uint64]string{}
			}
			for i := 0; i+keyRun <= len(body); i++ {
				sc.grams[gram(body[i:])] = body
			}
		}
	}
	// Longest first so a secret that contains another is replaced whole.
	sort.SliceStable(ps, func(i, j int) bool { return len(ps[i].old) > len(ps[j].old) })
	for _, p := range ps {
		sc.pairs = append(sc.pairs, p.old, p.new)
	}
	sc.repl = strings.NewReplacer(sc.pairs...)
	return sc
}

// encodings returns every form a value takes in text a server may echo: raw,
// URL query and path escaping, JSON (with and without HTML escaping), Go
// quoting (%q, and its ASCII-only variant), \u escapes of every character,
// hex in both cases, and base64 (standard and URL alphabets) at any alignment.
func encodings(v string) []string {
	out := []string{v, url.QueryEscape(v), url.PathEscape(v)}
	if enc, err := json.Marshal(v); err == nil {
		out = append(out, strings.Trim(string(enc), `"`))
	}
	var b strings.Builder
	je := json.NewEncoder(&b)
	je.SetEscapeHTML(false)
	if je.Encode(v) == nil {
		out = append(out, strings.Trim(strings.TrimSpace(b.String()), `"`))
	}
	out = append(out, unquoted(strconv.Quote(v)), unquoted(strconv.QuoteToASCII(v)))
	var lu, uu strings.Builder
	for _, r := range v {
		if r > 0xffff {
			r1, r2 := utf16.EncodeRune(r)
			fmt.Fprintf(&lu, `\u%04x\u%04x`, r1, r2)
			fmt.Fprintf(&uu, `\u%04X\u%04X`, r1, r2)
			continue
		}
		fmt.Fprintf(&lu, `\u%04x`, r)
		fmt.Fprintf(&uu, `\u%04X`, r)
	}
	out = append(out, lu.String(), uu.String())
	out = append(out, hex.EncodeToString([]byte(v)), strings.ToUpper(hex.EncodeToString([]byte(v))))
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		out = append(out, enc.EncodeToString([]byte(v)), strings.TrimRight(enc.EncodeToString([]byte(v)), "="))
		out = append(out, base64Cores(enc, v)...)
	}
	// Each form quoted once more: a JSON body that carries an escaped echo
	// (a \u form becomes \\u), a %q of a JSON string.
	for _, f := range slices.Clone(out) {
		if enc, err := json.Marshal(f); err == nil {
			out = append(out, unquoted(string(enc)))
		}
		out = append(out, unquoted(strconv.Quote(f)))
	}
	return out
}

func unquoted(q string) string { return q[1 : len(q)-1] }

// base64Cores returns, for each of the three alignments a secret can have
// inside a longer base64 text (an echoed "AUTH PLAIN" blob or Basic
// authorization holds "user\x00password" or "user:password"), the base64
// characters that depend on the secret alone. Short cores are left out: they
// would match ordinary text.
func base64Cores(encoding *base64.Encoding, v string) []string {
	var out []string
	for k := range 3 {
		enc := encoding.EncodeToString(append(make([]byte, k), v...))
		start := (8*k + 5) / 6      // first character made of the secret's bits only
		end := 8 * (k + len(v)) / 6 // characters after it hold padding bits
		if end-start >= 12 {
			out = append(out, enc[start:end])
		}
	}
	return out
}

// Scrub returns text with every secret value replaced by its masked form.
// A nil Scrubber returns text unchanged.
func (sc *Scrubber) Scrub(text string) string {
	if sc == nil || len(sc.pairs) == 0 {
		return text
	}
	return sc.repl.Replace(text)
}

// ScrubAll scrubs each string of a slice in place and returns it.
func (sc *Scrubber) ScrubAll(lines []string) []string {
	for i := range lines {
		lines[i] = sc.Scrub(lines[i])
	}
	return lines
}

// ScrubError returns err with every secret value masked in its text. The
// original error is not kept: its text may hold the secret.
func (sc *Scrubber) ScrubError(err error) error {
	if err == nil {
		return nil
	}
	return scrubbedError{msg: sc.Scrub(err.Error()), err: err}
}

type scrubbedError struct {
	msg string
	err error
}

func (e scrubbedError) Error() string { return e.msg }

// Is lets errors.Is see through to the original without exposing its text.
func (e scrubbedError) Is(target error) bool { return errors.Is(e.err, target) }
