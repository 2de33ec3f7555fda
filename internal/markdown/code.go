package markdown

import (
	"image/color"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// codeMargin is how far code blocks are indented.
const codeMargin = 2

// code draws a code block: its lines as written, indented by a margin and
// colored by language. A line wider than the room is broken at its last
// space that fits, or where the line is full when there is none.
func (r *renderer) code(n ast.Node, lang string, w int) []string {
	var src strings.Builder
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		s := lines.At(i)
		src.Write(s.Value(r.src))
	}
	code := strings.TrimRight(expandTabs(src.String()), "\n")
	margin := codeMargin
	if w-margin < minWidth {
		margin = 0
	}
	room := w - margin
	var out []string
	var line []seg
	flush := func() {
		for _, l := range breakCode(line, room) {
			out = append(out, strings.TrimRight(strings.Repeat(" ", margin)+r.emit(l), " "))
		}
		line = nil
	}
	for _, t := range highlight(lang, code) {
		a := attr{fg: r.codeColor(t.c)}
		for k, part := range strings.Split(t.s, "\n") {
			if k > 0 {
				flush()
			}
			if part = clean(part); part != "" {
				line = append(line, seg{part, a})
			}
		}
	}
	flush()
	return out
}

// codeColor is a token class's color, the code block's color for a class
// the style leaves unset.
func (r *renderer) codeColor(c class) (col color.Color) {
	switch c {
	case comment:
		col = r.st.Comment
	case str:
		col = r.st.String
	case key:
		col = r.st.Key
	case number:
		col = r.st.Number
	case keyword:
		col = r.st.Keyword
	case flag:
		col = r.st.Flag
	}
	if col == nil {
		col = r.st.CodeBlock
	}
	return col
}

// expandTabs replaces tabs by spaces to the next multiple of four columns.
func expandTabs(s string) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	col := 0
	for _, c := range s {
		switch c {
		case '\t':
			n := 4 - col%4
			b.WriteString(strings.Repeat(" ", n))
			col += n
		case '\n':
			b.WriteRune(c)
			col = 0
		default:
			b.WriteRune(c)
			col++
		}
	}
	return b.String()
}

// breakCode breaks one line of code into pieces of at most w columns, after
// the last space that fits when there is one. The pieces after the first
// hang two columns past the line's own indentation, when that leaves room.
func breakCode(line []seg, w int) [][]seg {
	var out [][]seg
	text := segsText(line)
	hang := len(text) - len(strings.TrimLeft(text, " ")) + 2
	if hang > w/2 {
		hang = 0
	}
	room := w
	lineW := segsWidth(line)
	for lineW > room {
		head, tail, headW := cutWord(line, room)
		if len(head) == 0 { // a wide character in a one-column room
			head, tail, headW = cutWord(line, 2)
		}
		// Move back to the last space of head, if it leaves something.
		plainHead := segsText(head)
		if i := strings.LastIndexByte(plainHead, ' '); i > 0 && strings.TrimSpace(plainHead[:i]) != "" {
			head, tail = splitAt(line, i+1)
			headW = segsWidth(head)
		}
		out = append(out, trimRightSegs(head))
		before := segsText(tail)
		line = trimLeftSegs(tail)
		lineW -= headW + len(before) - len(segsText(line)) // spaces are one column
		if room == w && hang > 0 {
			room = w - hang
		}
	}
	out = append(out, line)
	for i := 1; i < len(out) && hang > 0; i++ {
		out[i] = append([]seg{{strings.Repeat(" ", hang), attr{}}}, out[i]...)
	}
	return out
}

func segsText(l []seg) string {
	var b strings.Builder
	for _, s := range l {
		b.WriteString(s.s)
	}
	return b.String()
}

// splitAt splits segments at byte offset n of their text.
func splitAt(l []seg, n int) (head, tail []seg) {
	for i, s := range l {
		if n >= len(s.s) {
			head = append(head, s)
			n -= len(s.s)
			continue
		}
		if n > 0 {
			head = append(head, seg{s.s[:n], s.a})
		}
		tail = append([]seg{{s.s[n:], s.a}}, l[i+1:]...)
		return head, tail
	}
	return head, nil
}

func trimRightSegs(l []seg) []seg {
	for len(l) > 0 {
		k := len(l) - 1
		t := strings.TrimRight(l[k].s, " ")
		if t != "" {
			l[k].s = t
			return l
		}
		l = l[:k]
	}
	return l
}

func trimLeftSegs(l []seg) []seg {
	for len(l) > 0 {
		t := strings.TrimLeft(l[0].s, " ")
		if t != "" {
			l[0].s = t
			return l
		}
		l = l[1:]
	}
	return l
}
