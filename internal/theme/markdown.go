package theme

import (
	"fmt"
	"image/color"

	"charm.land/lipgloss/v2"

	"pitstop/internal/markdown"
)

// ASCII is the name of the colorless Markdown style, for MarkdownStyle.
const ASCII = "ascii"

// markdownSpec is the markdown section of a theme file. Each color is a
// palette token or a color literal; "" is no color (the terminal's own,
// or for a code token, the code block's).
type markdownSpec struct {
	Text           string `yaml:"text"`
	Heading        string `yaml:"heading"`
	Title          string `yaml:"title"`      // background of the # title
	TitleText      string `yaml:"title_text"` // text of the # title
	Link           string `yaml:"link"`
	LinkText       string `yaml:"link_text"`
	Code           string `yaml:"code"` // inline code
	CodeBackground string `yaml:"code_background"`
	CodeBlock      string `yaml:"code_block"` // fenced code
	Quote          string `yaml:"quote"`
	Rule           string `yaml:"rule"` // rules and table borders

	// Fenced code's tokens.
	CodeComment string `yaml:"code_comment"`
	CodeString  string `yaml:"code_string"`
	CodeKey     string `yaml:"code_key"`     // keys, variables, record names
	CodeNumber  string `yaml:"code_number"`  // numbers
	CodeKeyword string `yaml:"code_keyword"` // commands, keywords, record types
	CodeFlag    string `yaml:"code_flag"`    // options, operators, punctuation
}

type specError struct {
	path []string
	msg  string
}

// build makes the Markdown style from the section's colors.
func (m markdownSpec) build(palette map[string]string, highContrast bool) (markdown.Style, []specError) {
	var errs []specError
	c := func(key, v string) color.Color {
		if v == "" {
			return nil
		}
		if hex, ok := palette[v]; ok {
			return lipgloss.Color(hex)
		}
		if colorRE.MatchString(v) {
			return lipgloss.Color(v)
		}
		errs = append(errs, specError{[]string{key}, fmt.Sprintf("markdown.%s is %q: neither a palette token nor a color", key, v)})
		return nil
	}
	s := markdown.Style{
		NoItalic:  highContrast,
		Text:      c("text", m.Text),
		Heading:   c("heading", m.Heading),
		Title:     c("title", m.Title),
		TitleText: c("title_text", m.TitleText),
		Link:      c("link", m.Link),
		LinkText:  c("link_text", m.LinkText),
		Code:      c("code", m.Code),
		CodeBg:    c("code_background", m.CodeBackground),
		CodeBlock: c("code_block", m.CodeBlock),
		Quote:     c("quote", m.Quote),
		Rule:      c("rule", m.Rule),
		Comment:   c("code_comment", m.CodeComment),
		String:    c("code_string", m.CodeString),
		Key:       c("code_key", m.CodeKey),
		Number:    c("code_number", m.CodeNumber),
		Keyword:   c("code_keyword", m.CodeKeyword),
		Flag:      c("code_flag", m.CodeFlag),
	}
	return s, errs
}

// MarkdownStyle returns the Markdown style of a built-in theme, or the
// colorless one for ASCII.
func MarkdownStyle(name string) (markdown.Style, error) {
	if name == ASCII {
		return markdown.ASCII, nil
	}
	t, err := Load(name)
	if err != nil {
		return markdown.Style{}, err
	}
	return t.Markdown, nil
}
