package common

import (
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
)

// HuhTheme returns a huh theme drawn from the current styles, so forms look
// like the rest of the wizard and follow `t`.
func (c *Common) HuhTheme() huh.Theme {
	st := c.Styles
	return huh.ThemeFunc(func(bool) *huh.Styles {
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
}
