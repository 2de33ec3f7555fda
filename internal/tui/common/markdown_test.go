package common_test

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/stretchr/testify/require"

	"pitstop/internal/theme"
	"pitstop/internal/tui/common"
	"pitstop/internal/tui/tuitest"
)

// TestListItemsWrapAsOneParagraph renders an item written over two source
// lines: the text flows, no line ends after a word or two.
func TestListItemsWrapAsOneParagraph(t *testing.T) {
	t.Parallel()
	md := "- A key created minutes ago, tested with curl as above, still gets 401: open a\n  Tier 2 (technical) ticket. Use severity HIGH if production sending has stopped.\n"
	out, err := common.RenderArticle(theme.ASCII, md, 60)
	require.NoError(t, err)
	for _, l := range strings.Split(tuitest.Plain(out), "\n") {
		l = strings.TrimSpace(l)
		require.NotEqual(t, "open a", l)
	}
	require.Contains(t, tuitest.Plain(out), "open a Tier 2")
}

func TestMarkdownStyleOfHighContrastFollowsTheBackground(t *testing.T) {
	t.Parallel()
	c := tuitest.Common(t, "en")
	c.Dark = true
	c.ApplyTheme(theme.HighContrast)
	require.Equal(t, theme.HighContrast, c.MarkdownStyle())
	c.Dark = false
	c.ApplyTheme(theme.HighContrast)
	require.Equal(t, theme.ASCII, c.MarkdownStyle())
	c.ApplyTheme(theme.Light)
	require.Equal(t, theme.Light, c.MarkdownStyle())
}

// TestArticlesKeepCodesAndAddressesWhole: a reply code or an address stays
// on one line at every width.
func TestArticlesKeepCodesAndAddressesWhole(t *testing.T) {
	t.Parallel()
	md := "- A list item that says 535 5.7.8 Error: authentication failed and names (mailer@example.test) too, with smtp-relay.example.com.\n\n---\n\n1. Done.\n"
	for w := 30; w <= 80; w++ {
		out, err := common.RenderArticle(theme.ASCII, md, w)
		require.NoError(t, err)
		plain := tuitest.Plain(out)
		for _, whole := range []string{"5.7.8", "(mailer@example.test)", "smtp-relay.example.com."} {
			require.Contains(t, plain, whole, "width %d:\n%s", w, plain)
		}
		require.Contains(t, plain, "1. Done.")
	}
}

// TestArticlesWrapLongWordsAt80And40 renders an article at 80 and 40
// columns: an option, a file name or a DNS name is never broken at a dot or
// a hyphen; a URL longer than the line is cut only where the line is full,
// and its bullet stays with it; a paragraph after a code block inside a
// list item flows as one.
func TestArticlesWrapLongWordsAt80And40(t *testing.T) {
	t.Parallel()
	long := "https://documentation.mailgun.com/docs/mailgun/user-manual/domains/domains-verify"
	md := "## Fix it now\n\n" +
		"1. Attach `pitstop report --out ticket.md` and publish `s2._domainkey.example.com`, keep `s1` a week.\n" +
		"2. Make a new key:\n" +
		"   ```bash\n   opendkim-genkey -b 2048 -s s2\n   ```\n" +
		"   Publish it, switch signing to the new selector, keep the old one for a week and then\n" +
		"   revoke it with an empty value.\n\n" +
		"Mailgun gives [a TXT record](" + long + ") instead.\n\n" +
		"## Sources\n\n- <https://www.rfc-editor.org/rfc/rfc6376>\n- <" + long + ">\n"
	for _, w := range []int{80, 40} {
		for _, style := range []string{theme.ASCII, theme.Dark} {
			out, err := common.RenderArticle(style, md, w)
			require.NoError(t, err)
			plain := tuitest.Plain(out)
			lines := strings.Split(plain, "\n")
			for _, whole := range []string{"--out", "ticket.md", "s2._domainkey.example.com"} {
				require.Contains(t, plain, whole, "%s at %d:\n%s", style, w, plain)
			}
			for i, l := range lines {
				require.LessOrEqual(t, lipgloss.Width(l), w, "%s at %d: %q", style, w, l)
				require.NotEqual(t, "•", strings.TrimSpace(l), "%s at %d: a bullet alone on line %d:\n%s", style, w, i, plain)
				if strings.HasSuffix(strings.TrimSpace(l), "and then") {
					next := strings.Fields(lines[i+1])
					require.Greater(t, lipgloss.Width(strings.TrimRight(l, " "))+1+lipgloss.Width(next[0]), w-2,
						"%s at %d: a line ends early inside a paragraph:\n%s", style, w, plain)
				}
			}
			// A URL is whole, or cut only where a line is full (a margin
			// of two columns on each side).
			for _, u := range []string{"https://www.rfc-editor.org/rfc/rfc6376", long} {
				var got string
				for i, l := range lines {
					f := strings.Fields(strings.TrimLeft(strings.TrimSpace(l), "• "))
					switch {
					case got == "" && len(f) > 0 && len(f[0]) >= 12 && strings.HasPrefix(u, f[0]):
						got = f[0]
					case got != "" && got != u && len(f) > 0:
						got += f[0]
					default:
						continue
					}
					if got != u {
						require.GreaterOrEqual(t, lipgloss.Width(strings.TrimRight(l, " ")), w-2,
							"%s at %d: %s is cut before the line is full (line %d):\n%s", style, w, u, i, plain)
					}
				}
				require.Equal(t, u, got, "%s at %d:\n%s", style, w, plain)
			}
		}
	}
}
