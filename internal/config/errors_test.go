package config

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/i18n"
	"pitstop/internal/safefile"
)

// declared matches a message id the package declares: const x i18n.Text = "config...".
var declared = regexp.MustCompile(`i18n\.Text = "(config\.[a-z_.]+)"`)

// messageIDs are the config.* message ids this package's source declares,
// and those the catalogue has in English.
func messageIDs(t *testing.T) []string {
	t.Helper()
	names, err := filepath.Glob("*.go")
	require.NoError(t, err)
	ids := map[string]bool{}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		require.NoError(t, err)
		for _, m := range declared.FindAllStringSubmatch(string(src), -1) {
			ids[m[1]] = true
		}
	}
	require.Greater(t, len(ids), 40)
	for _, id := range i18n.IDs(i18n.English) {
		if strings.HasPrefix(id, "config.") {
			ids[id] = true // a message no code says any more is one to delete
		}
	}
	return slices.Sorted(maps.Keys(ids))
}

// problems makes every configuration problem the package can report, each
// the way it arises: a file that does not load, a value a field does not
// take, a save or an edit that cannot be done. The ones no input reaches
// (an encoder that fails) are built directly, with the arguments their
// callers give.
func problems(t *testing.T) map[string]error {
	t.Helper()
	dir := t.TempDir()
	out := map[string]error{}
	load := func(name, text string) {
		_, err := Parse("config.yaml", []byte(text))
		require.Error(t, err, name)
		out[name] = err
	}
	load("unknown key", "profiles:\n  p:\n    smtp: {hots: x}\n")
	load("not valid here", "profiles:\n  p:\n    smtp: {port: five-eighty-seven}\n")
	load("kind", "profiles:\n  p:\n    smtp: {host: [a, b]}\n")
	load("map", "profiles:\n  p:\n    crm: {field_mapping: email}\n")
	load("section", "profiles:\n  p:\n    smtp: {host: {a: b}}\n")
	load("secret not text", "profiles:\n  p:\n    api: {key: [a]}\n")
	load("misindented", "profiles:\n  p:\n    smtp:\n      host: a\n     port: 25\n")
	load("colon", "profiles:\n  p:\n    smtp: {host: a}\n    from: a: b\n")
	load("lost track", "profiles:\n  p:\n    smtp:\n      host: a\n  - x\n")
	load("tab", "profiles:\n  p:\n\tsmtp: {host: a}\n")
	load("reserved", "profiles:\n  p:\n    smtp: {host: @a}\n")
	load("unfinished", "profiles:\n  p:\n    smtp: {host: \"a}\n")
	load("unclosed", "profiles:\n  p:\n    smtp: {host: a\n")
	load("empty", "  \n")
	load("no profiles", "default_profile: x\n")
	load("port zero", "profiles:\n  p:\n    smtp: {host: a, port: 0}\n")
	load("default profile", "default_profile: x\nprofiles:\n  p: {}\n")
	load("env unset", "profiles:\n  p:\n    smtp: {host: \"${PITSTOP_TEST_NEVER_SET}\"}\n")
	load("custom url", "profiles:\n  p:\n    api: {provider: custom}\n")
	load("salesforce", "profiles:\n  p:\n    crm: {provider: salesforce}\n")
	load("crm provider", "profiles:\n  p:\n    crm: {base_url: \"https://crm.example.com\"}\n")
	load("url invalid", "profiles:\n  p:\n    api: {base_url: \"https://a b:x\"}\n")
	load("url scheme", "profiles:\n  p:\n    api: {base_url: \"ftp://api.example.com\"}\n")
	load("url no host", "profiles:\n  p:\n    api: {base_url: \"https://\"}\n")
	load("url user", "profiles:\n  p:\n    api: {base_url: \"https://u:pw@api.example.com\"}\n")
	load("url query", "profiles:\n  p:\n    api: {base_url: \"https://api.example.com/?k=v\"}\n")
	load("choice", "profiles:\n  p:\n    smtp: {host: a, security: ssl}\n")
	load("host", "profiles:\n  p:\n    smtp: {host: \"a:25\"}\n")
	load("host port", "profiles:\n  p:\n    domain: {dns_server: 1.1.1.1}\n")
	load("port", "profiles:\n  p:\n    smtp: {host: a, port: 70000}\n")
	load("sample size", "profiles:\n  p:\n    crm: {provider: hubspot, sample_size: 20000}\n")
	load("not negative", "profiles:\n  p:\n    content: {max_tokens: -1}\n")
	load("redis", "profiles:\n  p:\n    cache: {redis_url: \"http://cache\"}\n")
	load("parser", "profiles:\n  p:\n    smtp: {host: a}\n  p:\n    smtp: {host: b}\n")

	f, _ := FieldByKey("smtp.port")
	out["number"] = f.Validate("five")

	cfg, err := Parse("config.yaml", []byte("profiles:\n  a: {}\n  b: {}\n"))
	require.NoError(t, err)
	_, out["pick profile"] = cfg.Profile("")
	_, out["no profile"] = cfg.Profile("c")

	_, out["no file"] = Load(filepath.Join(dir, "none.yaml"))
	_, out["folder"] = Load(dir)
	_, out["unusable"] = Load(os.DevNull)
	out["unreadable"] = at("config.yaml", 0, newError(msgUnreadable, "permission denied")) // root reads any file

	saved := filepath.Join(dir, "saved.yaml")
	require.NoError(t, os.WriteFile(saved, []byte("profiles:\n\tp: {}\n"), 0o600))
	_, out["save no path"] = SaveProfile("", "p", nil, SaveOptions{})
	_, out["save read"] = SaveProfile(dir, "p", nil, SaveOptions{})
	_, out["save not yaml"] = SaveProfile(saved, "p", nil, SaveOptions{})
	good := filepath.Join(dir, "good.yaml")
	_, out["save key"] = SaveProfile(good, "p", []Setting{{Key: "port", Value: 1}}, SaveOptions{})
	_, out["save value"] = SaveProfile(good, "p", []Setting{{Key: "smtp.port", Value: 1.5}}, SaveOptions{})
	_, out["save would not load"] = SaveProfile(good, "p", []Setting{{Key: "smtp.port", Value: 70000}}, SaveOptions{})
	out["save encode"] = newError(msgSaveEncode).because(errors.New("yaml: boom"))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "file"), nil, 0o600))
	out["save mkdir"] = WriteFileAtomic(filepath.Join(dir, "file", "sub", "c.yaml"), nil)
	out["save write"] = newError(msgSaveWrite).because(errors.New("disk full")) // root writes anywhere

	doc := []byte("profiles:\n  p:\n    smtp: {host: a}\n    domain:\n      name: |\n        x\n    crm:\n      object: a\n        b\n    api: {}\n")
	edit := func(name, profile, key string, v any) {
		_, err := EditProfile("config.yaml", doc, profile, []Edit{{Key: key, Value: v}})
		require.Error(t, err, name)
		out[name] = err
	}
	edit("edit no profile", "q", "smtp.host", "b")
	edit("edit not section", "p", "smtp.host.x", "b")
	edit("edit flow", "p", "smtp.port", 25)
	edit("edit one line", "p", "domain.name", "a\nb")
	edit("edit spans", "p", "crm.object", "c")
	edit("edit value type", "p", "domain.name", 1.5)
	edit("edit would not load", "p", "crm.sample_size", 20000)
	_, out["edit not yaml"] = EditProfile("config.yaml", []byte("a: [\n"), "p", []Edit{{Key: "smtp.host", Value: "b"}})
	_, out["edit no mapping"] = EditProfile("config.yaml", []byte("- a\n"), "p", []Edit{{Key: "smtp.host", Value: "b"}})
	_, out["edit no profiles"] = EditProfile("config.yaml", []byte("a: 1\n"), "p", []Edit{{Key: "smtp.host", Value: "b"}})
	_, out["edit block"] = EditProfile("config.yaml", []byte("profiles:\n  p:\n    domain:\n      dnsbl:\n        - a\n"), "p", []Edit{{Key: "domain.dnsbl", Value: []string{"b"}}})
	out["edit empty"] = newError(msgEditEmpty)        // a block mapping with no keys: YAML has no way to write one
	out["edit not found"] = newError(msgEditNotFound) // a node whose line is not in the text
	return out
}

// TestEveryProblemInEveryLanguage: every message id the package declares
// exists in every language, each problem arises with it, and it reads in
// every language with its arguments filled in (no %!, no id left as it is).
func TestEveryProblemInEveryLanguage(t *testing.T) {
	t.Parallel()
	said := map[string]bool{}
	var collect func(err error)
	collect = func(err error) {
		switch e := err.(type) {
		case *Error:
			said[string(e.Msg.ID)] = true
			for _, a := range e.Msg.Args {
				if t, ok := a.(i18n.Text); ok {
					said[string(t)] = true
				}
			}
			if e.Err != nil {
				collect(e.Err)
			}
		case Errors:
			for _, one := range e {
				collect(one)
			}
		case *Invalid:
			said[string(e.File.ID)] = true
			said[string(e.Hint.ID)] = true
		default:
			if u := errors.Unwrap(err); u != nil {
				collect(u)
			}
		}
	}
	for name, err := range problems(t) {
		require.Error(t, err, name)
		var ce *Error
		var ces Errors
		var bad *Invalid
		require.True(t, errors.As(err, &ce) || errors.As(err, &ces) || errors.As(err, &bad), "%s: %T is not a configuration problem: %v", name, err, err)
		collect(err)
		en := ErrorIn(err, i18n.English)
		require.Equal(t, err.Error(), en, "%s: Error() is English", name)
		for _, lang := range i18n.Languages() {
			s := ErrorIn(err, lang)
			require.NotContains(t, s, "%!", "%s in %s: %s", name, lang, s)
			require.NotRegexp(t, `config\.[a-z_]+\.`, s, "%s in %s: an id, not words", name, lang)
			if lang != i18n.English && name != "parser" { // the YAML parser's own words
				require.NotEqual(t, en, s, "%s: still English in %s", name, lang)
			}
		}
		t.Logf("%s\n  en: %s\n  es: %s", name, en, ErrorIn(err, "es"))
	}
	for _, id := range messageIDs(t) {
		require.True(t, said[id], "%s: no problem in the table says it", id)
		for _, lang := range i18n.Languages() {
			require.True(t, i18n.Has(lang, id), "%s lacks %s", lang, id)
		}
	}
	require.Empty(t, i18n.Misses())
}

// TestProblemsKeepSecretsOut: a secret written into a value that is not
// valid never shows in the problem, in any language.
func TestProblemsKeepSecretsOut(t *testing.T) {
	t.Parallel()
	const secret = "sk-proj-BADVALUEcanary0123456789"
	for _, text := range []string{
		"profiles:\n  p:\n    api: {base_url: \"ftp://user:" + secret + "@api.example.com\"}\n",
		"profiles:\n  p:\n    api: {base_url: \"https://api.example.com/v1?key=" + secret + "\"}\n",
		"profiles:\n  p:\n    api: {base_url: \"https://api.example.com\", endpoints: [\"https://" + secret + "@b.example.com\"]}\n",
		"profiles:\n  p:\n    crm: {provider: hubspot, base_url: \"api.hubapi.com/?token=" + secret + "\"}\n",
		"profiles:\n  p:\n    cache: {redis_url: \"http://:" + secret + "@cache:6379\"}\n",
		"profiles:\n  p:\n    api: {key: [" + secret + "]}\n",
	} {
		_, err := Parse("config.yaml", []byte(text))
		require.Error(t, err, text)
		for _, lang := range i18n.Languages() {
			s := ErrorIn(err, lang)
			require.NotContains(t, s, secret, lang)
			require.NotContains(t, s, secret[8:20], lang)
		}
	}
}

// TestErrorInSaysWrappedProblems: a problem wrapped in other words (a
// command's prefix) or joined with others is said in the language, the
// other words left as they are.
func TestErrorInSaysWrappedProblems(t *testing.T) {
	t.Parallel()
	_, perr := Parse("c.yaml", []byte("profiles:\n  p:\n    smtp: {host: a, port: 70000}\n"))
	require.Error(t, perr)
	wrapped := fmt.Errorf("apply: %w", perr)
	require.Equal(t, "apply: c.yaml:3: smtp.port es 70000; se esperaba un puerto entre 1 y 65535 (normalmente 587, 465 o 25)", ErrorIn(wrapped, "es"))
	f, _ := FieldByKey("smtp.port")
	joined := errors.Join(f.Validate("x"), errors.New("other"))
	require.Equal(t, "smtp.port es \"x\"; se esperaba un número entero\nother", ErrorIn(joined, "es"))
	require.Equal(t, joined.Error(), ErrorIn(joined, "en"))
	require.Equal(t, "plain", ErrorIn(errors.New("plain"), "es"))
	require.Empty(t, ErrorIn(nil, "es"))
}

// TestErrorInSaysWrappedFileErrors: any error that can say itself is said
// in the language when it is wrapped too, a file safefile refused included.
func TestErrorInSaysWrappedFileErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, err := safefile.Read(dir, "--out", 1024)
	require.Error(t, err)
	wrapped := fmt.Errorf("apply: %w", err)
	require.Equal(t, "apply: --out "+dir+" es una carpeta, no un archivo", ErrorIn(wrapped, "es"))
	require.Equal(t, wrapped.Error(), ErrorIn(wrapped, "en"))
}
