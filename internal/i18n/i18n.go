// Package i18n is Pitstop's one catalogue of interface messages. Every
// user-visible string is a message in locales/<lang>/*.yaml (go-i18n message
// files), looked up here by ID and filled in with fmt verbs. English is the
// fallback; a message a language lacks reads in English, and the tests fail.
//
// Two files are keyed by their English text rather than by an ID:
// checks.yaml (check summaries, whose English formats live in each check's
// code) and fixes.yaml (the fixes' sentences). They are read whole with
// File and matched by internal/check and internal/fix; English needs no
// file for them.
//
// The catalogue is loaded lazily, one language at a time, so a command that
// prints nothing translated pays nothing for it.
package i18n

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"

	"pitstop/locales"
)

// English is the fallback language and the source of every message.
const English = "en"

// ByText lists the message files keyed by English text instead of an ID.
var ByText = []string{"checks", "fixes"}

// catalogue is one language's messages, ready to look up.
type catalogue struct {
	localizer *goi18n.Localizer
	files     map[string]map[string]string // file name -> id -> text (Other form)
	ids       map[string]bool              // ids this language itself defines
	forms     map[string]map[string]string // id -> plural form -> text, for messages with plural forms
	err       error
}

var (
	mu      sync.Mutex           // guards sources and the loading of a language
	sources = map[string]fs.FS{} // extra languages added by AddLanguage
	loaded  sync.Map             // lang -> *catalogue, never changed once stored: lookups take no lock
	misses  sync.Map             // "lang\x00id" -> true: asked for but absent in English
)

// Languages returns the interface languages, English first, then the rest
// in alphabetical order: one per folder under locales/, plus any added.
func Languages() []string {
	seen := map[string]bool{English: true}
	if entries, err := fs.ReadDir(locales.FS, "."); err == nil {
		for _, e := range entries {
			if e.IsDir() {
				seen[e.Name()] = true
			}
		}
	}
	mu.Lock()
	for l := range sources {
		seen[l] = true
	}
	mu.Unlock()
	out := make([]string, 0, len(seen))
	for l := range seen {
		if l != English {
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return append([]string{English}, out...)
}

// Supported reports whether lang is one of Languages.
func Supported(lang string) bool { return slices.Contains(Languages(), lang) }

// AddLanguage makes a language from fsys (its *.yaml files at the root)
// available, replacing any earlier one of that code. Tests use it for a
// pseudo-locale; it is how a new translation can be tried before it is
// built in.
func AddLanguage(lang string, fsys fs.FS) error {
	if _, err := language.Parse(lang); err != nil {
		return fmt.Errorf("language %q: %w", lang, err)
	}
	mu.Lock()
	sources[lang] = fsys
	loaded.Delete(lang)
	mu.Unlock()
	c := load(lang)
	return c.err
}

// T returns message id in lang with args filled in by its fmt verbs. A
// message the language lacks reads in English; one English lacks too comes
// back as its id (and Misses reports it).
func T(lang, id string, args ...any) string {
	return format(lookup(lang, id, nil), args)
}

// N returns message id in the plural form CLDR gives count in lang (one,
// few, many, other ...), with args filled in, or with count alone when
// there are none. A form without verbs ("one more reason") takes no args:
// the count it would print is spelled out.
func N(lang, id string, count int, args ...any) string {
	s := lookup(lang, id, count)
	if !VerbRe.MatchString(s) {
		return s // a form that spells its count out: "one more reason"
	}
	if len(args) == 0 {
		args = []any{count}
	}
	return format(s, args)
}

// Lookup is T for a message that may not exist (an id built from data: a
// category, a theme, a command's path): ok is false, and nothing is
// reported missing, when English has no such message.
func Lookup(lang, id string, args ...any) (s string, ok bool) {
	if !Has(English, id) {
		return "", false
	}
	return T(lang, id, args...), true
}

// Or is Lookup with a fallback: the message, or fallback when there is
// none (an overlay article's own category).
func Or(lang, id, fallback string) string {
	if s, ok := Lookup(lang, id); ok {
		return s
	}
	return fallback
}

// Has reports whether lang itself (not the English fallback) has id.
func Has(lang, id string) bool { return load(lang).ids[id] }

// IDs returns the ids lang itself defines, sorted (the by-text files left
// out).
func IDs(lang string) []string {
	c := load(lang)
	out := make([]string, 0, len(c.ids))
	for id := range c.ids {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// File returns one message file of lang as id -> text (the "other" form),
// for catalogues matched by text (checks, fixes). Nil when lang has none.
func File(lang, name string) map[string]string { return load(lang).files[name] }

// Forms returns the plural forms lang itself gives id ("one", "other" ...),
// or nil when the message has only one form.
func Forms(lang, id string) map[string]string { return load(lang).forms[id] }

func pluralForms(m *goi18n.Message) map[string]string {
	out := map[string]string{}
	for form, s := range map[string]string{"zero": m.Zero, "one": m.One, "two": m.Two, "few": m.Few, "many": m.Many, "other": m.Other} {
		if s != "" {
			out[form] = s
		}
	}
	return out
}

// Err returns the error loading lang's messages met, if any: a broken
// message file is a build mistake the tests report.
func Err(lang string) error { return load(lang).err }

// Misses returns the ids asked for that English does not define, as
// "lang id", for tests that render every screen.
func Misses() []string {
	var out []string
	misses.Range(func(k, _ any) bool {
		out = append(out, strings.Replace(k.(string), "\x00", " ", 1))
		return true
	})
	sort.Strings(out)
	return out
}

func format(s string, args []any) string {
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

func lookup(lang, id string, count any) string {
	if lang == "" {
		lang = English
	}
	c := load(lang)
	cfg := &goi18n.LocalizeConfig{MessageID: id}
	if count != nil {
		cfg.PluralCount = count
	}
	s, err := c.localizer.Localize(cfg)
	if err != nil && s == "" {
		misses.Store(lang+"\x00"+id, true)
		return id
	}
	return s
}

// load returns lang's catalogue, reading its files on first use. The
// catalogue of a language other than English holds English too, as the
// fallback.
func load(lang string) *catalogue {
	if c, ok := loaded.Load(lang); ok {
		return c.(*catalogue)
	}
	mu.Lock()
	defer mu.Unlock()
	if c, ok := loaded.Load(lang); ok {
		return c.(*catalogue)
	}
	c := &catalogue{files: map[string]map[string]string{}, ids: map[string]bool{}, forms: map[string]map[string]string{}}
	bundle := goi18n.NewBundle(language.English)
	var errs []string
	tags := []string{English}
	if lang != English {
		errs = append(errs, add(bundle, English, nil)...)
		tags = []string{lang, English}
	}
	errs = append(errs, add(bundle, lang, c)...)
	if len(errs) > 0 {
		c.err = fmt.Errorf("messages: %s", strings.Join(errs, "; "))
	}
	c.localizer = goi18n.NewLocalizer(bundle, tags...)
	loaded.Store(lang, c)
	return c
}

// add reads lang's message files into bundle, and records them in c when c
// is not nil. It returns the problems met, one per file.
func add(bundle *goi18n.Bundle, lang string, c *catalogue) []string {
	fsys, dir := sources[lang], "."
	if fsys == nil {
		fsys, dir = locales.FS, lang
	}
	tag, err := language.Parse(lang)
	if err != nil {
		return []string{fmt.Sprintf("language %q: %v", lang, err)}
	}
	names, _ := fs.Glob(fsys, path.Join(dir, "*.yaml"))
	var errs []string
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		msgs, err := goi18n.ParseMessageBytes(data, yaml.Unmarshal)
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s/%s: %v", lang, path.Base(name), err))
			continue
		}
		file := strings.TrimSuffix(path.Base(name), ".yaml")
		byText := slices.Contains(ByText, file)
		if !byText {
			if err := bundle.AddMessages(tag, msgs...); err != nil {
				errs = append(errs, fmt.Sprintf("%s/%s: %v", lang, path.Base(name), err))
			}
		}
		if c == nil {
			continue
		}
		m := make(map[string]string, len(msgs))
		for _, msg := range msgs {
			m[msg.ID] = msg.Other
			if byText {
				continue
			}
			c.ids[msg.ID] = true
			if f := pluralForms(msg); len(f) > 1 {
				c.forms[msg.ID] = f
			}
		}
		c.files[file] = m
	}
	return errs
}
