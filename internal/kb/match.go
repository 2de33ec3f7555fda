package kb

import (
	"cmp"
	"math"
	"regexp"
	"slices"
	"strings"

	"pitstop/internal/check"
	"pitstop/internal/i18n"
)

// Scores of each kind of evidence. A pattern hit always outweighs every
// word in common; a check that names an article outweighs everything else.
const (
	scoreCheckNamed   = 100 // a bad result lists the article (Fail; Warn and Error less)
	scoreCheckCovered = 30  // the article lists a check that went bad
	scoreSymptom      = 50  // the user picked one of the article's symptoms
	scorePattern      = 30  // a pattern hit, plus up to scorePattern more when no other article shares it
	scoreWordsMax     = 20  // the article with the most words in common
	wordsKeep         = 0.35
	maxMatchText      = 64 << 10
	maxReasonWords    = 5
	maxReasonQuotes   = 3
	maxWordsOnly      = 20  // articles matched by words alone
	maxWrappedLines   = 8   // line breaks a pattern may cross in pasted text
	maxSpecificHit    = 300 // longest hit that can outrank the hits inside it (a sentence or two)
)

// Match ranks articles by the evidence: bad check results that name them
// or that they cover, symptoms the user picked, their patterns found in the
// text, and words the text shares with them. Best first; each match says
// why in plain words. The kind of evidence ranks before the score: a bad
// check that names the article or a pattern beats a picked symptom (or a
// bad check the article merely covers), which beats words in common.
// When the evidence says which providers the profile uses, an article
// about another provider is left out unless the text names it.
func (b *Base) Match(ev Evidence) []Match {
	text := unpaste(clipText(ev.Text))
	m := &matcher{b: b, scores: map[int32]*tally{}, off: map[int32]bool{}}
	var hits []hit
	if strings.TrimSpace(text) != "" {
		hits = m.findHits(text)
	}
	// A provider counts as named when the text or a picked symptom names
	// it, or the text holds an error only its articles know.
	named := append(namedProviders(text+"\n"+strings.Join(ev.Symptoms, "\n")), m.ownedBy(hits)...)
	for i, a := range b.articles {
		if offProfile(a, ev, named) {
			m.off[int32(i)] = true
		}
	}
	m.checks(ev.Results)
	m.symptoms(ev.Symptoms)
	if strings.TrimSpace(text) != "" {
		m.patterns(text, slices.DeleteFunc(hits, func(h hit) bool { return m.off[h.article] }))
		m.words(text)
	}
	out := make([]Match, 0, len(m.scores))
	for a, t := range m.scores {
		art := m.b.articles[a]
		slices.SortStableFunc(t.reasons, func(x, y reason) int { return cmp.Compare(y.weight, x.weight) })
		match := Match{Article: art, Score: math.Round(t.score*10) / 10, Confidence: Weak, kind: t.kind}
		if t.kind > byWords {
			match.Confidence = Strong
		}
		for _, r := range t.reasons {
			if !slices.Contains(match.Reasons, r.text) {
				match.Reasons = append(match.Reasons, r.text)
			}
		}
		out = append(out, match)
	}
	// A guess never ranks above a match with evidence, nor a symptom above
	// a check that names the article or a pattern, whatever the scores.
	slices.SortFunc(out, func(x, y Match) int {
		if c := cmp.Compare(y.kind, x.kind); c != 0 {
			return c
		}
		if c := cmp.Compare(y.Score, x.Score); c != 0 {
			return c
		}
		return strings.Compare(x.Article.ID, y.Article.ID)
	})
	return out
}

// evidenceKind is the strongest kind of evidence an article matched by, in
// rank order.
type evidenceKind int

const (
	byWords    evidenceKind = iota // words in common: a guess
	byIndirect                     // a symptom the user picked, or a bad check the article covers (the check does not name it)
	byDirect                       // a bad check that names it, or its pattern in the text
)

type matcher struct {
	b      *Base
	scores map[int32]*tally
	off    map[int32]bool // articles about a provider the profile does not use: they take no evidence
}

// tally is one article's score so far and why, each reason with what it
// added: the strongest reasons are listed first.
type tally struct {
	score   float64
	kind    evidenceKind
	reasons []reason
}

type reason struct {
	text   string
	weight float64
}

func (m *matcher) add(a int32, score float64, kind evidenceKind, reasons ...string) {
	if m.off[a] {
		return
	}
	t, ok := m.scores[a]
	if !ok {
		t = &tally{}
		m.scores[a] = t
	}
	t.score += score
	t.kind = max(t.kind, kind)
	for _, r := range reasons {
		t.reasons = append(t.reasons, reason{r, score})
	}
}

func (m *matcher) checks(results []check.Result) {
	for _, r := range results {
		if !r.Status.Bad() {
			continue
		}
		weight := map[check.Status]float64{check.Fail: 1, check.Error: 0.7, check.Warn: 0.5}[r.Status]
		named := map[int32]bool{}
		for _, id := range r.Articles {
			if i, ok := m.b.byID[id]; ok && !named[int32(i)] {
				named[int32(i)] = true
				m.add(int32(i), scoreCheckNamed*weight, byDirect, m.b.reason("check_named", r.ID, StatusVerb(m.b.lang, r.Status)))
			}
		}
		for _, a := range m.b.index().byCheck[r.ID] {
			if !named[a] {
				m.add(a, scoreCheckCovered*weight, byIndirect, m.b.reason("check_covered", r.ID, StatusVerb(m.b.lang, r.Status)))
			}
		}
	}
}

func (m *matcher) symptoms(picked []string) {
	for _, s := range picked {
		key := fold(strings.TrimSpace(s))
		for _, a := range m.b.index().symptoms[key] {
			// Quote the article's own wording of the symptom.
			own := strings.TrimSpace(s)
			for _, as := range m.b.articles[a].Symptoms {
				if fold(strings.TrimSpace(as)) == key {
					own = as
					break
				}
			}
			m.add(a, scoreSymptom, byIndirect, m.b.reason("symptom", own))
		}
	}
}

// hit is one pattern found in the text.
type hit struct {
	article    int32
	start, end int
}

// findHits finds each article's patterns in the text. A pattern is tried on
// the text as pasted, then on the text with its line breaks and runs of
// spaces made single spaces, so that a message a terminal or a mail server
// wrapped over several lines still matches.
func (m *matcher) findHits(text string) []hit {
	idx := m.b.index()
	flat, at := flattenSpace(text)
	reflowed := flat != text
	var hits []hit
	for _, n := range idx.candidates(fold(flat)) {
		p := idx.pats[n]
		if loc := p.re.FindStringIndex(text); loc != nil {
			hits = append(hits, hit{p.article, loc[0], loc[1]})
		} else if reflowed {
			// A message wrapped over a few lines, not a pattern with .* that
			// now reaches from one end of a long log to the other.
			if loc := p.re.FindStringIndex(flat); loc != nil && strings.Count(text[at[loc[0]]:at[loc[1]]], "\n") <= maxWrappedLines {
				hits = append(hits, hit{p.article, at[loc[0]], at[loc[1]]})
			}
		}
	}
	return hits
}

// ownedBy returns the providers whose articles alone explain a piece of
// the text: a hit of a provider's article that no hit of an article about
// anything else overlaps ("INVALID_SESSION_ID" is Salesforce's own; a bare
// "401" is everyone's).
func (m *matcher) ownedBy(hits []hit) []string {
	var out []string
	for _, h := range hits {
		p := m.b.articles[h.article].Provider
		if p == "" || slices.Contains(out, p) {
			continue
		}
		if !slices.ContainsFunc(hits, func(o hit) bool {
			return o.start < h.end && h.start < o.end && m.b.articles[o.article].Provider != p
		}) {
			out = append(out, p)
		}
	}
	return out
}

// patterns scores the pattern hits found in the text.
func (m *matcher) patterns(text string, hits []hit) {
	// When one article's hit lies inside another article's longer hit, the
	// longer pattern is the more specific one: "blocked using
	// zen.spamhaus.org; Error: open resolver" is a refused query, not the
	// listing its first half alone would suggest. The shorter hit counts
	// for nothing.
	hits = slices.DeleteFunc(hits, func(h hit) bool {
		return slices.ContainsFunc(hits, func(o hit) bool {
			return o.article != h.article && o.start <= h.start && h.end <= o.end && o.end-o.start > h.end-h.start &&
				o.end-o.start <= maxSpecificHit
		})
	})
	// A hit that several articles' patterns share tells less than one only
	// this article has: "429" fits three articles, "insufficient_quota" one.
	byArticle := map[int32][]scoredHit{}
	for _, h := range hits {
		sharedBy := map[int32]bool{h.article: true}
		for _, o := range hits {
			if o.start < h.end && h.start < o.end {
				sharedBy[o.article] = true
			}
		}
		score := scorePattern + scorePattern/float64(len(sharedBy))
		byArticle[h.article] = append(byArticle[h.article], scoredHit{h, score})
	}
	for a, list := range byArticle {
		m.addHits(text, a, list)
	}
}

type scoredHit struct {
	hit
	score float64
}

// addHits scores one article's pattern hits with diminishing returns (the
// second hit adds half, the third a quarter...), so that many patterns
// describing the same error do not drown out a failed check. The reasons
// quote the shortest pieces of text that matched, without repeating.
func (m *matcher) addHits(text string, a int32, list []scoredHit) {
	slices.SortFunc(list, func(x, y scoredHit) int { return cmp.Compare(y.score, x.score) })
	total, factor := 0.0, 1.0
	for _, h := range list {
		total += h.score * factor
		factor /= 2
	}
	slices.SortStableFunc(list, func(x, y scoredHit) int { return cmp.Compare(x.end-x.start, y.end-y.start) })
	var kept []hit
	for _, h := range list {
		if len(kept) == maxReasonQuotes {
			break
		}
		if !slices.ContainsFunc(kept, func(k hit) bool { return k.start < h.end && h.start < k.end }) {
			kept = append(kept, h.hit)
		}
	}
	slices.SortFunc(kept, func(x, y hit) int { return x.start - y.start })
	quotes := make([]string, len(kept))
	for i, k := range kept {
		quotes[i] = m.b.reason("pattern", quoteEvidence(text[k.start:k.end]))
	}
	m.add(a, total, byDirect, quotes...)
}

func (m *matcher) words(text string) {
	idx := m.b.index()
	surface := map[string]string{}
	var qterms []string
	terms(text, func(t, w string) {
		if _, ok := surface[t]; !ok {
			surface[t] = w
			qterms = append(qterms, t)
		}
	})
	if len(qterms) == 0 {
		return
	}
	acc := make([]float32, len(m.b.articles))
	for _, t := range qterms {
		for _, p := range idx.lookup(t) {
			if !m.off[p.article] {
				acc[p.article] += p.weight
			}
		}
	}
	var best float32
	for _, s := range acc {
		best = max(best, s)
	}
	if best == 0 {
		return
	}
	// Articles with other evidence take their words score whatever it is;
	// words alone must come close to the best, and only the first few count.
	var keep, wordsOnly []int32
	for a, s := range acc {
		if s == 0 {
			continue
		}
		if _, matched := m.scores[int32(a)]; matched {
			keep = append(keep, int32(a))
		} else if s >= wordsKeep*best {
			wordsOnly = append(wordsOnly, int32(a))
		}
	}
	slices.SortFunc(wordsOnly, func(x, y int32) int { return cmp.Compare(acc[y], acc[x]) })
	keep = append(keep, wordsOnly[:min(len(wordsOnly), maxWordsOnly)]...)
	for _, a := range keep {
		words := strings.Join(m.topWords(a, qterms, surface), ", ")
		m.add(a, scoreWordsMax*float64(acc[a]/best), byWords, m.b.reason("words", words))
	}
}

// topWords returns the query words that weigh most in article a.
func (m *matcher) topWords(a int32, qterms []string, surface map[string]string) []string {
	type tw struct {
		word string
		w    float32
	}
	var list []tw
	for _, t := range qterms {
		if w := m.b.index().weight(t, a); w > 0 {
			list = append(list, tw{strings.ToLower(surface[t]), w})
		}
	}
	slices.SortStableFunc(list, func(x, y tw) int { return cmp.Compare(y.w, x.w) })
	out := make([]string, 0, maxReasonWords)
	for _, x := range list {
		if len(out) == maxReasonWords {
			break
		}
		if !slices.Contains(out, x.word) {
			out = append(out, x.word)
		}
	}
	return out
}

// clipText keeps the head and the tail of a very long paste: errors sit at
// one end of a log.
func clipText(s string) string {
	if len(s) <= maxMatchText {
		return s
	}
	return s[:maxMatchText/2] + "\n" + s[len(s)-maxMatchText/2:]
}

// quoteEvidence shortens a matched piece of text for a reason and masks
// anything that looks like a key or token (pasted errors may hold one).
func quoteEvidence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = tokenLike.ReplaceAllStringFunc(s, func(tok string) string {
		if looksSecret(tok) {
			return tok[:4] + "…"
		}
		return tok
	})
	if r := []rune(s); len(r) > 60 {
		s = string(r[:59]) + "…"
	}
	return s
}

var tokenLike = regexp.MustCompile(`[A-Za-z0-9_\-]{20,}`)

// looksSecret reports whether tok looks like a key: long, letters and digits mixed.
func looksSecret(tok string) bool {
	if len(tok) < 20 {
		return false
	}
	var letters, digits bool
	for i := 0; i < len(tok); i++ {
		switch c := tok[i]; {
		case isDigit(c):
			digits = true
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			letters = true
		}
	}
	return letters && digits
}

// reason returns the catalogue's reason kb.reason.<key> in the base's
// language.
func (b *Base) reason(key string, a ...any) string { return i18n.T(b.lang, "kb.reason."+key, a...) }

// StatusVerb is a check's status as a verb in lang, as it reads after "check
// api.auth": "failed", "warned", "could not be tested". Every sentence that
// says what a check did uses it, so the wording is one.
func StatusVerb(lang string, s check.Status) string {
	return i18n.T(lang, "kb.status."+s.String())
}
