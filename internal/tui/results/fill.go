package results

import (
	"fmt"
	"sort"
	"strings"

	"charm.land/lipgloss/v2"

	"pitstop/internal/check"
	"pitstop/internal/tui/common"
)

// fillPrefix names the facts that hold a field's fill ratio
// ("fill_ratio.FirstName", see crm.data_quality).
const fillPrefix = "fill_ratio."

// fillTable draws a result's fill ratios, emptiest field first, with the
// share of complete records under them: one bar per mapped field. It reads
// the result's facts, so it shows whatever the check measured; nil when the
// result has none.
func fillTable(c *common.Common, r check.Result, width int, indent string) []string {
	type row struct {
		name  string
		ratio float64
	}
	var rows []row
	for k, v := range r.Facts {
		if f, ok := v.(float64); ok && strings.HasPrefix(k, fillPrefix) {
			rows = append(rows, row{strings.TrimPrefix(k, fillPrefix), f})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].ratio != rows[j].ratio {
			return rows[i].ratio < rows[j].ratio
		}
		return rows[i].name < rows[j].name
	})
	if f, ok := r.Facts["complete_ratio"].(float64); ok {
		rows = append(rows, row{c.T("results.fill.complete"), f})
	}
	st := c.Styles
	nameW := 0
	for _, rw := range rows {
		nameW = max(nameW, lipgloss.Width(rw.name))
	}
	nameW = min(nameW, max(8, width/3))
	barW := max(5, min(24, width-nameW-8))
	out := []string{indent + st.Subtitle.Render(c.T("results.fill"))}
	for i, rw := range rows {
		name := common.Truncate(rw.name, nameW)
		name += strings.Repeat(" ", nameW-lipgloss.Width(name))
		full := int(rw.ratio*float64(barW) + 0.5)
		full = min(max(full, 0), barW)
		if i == len(rows)-1 && rows[i].name == c.T("results.fill.complete") {
			name = st.Bold.Render(name)
		} else {
			name = st.Detail.Render(name)
		}
		bar := st.BarFull.Render(strings.Repeat("█", full)) + st.BarEmpty.Render(strings.Repeat("░", barW-full))
		out = append(out, fmt.Sprintf("%s%s %s %4.0f%%", indent, name, bar, rw.ratio*100))
	}
	return out
}
