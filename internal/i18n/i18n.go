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
// A message's id starts with the name of its file ("cli.check.title" is in
// cli.yaml), and the catalogue is loaded lazily, one file of one language
// at a time: a command pays only for the areas it prints.
package i18n

import (
	"errors"
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

// catalogue is one area's messages (one file) in one language, with
// English as the fallback, ready to look up.
type catalogue struct {
	localizer *goi18n.Localizer
	ids       map[string]bool              // ids this language itself defines
	forms     map[string]map[string]string // id -> plural form -> text, for messages with plural forms
	err       error
}

var (
	mu      sync.Mutex           // guards sources and the loading of a language
	sources = map[string]fs.FS{} // extra languages added by AddLanguage
	loaded  sync.Map             // "lang/area" -> *catalogue, never changed once stored: lookups take no lock
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
	prefix := lang + "/"
	for _, m := range []*sync.Map{&loaded, &byTextFiles} {
		m.Range(func(k, _ any) bool {
			if strings.HasPrefix(k.(string), prefix) {
				m.Delete(k)
			}
			return true
		})
	}
	for k := range sourcesParsed {
		if strings.HasPrefix(k, prefix) {
			delete(sourcesParsed, k)
		}
	}
	mu.Unlock()
	return Err(lang)
}

// T returns message id in lang with args filled in by its fmt verbs. A
// message the language lacks reads in English; one English lacks too comes
// back as its id (and Misses reports it).
func T(lang, id string, args ...any) string {
	return format(lookup(lang, id, nil), said(lang, args))
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
	return format(s, said(lang, args))
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
func Has(lang, id string) bool { return load(lang, areaOf(id)).ids[id] }

// IDs returns the ids lang itself defines, sorted (the by-text files left
// out).
func IDs(lang string) []string {
	var out []string
	for _, area := range areas(lang) {
		for id := range load(lang, area).ids {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// areaOf is the file an id lives in: the part before its first dot.
func areaOf(id string) string {
	area, _, _ := strings.Cut(id, ".")
	return area
}

// areas are the names of lang's id-keyed files, and English's.
func areas(lang string) []string {
	seen := map[string]bool{}
	for _, l := range []string{English, lang} {
		mu.Lock()
		fsys, dir := sourceOf(l)
		mu.Unlock()
		names, _ := fs.Glob(fsys, path.Join(dir, "*.yaml"))
		for _, name := range names {
			if area := strings.TrimSuffix(path.Base(name), ".yaml"); !slices.Contains(ByText, area) {
				seen[area] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for a := range seen {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// File returns one message file of lang as id -> text (the "other" form),
// for catalogues matched by text (checks, fixes). Nil when lang has none.
// The map is shared: read it, never write to it.
func File(lang, name string) map[string]string {
	texts, _ := readByText(lang, name)
	return texts
}

// Phrases returns one id-keyed message file as English text -> lang's text
// (the messages lang itself defines, unformatted), for catalogues that
// translate sentences quoting them in English (see check.CatalogueFor).
func Phrases(lang, area string) map[string]string {
	out := map[string]string{}
	for id := range load(lang, area).ids {
		out[lookup(English, id, nil)] = lookup(lang, id, nil)
	}
	return out
}

// Forms returns the plural forms lang itself gives id ("one", "other" ...),
// or nil when the message has only one form.
func Forms(lang, id string) map[string]string { return load(lang, areaOf(id)).forms[id] }

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
func Err(lang string) error {
	var errs []error
	for _, area := range areas(lang) {
		errs = append(errs, load(lang, area).err)
	}
	for _, name := range ByText {
		_, err := readByText(lang, name)
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

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
	c := load(lang, areaOf(id))
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

// load returns the catalogue of one area (file) of lang, reading it on
// first use, with English's as the fallback. Each file is parsed once a
// process (parsed), so English is not parsed again for Spanish.
func load(lang, area string) *catalogue {
	key := lang + "/" + area
	if c, ok := loaded.Load(key); ok {
		return c.(*catalogue)
	}
	mu.Lock()
	defer mu.Unlock()
	if c, ok := loaded.Load(key); ok {
		return c.(*catalogue)
	}
	c := &catalogue{ids: map[string]bool{}, forms: map[string]map[string]string{}}
	bundle := goi18n.NewBundle(language.English)
	var errs []string
	tags := []string{English}
	if lang != English {
		en := parsed(English, area)
		errs = append(errs, en.errs...)
		if err := bundle.AddMessages(language.English, en.msgs...); err != nil {
			errs = append(errs, err.Error())
		}
		tags = []string{lang, English}
	}
	own := parsed(lang, area)
	errs = append(errs, own.errs...)
	if own.tag != language.Und {
		if err := bundle.AddMessages(own.tag, own.msgs...); err != nil {
			errs = append(errs, fmt.Sprintf("%s/%s: %v", lang, area, err))
		}
	}
	for _, msg := range own.msgs {
		c.ids[msg.ID] = true
		if f := pluralForms(msg); len(f) > 1 {
			c.forms[msg.ID] = f
		}
	}
	if len(errs) > 0 {
		c.err = fmt.Errorf("messages: %s", strings.Join(errs, "; "))
	}
	c.localizer = goi18n.NewLocalizer(bundle, tags...)
	loaded.Store(key, c)
	return c
}

// source is one id-keyed message file of one language, parsed.
type source struct {
	tag  language.Tag
	msgs []*goi18n.Message
	errs []string
}

var sourcesParsed = map[string]*source{} // "lang/area" -> parsed file; under mu

// parsed returns lang's file area.yaml parsed on first use (mu held); a
// language without that file has no messages in it. A message whose id
// does not start with "area." is an error: it could never be found.
func parsed(lang, area string) *source {
	key := lang + "/" + area
	if src, ok := sourcesParsed[key]; ok {
		return src
	}
	src := &source{}
	sourcesParsed[key] = src
	tag, err := language.Parse(lang)
	if err != nil {
		src.errs = []string{fmt.Sprintf("language %q: %v", lang, err)}
		return src
	}
	src.tag = tag
	if area == "" || slices.Contains(ByText, area) {
		return src
	}
	fsys, dir := sourceOf(lang)
	name := path.Join(dir, area+".yaml")
	if _, err := fs.Stat(fsys, name); err != nil {
		return src
	}
	msgs, err := parseFile(fsys, name)
	if err != nil {
		src.errs = append(src.errs, fmt.Sprintf("%s/%s.yaml: %v", lang, area, err))
		return src
	}
	for _, m := range msgs {
		if areaOf(m.ID) != area {
			src.errs = append(src.errs, fmt.Sprintf("%s/%s.yaml: %q does not start with %q, so it is never found", lang, area, m.ID, area+"."))
		}
	}
	src.msgs = msgs
	return src
}

// sourceOf is where lang's files are: a language added by AddLanguage, or
// its folder of the built-in tree.
func sourceOf(lang string) (fs.FS, string) {
	if fsys := sources[lang]; fsys != nil {
		return fsys, "."
	}
	return locales.FS, lang
}

func parseFile(fsys fs.FS, name string) ([]*goi18n.Message, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	return goi18n.ParseMessageBytes(data, yaml.Unmarshal)
}

// byText is one by-text file of a language, parsed on first use.
type byTextFile struct {
	once  sync.Once
	texts map[string]string
	err   error
}

var byTextFiles sync.Map // "lang/name" -> *byTextFile

// readByText returns lang's by-text file name (checks, fixes) as English
// text -> translation; nil when lang has none.
func readByText(lang, name string) (map[string]string, error) {
	v, _ := byTextFiles.LoadOrStore(lang+"/"+name, &byTextFile{})
	f := v.(*byTextFile)
	f.once.Do(func() {
		mu.Lock()
		fsys, dir := sourceOf(lang)
		mu.Unlock()
		file := path.Join(dir, name+".yaml")
		if _, err := fs.Stat(fsys, file); err != nil {
			return
		}
		msgs, err := parseFile(fsys, file)
		if err != nil {
			f.err = fmt.Errorf("%s/%s.yaml: %w", lang, name, err)
			return
		}
		f.texts = make(map[string]string, len(msgs))
		for _, m := range msgs {
			f.texts[m.ID] = m.Other
		}
	})
	return f.texts, f.err
}
