package common

import (
	"reflect"
	"strings"
	"sync"
	"unicode"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"pitstop/internal/i18n"
)

// HuhTheme returns a huh theme drawn from the current styles, so forms look
// like the rest of the wizard and follow `t`. huh asks its theme for the
// styles at every field's every draw: they are built once, on the first ask
// (huh only reads them).
func (c *Common) HuhTheme() huh.Theme {
	st := c.Styles
	styles := sync.OnceValue(func() *huh.Styles {
		t := huh.ThemeBase(st.Dark)
		button := lipgloss.NewStyle().Padding(0, 2).MarginRight(1)
		t.Focused.Base = t.Focused.Base.BorderForeground(st.Color.Primary)
		t.Focused.Card = t.Focused.Base
		t.Focused.Title = st.Title
		t.Focused.NoteTitle = st.Title.MarginBottom(1)
		t.Focused.Description = st.Muted
		t.Focused.ErrorIndicator = st.ErrorText.SetString(" *")
		t.Focused.ErrorMessage = st.ErrorText
		t.Focused.SelectSelector = st.Cursor.SetString("▸ ")
		t.Focused.NextIndicator = st.Cursor.MarginLeft(1).SetString("→")
		t.Focused.PrevIndicator = st.Cursor.MarginRight(1).SetString("←")
		t.Focused.Option = st.Item
		t.Focused.MultiSelectSelector = st.Cursor.SetString("▸ ")
		t.Focused.SelectedOption = st.Checked
		t.Focused.SelectedPrefix = st.Checked.SetString("[x] ")
		t.Focused.UnselectedPrefix = st.Unchecked.SetString("[ ] ")
		t.Focused.UnselectedOption = st.Item
		t.Focused.FocusedButton = button.Foreground(lipgloss.Black).Background(st.Color.Primary).Bold(true)
		t.Focused.BlurredButton = button.Foreground(st.Color.Text).Background(lipgloss.Color("240"))
		if st.Dark {
			t.Focused.FocusedButton = t.Focused.FocusedButton.Foreground(lipgloss.Black)
		} else {
			t.Focused.FocusedButton = t.Focused.FocusedButton.Foreground(lipgloss.White)
			t.Focused.BlurredButton = button.Foreground(st.Color.Text).Background(lipgloss.Color("252"))
		}
		t.Focused.Next = t.Focused.FocusedButton
		t.Focused.TextInput.Cursor = st.Cursor
		t.Focused.TextInput.Placeholder = st.Faint
		t.Focused.TextInput.Prompt = st.Prompt
		t.Focused.TextInput.Text = st.Input

		t.Blurred = t.Focused
		t.Blurred.Base = t.Focused.Base.BorderStyle(lipgloss.HiddenBorder())
		t.Blurred.Card = t.Blurred.Base
		t.Blurred.Title = st.Bold
		t.Blurred.SelectSelector = lipgloss.NewStyle().SetString("  ")
		t.Blurred.MultiSelectSelector = lipgloss.NewStyle().SetString("  ")
		t.Blurred.NextIndicator = lipgloss.NewStyle()
		t.Blurred.PrevIndicator = lipgloss.NewStyle()

		t.Group.Title = st.Subtitle
		t.Group.Description = st.Muted
		t.Help.ShortKey, t.Help.ShortDesc, t.Help.ShortSeparator = st.HelpKey, st.HelpDesc, st.HelpSep
		t.Help.FullKey, t.Help.FullDesc, t.Help.FullSeparator = st.HelpKey, st.HelpDesc, st.HelpSep
		return t
	})
	return huh.ThemeFunc(func(bool) *huh.Styles { return styles() })
}

// huhHelp names the catalogue message for each help text huh's default key
// map gives its keys (huh writes them in English). TestHuhKeyMap fails when
// a huh upgrade brings one this table lacks.
var huhHelp = map[string]string{
	"back":         "key.back",
	"up":           "key.up",
	"down":         "key.down",
	"first":        "key.top",
	"last":         "key.bottom",
	"page up":      "key.pageup",
	"page down":    "key.pagedown",
	"select":       "key.select",
	"open":         "key.open",
	"new line":     "key.newline",
	"toggle":       "key.toggle",
	"Yes":          "key.yes",
	"No":           "key.no",
	"next":         "huh.next",
	"submit":       "huh.submit",
	"confirm":      "huh.confirm",
	"complete":     "huh.complete",
	"close":        "huh.close",
	"open editor":  "huh.editor",
	"left":         "huh.left",
	"right":        "huh.right",
	"filter":       "huh.filter",
	"set filter":   "huh.setfilter",
	"clear filter": "huh.clearfilter",
	"½ page up":    "huh.halfpageup",
	"½ page down":  "huh.halfpagedown",
	"go to start":  "huh.start",
	"go to end":    "huh.end",
	"select all":   "huh.selectall",
	"select none":  "huh.selectnone",
}

// NewForm is a huh form as every wizard screen shows one: Pitstop's theme,
// huh's keys with their help in the interface language, and the help left
// to the wizard's own footer.
func (c *Common) NewForm(groups ...*huh.Group) *huh.Form {
	return huh.NewForm(groups...).WithShowHelp(false).WithTheme(c.HuhTheme()).WithKeyMap(HuhKeyMap(c.Lang))
}

// FormView draws a form made by NewForm: huh wraps descriptions at dots and
// hyphens too, so the words KeepWhole glued go back as they were written.
func FormView(f *huh.Form) string { return rebreak.Replace(f.View()) }

// huh wraps titles and descriptions at ". , ; -" as well as at spaces,
// which breaks an address, an option or a code in two
// ("mailer@example.\ntest", "535 5.7.\n8", "-\n-out"). Such a character
// with more of the word after it (not a space, not the end) is part of a
// word: KeepWhole swaps it for a look-alike of the same width that is no
// break point, and FormView swaps it back once the text is wrapped.
var (
	unbreakable = map[rune]rune{'.': '\u2024', ',': '\u201a', ';': '\u037e', '-': '\u2010'}
	rebreak     = strings.NewReplacer("\u2024", ".", "\u201a", ",", "\u037e", ";", "\u2010", "-")
)

// KeepWhole makes the words of s unbreakable at ". , ; -" for huh's
// wrapper (a field's title or description); FormView undoes it.
func KeepWhole(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		rs := []rune(l)
		for j := 0; j+1 < len(rs); j++ {
			if alt, ok := unbreakable[rs[j]]; ok && !unicode.IsSpace(rs[j+1]) && (j > 0 || rs[j] != '-') {
				rs[j] = alt
			}
		}
		lines[i] = string(rs)
	}
	return strings.Join(lines, "\n")
}

// HuhKeyMap returns huh's default keys with their help in lang, for every
// huh form Pitstop shows. A yes/no question's ←/→ switches the answer
// rather than ticking, and it takes the language's letter for yes too (s
// for sí). A single choice cannot be filtered: huh's "No
// matches" under an empty filter has no way to be translated, and Pitstop's
// choices are short lists.
func HuhKeyMap(lang string) *huh.KeyMap {
	km := huh.NewDefaultKeyMap()
	eachBinding(km, func(path string, b *key.Binding) {
		h := b.Help()
		if h.Desc == "" {
			return
		}
		id, ok := huhHelp[h.Desc]
		if path == "Confirm.Toggle" {
			id, ok = "huh.switch", true
		}
		if ok {
			b.SetHelp(h.Key, Translate(lang, id))
		}
	})
	if yes := i18n.YesKey(lang); yes != "y" { // "s/n" in Spanish
		km.Confirm.Accept.SetKeys("y", "Y", yes, strings.ToUpper(yes))
		km.Confirm.Accept.SetHelp(yes, Translate(lang, "key.yes"))
	}
	km.Select.Filter.Unbind()
	km.Select.SetFilter.Unbind()
	km.Select.ClearFilter.Unbind()
	return km
}

// eachBinding calls fn with every key binding of km and its path
// ("Select.Filter").
func eachBinding(km *huh.KeyMap, fn func(path string, b *key.Binding)) {
	bindingType := reflect.TypeFor[key.Binding]()
	var walk func(prefix string, v reflect.Value)
	walk = func(prefix string, v reflect.Value) {
		for i := range v.NumField() {
			f, name := v.Field(i), v.Type().Field(i).Name
			switch {
			case f.Type() == bindingType:
				fn(prefix+name, f.Addr().Interface().(*key.Binding))
			case f.Kind() == reflect.Struct:
				walk(prefix+name+".", f)
			}
		}
	}
	walk("", reflect.ValueOf(km).Elem())
}

// StyleInput gives a text input the theme's prompt, text and placeholder
// styles and its placeholder, in the interface language: the search fields
// of the knowledge base and of an article look alike.
func (c *Common) StyleInput(in *textinput.Model, placeholder string) {
	st := c.Styles
	s := textinput.DefaultStyles(st.Dark)
	s.Focused.Prompt, s.Blurred.Prompt = st.Prompt, st.Prompt
	s.Focused.Text, s.Blurred.Text = st.Input, st.Input
	s.Focused.Placeholder, s.Blurred.Placeholder = st.Faint, st.Faint
	in.SetStyles(s)
	in.Placeholder = placeholder
}
