package check

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"go.yaml.in/yaml/v3"

	"pitstop/internal/i18n"
)

// Catalogue translates check summaries into one language. It is built from
// knowledge/<lang>/checks.yaml, which maps each English summary format (the
// format string given to Passf, Failf ... or to a family's own wrapper) to
// the same sentence in that language, with the same verbs in the same order
// (or explicit indexes such as %[2]s).
//
// A summary is matched against the English formats as a whole (each verb
// stands for any text), so a sentence built anywhere in a family (a wrapper,
// a stored finding, a "%s" pass-through) translates the same way. Arguments
// that are themselves a catalogued sentence or phrase translate too. A
// summary with no match stays in English.
//
// Check titles are not here: they are messages of the catalogue
// (registry.check.<id>.title in locales/<lang>/registry.yaml).
type Catalogue struct {
	entries []entry
}

type entry struct {
	english string
	re      *regexp.Regexp
	target  []piece
	weight  int    // literal characters in the English format: more is more specific
	needle  string // the longest literal run: a text without it cannot match
}

// piece is a literal run of the target format or, when arg >= 0, the text
// of the English argument with that index.
type piece struct {
	text string
	arg  int
}

// titlesKey was the catalogue's section of check titles; they moved to
// registry.yaml.
const titlesKey = "titles"

// ParseCatalogue reads a catalogue: a YAML mapping from English format to
// translated format. It rejects an entry whose verbs differ from the
// English, and a titles section (titles live in registry.yaml).
func ParseCatalogue(data []byte) (*Catalogue, error) {
	var m map[string]yaml.Node
	if err := yaml.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	texts := make(map[string]string, len(m))
	for en, node := range m {
		if en == titlesKey && node.Kind == yaml.MappingNode {
			return nil, fmt.Errorf("%s: check titles live in registry.yaml, as registry.check.<id>.title", titlesKey)
		}
		var tr string
		if err := node.Decode(&tr); err != nil {
			return nil, fmt.Errorf("%q: %w", en, err)
		}
		texts[en] = tr
	}
	return NewCatalogue(texts)
}

// NewCatalogue builds a catalogue from English format -> translated format.
// It rejects an entry whose verbs differ from the English.
func NewCatalogue(texts map[string]string) (*Catalogue, error) {
	c := &Catalogue{}
	for en, tr := range texts {
		e, err := newEntry(en, tr)
		if err != nil {
			return nil, err
		}
		c.entries = append(c.entries, e)
	}
	// Most specific first, so "The key is set (%s) and ..." wins over "%s.".
	sort.Slice(c.entries, func(i, j int) bool {
		if c.entries[i].weight != c.entries[j].weight {
			return c.entries[i].weight > c.entries[j].weight
		}
		return c.entries[i].english < c.entries[j].english
	})
	return c, nil
}

func newEntry(en, tr string) (entry, error) {
	ev := i18n.Verbs(en)
	if err := i18n.SameVerbs(ev, i18n.Verbs(tr)); err != nil {
		return entry{}, fmt.Errorf("%q: %w", en, err)
	}
	var re strings.Builder
	re.WriteString(`^`)
	weight, last, needle := 0, 0, ""
	for _, loc := range i18n.VerbRe.FindAllStringIndex(en, -1) {
		lit := en[last:loc[0]]
		re.WriteString(regexp.QuoteMeta(lit))
		weight += len(lit)
		if len(lit) > len(needle) {
			needle = lit
		}
		v := en[loc[0]:loc[1]]
		switch {
		case v == "%%":
			re.WriteString(`%`)
			weight++
		case strings.HasSuffix(v, "d"):
			re.WriteString(`([-+]?\d+)`)
		case strings.HasSuffix(v, "f"), strings.HasSuffix(v, "g"):
			re.WriteString(`([-+]?[0-9.eE+-]+)`)
		default:
			re.WriteString(`(.*?)`)
		}
		last = loc[1]
	}
	re.WriteString(regexp.QuoteMeta(en[last:]))
	weight += len(en) - last
	if len(en)-last > len(needle) {
		needle = en[last:]
	}
	re.WriteString(`$`)
	e := entry{english: en, weight: weight, needle: needle}
	var err error
	if e.re, err = regexp.Compile(`(?s)` + re.String()); err != nil {
		return entry{}, fmt.Errorf("%q: %w", en, err)
	}
	last, n := 0, 0
	for _, m := range i18n.VerbRe.FindAllStringSubmatchIndex(tr, -1) {
		e.target = append(e.target, piece{text: tr[last:m[0]], arg: -1})
		last = m[1]
		if tr[m[0]:m[1]] == "%%" {
			e.target = append(e.target, piece{text: "%", arg: -1})
			continue
		}
		i := n
		if m[2] >= 0 {
			k, _ := strconv.Atoi(tr[m[2]+1 : m[3]-1])
			i = k - 1
		}
		e.target = append(e.target, piece{arg: i})
		n = i + 1
	}
	e.target = append(e.target, piece{text: tr[last:], arg: -1})
	return e, nil
}

// Has reports whether the catalogue has an entry for this English format.
func (c *Catalogue) Has(format string) bool {
	for _, e := range c.entries {
		if e.english == format {
			return true
		}
	}
	return false
}

// Text translates one sentence or phrase; ok is false when no entry matches.
// Of the entries that match, the one whose translation covers the most
// English (its own words plus those of the arguments it translates in turn)
// wins, so a sentence put together from several formats reads as a whole.
func (c *Catalogue) Text(s string) (string, bool) {
	if c == nil {
		return s, false
	}
	out, covered := c.text(s, 4, map[memoKey]memoVal{})
	return out, covered > 0
}

type memoKey struct {
	s     string
	depth int
}

type memoVal struct {
	out     string
	covered int
}

// text returns the best translation of s and how many English characters
// the entries behind it cover (0: s is returned as it is).
func (c *Catalogue) text(s string, depth int, memo map[memoKey]memoVal) (string, int) {
	if s == "" || depth < 0 {
		return s, 0
	}
	key := memoKey{s, depth}
	if v, ok := memo[key]; ok {
		return v.out, v.covered
	}
	best := memoVal{out: s}
	for _, e := range c.entries {
		if e.weight == 0 {
			continue // "%s" alone says nothing: the text inside decides
		}
		if !strings.Contains(s, e.needle) {
			continue
		}
		m := e.re.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		args := m[1:]
		covered := e.weight
		var b strings.Builder
		for _, p := range e.target {
			if p.arg < 0 {
				b.WriteString(p.text)
				continue
			}
			if p.arg >= len(args) {
				continue
			}
			t, n := c.text(args[p.arg], depth-1, memo)
			covered += n
			b.WriteString(t)
		}
		if covered > best.covered {
			best = memoVal{out: b.String(), covered: covered}
		}
	}
	memo[key] = best
	return best.out, best.covered
}

// Translate returns r with its summary in the catalogue's language, when an
// entry matches. A detail is translated only when a specific sentence of
// Pitstop's own matches it whole ("%s (%s, %d characters)"): the rest is
// evidence (a server's words, a header, a record) and stays as it is.
func (c *Catalogue) Translate(r Result) Result {
	if t, ok := c.Text(r.Summary); ok {
		r.Summary = t
	}
	var details []string
	for i, d := range r.Details {
		t, ok := c.specific(d)
		if !ok {
			continue
		}
		if details == nil {
			details = slices.Clone(r.Details)
		}
		details[i] = t
	}
	if details != nil {
		r.Details = details
	}
	return r
}

// specificWeight is how many literal characters an entry needs to translate
// a detail on its own: "%s: %s" or "in %s" would also match evidence.
const specificWeight = 12

// specific is Text for a detail: only an entry with at least
// specificWeight literal characters may match the whole line (its
// arguments are then translated as in Text).
func (c *Catalogue) specific(s string) (string, bool) {
	if c == nil || s == "" {
		return s, false
	}
	memo := map[memoKey]memoVal{}
	for _, e := range c.entries {
		if e.weight < specificWeight || !strings.Contains(s, e.needle) {
			continue
		}
		if e.re.MatchString(s) {
			out, covered := c.text(s, 4, memo)
			return out, covered > 0
		}
	}
	return s, false
}

// catalogues holds, by "lang/file", the function that builds that
// catalogue once (nil when there is none): the first caller builds it and
// callers at the same moment wait for that one build. A probe of every
// profile in Spanish, or the parallel tests, asked for it together and each
// built its own (23% of a Spanish check run's CPU under -race).
var catalogues sync.Map

// catalogueBuilds counts buildCatalogue's calls (the tests read it).
var catalogueBuilds atomic.Int64

// phraseAreas are the id-keyed message files whose phrases a sentence may
// quote in English: what is wrong with a file (safefile's "is a device, not a
// regular file") reaches a check's summary as an argument, and is translated
// there from the same message as everywhere else.
var phraseAreas = []string{"file"}

// CatalogueFor returns the built-in catalogue for a language: its
// checks.yaml in the i18n catalogue (locales/<lang>/checks.yaml), or nil for
// English and for a language without one. A catalogue that does not parse is
// a build mistake the tests catch; here it yields nil (English summaries)
// rather than a crash.
func CatalogueFor(lang string) *Catalogue {
	return catalogueOf(lang, "checks")
}

// catalogueOf returns the catalogue built from one by-text message file of
// lang (checks, fixes), nil when there is none.
func catalogueOf(lang, file string) *Catalogue {
	if lang == "" || lang == i18n.English {
		return nil
	}
	key := lang + "/" + file
	build, ok := catalogues.Load(key)
	if !ok {
		build, _ = catalogues.LoadOrStore(key, sync.OnceValue(func() *Catalogue { return buildCatalogue(lang, file) }))
	}
	return build.(func() *Catalogue)()
}

// buildCatalogue parses lang's by-text message file (checks, fixes) with the
// phrases of phraseAreas, nil when there is none or it does not parse.
func buildCatalogue(lang, file string) *Catalogue {
	catalogueBuilds.Add(1)
	texts := i18n.File(lang, file)
	if texts == nil {
		return nil
	}
	texts = maps.Clone(texts) // i18n's own, shared: never written
	for _, area := range phraseAreas {
		for en, tr := range i18n.Phrases(lang, area) {
			if _, ok := texts[en]; !ok {
				texts[en] = tr
			}
		}
	}
	c, err := NewCatalogue(texts)
	if err != nil {
		return nil
	}
	return c
}

// FixCatalogueFor returns the catalogue of the fixes' sentences
// (locales/<lang>/fixes.yaml), nil for English or when there is none.
func FixCatalogueFor(lang string) *Catalogue { return catalogueOf(lang, "fixes") }
