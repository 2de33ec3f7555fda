package results

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/tui/tuitest"
)

func TestDataQualityRowExpandsToTheFillTable(t *testing.T) {
	t.Parallel()
	c := tuitest.Common(t, "en")
	r := check.Failf("Only 57%% of the 500 contacts sampled have every mapped field filled in.").
		With("sampled 500 of the requested 500 contacts in 5 list requests (read-only)").
		WithFact("records_sampled", 500).WithFact("complete_ratio", 0.568).
		WithFact("fill_ratio.email", 0.99).WithFact("fill_ratio.firstname", 0.666).WithFact("fill_ratio.company", 0.9)
	r.ID, r.Category, r.Title = "crm.data_quality", "crm", "HubSpot data quality"
	c.Session.Results = []check.Result{r}
	m := New(c)
	m.SetSize(90, 30)
	require.NotContains(t, ansi.Strip(m.View()), "Filled in, per mapped field", "folded until opened")

	m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	view := ansi.Strip(m.View())
	var rows []string
	for _, l := range strings.Split(view, "\n") {
		if strings.Contains(l, "%") && (strings.Contains(l, "█") || strings.Contains(l, "░")) {
			rows = append(rows, strings.Join(strings.Fields(strings.Trim(l, " │┃")), " "))
		}
	}
	require.Contains(t, view, "Filled in, per mapped field")
	require.Len(t, rows, 4, view)
	require.True(t, strings.HasPrefix(rows[0], "firstname "), "emptiest first: %q", rows[0])
	require.True(t, strings.HasSuffix(rows[0], " 67%"), rows[0])
	require.True(t, strings.HasPrefix(rows[1], "company "), rows[1])
	require.True(t, strings.HasPrefix(rows[2], "email "), rows[2])
	require.True(t, strings.HasPrefix(rows[3], "every mapped field "), rows[3])
	require.True(t, strings.HasSuffix(rows[3], " 57%"), rows[3])
	require.Contains(t, view, "sampled 500 of the requested 500", "the details follow the table")
}

func TestResultsWithoutFillRatiosShowNoTable(t *testing.T) {
	t.Parallel()
	c := tuitest.Common(t, "es")
	r := check.Failf("x").With("detail")
	r.ID, r.Category, r.Title = "crm.field_mapping", "crm", "HubSpot field mapping"
	c.Session.Results = []check.Result{r}
	m := New(c)
	m.SetSize(90, 30)
	m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	require.NotContains(t, ansi.Strip(m.View()), "Completos, por campo asignado")
	require.Contains(t, ansi.Strip(m.View()), "detail")
}

// TestTimesKeepTheColumnsAligned: a time under a millisecond ("0.82 ms")
// does not push its row's status out of line with the others.
func TestTimesKeepTheColumnsAligned(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "es"} {
		c := tuitest.Common(t, lang)
		var rs []check.Result
		for i, d := range []time.Duration{50 * time.Microsecond, 500 * time.Millisecond, 55 * time.Millisecond, 820 * time.Microsecond} {
			r := check.Passf("fine")
			if i == 3 {
				r = check.Failf("not fine")
			}
			r.ID, r.Category, r.Title, r.Duration = fmt.Sprintf("api.x%d", i), "api", fmt.Sprintf("Check %d", i), d
			rs = append(rs, r)
		}
		c.Session.Results = rs
		m := New(c)
		m.SetSize(80, 24)
		ends := map[int]bool{}
		for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
			if strings.Contains(l, "Check ") && strings.HasSuffix(strings.TrimRight(l, " ›"), " ms") {
				for _, word := range []string{c.StatusWord(check.Pass), c.StatusWord(check.Fail)} {
					if j := strings.Index(l, " "+word+" "); j >= 0 {
						ends[ansi.StringWidth(l[:j])] = true
					}
				}
			}
		}
		require.Len(t, ends, 1, "%s: the status column moves with the time's width:\n%s", lang, ansi.Strip(m.View()))
	}
}
