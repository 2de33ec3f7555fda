package markdown

import (
	"strings"

	"charm.land/lipgloss/v2"
	"charm.land/lipgloss/v2/table"
	east "github.com/yuin/goldmark/extension/ast"
)

// table draws a GFM table with borders, its columns narrowed and their
// cells wrapped to fit the width. When even the longest word of each
// column cannot fit side by side, each row is drawn as "Header: value"
// lines instead, after a line of the headers.
func (r *renderer) table(t *east.Table, w int) []string {
	var rows [][][]seg // the header row first
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		var cells [][]seg
		for c := row.FirstChild(); c != nil; c = c.NextSibling() {
			cells = append(cells, r.inline(c, r.base))
		}
		rows = append(rows, cells)
	}
	cols := 0
	for _, row := range rows {
		cols = max(cols, len(row))
	}
	if cols == 0 {
		return nil
	}
	for i := range rows {
		for len(rows[i]) < cols {
			rows[i] = append(rows[i], nil)
		}
	}
	head := attr{fg: r.st.Heading, bold: !r.st.Plain}
	for i := range rows[0] {
		rows[0][i] = withAttr(rows[0][i], head)
	}

	widths := columnWidths(rows, w-3*cols-1)
	if widths == nil {
		return r.stacked(rows, w)
	}
	cell := func(segs []seg, col int) string {
		lines := r.wrapSegs(segs, widths[col])
		out := make([]string, len(lines))
		for i, l := range lines {
			pad := widths[col] - segsWidth(l)
			left := 0
			if col < len(t.Alignments) {
				switch t.Alignments[col] {
				case east.AlignRight:
					left = pad
				case east.AlignCenter:
					left = pad / 2
				}
			}
			out[i] = strings.Repeat(" ", left) + r.emit(l) + strings.Repeat(" ", pad-left)
		}
		return strings.Join(out, "\n")
	}
	var drawn [][]string
	wrapped := false
	for _, row := range rows {
		var cells []string
		for c, segs := range row {
			cells = append(cells, cell(segs, c))
			wrapped = wrapped || strings.Contains(cells[c], "\n")
		}
		drawn = append(drawn, cells)
	}
	tb := table.New().Border(lipgloss.RoundedBorder()).
		StyleFunc(func(_, _ int) lipgloss.Style { return lipgloss.NewStyle().Padding(0, 1) })
	if !r.st.Plain && r.st.Rule != nil {
		tb.BorderStyle(lipgloss.NewStyle().Foreground(r.st.Rule))
	}
	if wrapped {
		// Headers are drawn on one line; a table whose cells wrap draws
		// its header as a row, and a line between rows.
		tb.BorderRow(true).Rows(drawn...)
	} else {
		tb.Headers(drawn[0]...).Rows(drawn[1:]...)
	}
	out := strings.Split(tb.String(), "\n")
	for _, l := range out {
		if ansiWidth(l) > w {
			return r.stacked(rows, w)
		}
	}
	return out
}

// columnWidths shares room columns among the table's columns: each its
// widest cell when all fit, else at least its longest word and the rest in
// proportion to what each lacks. It returns nil when the longest words do
// not fit.
func columnWidths(rows [][][]seg, room int) []int {
	cols := len(rows[0])
	natural := make([]int, cols)
	least := make([]int, cols)
	for _, row := range rows {
		for c, segs := range row {
			natural[c] = max(natural[c], 1, segsWidth(segs))
			least[c] = max(least[c], 1, longestWord(segs))
		}
	}
	for c := range cols {
		least[c] = min(least[c], natural[c])
	}
	sumNat, sumLeast := 0, 0
	for c := range cols {
		sumNat += natural[c]
		sumLeast += least[c]
	}
	if sumNat <= room {
		return natural
	}
	if sumLeast > room {
		return nil
	}
	widths := append([]int(nil), least...)
	extra, lack := room-sumLeast, sumNat-sumLeast
	given := 0
	for c := range cols {
		add := extra * (natural[c] - least[c]) / lack
		widths[c] += add
		given += add
	}
	for grew := true; given < extra && grew; {
		grew = false
		for c := 0; c < cols && given < extra; c++ {
			if widths[c] < natural[c] {
				widths[c]++
				given++
				grew = true
			}
		}
	}
	return widths
}

// longestWord is the width of the widest word in segs.
func longestWord(segs []seg) int {
	longest := 0
	for _, f := range strings.Fields(segsText(segs)) {
		longest = max(longest, ansiWidth(f))
	}
	return longest
}

func withAttr(segs []seg, a attr) []seg {
	out := make([]seg, len(segs))
	for i, s := range segs {
		out[i] = seg{s.s, a}
	}
	return out
}

// stacked draws a table too wide for the screen: the headers, then each
// row as "Header: value" lines (hanging), rows apart by a blank line.
func (r *renderer) stacked(rows [][][]seg, w int) []string {
	var headers []seg
	for i, h := range rows[0] {
		if i > 0 {
			headers = append(headers, seg{" · ", attr{fg: r.st.Rule}})
		}
		headers = append(headers, h...)
	}
	out := r.wrap(headers, w)
	for _, row := range rows[1:] {
		out = append(out, "")
		for c, cell := range row {
			var line []seg
			if len(rows[0][c]) > 0 {
				line = append(append(line, rows[0][c]...), seg{": ", rows[0][c][0].a})
			}
			line = append(line, cell...)
			if w-2 < minWidth {
				out = append(out, r.wrap(line, w)...)
				continue
			}
			for i, l := range r.wrapHang(line, w, w-2) {
				if i > 0 {
					l = append([]seg{{"  ", attr{}}}, l...)
				}
				out = append(out, r.emit(l))
			}
		}
	}
	return out
}
