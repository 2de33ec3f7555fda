package config

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sort"
	"strings"
)

// Secret holds a credential. It formats itself masked in every fmt verb, in
// JSON, in YAML and in slog; the real value leaves only through Reveal, which
// is called only where a request is built.
type Secret struct {
	value  string
	source string
}

// NewSecret returns a secret with the given value and a description of where
// it came from ("file", "env:NAME").
func NewSecret(value, source string) Secret { return Secret{value: value, source: source} }

// Reveal returns the real value. Call it only to build a request.
func (s Secret) Reveal() string { return s.value }

// IsSet reports whether the secret has a value.
func (s Secret) IsSet() bool { return s.value != "" }

// Source says where the value came from: "file", "env:NAME", or "" when unset.
func (s Secret) Source() string { return s.source }

// Masked returns the value in a form safe to show: a short known prefix and
// the last four characters for long keys, bullets otherwise.
func (s Secret) Masked() string { return Mask(s.value) }

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

// Mask returns a display form of a secret value: "sk-…9f2a" for long keys with
// a recognisable prefix, "…9f2a" for other long values, bullets for short ones.
func Mask(v string) string {
	if v == "" {
		return "(not set)"
	}
	r := []rune(v)
	if len(r) < 16 {
		return "••••••"
	}
	prefix := ""
	if i := strings.IndexAny(v, "-_"); i > 0 && i <= 7 {
		prefix = v[:i+1]
	}
	return prefix + "…" + string(r[len(r)-4:])
}

// Scrubber replaces every known secret value in text with its masked form.
// Every string bound for the screen, a log or a report passes through one.
type Scrubber struct {
	pairs []string // old, new, old, new ... for strings.NewReplacer
	repl  *strings.Replacer
}

// NewScrubber builds a scrubber for the given secrets. Values shorter than
// four characters are ignored: they would mangle ordinary text.
func NewScrubber(secrets ...Secret) *Scrubber {
	seen := map[string]bool{}
	type pair struct{ old, new string }
	var ps []pair
	add := func(old, new string) {
		if len(old) < 4 || seen[old] {
			return
		}
		seen[old] = true
		ps = append(ps, pair{old, new})
	}
	for _, s := range secrets {
		v := s.value
		if v == "" {
			continue
		}
		m := s.Masked()
		add(v, m)
		add(strings.TrimSpace(v), m)
		add(url.QueryEscape(v), m)
		add(url.PathEscape(v), m)
		add(base64.StdEncoding.EncodeToString([]byte(v)), m)
		for _, core := range base64Cores(v) {
			add(core, m)
		}
		if enc, err := json.Marshal(v); err == nil {
			add(strings.Trim(string(enc), `"`), m)
		}
	}
	// Longest first so a secret that contains another is replaced whole.
	sort.SliceStable(ps, func(i, j int) bool { return len(ps[i].old) > len(ps[j].old) })
	sc := &Scrubber{}
	for _, p := range ps {
		sc.pairs = append(sc.pairs, p.old, p.new)
	}
	sc.repl = strings.NewReplacer(sc.pairs...)
	return sc
}

// base64Cores returns, for each of the three alignments a secret can have
// inside a longer base64 text (an echoed "AUTH PLAIN" blob or Basic
// authorization holds "user\x00password" or "user:password"), the base64
// characters that depend on the secret alone. Short cores are left out: they
// would match ordinary text.
func base64Cores(v string) []string {
	var out []string
	for k := range 3 {
		enc := base64.StdEncoding.EncodeToString(append(make([]byte, k), v...))
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
