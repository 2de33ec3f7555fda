package theme

import (
	"fmt"
	"strings"
	"sync"

	"charm.land/glamour/v2"
	"charm.land/glamour/v2/ansi"
	"charm.land/glamour/v2/styles"
	chroma "github.com/alecthomas/chroma/v2/styles"
)

// ASCII is the name of the colorless Markdown style, for Renderer.
const ASCII = "ascii"

// Glue joins a list marker ("•", "1.") to the first word of its item in
// what Renderer draws, so a word too long for the line does not leave the
// marker alone on a line; the caller turns it back into a space.
const Glue = "\u00a0"

// glamourSpec is the glamour section of a theme file. Each color is a
// palette token or a color literal; "" leaves the base style's choice off
// (no color: the terminal's own).
type glamourSpec struct {
	Base           string `yaml:"base"` // glamour style to start from: dark or light
	Text           string `yaml:"text"`
	Heading        string `yaml:"heading"`
	Title          string `yaml:"title"`      // background of the # title
	TitleText      string `yaml:"title_text"` // text of the # title
	Link           string `yaml:"link"`
	LinkText       string `yaml:"link_text"`
	Code           string `yaml:"code"` // inline code
	CodeBackground string `yaml:"code_background"`
	CodeBlock      string `yaml:"code_block"` // fenced code, when code_theme is ""
	CodeTheme      string `yaml:"code_theme"` // a chroma style name, or "" for plain code
	Quote          string `yaml:"quote"`
	Rule           string `yaml:"rule"`
}

type specError struct {
	path []string
	msg  string
}

// build makes the glamour style: the base style with the theme's colors.
// Glamour's custom chroma palettes share one global name (the first one
// registered wins), so code is colored by a named chroma style instead.
func (g glamourSpec) build(palette map[string]string) (ansi.StyleConfig, []specError) {
	var errs []specError
	var s ansi.StyleConfig
	switch g.Base {
	case "dark":
		s = styles.DarkStyleConfig
	case "light":
		s = styles.LightStyleConfig
	default:
		errs = append(errs, specError{[]string{"base"}, fmt.Sprintf("glamour.base is %q; expected dark or light", g.Base)})
	}
	color := func(key, v string) *string {
		if v == "" {
			return nil
		}
		if hex, ok := palette[v]; ok {
			return &hex
		}
		if colorRE.MatchString(v) {
			return &v
		}
		errs = append(errs, specError{[]string{key}, fmt.Sprintf("glamour.%s is %q: neither a palette token nor a color", key, v)})
		return nil
	}
	s.Document.Color = color("text", g.Text)
	s.Heading.Color = color("heading", g.Heading)
	s.H1.BackgroundColor = color("title", g.Title)
	s.H1.Color = color("title_text", g.TitleText)
	s.H6.Color = s.Heading.Color
	s.Link.Color = color("link", g.Link)
	s.LinkText.Color = color("link_text", g.LinkText)
	s.Code.Color = color("code", g.Code)
	s.Code.BackgroundColor = color("code_background", g.CodeBackground)
	s.CodeBlock.Color = color("code_block", g.CodeBlock)
	s.BlockQuote.Color = color("quote", g.Quote)
	s.HorizontalRule.Color = color("rule", g.Rule)
	s.CodeBlock.Chroma = nil
	s.CodeBlock.Theme = g.CodeTheme
	if g.CodeTheme != "" {
		if _, ok := chroma.Registry[g.CodeTheme]; !ok {
			errs = append(errs, specError{[]string{"code_theme"}, fmt.Sprintf("glamour.code_theme %q is not a chroma style (try dracula, github, monokai)", g.CodeTheme)})
		}
	}
	return s, errs
}

// MarkdownRenderer renders Markdown with one style at one width. It is safe
// for concurrent use (glamour's renderer is not: calls take turns).
type MarkdownRenderer struct {
	mu sync.Mutex
	tr *glamour.TermRenderer
}

// Render renders Markdown for the terminal.
func (r *MarkdownRenderer) Render(markdown string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tr.Render(markdown)
}

type rendererKey struct {
	name  string
	width int
}

// renderers caches one renderer per style and width: building one parses
// the style and sets up goldmark, which costs more than a render.
var renderers sync.Map // rendererKey → *MarkdownRenderer

// Renderer returns the cached Markdown renderer for a theme (or ASCII, for
// no color) that wraps text at width columns.
func Renderer(name string, width int) (*MarkdownRenderer, error) {
	if width <= 0 {
		width = 80
	}
	key := rendererKey{name, width}
	if r, ok := renderers.Load(key); ok {
		return r.(*MarkdownRenderer), nil
	}
	var style ansi.StyleConfig
	if name == ASCII {
		style = styles.ASCIIStyleConfig
	} else {
		t, err := Load(name)
		if err != nil {
			return nil, err
		}
		style = t.Glamour
	}
	style.Item.BlockPrefix = strings.Replace(style.Item.BlockPrefix, " ", Glue, 1)
	style.Enumeration.BlockPrefix = strings.Replace(style.Enumeration.BlockPrefix, " ", Glue, 1)
	tr, err := glamour.NewTermRenderer(glamour.WithStyles(style), glamour.WithWordWrap(width))
	if err != nil {
		return nil, fmt.Errorf("markdown renderer for theme %s: %w", name, err)
	}
	r, _ := renderers.LoadOrStore(key, &MarkdownRenderer{tr: tr})
	return r.(*MarkdownRenderer), nil
}
