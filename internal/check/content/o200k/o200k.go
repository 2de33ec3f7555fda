// Package o200k counts tokens with OpenAI's o200k_base byte-pair encoding
// (GPT-4o and later), offline, from a compact copy of the vocabulary
// compiled into the binary.
//
// The vocabulary (vocab.bin, written from the published o200k_base.tiktoken)
// is every token's bytes, in rank order, with their lengths and a ready-made
// hash table: 2.6 MB instead of the 3.6 MB base64 text (and of the three
// other encodings' 3.3 MB the old loader embedded beside it), and no map of
// 200,000 strings to build on the heap. Loading it costs a pass over the
// lengths; a count reads only the pages of the table and tokens it needs.
//
// Counts are those of github.com/pkoukk/tiktoken-go's EncodeOrdinary, the
// tokenizer Pitstop used before (testdata/tokens.json holds its counts over
// a corpus of prompts): the same split pattern, run by the same regexp2
// engine on the text's runes (so each byte of invalid UTF-8 counts as
// U+FFFD), then byte-pair merges, lowest rank first.
package o200k

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"math"
	"sync"
	"unicode/utf8"

	"github.com/dlclark/regexp2"
)

// Name is the encoding's name.
const Name = "o200k_base"

// splitPattern is o200k_base's pre-tokenizer: text is cut into pieces
// (words with their leading space, runs of up to three digits, punctuation,
// whitespace) and no token crosses a piece.
const splitPattern = `[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?` +
	`|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?` +
	`|\p{N}{1,3}` +
	`| ?[^\s\p{L}\p{N}]+[\r\n/]*` +
	`|\s*[\r\n]+` +
	`|\s+(?!\S)` +
	`|\s+`

// vocabTokens is how many ordinary tokens o200k_base has (ranks 0 to
// 199997; the special tokens are never produced by an ordinary count).
const vocabTokens = 199998

// vocab.bin holds, in order: the token count (uint32), one length byte per
// token, the hash table (tableSize uint32 slots), then every token's bytes,
// all in rank order and little-endian. TestVocabFile writes it (with
// -update) from the published o200k_base.tiktoken and checks it otherwise.
//
//go:embed vocab.bin
var vocabFile string

// The hash table: open addressing with linear probing over hashToken. A
// slot holds rank+1 in its low rankBits bits (0: empty) and the top bits of
// the token's hash above them, so a probe rarely compares bytes.
const (
	tableBits = 18
	tableSize = 1 << tableBits
	rankBits  = 18
	rankMask  = 1<<rankBits - 1
	tagShift  = 64 - (32 - rankBits)
)

// vocab is the loaded vocabulary. The table and the tokens stay in the
// binary's read-only data: only the pages a count touches are read.
type vocab struct {
	table  string   // tableSize little-endian uint32 slots
	tokens string   // every token's bytes, in rank order
	start  []uint32 // token r is tokens[start[r]:start[r+1]]
	split  *regexp2.Regexp
}

// load is the vocabulary, loaded on first use.
var load = sync.OnceValues(func() (*vocab, error) { return parse(vocabFile) })

// Load loads the vocabulary now (Count does it on first use).
func Load() error {
	_, err := load()
	return err
}

// parse checks vocab.bin's sizes and finds where each token starts.
func parse(file string) (*vocab, error) {
	if len(file) < 4 {
		return nil, errors.New("the o200k_base vocabulary is missing")
	}
	n := int(le32(file, 0))
	if n != vocabTokens || len(file) < 4+n+4*tableSize {
		return nil, fmt.Errorf("the o200k_base vocabulary is damaged (%d tokens, %d bytes)", n, len(file))
	}
	lengths := file[4 : 4+n]
	v := &vocab{table: file[4+n : 4+n+4*tableSize], tokens: file[4+n+4*tableSize:], start: make([]uint32, n+1)}
	at := uint32(0)
	for r := range n {
		v.start[r] = at
		at += uint32(lengths[r])
	}
	v.start[n] = at
	if int(at) != len(v.tokens) {
		return nil, fmt.Errorf("the o200k_base vocabulary is damaged (%d bytes of tokens, %d expected)", len(v.tokens), at)
	}
	split, err := regexp2.Compile(splitPattern, regexp2.None)
	if err != nil {
		return nil, fmt.Errorf("o200k_base split pattern: %w", err)
	}
	v.split = split
	return v, nil
}

// le32 reads the little-endian uint32 at s[i:].
func le32(s string, i int) uint32 {
	return uint32(s[i]) | uint32(s[i+1])<<8 | uint32(s[i+2])<<16 | uint32(s[i+3])<<24
}

// hashToken is FNV-1a, then a finaliser that spreads its bits (the table
// uses both the low bits, for the slot, and the high ones, for the tag).
func hashToken(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

func (v *vocab) token(rank uint32) string { return v.tokens[v.start[rank]:v.start[rank+1]] }

// rank returns a token's rank, or false when b is not a token.
func (v *vocab) rank(b string) (uint32, bool) {
	h := hashToken(b)
	tag := uint32(h>>tagShift) << rankBits
	for i := int(h & (tableSize - 1)); ; i = (i + 1) & (tableSize - 1) {
		e := le32(v.table, 4*i)
		if e == 0 {
			return 0, false
		}
		if r := e&rankMask - 1; e&^rankMask == tag && r < vocabTokens && v.token(r) == b {
			return r, true
		}
	}
}

// Count returns the number of o200k_base tokens in text. It stops early,
// with ctx's error, when ctx is done.
func Count(ctx context.Context, text string) (int, error) {
	v, err := load()
	if err != nil {
		return 0, err
	}
	runes := []rune(text)
	if !utf8.ValidString(text) {
		// The regexp engine sees runes, and a byte that is not UTF-8 is
		// U+FFFD there: count the text it sees.
		text = string(runes)
	}
	m, err := v.split.FindRunesMatch(runes)
	n, at, atRune := 0, 0, 0
	for pieces := 1; m != nil && err == nil; m, err = v.split.FindNextMatch(m) {
		for ; atRune < m.Index; atRune++ {
			at += utf8.RuneLen(runes[atRune])
		}
		end := at
		for ; atRune < m.Index+m.Length; atRune++ {
			end += utf8.RuneLen(runes[atRune])
		}
		n += v.pieceTokens(text[at:end])
		at = end
		if pieces++; pieces%1024 == 0 && ctx.Err() != nil {
			return 0, ctx.Err()
		}
	}
	if err != nil {
		return 0, fmt.Errorf("split the text: %w", err)
	}
	return n, ctx.Err()
}

// pieceTokens is how many tokens one piece of the split is.
func (v *vocab) pieceTokens(piece string) int {
	if _, ok := v.rank(piece); ok {
		return 1
	}
	if len(piece) < heapFrom {
		return v.mergeScan(piece)
	}
	return v.mergeHeap(piece)
}

// heapFrom is the piece length from which merges use a heap (O(n log n))
// rather than a scan for the lowest rank (O(n²), faster on short pieces).
const heapFrom = 128

// none marks a boundary that merges with nothing.
const none = math.MaxUint32

// mergeScan applies byte-pair merges to piece and returns how many parts
// are left: while some pair of neighbouring parts is a token, merge the one
// with the lowest rank (the leftmost of equals).
func (v *vocab) mergeScan(piece string) int {
	type part struct{ at, rank uint32 } // rank: of this part joined with the next
	var buf [heapFrom + 1]part
	parts := buf[:len(piece)+1]
	pairRank := func(i int) uint32 { // parts[i] joined with parts[i+1]
		if i+2 >= len(parts) {
			return none
		}
		if r, ok := v.rank(piece[parts[i].at:parts[i+2].at]); ok {
			return r
		}
		return none
	}
	for i := range parts {
		parts[i] = part{uint32(i), none}
	}
	for i := range len(parts) - 2 {
		parts[i].rank = pairRank(i)
	}
	for len(parts) > 1 {
		lowest, at := uint32(none), -1
		for i, p := range parts[:len(parts)-1] {
			if p.rank < lowest {
				lowest, at = p.rank, i
			}
		}
		if at < 0 {
			break
		}
		parts = append(parts[:at+1], parts[at+2:]...)
		parts[at].rank = pairRank(at)
		if at > 0 {
			parts[at-1].rank = pairRank(at - 1)
		}
	}
	return len(parts) - 1
}

// mergeHeap gives mergeScan's answer for long pieces: the parts are a
// linked list and the candidate merges a heap ordered by rank, then
// position, so the same merge is chosen at every step.
func (v *vocab) mergeHeap(piece string) int {
	n := len(piece)
	type node struct {
		prev, next int32 // -1 at either end
		rank       uint32
	}
	nodes := make([]node, n)
	for i := range nodes {
		nodes[i] = node{int32(i - 1), int32(i + 1), none}
	}
	nodes[n-1].next = -1
	end := func(i int32) int { // where part i ends
		if j := nodes[i].next; j >= 0 {
			return int(j)
		}
		return n
	}
	pairRank := func(i int32) uint32 {
		j := nodes[i].next
		if j < 0 {
			return none
		}
		if r, ok := v.rank(piece[i:end(j)]); ok {
			return r
		}
		return none
	}
	h := make(mergeHeap, 0, n)
	for i := range int32(n) {
		if r := pairRank(i); r != none {
			nodes[i].rank = r
			h = append(h, candidate{r, i})
		}
	}
	h.init()
	parts := n
	for len(h) > 0 {
		c := h.pop()
		if nodes[c.at].rank != c.rank || c.rank == none {
			continue // stale: the part changed since
		}
		i := c.at
		j := nodes[i].next
		k := nodes[j].next
		nodes[i].next = k
		if k >= 0 {
			nodes[k].prev = i
		}
		nodes[j].rank = none
		parts--
		for _, b := range [2]int32{i, nodes[i].prev} {
			if b < 0 {
				continue
			}
			nodes[b].rank = pairRank(b)
			if nodes[b].rank != none {
				h.push(candidate{nodes[b].rank, b})
			}
		}
	}
	return parts
}

// candidate is a possible merge: part at joined with the next.
type candidate struct {
	rank uint32
	at   int32
}

// mergeHeap is a min-heap of candidates by rank, then position.
type mergeHeap []candidate

func (h mergeHeap) less(a, b int) bool {
	if h[a].rank != h[b].rank {
		return h[a].rank < h[b].rank
	}
	return h[a].at < h[b].at
}

func (h mergeHeap) init() {
	for i := len(h)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}

func (h *mergeHeap) push(c candidate) {
	*h = append(*h, c)
	for i := len(*h) - 1; i > 0; {
		parent := (i - 1) / 2
		if !h.less(i, parent) {
			break
		}
		(*h)[i], (*h)[parent] = (*h)[parent], (*h)[i]
		i = parent
	}
}

func (h *mergeHeap) pop() candidate {
	old := *h
	top := old[0]
	last := len(old) - 1
	old[0] = old[last]
	*h = old[:last]
	h.down(0)
	return top
}

func (h mergeHeap) down(i int) {
	for {
		least, l, r := i, 2*i+1, 2*i+2
		if l < len(h) && h.less(l, least) {
			least = l
		}
		if r < len(h) && h.less(r, least) {
			least = r
		}
		if least == i {
			return
		}
		h[i], h[least] = h[least], h[i]
		i = least
	}
}
