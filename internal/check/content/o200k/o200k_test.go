package o200k

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"flag"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/pkoukk/tiktoken-go-loader/assets"
	"github.com/stretchr/testify/require"
)

// corpusEntry is one text of testdata/tokens.json with the count that
// github.com/pkoukk/tiktoken-go v0.1.8 (EncodeOrdinary, o200k_base from
// tiktoken-go-loader), Pitstop's tokenizer until this package, gave it.
type corpusEntry struct {
	Name       string `json:"name"`
	Text       string `json:"text"`
	TextBase64 string `json:"text_base64"` // texts that are not UTF-8
	Tokens     int    `json:"tokens"`
}

func readCorpus(t testing.TB) []corpusEntry {
	t.Helper()
	b, err := os.ReadFile("testdata/tokens.json")
	require.NoError(t, err)
	var corpus []corpusEntry
	require.NoError(t, json.Unmarshal(b, &corpus))
	for i, e := range corpus {
		if e.TextBase64 != "" {
			raw, err := base64.StdEncoding.DecodeString(e.TextBase64)
			require.NoError(t, err)
			corpus[i].Text = string(raw)
		}
	}
	return corpus
}

// TestCountsMatchTheRecordedCorpus: prompts in English, Spanish, German,
// French, Chinese, Japanese, Korean, Russian, Arabic, Hindi and more, emoji
// (joined, flags, skin tones), code, numbers, every kind of whitespace,
// invalid UTF-8, long runs, knowledge articles in both languages, and
// random text from a fixed seed: every count is the one recorded.
func TestCountsMatchTheRecordedCorpus(t *testing.T) {
	t.Parallel()
	corpus := readCorpus(t)
	require.Greater(t, len(corpus), 150)
	total := 0
	for _, e := range corpus {
		n, err := Count(context.Background(), e.Text)
		require.NoError(t, err)
		require.Equal(t, e.Tokens, n, "%s: %q", e.Name, e.Text)
		total += n
	}
	t.Logf("%d texts, %d tokens", len(corpus), total)
}

// update rewrites vocab.bin from the published vocabulary.
var update = flag.Bool("update", false, "rewrite vocab.bin from o200k_base.tiktoken")

// publishedTokens reads o200k_base.tiktoken as tiktoken-go-loader ships
// it: one "base64(token) rank" line per token, ranks 0, 1, 2, … in order.
func publishedTokens(t *testing.T) []string {
	t.Helper()
	src, err := assets.Assets.ReadFile("o200k_base.tiktoken")
	require.NoError(t, err)
	var tokens []string
	sc := bufio.NewScanner(bytes.NewReader(src))
	for sc.Scan() {
		// Plain comparisons in the loop (testify's cost 200,000 times over
		// is most of this test under -race); require only on a failure.
		tok64, rankText, ok := strings.Cut(sc.Text(), " ")
		tok, err := base64.StdEncoding.DecodeString(tok64)
		rank, err2 := strconv.Atoi(rankText)
		if !ok || err != nil || err2 != nil || rank != len(tokens) || len(tok) == 0 || len(tok) > 255 {
			require.Failf(t, "o200k_base.tiktoken", "line %d: %q (ranks are 0, 1, 2, … in order; tokens 1 to 255 bytes)", len(tokens)+1, sc.Text())
		}
		tokens = append(tokens, string(tok))
	}
	require.NoError(t, sc.Err())
	return tokens
}

// encodeVocab lays tokens out as parse reads them.
func encodeVocab(tokens []string) []byte {
	table := make([]uint32, tableSize)
	for r, tok := range tokens {
		h := hashToken(tok)
		i := h & (tableSize - 1)
		for table[i] != 0 {
			i = (i + 1) & (tableSize - 1)
		}
		table[i] = uint32(h>>tagShift)<<rankBits | uint32(r+1)
	}
	out := binary.LittleEndian.AppendUint32(nil, uint32(len(tokens)))
	for _, tok := range tokens {
		out = append(out, byte(len(tok)))
	}
	for _, e := range table {
		out = binary.LittleEndian.AppendUint32(out, e)
	}
	for _, tok := range tokens {
		out = append(out, tok...)
	}
	return out
}

// TestVocabFile: vocab.bin is exactly the published o200k_base vocabulary
// laid out for lookups, and every token looks up as its own rank.
func TestVocabFile(t *testing.T) {
	tokens := publishedTokens(t)
	require.Len(t, tokens, vocabTokens)
	want := encodeVocab(tokens)
	if *update {
		require.NoError(t, os.WriteFile("vocab.bin", want, 0o644))
		t.Logf("wrote vocab.bin: %d tokens, %d bytes; run the tests again", len(tokens), len(want))
		return
	}
	require.True(t, string(want) == vocabFile, "vocab.bin is not the published vocabulary: go test ./internal/check/content/o200k -run TestVocabFile -update")
	v, err := load()
	require.NoError(t, err)
	for r, tok := range tokens {
		got, ok := v.rank(tok)
		if v.token(uint32(r)) != tok || !ok || got != uint32(r) {
			require.Failf(t, "lookup", "token %d (%q) reads as %q and looks up as %d, %v", r, tok, v.token(uint32(r)), got, ok)
		}
	}
	for _, s := range []string{"", "no such token in any vocabulary", strings.Repeat("x", 300)} {
		_, ok := v.rank(s)
		require.False(t, ok, "%q", s)
	}
}

// TestHeapMergesLikeTheScan: long pieces are merged with a heap; it must
// choose the same merges as the scan, on pieces built from real tokens and
// on random bytes.
func TestHeapMergesLikeTheScan(t *testing.T) {
	t.Parallel()
	v, err := load()
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 3000 {
		var b strings.Builder
		size := 2 + rng.IntN(heapFrom-2)
		for b.Len() < size {
			switch rng.IntN(3) {
			case 0:
				b.WriteString(v.token(uint32(rng.IntN(vocabTokens))))
			case 1:
				b.WriteByte(byte(rng.IntN(256)))
			default:
				b.WriteString("aab")
			}
		}
		piece := b.String()[:size]
		if scan, heap := v.mergeScan(piece), v.mergeHeap(piece); scan != heap {
			require.Failf(t, "merges differ", "piece %d: %q: the scan leaves %d parts, the heap %d", i, piece, scan, heap)
		}
	}
}

// TestLongPieces: a piece with no break in it (a base64 blob, one letter
// repeated) is counted in O(n log n): 64 KiB in one piece would take the
// O(n²) scan billions of steps.
func TestLongPieces(t *testing.T) {
	t.Parallel()
	n, err := Count(context.Background(), strings.Repeat("ab", 1<<15))
	require.NoError(t, err)
	require.Positive(t, n)
	require.Less(t, n, 1<<15)
}

// TestCountStopsWhenCancelled: a check that gave up does not keep
// counting.
func TestCountStopsWhenCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Count(ctx, strings.Repeat("Write a friendly email. ", 10000))
	require.ErrorIs(t, err, context.Canceled)
}

// TestDamagedVocabulary: a broken table is an error, never a panic or a
// wrong count.
func TestDamagedVocabulary(t *testing.T) {
	t.Parallel()
	for name, file := range map[string]string{
		"empty":     "",
		"truncated": vocabFile[:len(vocabFile)/2],
		"count":     "\x01\x00\x00\x00a",
		"longer":    vocabFile + "x",
	} {
		_, err := parse(file)
		require.Error(t, err, name)
	}
}

// BenchmarkLoad is what the first count of a process pays for the
// vocabulary: lengths to offsets, the split pattern.
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := parse(vocabFile); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCount counts the recorded corpus (every language, code, emoji).
func BenchmarkCount(b *testing.B) {
	corpus := readCorpus(b)
	size := 0
	for _, e := range corpus {
		size += len(e.Text)
	}
	if err := Load(); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(size))
	for b.Loop() {
		for _, e := range corpus {
			if _, err := Count(context.Background(), e.Text); err != nil {
				b.Fatal(err)
			}
		}
	}
}
