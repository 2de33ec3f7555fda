package check

import (
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"pitstop/knowledge"
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
// Check titles are not here: the family registry (internal/registry) holds
// them in every language.
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

// verbRe matches one fmt verb: %%, or % [explicit index] flags width
// precision verb.
var verbRe = regexp.MustCompile(`%(?:%|(\[\d+\])?[-+# 0]*(\d+|\*)?(\.(\d+|\*)?)?[a-zA-Z])`)

// Verbs lists a format's verbs in order, normalised to their letter with any
// explicit index ("%[2]s" stays "%[2]s"; "%-8.1f" is "%f"). "%%" is left out.
func Verbs(format string) []string {
	var out []string
	for _, m := range verbRe.FindAllStringSubmatch(format, -1) {
		if m[0] == "%%" {
			continue
		}
		out = append(out, "%"+m[1]+m[0][len(m[0])-1:])
	}
	return out
}

// titlesKey was the catalogue's section of check titles; they moved to the
// family registry.
const titlesKey = "titles"

// ParseCatalogue reads a catalogue: a YAML mapping from English format to
// translated format. It rejects an entry whose verbs differ from the
// English, and a titles section (titles live in internal/registry).
func ParseCatalogue(data []byte) (*Catalogue, error) {
	var m map[string]yaml.Node
	if err := yaml.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	c := &Catalogue{}
	for en, node := range m {
		if en == titlesKey && node.Kind == yaml.MappingNode {
			return nil, fmt.Errorf("%s: check titles live in the family registry (internal/registry/table.go), in every language", titlesKey)
		}
		var tr string
		if err := node.Decode(&tr); err != nil {
			return nil, fmt.Errorf("%q: %w", en, err)
		}
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
	ev := Verbs(en)
	if err := sameVerbs(ev, Verbs(tr)); err != nil {
		return entry{}, fmt.Errorf("%q: %w", en, err)
	}
	var re strings.Builder
	re.WriteString(`^`)
	weight, last, needle := 0, 0, ""
	for _, loc := range verbRe.FindAllStringIndex(en, -1) {
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
	for _, m := range verbRe.FindAllStringSubmatchIndex(tr, -1) {
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

// sameVerbs checks a translation uses the English verbs: in the same order,
// or each English argument once through explicit indexes of the same kind.
func sameVerbs(en, tr []string) error {
	letters := func(vs []string) []string {
		out := make([]string, len(vs))
		for i, v := range vs {
			out[i] = v[len(v)-1:]
		}
		return out
	}
	if strings.Join(en, " ") == strings.Join(tr, " ") {
		return nil
	}
	// Reordered with explicit indexes: every English argument appears with its verb.
	if len(en) == len(tr) {
		want := letters(en)
		seen := make([]bool, len(en))
		ok := true
		for i, v := range tr {
			k := i
			if strings.HasPrefix(v, "%[") {
				k, _ = strconv.Atoi(v[2:strings.Index(v, "]")])
				k--
			} else {
				ok = false
				break
			}
			if k < 0 || k >= len(en) || seen[k] || want[k] != v[len(v)-1:] {
				ok = false
				break
			}
			seen[k] = true
		}
		if ok {
			return nil
		}
	}
	return fmt.Errorf("verbs %v in the translation, want %v", tr, en)
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
// entry matches; details (evidence) stay as they are.
func (c *Catalogue) Translate(r Result) Result {
	if t, ok := c.Text(r.Summary); ok {
		r.Summary = t
	}
	return r
}

var catalogues sync.Map // lang -> *Catalogue (nil when there is none)

// CatalogueFor returns the built-in catalogue for a language, or nil for
// English and for a language without knowledge/<lang>/checks.yaml. A
// catalogue that does not parse is a build mistake the tests catch; here it
// yields nil (English summaries) rather than a crash.
func CatalogueFor(lang string) *Catalogue {
	if lang == "" || lang == "en" {
		return nil
	}
	if c, ok := catalogues.Load(lang); ok {
		return c.(*Catalogue)
	}
	var c *Catalogue
	if data, err := fs.ReadFile(knowledge.FS, lang+"/checks.yaml"); err == nil {
		if parsed, err := ParseCatalogue(data); err == nil {
			c = parsed
		}
	}
	actual, _ := catalogues.LoadOrStore(lang, c)
	return actual.(*Catalogue)
}
