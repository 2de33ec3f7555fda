package common

import (
	"fmt"
	"strings"

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
	themeName := c.Theme
	scrub := c.Scrubber
	return func() tea.Msg {
		r, err := theme.Renderer(themeName, width)
		if err != nil {
			return RenderedMsg{ID: id, Width: width, Theme: themeName, Err: fmt.Errorf("render article %s: %w", id, err)}
		}
		out, err := r.Render(body)
		if err != nil {
			return RenderedMsg{ID: id, Width: width, Theme: themeName, Err: fmt.Errorf("render article %s: %w", id, err)}
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
