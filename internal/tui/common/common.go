// Package common holds what every screen of the wizard shares: the Common
// pointer (the wizard core, styles, size, keys), navigation messages, the
// catalogue of interface strings and small layout helpers. The session,
// which families apply, running checks and preparing an escalation live
// in internal/wizard.
package common

import (
	"slices"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"pitstop/internal/config"
	"pitstop/internal/i18n"
	"pitstop/internal/theme"
	"pitstop/internal/wizard"
)

// MinWidth and MinHeight are the smallest window the wizard draws in; below
// them it asks for a bigger window instead of breaking its layout.
const (
	MinWidth  = 60
	MinHeight = 15
)

// Common is the state every screen shares: the wizard core (settings,
// knowledge, the session and how checks run) and what drawing needs
// (styles, size, keys). It travels as one pointer; only the root model and
// Update code change it.
type Common struct {
	*wizard.Core

	// Styles are the current theme's styles; replaced when the theme changes.
	Styles *theme.Styles
	// Theme is the current theme name (dark, light, high-contrast).
	Theme string
	// FixedTheme is true when --theme was given: the detected background
	// does not override it.
	FixedTheme bool
	// Dark is true when the terminal background is dark; DarkKnown once
	// the terminal has said so.
	Dark      bool
	DarkKnown bool

	// Width and Height are the size each screen may draw in (the root
	// keeps the header and the help bar out of it).
	Width, Height int

	// Animate turns spinners on; tests turn it off for stable frames.
	Animate bool
	// StatusTTL is how long a note stays in the status line (0: until the
	// next note; tests use it to keep timers out).
	StatusTTL time.Duration
	// Markdown caches rendered articles.
	Markdown *MarkdownCache
	// Keys are the key bindings, with help in the interface language.
	Keys KeyMap
}

// Options configure New: the wizard core's, and Theme.
type Options = wizard.Options

// New builds the shared state. A missing config or profile gives an empty
// one, so the wizard can still ask for every setting; built-in escalation
// data that does not load is an error, not a silent nil.
func New(o Options) (*Common, error) {
	core, err := wizard.New(o)
	if err != nil {
		return nil, err
	}
	c := &Common{
		Core:       core,
		Theme:      o.Theme,
		FixedTheme: o.Theme != "",
		Dark:       true,
		Animate:    true,
		StatusTTL:  5 * time.Second,
		Markdown:   NewMarkdownCache(),
	}
	c.Keys = NewKeyMap(c)
	if c.Theme == "" {
		c.Theme = "dark"
	}
	c.ApplyTheme(c.Theme)
	return c, nil
}

// Themes are the theme names `t` cycles through.
var Themes = theme.Names()

// ApplyTheme switches to the named theme and rebuilds the styles. Rendered
// articles stay cached per theme.
func (c *Common) ApplyTheme(name string) {
	if !slices.Contains(Themes, name) {
		name = "dark"
	}
	c.Theme = name
	dark := c.Dark
	switch name {
	case "light":
		dark = false
	case "dark":
		dark = true
	}
	c.Styles = theme.NewStyles(theme.MustPalette(name), dark)
}

// NextTheme returns the theme after the current one that reads well on the
// terminal's background (every theme in turn while the background is not
// known).
func (c *Common) NextTheme() string { return theme.Next(c.Theme, c.Dark, c.DarkKnown) }

// ThemeName is a theme's name in the interface language.
func (c *Common) ThemeName(name string) string { return i18n.Or(c.Lang, "tui.theme."+name, name) }

// Screen is one page of the wizard. Each lives in its own package with
// New(*common.Common); only the root model returns a tea.View.
type Screen interface {
	Init() tea.Cmd
	Update(msg tea.Msg) (Screen, tea.Cmd)
	View() string
	SetSize(width, height int)
	// Title names the screen in the header.
	Title() string
	// Step is the screen's place in the guided flow (1..Steps), 0 outside it.
	Step() int
	// ShortHelp and FullHelp feed the help bar and the `?` page.
	ShortHelp() []key.Binding
	FullHelp() [][]key.Binding
	// Capturing is true while the user types text: letter keys such as q,
	// t and ? then belong to the screen, not to the root.
	Capturing() bool
}

// Steps is how many steps the guided flow has.
const Steps = 6

// The steps of the guided flow.
const (
	StepProblem  = 1 // What is wrong?
	StepSymptoms = 2 // what you see, or the pasted error
	StepSettings = 3
	StepChecks   = 4
	StepResults  = 5 // results and the articles read from them
	StepOutcome  = 6 // Did this fix it?
)

// Must returns c, and panics on err: for tests and benchmarks, whose
// built-in data always loads.
func Must(c *Common, err error) *Common {
	if err != nil {
		panic(err)
	}
	return c
}

// ErrorText is err in the wizard's language (config.ErrorIn: settings and
// file problems said in it), masked: how a failed save or fix reaches a
// status line or the accessible wizard.
func (c *Common) ErrorText(err error) string { return c.Scrub(config.ErrorIn(err, c.Lang)) }
