package escalate

import (
	"strings"

	"pitstop/internal/kb"
)

// TopMatch returns the article the pasted error or the picked symptoms
// point to, for a report's Matched: the best match in the order
// `pitstop diagnose` shows, when its confidence is strong (a pattern, a
// check or a picked symptom matched, not a few words in common). Nil when
// there is nothing to go on or only a guess.
func TopMatch(base *kb.Base, ev kb.Evidence) []*kb.Article {
	if base == nil || strings.TrimSpace(ev.Text) == "" && len(ev.Symptoms) == 0 && len(ev.Results) == 0 {
		return nil
	}
	matches := base.Match(ev)
	if len(matches) == 0 || matches[0].Confidence != kb.Strong {
		return nil
	}
	return []*kb.Article{matches[0].Article}
}
