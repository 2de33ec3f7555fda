package config

import (
	"encoding/binary"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// minEdge is the shortest piece of a secret a cut may leave at the edge of a
// text that is still masked: shorter runs are too common in ordinary text.
const minEdge = 6

// keyRun is the longest run of a key's characters (past its public prefix)
// that may show anywhere: a longer one is masked even when the rest of the
// key is missing (a server that echoes part of it).
const keyRun = 8

// edgeMask replaces a piece of a secret left at a text's edge.
const edgeMask = "••••"

// Untrusted is the door every piece of outside text (a server's body, header
// or reply, an error that quotes one, a file's excerpt) passes through before
// it enters a result, a log line, a transcript or a report. In this order it
// strips terminal control sequences (ANSI CSI and OSC, C0 and C1 controls,
// bidi overrides) and invalid UTF-8, replaces every secret in every encoding
// the scrubber knows, and only then cuts the text to max runes (0: no cut),
// masking any piece of a secret the cut or the server left at either edge.
// The result is one line, its runs of spaces made single. A nil Scrubber still strips and cuts.
func (sc *Scrubber) Untrusted(text string, max int) string {
	cut := false
	if limit := 16*max + 1024; max > 0 && len(text) > limit {
		// Bound the work on a huge body; a secret split here is caught at
		// the edge, and the cut below falls well before it anyway.
		text, cut = text[:limit], true
	}
	s := StripControls(text)
	s = sc.Scrub(s)
	if strings.Contains(s, "  ") {
		// One line reads best with single spaces (a pretty-printed body).
		s = strings.Join(strings.Fields(s), " ")
	}
	s = sc.maskRuns(s)
	if max > 0 && utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s, cut = string(r[:max]), true
	}
	s = sc.maskEdges(s)
	if cut {
		s += "…"
	}
	return s
}

// UntrustedQuoted is Untrusted inside double quotes, escaped the Go way: the
// quoting comes after the scrubbing, so it cannot hide a secret from it.
func (sc *Scrubber) UntrustedQuoted(text string, max int) string {
	return strconv.Quote(sc.Untrusted(text, max))
}

// UntrustedError is the door for an error's text (a *url.Error prints the
// whole URL; a server's reply rides inside many errors).
func (sc *Scrubber) UntrustedError(err error, max int) string {
	if err == nil {
		return ""
	}
	return sc.Untrusted(err.Error(), max)
}

// maskEdges masks a run at the start of s that ends a secret, and a run at
// its end that begins one: what is left when a secret was cut.
func (sc *Scrubber) maskEdges(s string) string {
	if sc == nil {
		return s
	}
	for _, e := range sc.edges {
		if len(s) < minEdge {
			break
		}
		f := e.form
		// The end: the longest head of f that s ends with. Every such head
		// ends with s's last minEdge bytes, so look for those in f.
		tail, best := s[len(s)-minEdge:], 0
		for off := 0; ; {
			i := strings.Index(f[off:], tail)
			if i < 0 {
				break
			}
			k := off + i + minEdge
			if k < len(f) && k >= e.minHead && k > best && strings.HasSuffix(s, f[:k]) {
				best = k
			}
			off += i + 1
		}
		if best > 0 {
			s = s[:len(s)-best] + edgeMask
		}
		if len(s) < minEdge {
			break
		}
		// The start: the longest tail of f that s starts with.
		head := s[:minEdge]
		for off := 0; ; {
			i := strings.Index(f[off:], head)
			if i < 0 {
				break
			}
			p := off + i
			if p > 0 && strings.HasPrefix(s, f[p:]) {
				s = edgeMask + s[len(f)-p:]
				break
			}
			off = p + 1
		}
	}
	return s
}

// maskRuns masks every run of keyRun or more characters of a key's secret
// part, wherever it shows: a server that echoes all of a key but its last
// character must not show the rest.
func (sc *Scrubber) maskRuns(s string) string {
	if sc == nil || len(sc.grams) == 0 || len(s) < keyRun {
		return s
	}
	var b strings.Builder
	i, last := 0, 0
	for i+keyRun <= len(s) {
		body, ok := sc.grams[gram(s[i:])]
		if !ok {
			i++
			continue
		}
		j := i + keyRun
		for j < len(s) && strings.Contains(body, s[i:j+1]) {
			j++
		}
		b.WriteString(s[last:i])
		b.WriteString(edgeMask)
		i, last = j, j
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// gram packs the first keyRun bytes of s into a map key.
func gram(s string) uint64 {
	return binary.LittleEndian.Uint64([]byte(s[:keyRun]))
}

// StripControls makes outside text safe to print on one line: ANSI escape
// sequences (CSI, OSC, DCS and the like, which could retitle or clear a
// terminal) are removed whole, tabs and line breaks (U+2028 and U+2029
// too) become spaces, other
// control characters, bidi overrides and invalid UTF-8 bytes are dropped.
func StripControls(s string) string {
	clean := true
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || isBidi(r) || r == utf8.RuneError || r == '\u2028' || r == '\u2029' {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			i++
			continue
		case r == 0x1b || r == 0x9b || r == 0x9d || r == 0x90 || r == 0x9e || r == 0x9f:
			i = skipEscape(s, i)
			continue
		case r == '\r' && i+1 < len(s) && s[i+1] == '\n':
		case r == '\t' || r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || isBidi(r) || !unicode.IsPrint(r) && unicode.Is(unicode.Cf, r):
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// StripEscapeSequences removes ANSI escape sequences whole (CSI, OSC, DCS
// and the like) and leaves every other byte as it is: for text that spells
// the remaining control bytes out itself (an SMTP transcript shows a TLS
// record's \x16\x03), so that a sequence's words (a window title) go too.
func StripEscapeSequences(s string) string {
	if !strings.ContainsAny(s, "\x1b\u009b\u009d\u0090\u009e\u009f") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == 0x1b || r == 0x9b || r == 0x9d || r == 0x90 || r == 0x9e || r == 0x9f {
			i = skipEscape(s, i)
			continue
		}
		b.WriteString(s[i : i+size])
		i += size
	}
	return b.String()
}

// StripControlsText is StripControls for a document (a knowledge article's
// Markdown): its line breaks and tabs, which shape it, are kept.
func StripControlsText(s string) string { return stripEachLine(s, true) }

// StripControlsLines is StripControls for text whose line breaks matter (an
// error pasted with its stack trace): each line is stripped, the breaks kept.
func StripControlsLines(s string) string { return stripEachLine(s, false) }

// stripEachLine strips each line of s, keeping the breaks and, with
// keepTabs, the tabs.
func stripEachLine(s string, keepTabs bool) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, line := range lines {
		if !keepTabs {
			lines[i] = StripControls(line)
			continue
		}
		cells := strings.Split(line, "\t")
		for j := range cells {
			cells[j] = StripControls(cells[j])
		}
		lines[i] = strings.Join(cells, "\t")
	}
	return strings.Join(lines, "\n")
}

// skipEscape returns the index just past the escape sequence starting at i
// (ESC or a C1 introducer).
func skipEscape(s string, i int) int {
	r, size := utf8.DecodeRuneInString(s[i:])
	j := i + size
	kind := r
	if r == 0x1b {
		if j >= len(s) {
			return j
		}
		switch s[j] {
		case '[':
			kind = 0x9b
		case ']':
			kind = 0x9d
		case 'P':
			kind = 0x90
		case '^':
			kind = 0x9e
		case '_':
			kind = 0x9f
		case 'X':
			kind = 0x98
		default:
			// A two-character sequence (ESC c resets the terminal; ESC 7 ...).
			return j + 1
		}
		j++
	}
	if kind == 0x9b {
		// CSI: parameters and intermediates, then one final byte 0x40–0x7e.
		for j < len(s) {
			c := s[j]
			j++
			if c >= 0x40 && c <= 0x7e {
				break
			}
			if c < 0x20 || c > 0x7e {
				break
			}
		}
		return j
	}
	// String sequences (OSC, DCS, PM, APC, SOS) end at BEL or ST (ESC \ or 0x9c).
	for j < len(s) {
		switch {
		case s[j] == 0x07:
			return j + 1
		case s[j] == 0x1b && j+1 < len(s) && s[j+1] == '\\':
			return j + 2
		case strings.HasPrefix(s[j:], "\u009c"):
			return j + len("\u009c")
		}
		j++
	}
	return j
}

// isBidi reports the bidirectional formatting characters that reorder what
// a reader sees (the "Trojan Source" overrides and isolates).
func isBidi(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f || r == 0x061c
}
