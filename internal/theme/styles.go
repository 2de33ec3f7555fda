package theme

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// Styles are every lipgloss style the wizard draws with, built from one
// palette. Screens read them through common.Common; nothing else in the
// interface picks a color.
type Styles struct {
	Dark bool

	// Color holds the bare colors, for the few places that need one (huh).
	Color Colors

	// Chrome.
	App        lipgloss.Style // the whole frame
	Header     lipgloss.Style // the top line
	Brand      lipgloss.Style // "Pitstop"
	Step       lipgloss.Style // "Step 2 of 6"
	Banner     lipgloss.Style // the sandbox banner
	Title      lipgloss.Style // a screen's heading
	Subtitle   lipgloss.Style
	Paragraph  lipgloss.Style
	Muted      lipgloss.Style
	Faint      lipgloss.Style
	Bold       lipgloss.Style
	Accent     lipgloss.Style
	StatusLine lipgloss.Style
	ErrorText  lipgloss.Style
	Box        lipgloss.Style // a bordered panel
	FocusedBox lipgloss.Style
	Divider    lipgloss.Style

	// Lists.
	Item         lipgloss.Style
	Selected     lipgloss.Style // the row under the cursor
	Cursor       lipgloss.Style // the ▸ marker
	Checked      lipgloss.Style // [x]
	Unchecked    lipgloss.Style // [ ]
	ItemDesc     lipgloss.Style
	SelectedDesc lipgloss.Style

	// Check outcomes.
	Pass, Warn, Fail, Skip, Error lipgloss.Style
	Running                       lipgloss.Style
	Duration                      lipgloss.Style

	// Details of a result.
	Detail     lipgloss.Style
	SentLine   lipgloss.Style // "-> EHLO" in an SMTP transcript
	RecvLine   lipgloss.Style // "<- 250 OK"
	TimingBar  lipgloss.Style
	TimingRest lipgloss.Style
	Record     lipgloss.Style // DNS records
	Reason     lipgloss.Style

	// Progress.
	BarFull  lipgloss.Style
	BarEmpty lipgloss.Style

	// Search and input.
	Prompt    lipgloss.Style
	Input     lipgloss.Style
	Match     lipgloss.Style // a search hit in text
	MatchLine lipgloss.Style // the gutter mark of a matching line

	// Help bar.
	HelpKey  lipgloss.Style
	HelpDesc lipgloss.Style
	HelpSep  lipgloss.Style

	// Severity badges of articles.
	Critical, High, Medium, Low lipgloss.Style
}

// Colors are the palette's colors after fallbacks.
type Colors struct {
	Primary, Secondary, Text, Muted, Border color.Color
	OK, Warn, Fail, Info                    color.Color
}

// NewStyles builds every style from a palette. It is pure: the same palette
// and background give the same styles. dark says whether the terminal
// background is dark (for the few colors a palette leaves to the terminal).
func NewStyles(p Palette, dark bool) *Styles {
	if p.HighContrast && !dark {
		p = onLight(p)
	}
	pick := func(c, fallback color.Color) color.Color {
		if c == nil {
			return fallback
		}
		return c
	}
	var text color.Color = lipgloss.NoColor{}
	text = pick(p.Text, text)
	muted := pick(p.Muted, text)
	primary := pick(p.Primary, text)
	secondary := pick(p.Secondary, primary)
	border := pick(p.Border, muted)
	ok := pick(p.OK, text)
	warn := pick(p.Warn, text)
	fail := pick(p.Fail, text)
	info := pick(p.Info, primary)
	errc := pick(p.Error, warn)
	skip := pick(p.Skip, muted)
	subtle := pick(p.Subtle, muted)
	highlight := pick(p.Highlight, warn)
	selBG := p.Selection

	s := &Styles{Dark: dark, Color: Colors{
		Primary: primary, Secondary: secondary, Text: text, Muted: muted, Border: border,
		OK: ok, Warn: warn, Fail: fail, Info: info,
	}}
	base := lipgloss.NewStyle().Foreground(text)
	s.App = lipgloss.NewStyle()
	s.Header = lipgloss.NewStyle().Foreground(muted)
	s.Brand = lipgloss.NewStyle().Foreground(primary).Bold(true)
	s.Step = lipgloss.NewStyle().Foreground(secondary).Bold(true)
	s.Banner = lipgloss.NewStyle().Foreground(warn).Bold(true)
	s.Title = lipgloss.NewStyle().Foreground(primary).Bold(true)
	s.Subtitle = lipgloss.NewStyle().Foreground(secondary).Bold(true)
	s.Paragraph = base
	s.Muted = lipgloss.NewStyle().Foreground(muted)
	s.Faint = lipgloss.NewStyle().Foreground(subtle)
	s.Bold = base.Bold(true)
	s.Accent = lipgloss.NewStyle().Foreground(info)
	s.StatusLine = lipgloss.NewStyle().Foreground(ok)
	s.ErrorText = lipgloss.NewStyle().Foreground(fail).Bold(true)
	s.Box = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(border).Padding(0, 1)
	s.FocusedBox = s.Box.BorderForeground(primary)
	s.Divider = lipgloss.NewStyle().Foreground(border)
	if p.HighContrast {
		s.Box = s.Box.Border(lipgloss.NormalBorder())
		s.FocusedBox = s.FocusedBox.Border(lipgloss.ThickBorder())
	}

	s.Item = base
	s.Selected = lipgloss.NewStyle().Foreground(primary).Bold(true)
	if selBG != nil && !p.HighContrast {
		s.Selected = s.Selected.Background(selBG)
	}
	if p.HighContrast {
		s.Selected = s.Selected.Underline(true)
	}
	s.Cursor = lipgloss.NewStyle().Foreground(primary).Bold(true)
	s.Checked = lipgloss.NewStyle().Foreground(ok).Bold(true)
	s.Unchecked = lipgloss.NewStyle().Foreground(muted)
	s.ItemDesc = lipgloss.NewStyle().Foreground(muted)
	s.SelectedDesc = lipgloss.NewStyle().Foreground(secondary)

	s.Pass = lipgloss.NewStyle().Foreground(ok).Bold(true)
	s.Warn = lipgloss.NewStyle().Foreground(warn).Bold(true)
	s.Fail = lipgloss.NewStyle().Foreground(fail).Bold(true)
	s.Skip = lipgloss.NewStyle().Foreground(skip)
	s.Error = lipgloss.NewStyle().Foreground(errc).Bold(true)
	s.Running = lipgloss.NewStyle().Foreground(primary)
	s.Duration = lipgloss.NewStyle().Foreground(muted)

	s.Detail = lipgloss.NewStyle().Foreground(text)
	s.SentLine = lipgloss.NewStyle().Foreground(info)
	s.RecvLine = lipgloss.NewStyle().Foreground(secondary)
	s.TimingBar = lipgloss.NewStyle().Foreground(primary)
	s.TimingRest = lipgloss.NewStyle().Foreground(border)
	s.Record = lipgloss.NewStyle().Foreground(secondary)
	s.Reason = lipgloss.NewStyle().Foreground(muted).Italic(!p.HighContrast)

	s.BarFull = lipgloss.NewStyle().Foreground(primary)
	s.BarEmpty = lipgloss.NewStyle().Foreground(border)

	s.Prompt = lipgloss.NewStyle().Foreground(primary).Bold(true)
	s.Input = base
	s.Match = lipgloss.NewStyle().Foreground(highlight).Bold(true).Underline(true)
	s.MatchLine = lipgloss.NewStyle().Foreground(highlight).Bold(true)

	s.HelpKey = lipgloss.NewStyle().Foreground(secondary).Bold(p.HighContrast)
	s.HelpDesc = lipgloss.NewStyle().Foreground(muted)
	s.HelpSep = lipgloss.NewStyle().Foreground(border)

	s.Critical = lipgloss.NewStyle().Foreground(fail).Bold(true).Reverse(true)
	s.High = lipgloss.NewStyle().Foreground(fail).Bold(true)
	s.Medium = lipgloss.NewStyle().Foreground(warn)
	s.Low = lipgloss.NewStyle().Foreground(muted)
	return s
}

// Severity returns the badge style of an article severity.
func (s *Styles) Severity(sev string) lipgloss.Style {
	switch sev {
	case "critical":
		return s.Critical
	case "high":
		return s.High
	case "medium":
		return s.Medium
	}
	return s.Low
}

// onLight turns a high-contrast palette, made of bright colors for a dark
// background, into deep ones for a light background: a projector or a
// shared screen with a white terminal would otherwise show yellow and white
// text on white.
func onLight(p Palette) Palette {
	c := lipgloss.Color
	p.Primary, p.Secondary, p.Info, p.Highlight = c("#0000AF"), c("#5F005F"), c("#00005F"), c("#0000AF")
	p.OK, p.Warn, p.Fail, p.Error = c("#005F00"), c("#875F00"), c("#AF0000"), c("#87005F")
	p.Text, p.Muted, p.Skip, p.Border, p.Subtle = c("#000000"), c("#000000"), c("#000000"), c("#000000"), c("#262626")
	p.Dark = false
	return p
}
