package wizard

import (
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/kb"
)

func TestOfferedKeepsEveryProblemsArticle(t *testing.T) {
	t.Parallel()
	var matches []kb.Match
	for _, id := range []string{"a", "b", "c", "d", "e"} {
		matches = append(matches, kb.Match{Article: &kb.Article{ID: id}})
	}
	results := []check.Result{
		{ID: "x", Status: check.Fail, Articles: []string{"e", "d"}},
		{ID: "y", Status: check.Warn, Articles: []string{"c"}},
	}
	ids := func(ms []kb.Match) (out []string) {
		for _, m := range ms {
			out = append(out, m.Article.ID)
		}
		return out
	}
	require.Equal(t, []string{"d"}, ids(Offered(matches, results, 1)), "the failure's best-ranked article comes first")
	require.Equal(t, []string{"a", "d"}, ids(Offered(matches, results, 2)))
	require.Equal(t, []string{"a", "b", "d"}, ids(Offered(matches, results, 3)))
	require.Equal(t, []string{"a", "b", "c", "d", "e"}, ids(Offered(matches, results, 9)))
	require.Empty(t, Offered(nil, results, 5))
}

func TestReportDirIsInTheStateDirectory(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_STATE_HOME", dir)
	got, err := ReportDir()
	require.NoError(t, err)
	require.Equal(t, dir+"/pitstop/reports", got)
	require.DirExists(t, got)
}
