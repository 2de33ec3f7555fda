package kb

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/agnivade/levenshtein"

	"pitstop/internal/i18n"
	"pitstop/internal/safefile"
)

// Base is the knowledge base in one language: read-only once loaded, safe
// for concurrent use.
type Base struct {
	lang     string
	articles []*Article // sorted by id
	byID     map[string]int
	patterns [][]*regexp.Regexp // per article, parallel to articles

	// The word index is built on the first Match or Search, not at load:
	// commands that only list or show articles never pay for it.
	idxOnce sync.Once
	idx     *index
}

// index returns the word index, building it on first use.
func (b *Base) index() *index {
	b.idxOnce.Do(func() { b.idx = buildIndex(b.articles, b.patterns) })
	return b.idx
}

// Load reads the articles of one language from fsys (the embedded tree, one
// directory per language: en/, es/), then, for an id the language lacks,
// the English article, and then from overlayDir, whose articles add to
// or replace the embedded ones by id. An overlay holds either en/ and es/
// directories or flat *.md files; a flat file named "id.es.md" is only for
// that language, a plain "id.md" for every language.
//
// A broken article is skipped with a Warning naming its file and line; the
// rest loads. The error is for what stops loading altogether: an unknown
// language, or an overlay directory that cannot be read.
//
// A language with interface messages but no articles of its own in fsys
// (a translation begun with its locales/ folder) reads the English
// articles; the reasons a match gives are still in lang.
func Load(fsys fs.FS, overlayDir, lang string) (*Base, []Warning, error) {
	if !i18n.Supported(lang) {
		return nil, nil, fmt.Errorf("language %q is not available; use one of %s", lang, strings.Join(i18n.Languages(), ", "))
	}
	l := &loader{lang: lang, ui: lang, byID: map[string]*parsed{}, read: map[string]bool{}}
	if fsys != nil {
		if _, err := fs.Stat(fsys, lang); err != nil {
			l.lang = i18n.English
		}
		if err := l.readDir(fsys, l.lang, "knowledge/"+l.lang, false); err != nil {
			return nil, nil, err
		}
		if l.lang != i18n.English {
			// An article the language does not have yet reads in English
			// (its Lang says so): a language needs no articles to be usable.
			// Only the files the language lacks are parsed.
			en := &loader{lang: i18n.English, byID: map[string]*parsed{}, skip: l.read}
			if err := en.readDir(fsys, i18n.English, "knowledge/"+i18n.English, false); err != nil {
				return nil, nil, err
			}
			for id, p := range en.byID {
				if _, ok := l.byID[id]; !ok {
					l.byID[id] = p
				}
			}
		}
	}
	if overlayDir != "" {
		// The overlay's articles are in the language asked for: DIR/<lang>/
		// and the flat files written for every language.
		l.lang = lang
		if err := l.readOverlay(overlayDir); err != nil {
			return nil, l.warnings, err
		}
	}
	return newBase(lang, l.byID), l.warnings, nil
}

type loader struct {
	lang     string // of the articles
	ui       string // of the messages
	byID     map[string]*parsed
	warnings []Warning
	read     map[string]bool // file names read, when not nil
	skip     map[string]bool // file names not to read
}

func (l *loader) warn(ps []Problem) {
	for _, p := range ps {
		l.warnings = append(l.warnings, Warning{File: p.File, Line: p.Line, Msg: p.Msg, problem: p})
	}
}

// readDir reads every *.md file of dir in fsys. shown is how file names
// appear in warnings. A later article with an id already seen replaces the
// earlier one only when replace is set (overlays); otherwise it is a warning.
func (l *loader) readDir(fsys fs.FS, dir, shown string, replace bool) error {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("read %s: %w", shown, err)
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".md") || l.skip[name] {
			continue
		}
		if fileLang := langOfFile(name); fileLang != "" && fileLang != l.lang {
			continue
		}
		source := path.Join(shown, name)
		if replace {
			source = filepath.Join(shown, name)
		}
		data, err := safefile.ReadFS(fsys, path.Join(dir, name), safefile.Article, safefile.MaxArticle)
		if err != nil {
			l.warn([]Problem{problem(source, 0, "unreadable", err)})
			continue
		}
		p := parseArticle(source, l.lang, data, replace)
		if len(p.fatal) > 0 {
			l.warn(p.fatal)
			continue
		}
		if l.read != nil {
			l.read[name] = true // read: its English version is not needed
		}
		if replace {
			passTheDoor(p.art) // an overlay is outside text
		}
		if prev, dup := l.byID[p.art.ID]; dup && !replace {
			l.warn([]Problem{problem(source, p.line("id"), "id_skipped", p.art.ID, prev.art.Source)})
			continue
		}
		l.byID[p.art.ID] = p
	}
	return nil
}

// readOverlay reads dir/<lang>/*.md and then dir/*.md.
func (l *loader) readOverlay(dir string) error {
	info, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return errors.New(i18n.T(l.ui, "kb.load.no_dir", dir))
	}
	if err != nil {
		return fmt.Errorf("%s: %w", i18n.T(l.ui, "kb.load.dir", dir), err)
	}
	if !info.IsDir() {
		return errors.New(i18n.T(l.ui, "kb.load.file", dir))
	}
	fsys := os.DirFS(dir)
	if err := l.readDir(fsys, l.lang, filepath.Join(dir, l.lang), true); err != nil {
		return err
	}
	return l.readDir(fsys, ".", dir, true)
}

// langOfFile returns "es" for "x.es.md", "" for "x.md".
func langOfFile(name string) string {
	base := strings.TrimSuffix(name, ".md")
	if i := strings.LastIndexByte(base, '.'); i >= 0 && i18n.Supported(base[i+1:]) {
		return base[i+1:]
	}
	return ""
}

func newBase(lang string, byID map[string]*parsed) *Base {
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	b := &Base{lang: lang, byID: make(map[string]int, len(ids))}
	for i, id := range ids {
		p := byID[id]
		addSources(p.art)
		b.articles = append(b.articles, p.art)
		b.patterns = append(b.patterns, p.patterns)
		b.byID[id] = i
	}
	return b
}

// addSources ends the article's Body with its sources, so that every screen
// that renders the article shows where its facts come from.
func addSources(a *Article) {
	if len(a.Sources) == 0 || a.written > 0 {
		return
	}
	var b strings.Builder
	b.WriteString(strings.TrimRight(a.Body, "\n"))
	a.written = b.Len()
	b.WriteString("\n\n## " + i18n.T(a.Lang, "kb.sources.heading") + "\n\n")
	if a.Reviewed != "" {
		b.WriteString(i18n.T(a.Lang, "kb.sources.checked", a.Reviewed) + "\n\n")
	}
	for _, s := range a.Sources {
		b.WriteString("- <" + s + ">\n")
	}
	a.Body = b.String()
}

// Lang is the base's interface language (its articles are in English when
// that language has none of its own).
func (b *Base) Lang() string { return b.lang }

// Articles returns every article, sorted by id. The slice is a copy; the
// articles are shared and must not be changed.
func (b *Base) Articles() []*Article { return slices.Clone(b.articles) }

// Get returns the article with this id.
func (b *Base) Get(id string) (*Article, bool) {
	i, ok := b.byID[id]
	if !ok {
		return nil, false
	}
	return b.articles[i], true
}

// Categories returns the categories that have articles, in display order.
func (b *Base) Categories() []string {
	var out []string
	for _, c := range Categories {
		if slices.ContainsFunc(b.articles, func(a *Article) bool { return a.Category == c }) {
			out = append(out, c)
		}
	}
	return out
}

// Symptom is one symptom a user can pick, with the articles that list it.
type Symptom struct {
	Text     string   `json:"text"`
	Articles []string `json:"articles"`
}

// Symptoms returns the distinct symptoms of a category's articles (all
// categories when category is ""), each with the ids of the articles that
// list it. The list leads with each article's first symptom, worst severity
// first, then each article's second symptom, and so on: the top of a long
// list names every problem of the category once.
func (b *Base) Symptoms(category string) []Symptom {
	var arts []*Article
	for _, a := range b.articles {
		if category == "" || a.Category == category {
			arts = append(arts, a)
		}
	}
	slices.SortStableFunc(arts, func(x, y *Article) int {
		return slices.Index(Severities, x.Severity) - slices.Index(Severities, y.Severity)
	})
	var out []Symptom
	seen := map[string]int{}
	for round := 0; ; round++ {
		more := false
		for _, a := range arts {
			if round >= len(a.Symptoms) {
				continue
			}
			more = true
			s := a.Symptoms[round]
			key := fold(strings.TrimSpace(s))
			if i, ok := seen[key]; ok {
				if !slices.Contains(out[i].Articles, a.ID) {
					out[i].Articles = append(out[i].Articles, a.ID)
				}
				continue
			}
			seen[key] = len(out)
			out = append(out, Symptom{Text: s, Articles: []string{a.ID}})
		}
		if !more {
			return out
		}
	}
}

// Closest returns up to n article ids that look most like id (for "did you
// mean" messages).
func (b *Base) Closest(id string, n int) []string {
	type cand struct {
		id   string
		dist int
	}
	var cands []cand
	q := fold(id)
	for _, a := range b.articles {
		d := levenshtein.ComputeDistance(q, a.ID)
		if strings.Contains(a.ID, q) || strings.Contains(q, a.ID) {
			d = min(d, 2)
		}
		if d <= max(3, len(q)/2) {
			cands = append(cands, cand{a.ID, d})
		}
	}
	slices.SortStableFunc(cands, func(x, y cand) int { return x.dist - y.dist })
	out := make([]string, 0, n)
	for _, c := range cands {
		if len(out) == n {
			break
		}
		out = append(out, c.id)
	}
	return out
}
