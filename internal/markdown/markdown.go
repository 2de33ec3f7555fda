// Package markdown draws Markdown for the terminal: a knowledge article
// becomes lines no wider than a given width, styled with a theme's colors.
// Paragraphs and list items wrap at spaces with hanging indents, tables fit
// the width, links show their address, fenced code keeps its lines and is
// colored by language (bash, yaml, json, dns zone lines, powershell).
//
// The source is untrusted: no control byte or escape sequence it contains
// reaches the output. Render is deterministic and safe for concurrent use.
package markdown

import (
	"image/color"
	"strconv"
	"strings"
	"sync"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"pitstop/internal/config"
)

// Style is how Render colors what it draws. A nil color is the terminal's
// own. The zero Style draws bold and underlined text in the terminal's
// colors; Plain turns every attribute off.
type Style struct {
	// Plain draws no colors and no attributes: the output holds no escape
	// sequence at all (for pipes and tests).
	Plain bool
	// NoItalic draws emphasis underlined instead of in italics, for
	// terminals and eyes that read italics poorly (high contrast).
	NoItalic bool

	Text      color.Color // body text
	Heading   color.Color // ## headings, list markers, table headers
	Title     color.Color // background of the # title
	TitleText color.Color // text of the # title
	Link      color.Color // a link's address
	LinkText  color.Color // a link's text
	Code      color.Color // inline code
	CodeBg    color.Color // background of inline code
	CodeBlock color.Color // fenced code, outside the colored tokens
	Quote     color.Color // block quotes: the text and the bar
	Rule      color.Color // horizontal rules and table borders

	// Fenced code tokens; nil falls back to CodeBlock.
	Comment color.Color
	String  color.Color
	Key     color.Color // keys (yaml, json), variables, record names
	Number  color.Color
	Keyword color.Color // commands, keywords, record types
	Flag    color.Color // options, operators, punctuation
}

// ASCII is the style without colors or attributes.
var ASCII = Style{Plain: true}

// mdParser is built on first use: goldmark's set-up is not free, and most
// runs of the program never draw an article.
var mdParser = sync.OnceValue(func() parser.Parser {
	return parser.NewParser(
		parser.WithBlockParsers(parser.DefaultBlockParsers()...),
		parser.WithInlineParsers(parser.DefaultInlineParsers()...),
		parser.WithParagraphTransformers(append(parser.DefaultParagraphTransformers(),
			util.Prioritized(extension.NewTableParagraphTransformer(), 200))...),
		parser.WithASTTransformers(util.Prioritized(extension.NewTableASTTransformer(), 0)),
	)
})

// minWidth is the narrowest Render draws: a wide character takes two
// columns.
const minWidth = 2

// Render draws Markdown src in lines of at most width display columns
// (at least 2), joined by "\n", with no trailing newline.
func Render(src string, width int, st Style) string {
	width = max(width, minWidth)
	// The door first, on the whole text: an escape sequence goes whole, before
	// the parser splits it at its "[" or a lexer at its ";". clean then only
	// meets what the parser makes (entity references such as &#27;).
	source := []byte(config.StripControlsText(src))
	doc := mdParser().Parse(text.NewReader(source))
	r := &renderer{src: source, st: st, sgr: map[attr]string{}}
	r.base = attr{fg: st.Text}
	return strings.Join(r.blocks(doc, width), "\n")
}

// renderer holds one Render call's state.
type renderer struct {
	src   []byte
	st    Style
	base  attr // the attributes of plain text where the renderer is
	depth int  // list nesting
	sgr   map[attr]string
}

// blocks draws the block children of n, a blank line between blocks
// (none inside a tight list item, between its text and a nested list).
func (r *renderer) blocks(n ast.Node, w int) []string {
	var out []string
	var prev ast.Node
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		lines := r.block(c, w)
		if len(lines) == 0 {
			continue
		}
		if prev != nil && !tightPair(prev, c) {
			out = append(out, "")
		}
		out = append(out, lines...)
		prev = c
	}
	return out
}

// tightPair reports whether two blocks of a tight list item follow each
// other without a blank line: text, then a nested list.
func tightPair(a, b ast.Node) bool {
	item, ok := a.Parent().(*ast.ListItem)
	if !ok {
		return false
	}
	list, ok := item.Parent().(*ast.List)
	if !ok || !list.IsTight {
		return false
	}
	_, textA := a.(*ast.TextBlock)
	_, listA := a.(*ast.List)
	_, textB := b.(*ast.TextBlock)
	_, listB := b.(*ast.List)
	return (textA || listA) && (textB || listB)
}

func (r *renderer) block(n ast.Node, w int) []string {
	switch n := n.(type) {
	case *ast.Heading:
		return r.heading(n, w)
	case *ast.Paragraph, *ast.TextBlock:
		return r.wrap(r.inline(n, r.base), w)
	case *ast.List:
		return r.list(n, w)
	case *ast.FencedCodeBlock:
		return r.code(n, string(n.Language(r.src)), w)
	case *ast.CodeBlock:
		return r.code(n, "", w)
	case *ast.HTMLBlock:
		return r.code(n, "", w)
	case *ast.Blockquote:
		return r.quote(n, w)
	case *ast.ThematicBreak:
		return []string{r.paint(strings.Repeat("─", w), attr{fg: r.st.Rule})}
	case *east.Table:
		return r.table(n, w)
	}
	if n.HasChildren() {
		return r.blocks(n, w)
	}
	return nil
}

// heading draws the # title as a banner (in Plain, "# Title") and other
// headings bold in the heading color (in Plain, "## Heading").
func (r *renderer) heading(h *ast.Heading, w int) []string {
	if r.st.Plain {
		marks := strings.Repeat("#", h.Level) + " "
		segs := append([]seg{{s: marks}}, r.inline(h, attr{})...)
		return r.wrap(segs, w)
	}
	if h.Level > 1 {
		return r.wrap(r.inline(h, attr{fg: r.st.Heading, bold: true}), w)
	}
	a := attr{fg: r.st.TitleText, bg: r.st.Title, bold: true}
	if w < 3 {
		return r.wrap(r.inline(h, a), w)
	}
	lines := r.wrapSegs(r.inline(h, a), w-2)
	inner := 0
	for _, l := range lines {
		inner = max(inner, segsWidth(l))
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		pad := attr{bg: r.st.Title}
		row := append([]seg{{" ", pad}}, l...)
		row = append(row, seg{strings.Repeat(" ", inner-segsWidth(l)+1), pad})
		out[i] = r.emit(row)
	}
	return out
}

// list draws a list: each item's marker on its first line, the item's
// lines aligned under its text.
func (r *renderer) list(l *ast.List, w int) []string {
	var markers []string
	i := l.Start
	for c := l.FirstChild(); c != nil; c = c.NextSibling() {
		if l.IsOrdered() {
			markers = append(markers, strconv.Itoa(i)+string(l.Marker))
			i++
		} else {
			markers = append(markers, bullets[r.depth%len(bullets)])
		}
	}
	mw := 0
	for _, m := range markers {
		mw = max(mw, ansiWidth(m))
	}
	r.depth++
	defer func() { r.depth-- }()
	var out []string
	k := 0
	for c := l.FirstChild(); c != nil; c = c.NextSibling() {
		if k > 0 && (!l.IsTight || !simple(c.PreviousSibling())) {
			out = append(out, "")
		}
		m := markers[k]
		marker := strings.Repeat(" ", mw-ansiWidth(m)) + r.paint(m, attr{fg: r.st.Heading}) + " "
		indent := mw + 1
		if w-indent < minWidth { // no room beside the marker
			out = append(out, r.wrap([]seg{{m, attr{fg: r.st.Heading}}}, w)...)
			out = append(out, r.blocks(c, w)...)
		} else {
			body := r.blocks(c, w-indent)
			if len(body) == 0 {
				body = []string{""}
			}
			out = append(out, prefix(body, marker, strings.Repeat(" ", indent))...)
		}
		k++
	}
	return out
}

// simple reports whether a list item holds only text and lists made of
// such items: a tight list keeps those together, and sets others apart.
func simple(item ast.Node) bool {
	for c := item.FirstChild(); c != nil; c = c.NextSibling() {
		switch c.(type) {
		case *ast.TextBlock, *ast.Paragraph:
		case *ast.List:
			for i := c.FirstChild(); i != nil; i = i.NextSibling() {
				if !simple(i) {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}

var bullets = []string{"•", "◦", "▪"}

// quote draws a block quote behind a bar.
func (r *renderer) quote(q *ast.Blockquote, w int) []string {
	if w-2 < minWidth {
		return r.blocks(q, w)
	}
	saved := r.base
	r.base = attr{fg: r.st.Quote, italic: !r.st.NoItalic}
	defer func() { r.base = saved }()
	bar := r.paint("│", attr{fg: r.st.Quote}) + " "
	return prefix(r.blocks(q, w-2), bar, bar)
}

// prefix puts first before the first line and rest before the others
// (not before empty lines, which stay empty, unless rest is visible).
func prefix(lines []string, first, rest string) []string {
	blank := strings.TrimSpace(rest) == ""
	for i, l := range lines {
		switch {
		case i == 0:
			lines[i] = strings.TrimRight(first+l, " ")
			if l != "" {
				lines[i] = first + l
			}
		case l == "" && blank:
		default:
			lines[i] = rest + l
		}
	}
	return lines
}

// inline collects the text of n's inline children with their attributes,
// starting from a.
func (r *renderer) inline(n ast.Node, a attr) []seg {
	var out []seg
	r.inlines(n, a, &out)
	return out
}

func (r *renderer) inlines(n ast.Node, a attr, out *[]seg) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			v := c.Segment.Value(r.src)
			if !c.IsRaw() {
				v = resolve(v)
			}
			*out = append(*out, seg{clean(string(v)), a})
			switch {
			case c.HardLineBreak():
				*out = append(*out, seg{"\n", a})
			case c.SoftLineBreak():
				*out = append(*out, seg{" ", a})
			}
		case *ast.String:
			*out = append(*out, seg{clean(string(c.Value)), a})
		case *ast.CodeSpan:
			ca := attr{fg: r.st.Code, bg: r.st.CodeBg}
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				if t, ok := t.(*ast.Text); ok {
					*out = append(*out, seg{clean(strings.ReplaceAll(string(t.Segment.Value(r.src)), "\n", " ")), ca})
				}
			}
		case *ast.Emphasis:
			b := a
			switch {
			case c.Level >= 2:
				b.bold = true
			case r.st.NoItalic:
				b.underline = true
			default:
				b.italic = true
			}
			r.inlines(c, b, out)
		case *ast.Link:
			r.link(c, string(c.Destination), a, out)
		case *ast.Image:
			r.link(c, string(c.Destination), a, out)
		case *ast.AutoLink:
			*out = append(*out, seg{clean(string(c.URL(r.src))), attr{fg: r.st.Link, underline: true}})
		case *ast.RawHTML:
			for i := 0; i < c.Segments.Len(); i++ {
				s := c.Segments.At(i)
				*out = append(*out, seg{clean(strings.ReplaceAll(string(s.Value(r.src)), "\n", " ")), a})
			}
		default:
			r.inlines(c, a, out)
		}
	}
}

// link draws a link's text, then its address unless the text is the
// address.
func (r *renderer) link(n ast.Node, dest string, a attr, out *[]seg) {
	la := a
	la.fg = r.st.LinkText
	start := len(*out)
	r.inlines(n, la, out)
	var label strings.Builder
	for _, s := range (*out)[start:] {
		label.WriteString(s.s)
	}
	dest = clean(dest)
	if dest == "" || strings.TrimSpace(label.String()) == dest {
		return
	}
	if label.Len() > 0 {
		*out = append(*out, seg{" ", a})
	}
	*out = append(*out, seg{dest, attr{fg: r.st.Link, underline: true}})
}

// resolve turns backslash escapes and character references into the
// characters they stand for.
func resolve(v []byte) []byte {
	return util.UnescapePunctuations(util.ResolveNumericReferences(util.ResolveEntityNames(v)))
}
