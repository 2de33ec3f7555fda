package kb

import (
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"pitstop/internal/i18n"
	"pitstop/knowledge"
)

// Lint checks a knowledge tree (en/ and es/ directories of *.md files) and
// returns every problem found, sorted by file and line; none means clean.
// File names are relative to fsys. It checks the fields each article needs,
// valid category, severity and provider (required when the id names one), unique ids named like their file, checks
// among knownChecks, related ids that exist, patterns that compile, the
// required sections, sources (web addresses) and a reviewed date, and that
// every article exists in both languages with the same category, severity,
// checks and related articles.
func Lint(fsys fs.FS, knownChecks []string) []Problem {
	return LintAt(fsys, knownChecks, time.Now())
}

// reviewEvery is how long an article's facts are trusted after a person
// checked them: vendors change their limits, codes and consoles.
const reviewEvery = 12 // months

// LintAt is Lint on a given day: an article reviewed more than a year
// before today gets a warning (which does not fail lint).
func LintAt(fsys fs.FS, knownChecks []string, today time.Time) []Problem {
	var problems []Problem
	y, m, d := today.Date()
	today = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	byLang := map[string]map[string]*parsed{}
	langs := articleLanguages(fsys)
	for _, lang := range langs {
		byLang[lang] = map[string]*parsed{}
		entries, err := fs.ReadDir(fsys, lang)
		if err != nil {
			problems = append(problems, problem(lang, 0, "no_dir", lang, err))
			continue
		}
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".md") {
				continue
			}
			name := path.Join(lang, e.Name())
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				problems = append(problems, problem(name, 0, "unreadable", err))
				continue
			}
			p := parseArticle(name, lang, data, true)
			problems = append(problems, p.all()...)
			if p.art.ID == "" {
				continue
			}
			if want := strings.TrimSuffix(e.Name(), ".md"); p.art.ID != want {
				problems = append(problems, problem(name, p.line("id"), "id_name", p.art.ID, want))
			}
			if prev, dup := byLang[lang][p.art.ID]; dup {
				problems = append(problems, problem(name, p.line("id"), "id_used", p.art.ID, prev.art.Source))
				continue
			}
			byLang[lang][p.art.ID] = p
		}
	}

	for _, lang := range langs {
		for _, p := range byLang[lang] {
			a := p.art
			if day, err := time.Parse(time.DateOnly, a.Reviewed); err == nil && day.AddDate(0, reviewEvery, 0).Before(today) {
				due := problem(a.Source, p.line("reviewed"), "due", a.Reviewed, reviewEvery)
				due.Warn = true
				problems = append(problems, due)
			}
			for _, c := range a.Checks {
				if !slices.Contains(knownChecks, c) {
					problems = append(problems, problem(a.Source, p.line("checks"), "check", c))
				}
			}
			for _, r := range a.Related {
				if _, ok := byLang[lang][r]; !ok {
					problems = append(problems, problem(a.Source, p.line("related"), "related", r, lang))
				}
			}
			for _, other := range langs {
				if other == lang {
					continue
				}
				o, ok := byLang[other][a.ID]
				if !ok {
					problems = append(problems, problem(a.Source, p.line("id"), "no_version", a.ID, other, other+"/"+a.ID+".md"))
					continue
				}
				if lang != langs[0] {
					continue // compare each pair once, from the first language
				}
				problems = append(problems, differences(p, o)...)
			}
		}
	}

	slices.SortStableFunc(problems, func(x, y Problem) int {
		if c := strings.Compare(x.File, y.File); c != 0 {
			return c
		}
		return x.Line - y.Line
	})
	return problems
}

// articleLanguages returns the languages lint expects articles in: English
// first, and every other interface language that has articles built in or
// a folder in fsys. A language whose translation has begun with its
// messages alone (locales/<code>/) reads the English articles.
func articleLanguages(fsys fs.FS) []string {
	var out []string
	for _, lang := range i18n.Languages() {
		if lang == i18n.English || isDir(knowledge.FS, lang) || isDir(fsys, lang) {
			out = append(out, lang)
		}
	}
	return out
}

func isDir(fsys fs.FS, name string) bool {
	info, err := fs.Stat(fsys, name)
	return err == nil && info.IsDir()
}

// differences reports the fields that must agree across languages but do
// not; the problem is reported on the translation.
func differences(orig, tr *parsed) []Problem {
	var out []Problem
	same := func(key string, x, y []string) {
		if !slices.Equal(sortedCopy(x), sortedCopy(y)) {
			out = append(out, problem(tr.art.Source, tr.line(key), "differs", key, strings.Join(y, ", "), orig.art.Source, strings.Join(x, ", ")))
		}
	}
	same("category", []string{orig.art.Category}, []string{tr.art.Category})
	same("severity", []string{orig.art.Severity}, []string{tr.art.Severity})
	same("provider", []string{orig.art.Provider}, []string{tr.art.Provider})
	same("checks", orig.art.Checks, tr.art.Checks)
	same("related", orig.art.Related, tr.art.Related)
	return out
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}
