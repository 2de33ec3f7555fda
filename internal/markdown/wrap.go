package markdown

import (
	"image/color"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"pitstop/internal/config"
)

// attr is how a piece of text is drawn.
type attr struct {
	fg, bg                  color.Color
	bold, italic, underline bool
}

// seg is a piece of text with its attributes; "\n" is a hard line break.
type seg struct {
	s string
	a attr
}

// clean makes a piece of the source safe to print: escape sequences are
// removed whole, control characters, bidi controls and invalid bytes
// dropped, tabs and line breaks turned into spaces. Every piece of the
// source passes through here on its way out.
func clean(s string) string { return config.StripControls(s) }

// ansiWidth is the display width of s (escape sequences take none).
func ansiWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

func segsWidth(l []seg) int {
	w := 0
	for _, s := range l {
		w += ansiWidth(s.s)
	}
	return w
}

// word is text between spaces, possibly in several attributes.
type word struct {
	segs []seg
	w    int
}

// wrap draws inline text in lines of at most w columns.
func (r *renderer) wrap(segs []seg, w int) []string {
	lines := r.wrapSegs(segs, w)
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = r.emit(l)
	}
	return out
}

// wrapSegs breaks inline text at spaces into lines of at most w columns; a
// word longer than a line is cut where the line is full. Spaces at the
// start and end of a line are dropped.
func (r *renderer) wrapSegs(segs []seg, w int) [][]seg { return r.wrapHang(segs, w, w) }

// wrapHang is wrapSegs with a first line of first columns and the others
// of rest.
func (r *renderer) wrapHang(segs []seg, first, rest int) [][]seg {
	var (
		lines    [][]seg
		line     []seg
		lineW    int
		cur      word
		space    attr // the space before cur
		hasSpace bool // whether there was one
	)
	width := func() int {
		if len(lines) == 0 {
			return first
		}
		return rest
	}
	flushLine := func() {
		lines = append(lines, line)
		line, lineW = make([]seg, 0, 2*len(line)+2), 0
	}
	place := func() {
		if cur.w == 0 && len(cur.segs) == 0 {
			return
		}
		gap := 0
		if lineW > 0 && hasSpace {
			gap = 1
		}
		if lineW > 0 && lineW+gap+cur.w > width() {
			flushLine()
			gap = 0
		}
		if gap == 1 {
			line = append(line, seg{" ", space})
			lineW++
		}
		for cur.w > width()-lineW {
			head, tail, headW := cutWord(cur.segs, width()-lineW)
			if len(head) == 0 && lineW == 0 { // a wide character in a 1-column room
				head, tail, headW = cutWord(cur.segs, 2)
			}
			line = append(line, head...)
			lineW += headW
			flushLine()
			cur.segs = tail
			cur.w -= headW
		}
		line = append(line, cur.segs...)
		lineW += cur.w
		cur.segs, cur.w = cur.segs[:0], 0
		hasSpace = false
	}
	for _, s := range segs {
		rest := s.s
		for rest != "" {
			i := strings.IndexAny(rest, " \n")
			if i < 0 {
				cur.segs = append(cur.segs, seg{rest, s.a})
				cur.w += ansiWidth(rest)
				break
			}
			if i > 0 {
				cur.segs = append(cur.segs, seg{rest[:i], s.a})
				cur.w += ansiWidth(rest[:i])
			}
			place()
			if rest[i] == '\n' {
				flushLine()
			} else {
				space, hasSpace = s.a, true
			}
			rest = rest[i+1:]
		}
	}
	place()
	if len(line) > 0 || len(lines) == 0 {
		flushLine()
	}
	return lines
}

// cutWord splits a word's segments after at most n columns, between
// grapheme clusters, and says how wide the head is.
func cutWord(segs []seg, n int) (head, tail []seg, headW int) {
	for i, s := range segs {
		if len(s.s) <= n-headW { // a string is never wider than its bytes
			head = append(head, s)
			headW += ansiWidth(s.s)
			continue
		}
		rest := s.s
		cut := 0
		for rest != "" {
			g, gw := ansi.FirstGraphemeCluster(rest, ansi.GraphemeWidth)
			if headW+gw > n {
				break
			}
			headW += gw
			cut += len(g)
			rest = rest[len(g):]
		}
		if rest == "" {
			head = append(head, s)
			continue
		}
		if cut > 0 {
			head = append(head, seg{s.s[:cut], s.a})
		}
		tail = append([]seg{{rest, s.a}}, segs[i+1:]...)
		return head, tail, headW
	}
	return head, nil, headW
}

// emit draws a line of segments, each run of one attribute wrapped in its
// escape sequence (none in Plain).
func (r *renderer) emit(line []seg) string {
	var b strings.Builder
	for i := 0; i < len(line); {
		a := line[i].a
		j := i
		var run strings.Builder
		for j < len(line) && line[j].a == a {
			run.WriteString(line[j].s)
			j++
		}
		b.WriteString(r.paint(run.String(), a))
		i = j
	}
	return b.String()
}

// paint draws s in a.
func (r *renderer) paint(s string, a attr) string {
	if r.st.Plain || a == (attr{}) || s == "" {
		return s
	}
	code, ok := r.sgr[a]
	if !ok {
		st := ansi.NewStyle()
		if a.fg != nil {
			st = st.ForegroundColor(a.fg)
		}
		if a.bg != nil {
			st = st.BackgroundColor(a.bg)
		}
		if a.bold {
			st = st.Bold()
		}
		if a.italic {
			st = st.Italic(true)
		}
		if a.underline {
			st = st.Underline(true)
		}
		if len(st) > 0 {
			code = st.String()
		}
		r.sgr[a] = code
	}
	if code == "" {
		return s
	}
	return code + s + ansi.ResetStyle
}
