package common

import (
	tea "charm.land/bubbletea/v2"

	"pitstop/internal/markdown"
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

// ArticleMargin is how many columns an article's text keeps from the edge
// of the screen or terminal on each side (the wizard's article screen,
// `pitstop kb show`).
const ArticleMargin = 2

// RenderedMsg carries a rendered article back to Update.
type RenderedMsg struct {
	ID    string
	Width int
	Theme string
	Text  string
	Err   error
}

// RenderMarkdown returns a command that renders markdown for an article at
// width in the theme's Markdown style. The caller stores the result in the
// cache when the message arrives (see Common.StoreRendered).
func (c *Common) RenderMarkdown(id, body string, width int) tea.Cmd {
	themeName := c.MarkdownStyle()
	scrub := c.Scrubber
	return func() tea.Msg {
		// Scrubbed before it is drawn: wrapping can cut a long word across
		// lines and colors can split one, and a secret cut is no longer found.
		out, err := RenderArticle(themeName, scrub.Scrub(body), width)
		if err != nil {
			return RenderedMsg{ID: id, Width: width, Theme: themeName, Err: err}
		}
		return RenderedMsg{ID: id, Width: width, Theme: themeName, Text: out}
	}
}

// StoreRendered puts a render result in the cache (errors are not cached).
func (c *Common) StoreRendered(msg RenderedMsg) {
	if msg.Err == nil {
		c.Markdown.Put(msg.ID, msg.Width, msg.Theme, msg.Text)
	}
}

// MarkdownStyle is the style articles are drawn with: the theme's, except
// high contrast on a light background, whose bright colors would vanish
// there; that gets the colorless style in the terminal's own text color.
func (c *Common) MarkdownStyle() string {
	if c.Theme == theme.HighContrast && !c.Dark {
		return theme.ASCII
	}
	return c.Theme
}

// RenderArticle draws an article's Markdown at width in a theme's Markdown
// style (or theme.ASCII): the wizard's and `pitstop kb show`'s one way.
func RenderArticle(styleName, md string, width int) (string, error) {
	st, err := theme.MarkdownStyle(styleName)
	if err != nil {
		return "", err
	}
	return markdown.Render(md, width, st), nil
}
