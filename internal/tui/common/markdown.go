package common

import (
	"strings"
	"unicode"

	tea "charm.land/bubbletea/v2"

	"pitstop/internal/theme"
)

// MarkdownCache keeps rendered articles by (article, width, theme), so going
// back to an article or resizing back costs nothing. It is touched only from
// Update (the render itself runs in a command).
type MarkdownCache struct {
	m map[mdKey]string
}

type mdKey struct {
	id    string
	width int
	theme string
}

// NewMarkdownCache returns an empty cache.
func NewMarkdownCache() *MarkdownCache { return &MarkdownCache{m: map[mdKey]string{}} }

// Get returns a rendered article if it is cached.
func (mc *MarkdownCache) Get(id string, width int, themeName string) (string, bool) {
	s, ok := mc.m[mdKey{id, width, themeName}]
	return s, ok
}

// Put stores a rendered article.
func (mc *MarkdownCache) Put(id string, width int, themeName, text string) {
	if len(mc.m) > 256 { // a long session resizing a lot: start over
		clear(mc.m)
	}
	mc.m[mdKey{id, width, themeName}] = text
}

// RenderedMsg carries a rendered article back to Update.
type RenderedMsg struct {
	ID    string
	Width int
	Theme string
	Text  string
	Err   error
}

// RenderMarkdown returns a command that renders markdown for an article at
// width with the theme's glamour style. The caller stores the result in the
// cache when the message arrives (see Common.StoreRendered).
func (c *Common) RenderMarkdown(id, body string, width int) tea.Cmd {
	themeName := c.MarkdownStyle()
	scrub := c.Scrubber
	return func() tea.Msg {
		r, err := theme.Renderer(themeName, width)
		if err != nil {
			return RenderedMsg{ID: id, Width: width, Theme: themeName, Err: err}
		}
		out, err := RenderArticle(r, body)
		if err != nil {
			return RenderedMsg{ID: id, Width: width, Theme: themeName, Err: err}
		}
		out = strings.Trim(out, "\n")
		return RenderedMsg{ID: id, Width: width, Theme: themeName, Text: scrub.Scrub(out)}
	}
}

// StoreRendered puts a render result in the cache (errors are not cached).
func (c *Common) StoreRendered(msg RenderedMsg) {
	if msg.Err == nil {
		c.Markdown.Put(msg.ID, msg.Width, msg.Theme, msg.Text)
	}
}

// MarkdownStyle is the glamour style articles are drawn with: the theme's,
// except high contrast on a light background, whose bright colors would
// vanish there; that gets the colorless style in the terminal's own text
// color.
func (c *Common) MarkdownStyle() string {
	if c.Theme == theme.HighContrast && !c.Dark {
		return theme.ASCII
	}
	return c.Theme
}

// JoinListLines joins the lines a list item is wrapped over in the source
// into one line. Glamour keeps those line breaks inside list items and
// then wraps again at the screen width, which leaves ragged half-lines
// ("still gets 401: open a" / "Tier 2 ticket..."). Code blocks, nested
// items, tables and quotes are left as they are.
func JoinListLines(md string) string {
	lines := strings.Split(md, "\n")
	out := make([]string, 0, len(lines))
	inList, fence := false, ""
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if fence != "" {
			out = append(out, l)
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
			continue
		}
		switch {
		case strings.HasPrefix(t, "```"), strings.HasPrefix(t, "~~~"):
			fence = t[:3]
			inList = false
		case t == "":
			inList = false
		case listMarker(t):
			inList = true
		case inList && !strings.HasPrefix(t, "|") && !strings.HasPrefix(t, ">") && !strings.HasPrefix(t, "#"):
			// A continuation of the item above (indented or lazy).
			out[len(out)-1] = strings.TrimRight(out[len(out)-1], " ") + " " + t
			continue
		default:
			inList = false
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// listMarker reports whether a trimmed line starts a list item: "- ",
// "* ", "+ ", "1. " or "1) ".
func listMarker(t string) bool {
	if len(t) >= 2 && (t[0] == '-' || t[0] == '*' || t[0] == '+') && t[1] == ' ' {
		return true
	}
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	return i > 0 && i+1 < len(t) && (t[i] == '.' || t[i] == ')') && t[i+1] == ' '
}

// Glamour wraps list items and quotes at ". , ; -" as well as at spaces,
// which breaks an address or a code in two ("mailer@example.\ntest",
// "535 5.7.\n8"). Between two letters or digits such a character is part of
// a word: it is swapped for a look-alike of the same width that is no
// break point, and swapped back once the text is wrapped.
var (
	unbreakable = map[rune]rune{'.': '\u2024', ',': '\u201a', ';': '\u037e', '-': '\u2010'}
	rebreak     = strings.NewReplacer("\u2024", ".", "\u201a", ",", "\u037e", ";", "\u2010", "-")
)

func keepWordsWhole(md string) string {
	rs := []rune(md)
	alnum := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	for i := 1; i+1 < len(rs); i++ {
		if alt, ok := unbreakable[rs[i]]; ok && alnum(rs[i-1]) && alnum(rs[i+1]) {
			rs[i] = alt
		}
	}
	return string(rs)
}

// RenderArticle renders an article's Markdown with r, the wizard's and
// `pitstop kb show`'s one way: list lines joined, words kept whole.
func RenderArticle(r interface {
	Render(string) (string, error)
}, md string) (string, error) {
	out, err := r.Render(keepWordsWhole(JoinListLines(md)))
	if err != nil {
		return "", err
	}
	return rebreak.Replace(out), nil
}
