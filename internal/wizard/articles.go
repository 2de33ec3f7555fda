package wizard

import (
	"slices"

	"pitstop/internal/check"
	"pitstop/internal/kb"
)

// Offered picks the articles offered after a run from the ranked matches:
// for every check that failed or could not test, the best-ranked article it
// names (so each problem points to an article, however many others outrank
// it), then the best of the rest up to n, all in rank order.
func Offered(matches []kb.Match, results []check.Result, n int) []kb.Match {
	keep := make([]bool, len(matches))
	kept := 0
	for _, r := range results {
		if r.Status != check.Fail && r.Status != check.Error {
			continue
		}
		for i, m := range matches {
			if slices.Contains(r.Articles, m.Article.ID) {
				if !keep[i] {
					keep[i] = true
					kept++
				}
				break
			}
		}
	}
	for i := range matches {
		if kept >= n {
			break
		}
		if !keep[i] {
			keep[i] = true
			kept++
		}
	}
	out := make([]kb.Match, 0, kept)
	for i, m := range matches {
		if keep[i] {
			out = append(out, m)
		}
	}
	return out
}

// Offered is the articles to offer after the session's last run.
func (s *Session) Offered(n int) []kb.Match { return Offered(s.Matches, s.Results, n) }
