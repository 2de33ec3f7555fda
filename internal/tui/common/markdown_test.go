package common_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/theme"
	"pitstop/internal/tui/common"
	"pitstop/internal/tui/tuitest"
)

func TestJoinListLines(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"indented continuation", "- one line\n  goes on\n- two", "- one line goes on\n- two"},
		{"lazy continuation", "1. first\nstill first\n2. second", "1. first still first\n2. second"},
		{"nested item stays", "- a\n  - b\n    more b", "- a\n  - b more b"},
		{"paragraph untouched", "Some text\nwraps here.\n\n- item", "Some text\nwraps here.\n\n- item"},
		{"code fence untouched", "- run:\n\n```sh\n  indented\ncode\n```\n- next\n  line", "- run:\n\n```sh\n  indented\ncode\n```\n- next line"},
		{"blank line ends the item", "- a\n\n  para", "- a\n\n  para"},
		{"heading after item", "- a\n## Next", "- a\n## Next"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, common.JoinListLines(tt.in))
		})
	}
}

// TestListItemsWrapAsOneParagraph renders an item written over two source
// lines: the text flows, no line ends after a word or two.
func TestListItemsWrapAsOneParagraph(t *testing.T) {
	t.Parallel()
	r, err := theme.Renderer(theme.ASCII, 60)
	require.NoError(t, err)
	md := "- A key created minutes ago, tested with curl as above, still gets 401: open a\n  Tier 2 (technical) ticket. Use severity HIGH if production sending has stopped.\n"
	out, err := r.Render(common.JoinListLines(md))
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

// TestArticlesKeepCodesAndAddressesWhole: glamour breaks list items at dots
// too; a reply code or an address stays on one line at every width.
func TestArticlesKeepCodesAndAddressesWhole(t *testing.T) {
	t.Parallel()
	md := "- A list item that says 535 5.7.8 Error: authentication failed and names (mailer@example.test) too, with smtp-relay.example.com.\n\n---\n\n1. Done.\n"
	for w := 30; w <= 80; w++ {
		r, err := theme.Renderer(theme.ASCII, w)
		require.NoError(t, err)
		out, err := common.RenderArticle(r, md)
		require.NoError(t, err)
		plain := tuitest.Plain(out)
		for _, whole := range []string{"5.7.8", "(mailer@example.test)", "smtp-relay.example.com."} {
			require.Contains(t, plain, whole, "width %d:\n%s", w, plain)
		}
		require.NotContains(t, plain, "\u2024", "the stand-ins are swapped back")
		require.Contains(t, plain, "1. Done.")
	}
}
