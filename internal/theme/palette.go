// Package theme turns the theme files in themes/ into what Pitstop draws
// with: a Palette of colors by meaning, the lipgloss Styles built from it,
// and the style Markdown articles are drawn with.
package theme

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"sync"

	"charm.land/lipgloss/v2"
	"go.yaml.in/yaml/v3"

	"pitstop/internal/markdown"
	"pitstop/themes"
)

// Names of the built-in themes.
const (
	Dark         = "dark"
	Light        = "light"
	HighContrast = "high-contrast"
)

// Names returns the built-in theme names, in the order the wizard cycles
// through them.
func Names() []string { return []string{Dark, Light, HighContrast} }

// ReadableOn reports whether the named theme reads well on a terminal whose
// background is dark (or light): a palette reaches its contrast only on the
// background it is made for, except high contrast, whose styles adapt to
// either (NewStyles).
func ReadableOn(name string, darkBackground bool) bool {
	t, err := Load(name)
	return err == nil && (t.Palette.HighContrast || t.Palette.Dark == darkBackground)
}

// Next returns the theme after current that is readable on the terminal's
// background, so cycling never lands on dark text on a dark screen. known
// is false when the background could not be detected: then every theme
// takes its turn.
func Next(current string, darkBackground, known bool) string {
	names := Names()
	i := slices.Index(names, current)
	for step := 1; step <= len(names); step++ {
		n := names[(i+step+len(names))%len(names)]
		if !known || ReadableOn(n, darkBackground) {
			return n
		}
	}
	return current
}

// Tokens are the palette's color names, as written in theme files.
var Tokens = []string{
	"primary", "secondary", "ok", "warn", "fail", "error", "info", "skip",
	"muted", "text", "subtle", "border", "highlight", "selection",
}

// Palette is a theme's colors by meaning. A nil color means "the terminal's
// own".
type Palette struct {
	Primary   color.Color // the brand: titles, focus, the cursor
	Secondary color.Color // second accent: subtitles, links, help keys
	OK        color.Color // a check passed
	Warn      color.Color // a check warned
	Fail      color.Color // a check failed
	Error     color.Color // a check could not run
	Info      color.Color // neutral notes and accents
	Skip      color.Color // a check was skipped
	Muted     color.Color // secondary text
	Text      color.Color // body text
	Subtle    color.Color // hints
	Border    color.Color // boxes and dividers
	Highlight color.Color // search hits, inline code
	Selection color.Color // the background of the selected row

	// Dark says the colors are meant for a dark background.
	Dark bool
	// HighContrast asks for no faint or italic text and heavier borders.
	HighContrast bool
}

// Theme is one theme file, decoded: its palette, the colors as written
// (token → "#RRGGBB") and its Markdown style.
type Theme struct {
	Name     string
	Palette  Palette
	Colors   map[string]string
	Markdown markdown.Style
}

// file is the YAML shape of a theme file.
type file struct {
	Background   string            `yaml:"background"` // dark | light
	HighContrast bool              `yaml:"high_contrast"`
	Palette      map[string]string `yaml:"palette"`
	Markdown     markdownSpec      `yaml:"markdown"`
}

// colorRE accepts what lipgloss reads: "#RGB", "#RRGGBB" or
// an ANSI color number.
var colorRE = regexp.MustCompile(`^(#[0-9A-Fa-f]{3}|#[0-9A-Fa-f]{6}|[0-9]{1,3})$`)

// Parse decodes a theme file. Errors name the file (source) and line.
func Parse(name, source string, data []byte) (*Theme, error) {
	var doc yaml.Node
	_ = yaml.Unmarshal(data, &doc)
	line := func(path ...string) int { return lineOf(&doc, path...) }
	if l := line("glamour"); l > 1 || bytes.HasPrefix(data, []byte("glamour:")) {
		return nil, fmt.Errorf("%s:%d: the glamour section is now called markdown (without base and code_theme; code colors are code_comment, code_string, code_key, code_number, code_keyword, code_flag)", source, l)
	}
	var f file
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}

	var errs []error
	bad := func(l int, format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s:%d: %s", source, l, fmt.Sprintf(format, a...)))
	}
	switch f.Background {
	case "dark", "light":
	default:
		bad(line("background"), "background is %q; expected dark or light", f.Background)
	}
	for _, tok := range Tokens {
		v, ok := f.Palette[tok]
		switch {
		case !ok:
			bad(line("palette"), "palette.%s is missing", tok)
		case !colorRE.MatchString(v):
			bad(line("palette", tok), "palette.%s is %q; expected a color like \"#A78BFA\"", tok, v)
		}
	}
	for tok := range f.Palette {
		if !slices.Contains(Tokens, tok) {
			bad(line("palette", tok), "palette.%s is not a color token (expected one of %s)", tok, strings.Join(Tokens, ", "))
		}
	}
	style, merrs := f.Markdown.build(f.Palette, f.HighContrast)
	for _, e := range merrs {
		bad(line(append([]string{"markdown"}, e.path...)...), "%s", e.msg)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	c := func(tok string) color.Color { return lipgloss.Color(f.Palette[tok]) }
	t := &Theme{
		Name:   name,
		Colors: f.Palette,
		Palette: Palette{
			Primary: c("primary"), Secondary: c("secondary"),
			OK: c("ok"), Warn: c("warn"), Fail: c("fail"), Error: c("error"), Info: c("info"), Skip: c("skip"),
			Muted: c("muted"), Text: c("text"), Subtle: c("subtle"), Border: c("border"),
			Highlight: c("highlight"), Selection: c("selection"),
			Dark:         f.Background == "dark",
			HighContrast: f.HighContrast,
		},
		Markdown: style,
	}
	return t, nil
}

// lineOf returns the line of the value at a path of mapping keys (the
// deepest key found; 1 when none is).
func lineOf(doc *yaml.Node, path ...string) int {
	n, line := doc, 1
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, key := range path {
		if n.Kind != yaml.MappingNode {
			break
		}
		found := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				n, line, found = n.Content[i+1], n.Content[i].Line, true
				break
			}
		}
		if !found {
			break
		}
	}
	return line
}

// builtIn parses the embedded themes once.
var builtIn = sync.OnceValues(func() (map[string]*Theme, error) {
	out := map[string]*Theme{}
	for _, name := range Names() {
		source := name + ".yaml"
		data, err := fs.ReadFile(themes.FS, source)
		if err != nil {
			return nil, fmt.Errorf("theme %s: %w", name, err)
		}
		t, err := Parse(name, "themes/"+source, data)
		if err != nil {
			return nil, err
		}
		out[name] = t
	}
	return out, nil
})

// Load returns a built-in theme by name ("" is the dark theme).
func Load(name string) (*Theme, error) {
	all, err := builtIn()
	if err != nil {
		return nil, err
	}
	if name == "" {
		name = Dark
	}
	t, ok := all[name]
	if !ok {
		return nil, fmt.Errorf("theme %q does not exist; use one of %s", name, strings.Join(Names(), ", "))
	}
	return t, nil
}

// MustPalette returns a built-in theme's palette, or the dark one for an
// unknown name. The built-in themes are tested; a broken one panics.
func MustPalette(name string) Palette {
	t, err := Load(name)
	if err != nil {
		if t, err = Load(Dark); err != nil {
			panic(err)
		}
	}
	return t.Palette
}
