package kb

import (
	"cmp"
	"regexp"
	"slices"
	"strings"

	"github.com/sahilm/fuzzy"
)

// Hit is one search result.
type Hit struct {
	Article *Article
	Score   float64
	Snippet string // the title, symptom or body line that matched
}

// Search finds articles for a few typed words. Titles, ids and symptoms
// match fuzzily (letters in order, so "smtp auth" finds "SMTP
// authentication"); body words match as prefixes, accents folded, and all
// of them must be present. Best first.
func (b *Base) Search(query string) []Hit {
	q := strings.TrimSpace(fold(query))
	if q == "" {
		return nil
	}
	score := map[int32]float64{}
	snippet := map[int32]string{}

	// Fuzzy over titles, ids and symptoms: the best string per article.
	for _, fm := range fuzzy.Find(q, b.index().fuzzy) {
		a := b.index().fuzzyOwner[fm.Index]
		s := 10 + float64(fm.Score)/float64(len(q))
		if s <= 0 {
			continue
		}
		if s > score[a] {
			score[a] = s
			snippet[a] = b.originalField(a, fm.Str)
		}
	}

	// Words: each query word, or a word it begins, must be in the article.
	qterms := queryTerms(q)
	if len(qterms) > 0 {
		acc := map[int32]float64{}
		count := map[int32]int{}
		for _, t := range qterms {
			got := map[int32]float64{}
			for _, full := range b.index().withPrefix(t) {
				for _, p := range b.index().lookup(full) {
					got[p.article] = max(got[p.article], float64(p.weight))
				}
			}
			for a, w := range got {
				acc[a] += w
				count[a]++
			}
		}
		for a, w := range acc {
			if count[a] < len(qterms) {
				continue
			}
			score[a] += 20 + 10*w
			if snippet[a] == "" {
				snippet[a] = b.bodyLine(a, qterms[0])
			}
		}
	}

	hits := make([]Hit, 0, len(score))
	for a, s := range score {
		hits = append(hits, Hit{Article: b.articles[a], Score: s, Snippet: snippet[a]})
	}
	slices.SortFunc(hits, func(x, y Hit) int {
		if c := cmp.Compare(y.Score, x.Score); c != 0 {
			return c
		}
		return strings.Compare(x.Article.ID, y.Article.ID)
	})
	return hits
}

// queryTerms folds and stems the query's words, dropping stop words unless
// nothing else is left.
func queryTerms(q string) []string {
	var out, all []string
	words(q, func(w string) {
		f := fold(w)
		all = append(all, f)
		if t := term(w); t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	})
	if len(out) == 0 {
		return all
	}
	return out
}

// originalField returns the article's title or symptom whose folded form is
// folded (the fuzzy list holds folded strings).
func (b *Base) originalField(a int32, folded string) string {
	art := b.articles[a]
	if fold(art.Title) == folded || art.ID == folded {
		return art.Title
	}
	for _, s := range art.Symptoms {
		if fold(s) == folded {
			return s
		}
	}
	return art.Title
}

// bodyLine returns the first body line holding a word that starts with t.
func (b *Base) bodyLine(a int32, t string) string {
	for line := range strings.Lines(b.articles[a].Written()) {
		found := false
		terms(line, func(lt, _ string) {
			if !found && strings.HasPrefix(lt, t) {
				found = true
			}
		})
		if found {
			return plainLine(line)
		}
	}
	return ""
}

// markdownMarks are a line's list, heading and quote markers; links are
// [text](address) and <address>.
var (
	markdownMarks = regexp.MustCompile(`^\s*(#+|[-*>]|\d+\.)\s+`)
	markdownLink  = regexp.MustCompile(`\[([^\]]*)\]\([^)\s]*\)`)
	autoLink      = regexp.MustCompile(`<((?:https?|mailto):[^>\s]+)>`)
)

// plainLine turns a Markdown line into a short plain snippet: a link
// reads as its text, a table row as its cells.
func plainLine(line string) string {
	line = markdownMarks.ReplaceAllString(line, "")
	line = autoLink.ReplaceAllString(markdownLink.ReplaceAllString(line, "$1"), "$1")
	if t := strings.TrimSpace(line); strings.HasPrefix(t, "|") {
		var cells []string
		for _, cell := range strings.Split(strings.Trim(t, "|"), "|") {
			if cell = strings.TrimSpace(cell); cell != "" {
				cells = append(cells, cell)
			}
		}
		line = strings.Join(cells, " · ")
	}
	line = strings.NewReplacer("**", "", "`", "").Replace(strings.TrimSpace(line))
	if r := []rune(line); len(r) > 100 {
		line = string(r[:99]) + "…"
	}
	return line
}
