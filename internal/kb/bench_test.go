package kb

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"pitstop/internal/race"
	"pitstop/knowledge"
)

func BenchmarkLoadEmbedded(b *testing.B) {
	for b.Loop() {
		if _, _, err := Load(knowledge.FS, "", "en"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadAndFirstMatch includes what Load leaves for first use:
// compiling the patterns and indexing them.
func BenchmarkLoadAndFirstMatch(b *testing.B) {
	for b.Loop() {
		kb, _, err := Load(knowledge.FS, "", "en")
		if err != nil {
			b.Fatal(err)
		}
		kb.Match(Evidence{Text: pastedErrors[0].text})
	}
}

func BenchmarkMatchEmbedded(b *testing.B) {
	kb := embedded()["en"]
	for _, tc := range pastedErrors[:4] {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				kb.Match(Evidence{Text: tc.text})
			}
		})
	}
}

func BenchmarkSearchEmbedded(b *testing.B) {
	kb := embedded()["en"]
	for b.Loop() {
		kb.Search("gmail app password")
	}
}

// generated is a synthetic base of 10,000 articles (see generate).
var generated = sync.OnceValue(func() *Base { return generate(10000) })

// generate builds a synthetic base of n articles drawn from the embedded
// articles' vocabulary, each with its own error code pattern.
func generate(n int) *Base {
	var vocab []string
	seen := map[string]bool{}
	for _, a := range embedded()["en"].Articles() {
		words(a.Body, func(w string) {
			if w = strings.ToLower(w); len(w) > 3 && !seen[w] {
				seen[w] = true
				vocab = append(vocab, w)
			}
		})
	}
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(k int) string {
		ws := make([]string, k)
		for i := range ws {
			ws[i] = vocab[rng.IntN(len(vocab))]
		}
		return strings.Join(ws, " ")
	}
	fsys := fstest.MapFS{}
	for i := range n {
		id := fmt.Sprintf("gen-%05d", i)
		var body strings.Builder
		for _, h := range Sections("en") {
			body.WriteString(h + "\n\n" + pick(60) + "\n\n")
		}
		front := fmt.Sprintf("---\nid: %s\ntitle: %s\ncategory: api\nseverity: low\nsymptoms: [%q, %q, %q]\npatterns: ['GEN_ERROR_%05d', '(?i)%s %s', '\\b%d\\b']\n---\n",
			id, pick(6), pick(3), pick(3), pick(3), i, vocab[rng.IntN(len(vocab))], vocab[rng.IntN(len(vocab))], 1000+i)
		fsys["en/"+id+".md"] = &fstest.MapFile{Data: []byte(front + body.String())}
	}
	b, warnings, err := Load(fsys, "", "en")
	if err != nil || len(warnings) > 0 {
		panic(fmt.Sprint(err, warnings))
	}
	return b
}

// TestSweepGeneratedBase: in a base of 10,000 articles (under -race 1,000)
// an error code finds its one article first.
func TestSweepGeneratedBase(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds a 10,000-article base")
	}
	n := race.Pick(10000, 1000)
	b := generate(n)
	require.Len(t, b.Articles(), n)
	i := n * 4321 / 10000
	got := b.Match(Evidence{Text: fmt.Sprintf("upstream said GEN_ERROR_%05d while sending", i)})
	require.NotEmpty(t, got)
	require.Equal(t, fmt.Sprintf("gen-%05d", i), got[0].Article.ID)
}

func BenchmarkMatchGenerated10k(b *testing.B) {
	kb := generated()
	// The word index is built on the first match; measure matches only
	// (the first sub-benchmark would otherwise run once, index included).
	kb.Match(Evidence{Text: "warm up"})
	for _, tc := range []struct{ name, text string }{
		{"openai 429", pastedErrors[0].text},
		{"postfix 535", pastedErrors[3].text},
		{"code", "upstream said GEN_ERROR_04321 while sending the campaign to contacts"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				kb.Match(Evidence{Text: tc.text})
			}
		})
	}
}
