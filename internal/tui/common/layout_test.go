package common_test

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/stretchr/testify/require"

	"pitstop/internal/tui/common"
)

// TestWrapKeepsWordsWhole wraps prose holding URLs, a path and hyphenated
// names at 80 and 40 columns: no line is wider than the width, a word that
// fits a line is never broken, and a word longer than the line starts its
// own line and is cut only where that line is full.
func TestWrapKeepsWordsWhole(t *testing.T) {
	t.Parallel()
	text := "Saved: /home/ana/.local/state/pitstop/reports/pitstop-report-20261202-195825.md; read " +
		"https://support.google.com/a/answer/81126 and the guide at " +
		"https://developers.google.com/gmail/api/guides/sending-limits-and-quotas before sending from " +
		"mailer@pitstop-healthy.test with smtp-relay.example.com, code 535 5.7.8 — “configuración” está bien."
	for _, w := range []int{80, 40} {
		out := common.Wrap(text, w)
		lines := strings.Split(out, "\n")
		var words []string
		for _, l := range lines {
			require.LessOrEqual(t, lipgloss.Width(l), w, "%q", l)
			words = append(words, strings.Fields(l)...)
		}
		for i, word := range strings.Fields(text) {
			if lipgloss.Width(word) <= w {
				require.Contains(t, words, word, "width %d: %q is broken:\n%s", w, word, out)
				continue
			}
			// Too long: it begins a line, and each piece but the last fills
			// its line.
			var pieces []string
			for r := []rune(word); len(r) > 0; {
				n := min(w, len(r))
				pieces = append(pieces, string(r[:n]))
				r = r[n:]
			}
			lead := ""
			if i > 0 {
				lead = "\n"
			}
			require.Contains(t, out, lead+strings.Join(pieces, "\n"), "width %d: %q is not cut at the width:\n%s", w, word, out)
		}
	}
}
