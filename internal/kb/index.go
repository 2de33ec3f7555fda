package kb

import (
	"math"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"
)

// Field weights for word matching: a word in the title says more about an
// article than the same word somewhere in its body.
const (
	titleWeight   = 3.0
	symptomWeight = 2.0
	idWeight      = 2.0
	bodyWeight    = 1.0

	// BM25's saturation and length normalisation for body words.
	bm25K1 = 1.2
	bm25B  = 0.75
)

// index is built once at load time so that matching only looks things up.
type index struct {
	// termIDs numbers every term; postings[id] lists the articles that
	// contain term id, in article order, with the term's weight there
	// (field weights × BM25 × idf).
	termIDs  map[string]int32
	postings [][]posting
	// vocab is every term, sorted, for prefix search.
	vocabOnce sync.Once
	vocab     []string
	// symptoms maps a folded symptom to the articles that list it.
	symptoms map[string][]int32
	// byCheck maps a check id to the articles that list it in checks.
	byCheck map[string][]int32
	// fuzzy holds titles, ids and symptoms for search.
	fuzzy      []string
	fuzzyOwner []int32

	// Patterns are compiled on first use: compiling a few hundred regular
	// expressions costs more than loading everything else.
	patternsOnce sync.Once
	sources      [][]string         // per article, the pattern sources
	compiled     [][]*regexp.Regexp // per article, patterns already compiled (overlays), or nil
	pats         []patternRef
	// trigrams maps three bytes of a literal each pattern needs to the
	// patterns that need it; always lists the patterns no literal rules out.
	trigrams map[[3]byte][]int32
	always   []int32
}

type posting struct {
	article int32
	weight  float32
}

// patternRef is one compiled pattern and the literals it cannot match
// without (any one of them; nil when unknown).
type patternRef struct {
	article int32
	re      *regexp.Regexp
	need    []string
}

func buildIndex(articles []*Article, compiled [][]*regexp.Regexp) *index {
	idx := &index{
		symptoms: map[string][]int32{},
		byCheck:  map[string][]int32{},
		compiled: compiled,
	}
	idx.addWords(articles)
	for i, a := range articles {
		n := int32(i)
		for _, s := range a.Symptoms {
			key := fold(strings.TrimSpace(s))
			if l := idx.symptoms[key]; len(l) == 0 || l[len(l)-1] != n {
				idx.symptoms[key] = append(l, n)
			}
			idx.fuzzy = append(idx.fuzzy, key)
			idx.fuzzyOwner = append(idx.fuzzyOwner, n)
		}
		for _, c := range a.Checks {
			if l := idx.byCheck[c]; len(l) == 0 || l[len(l)-1] != n {
				idx.byCheck[c] = append(l, n)
			}
		}
		idx.fuzzy = append(idx.fuzzy, fold(a.Title), a.ID)
		idx.fuzzyOwner = append(idx.fuzzyOwner, n, n)
		idx.sources = append(idx.sources, a.Patterns)
	}
	return idx
}

// lookup returns the postings of term t.
func (idx *index) lookup(t string) []posting {
	if id, ok := idx.termIDs[t]; ok {
		return idx.postings[id]
	}
	return nil
}

// addWords builds the weighted inverted index. Words are numbered as they
// are first seen (the same word recurs all over a body), each article's
// term counts live in slices indexed by term id rather than in maps, and
// the postings are gathered in one flat list, then grouped by term.
func (idx *index) addWords(articles []*Article) {
	type rawPosting struct {
		term    int32
		article int32
		field   float32 // best title/symptom/id weight
		tf      int32   // occurrences in the body
	}
	var (
		wordIDs = map[string]int32{} // folded word → term id, -1 for stop words
		raw     = make([]rawPosting, 0, 256*len(articles))
		df      []int32 // by term id: how many articles hold it
		lengths = make([]int, len(articles))
		total   int
		field   []float32 // by term id, for the current article
		tf      []int32   // by term id, for the current article
		touched []int32   // term ids seen in the current article
	)
	idx.termIDs = map[string]int32{}
	termOf := func(folded []byte) int32 {
		if id, ok := wordIDs[string(folded)]; ok {
			return id
		}
		w := string(folded)
		t := foldedTerm(w)
		if t == "" {
			wordIDs[w] = -1
			return -1
		}
		id, ok := idx.termIDs[t]
		if !ok {
			id = int32(len(df))
			idx.termIDs[t] = id
			df = append(df, 0)
			field = append(field, 0)
			tf = append(tf, 0)
		}
		wordIDs[w] = id
		return id
	}
	touch := func(id int32) {
		if field[id] == 0 && tf[id] == 0 {
			touched = append(touched, id)
		}
	}
	for i, a := range articles {
		addField := func(s string, w float32) {
			scanWords(s, func(_, _ int, folded []byte) {
				if id := termOf(folded); id >= 0 {
					touch(id)
					field[id] = max(field[id], w)
				}
			})
		}
		addField(a.Title, titleWeight)
		for _, s := range a.Symptoms {
			addField(s, symptomWeight)
		}
		addField(a.ID, idWeight)
		scanWords(a.Written(), func(_, _ int, folded []byte) {
			if id := termOf(folded); id >= 0 {
				touch(id)
				tf[id]++
				lengths[i]++
			}
		})
		total += lengths[i]
		for _, id := range touched {
			raw = append(raw, rawPosting{id, int32(i), field[id], tf[id]})
			df[id]++
			field[id], tf[id] = 0, 0
		}
		touched = touched[:0]
	}

	// Group by term: each term's postings get a window of one backing
	// array, filled in article order.
	all := make([]posting, len(raw))
	idx.postings = make([][]posting, len(df))
	next := 0
	for id, n := range df {
		idx.postings[id] = all[next : next : next+int(n)]
		next += int(n)
	}
	avg := float64(total) / float64(max(1, len(articles)))
	n := float64(len(articles))
	idfs := make([]float64, len(df))
	for id, d := range df {
		idfs[id] = math.Log(1 + (n-float64(d)+0.5)/(float64(d)+0.5))
	}
	for _, rp := range raw {
		idf := idfs[rp.term]
		w := float64(rp.field)
		if rp.tf > 0 {
			norm := bm25K1 * (1 - bm25B + bm25B*float64(lengths[rp.article])/max(1, avg))
			w += bodyWeight * float64(rp.tf) * (bm25K1 + 1) / (float64(rp.tf) + norm)
		}
		idx.postings[rp.term] = append(idx.postings[rp.term], posting{article: rp.article, weight: float32(w * idf)})
	}
}

// weight returns the weight of term t in article a (0 when absent).
func (idx *index) weight(t string, a int32) float32 {
	ps := idx.lookup(t)
	i, ok := slices.BinarySearchFunc(ps, a, func(p posting, a int32) int { return int(p.article - a) })
	if !ok {
		return 0
	}
	return ps[i].weight
}

// withPrefix returns the terms that start with prefix. The sorted
// vocabulary is built on first use: only search needs it.
func (idx *index) withPrefix(prefix string) []string {
	idx.vocabOnce.Do(func() {
		idx.vocab = make([]string, 0, len(idx.termIDs))
		for t := range idx.termIDs {
			idx.vocab = append(idx.vocab, t)
		}
		slices.Sort(idx.vocab)
	})
	i, _ := slices.BinarySearch(idx.vocab, prefix)
	j := i
	for j < len(idx.vocab) && strings.HasPrefix(idx.vocab[j], prefix) {
		j++
	}
	return idx.vocab[i:j]
}

// patterns compiles every pattern (once) and indexes them by trigram.
// Embedded articles are linted, so a pattern that does not compile here can
// only be skipped.
func (idx *index) patterns() {
	idx.patternsOnce.Do(func() {
		idx.trigrams = map[[3]byte][]int32{}
		for i, srcs := range idx.sources {
			var done []*regexp.Regexp
			if i < len(idx.compiled) {
				done = idx.compiled[i]
			}
			for j, src := range srcs {
				var re *regexp.Regexp
				if j < len(done) && done[j] != nil {
					re = done[j]
				} else if r, err := regexp.Compile(src); err == nil {
					re = r
				} else {
					continue
				}
				idx.pats = append(idx.pats, patternRef{article: int32(i), re: re, need: neededLiterals(src)})
			}
		}
		idx.addTrigrams()
	})
}

// addTrigrams keys each pattern by the rarest trigram of each literal it
// needs, so a text only runs the patterns whose literals it could contain.
func (idx *index) addTrigrams() {
	freq := map[[3]byte]int{}
	for _, p := range idx.pats {
		for _, lit := range p.need {
			for i := 0; i+3 <= len(lit); i++ {
				freq[[3]byte{lit[i], lit[i+1], lit[i+2]}]++
			}
		}
	}
	for n, p := range idx.pats {
		if p.need == nil {
			idx.always = append(idx.always, int32(n))
			continue
		}
		for _, lit := range p.need {
			best, bestFreq := [3]byte{}, math.MaxInt
			for i := 0; i+3 <= len(lit); i++ {
				k := [3]byte{lit[i], lit[i+1], lit[i+2]}
				if freq[k] < bestFreq {
					best, bestFreq = k, freq[k]
				}
			}
			if l := idx.trigrams[best]; len(l) == 0 || l[len(l)-1] != int32(n) {
				idx.trigrams[best] = append(l, int32(n))
			}
		}
	}
}

// minLiteral is the shortest literal worth filtering on: one trigram.
const minLiteral = 3

// neededLiterals returns folded literals of which a text must contain at
// least one for the pattern to match, or nil when no such set is known.
func neededLiterals(pattern string) []string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	need := literals(re)
	for _, l := range need {
		if len(l) < minLiteral {
			return nil
		}
	}
	return need
}

// literals walks the syntax tree: a concatenation needs its most selective
// part, an alternation needs one of its branches' literals.
func literals(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		return []string{fold(string(re.Rune))}
	case syntax.OpCapture, syntax.OpPlus:
		return literals(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return literals(re.Sub[0])
		}
	case syntax.OpConcat:
		var best []string
		consider := func(set []string) {
			if set != nil && (best == nil || shortest(set) > shortest(best)) {
				best = set
			}
		}
		var run strings.Builder
		for _, sub := range re.Sub {
			if sub.Op == syntax.OpLiteral {
				run.WriteString(fold(string(sub.Rune)))
				continue
			}
			if run.Len() > 0 {
				consider([]string{run.String()})
				run.Reset()
			}
			consider(literals(sub))
		}
		if run.Len() > 0 {
			consider([]string{run.String()})
		}
		return best
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			set := literals(sub)
			if set == nil {
				return nil
			}
			out = append(out, set...)
		}
		return out
	}
	return nil
}

func shortest(set []string) int {
	n := math.MaxInt
	for _, s := range set {
		n = min(n, len(s))
	}
	return n
}

// candidates returns the patterns that may match text; folded is fold(text).
func (idx *index) candidates(folded string) []int32 {
	idx.patterns()
	if len(idx.pats) == 0 {
		return nil
	}
	seen := make([]bool, len(idx.pats))
	out := slices.Clone(idx.always)
	for _, n := range out {
		seen[n] = true
	}
	for i := 0; i+3 <= len(folded); i++ {
		for _, n := range idx.trigrams[[3]byte{folded[i], folded[i+1], folded[i+2]}] {
			if seen[n] {
				continue
			}
			seen[n] = true
			for _, lit := range idx.pats[n].need {
				if strings.Contains(folded, lit) {
					out = append(out, n)
					break
				}
			}
		}
	}
	return out
}
