// Package settings is step 3 of the guided flow: only the settings the
// chosen checks need, as a huh form prefilled from the profile and the
// environment. Secrets are password fields that say where the current value
// came from; typing one replaces it for this run. "Save to my config"
// happens only when asked, and a typed secret is written into the file only
// after a second yes.
package settings

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"pitstop/internal/config"
	"pitstop/internal/registry"
	"pitstop/internal/tui/common"
	"pitstop/internal/wizard"
)

// field is one setting in the form: its descriptor and what the form edits.
type field struct {
	*config.Field
	value  string        // what the form edits
	orig   string        // the value before the form (not for secrets)
	secret config.Secret // the current secret (secrets only)
}

// savedMsg reports the outcome of "save to my config".
type savedMsg struct {
	report config.SaveReport
	err    error
}

// Model is step 3.
type Model struct {
	com           *common.Common
	form          *huh.Form
	fields        []*field
	save, inline  bool
	width, height int
	done          bool
	// problemH is the lines huh draws under the fields for a value it
	// refuses (a blank line and the message), kept free while one shows.
	problemH int
}

// New builds the form for the session's check families (settled when the
// problem was chosen). It reads the session; it does not change it.
func New(com *common.Common) *Model {
	m := &Model{com: com}
	p := com.Session.Profile
	if p == nil {
		p = com.Profile
	}
	for _, fd := range com.Fields() {
		f := &field{Field: fd}
		if fd.Secret() {
			f.secret = fd.SecretOf(p)
		} else {
			f.value = fd.Get(p)
			f.orig = f.value
		}
		m.fields = append(m.fields, f)
	}
	m.build()
	return m
}

// build makes the huh form: a group per family, then the save question.
func (m *Model) build() {
	c := m.com
	var groups []*huh.Group
	var current string
	var fields []huh.Field
	flush := func() {
		if len(fields) > 0 {
			groups = append(groups, huh.NewGroup(fields...).
				Title(c.FamilyName(current)).
				Description(common.KeepWhole(familyAbout(current, c.Lang))))
		}
		fields = nil
	}
	for _, f := range m.fields {
		cat := f.Section()
		if cat != current {
			flush()
			current = cat
		}
		fields = append(fields, m.input(f))
	}
	flush()

	path := c.ConfigPath
	groups = append(groups,
		huh.NewGroup(
			huh.NewConfirm().WithButtonAlignment(lipgloss.Left).
				Title(c.T("settings.save")).
				Description(common.KeepWhole(c.T("settings.save.desc", path))).
				Affirmative(c.T("settings.save.yes")).
				Negative(c.T("settings.save.no")).
				Value(&m.save),
		).WithHideFunc(func() bool { return path == "" }),
		huh.NewGroup(
			huh.NewConfirm().WithButtonAlignment(lipgloss.Left).
				Title(c.T("settings.inline")).
				DescriptionFunc(func() string { return c.T("settings.inline.desc", path, m.typedEnvHint()) }, &m.save).
				Affirmative(c.T("settings.inline.yes")).
				Negative(c.T("settings.inline.no")).
				Value(&m.inline),
		).WithHideFunc(func() bool { return !m.save || !m.anyTyped() }),
	)
	m.form = c.NewForm(groups...)
	m.resizeForm()
}

// input builds the huh field of a setting.
func (m *Model) input(f *field) huh.Field {
	c := m.com
	title := f.Label.In(c.Lang)
	switch f.Kind {
	case config.KindChoice:
		opts := slices.Clone(f.Options)
		if f.value != "" && !slices.Contains(opts, f.value) {
			opts = append(opts, f.value)
		}
		if f.value == "" {
			f.value = opts[0]
		}
		return huh.NewSelect[string]().Title(title).Description(common.KeepWhole(f.Help.In(c.Lang))).
			Options(huh.NewOptions(opts...)...).Inline(true).Value(&f.value)
	case config.KindSecret:
		placeholder := c.T("settings.secret.placeholder")
		if !f.secret.IsSet() { // nothing to keep: say what to do
			placeholder = c.T("settings.secret.placeholder.unset")
		}
		return huh.NewInput().Title(title).Description(common.KeepWhole(m.secretSource(f))).
			EchoMode(huh.EchoModePassword).
			Placeholder(placeholder).
			Value(&f.value)
	}
	in := huh.NewInput().Title(title).Description(common.KeepWhole(f.Help.In(c.Lang))).Value(&f.value).Validate(wizard.Validator(f.Field, c.Lang))
	if f.Placeholder != "" {
		in = in.Placeholder(f.Placeholder)
	}
	return in
}

// familyAbout is the line under a family's group of settings.
func familyAbout(id, lang string) string {
	if f, ok := registry.Get(id); ok {
		return f.About.In(lang)
	}
	return ""
}

// secretSource says where the current secret came from, masked.
func (m *Model) secretSource(f *field) string {
	c := m.com
	s := f.secret
	src := s.Source()
	switch {
	case s.IsSet() && strings.HasPrefix(src, "env:"):
		return c.T("settings.secret.env", strings.TrimPrefix(src, "env:"), s.MaskedIn(c.Lang))
	case s.IsSet():
		return c.T("settings.secret.file", s.MaskedIn(c.Lang))
	case strings.HasPrefix(src, "env:"):
		return c.T("settings.secret.envunset", strings.TrimPrefix(src, "env:"))
	}
	return c.T("settings.secret.unset")
}

func (m *Model) anyTyped() bool {
	return slices.ContainsFunc(m.fields, func(f *field) bool { return f.Secret() && f.value != "" })
}

// typedEnvHint names the environment variable a typed secret could live in.
func (m *Model) typedEnvHint() string { return m.com.SecretEnvHint(m.edits()) }

// edits are the form's values as the wizard core applies them.
func (m *Model) edits() []wizard.Edit {
	out := make([]wizard.Edit, len(m.fields))
	for i, f := range m.fields {
		out[i] = wizard.Edit{Field: f.Field, Value: f.value, Orig: f.orig}
	}
	return out
}

// Init focuses the first field.
func (m *Model) Init() tea.Cmd { return m.form.Init() }

// SetSize sets the drawing area.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.resizeForm()
}

func (m *Model) resizeForm() {
	if m.width == 0 {
		return
	}
	_, hintH := m.com.Hint(m.hint(), m.width)
	m.form = m.form.WithWidth(m.formWidth()).WithHeight(max(6, m.height-2-hintH-m.problemH))
}

func (m *Model) formWidth() int { return max(30, min(m.width-2, 100)) }

// fitProblems makes room under the fields for the problems huh shows with
// them (a refused value's message), and gives it back when they go: the
// form fills its height, so the screen's edge would cut them off.
func (m *Model) fitProblems() {
	h := 0
	if errs := m.form.Errors(); len(errs) > 0 {
		h = 1 // the blank line above them
		for _, err := range errs {
			h += lipgloss.Height(common.Wrap(err.Error(), m.formWidth()))
		}
	}
	if h != m.problemH {
		m.problemH = h
		m.resizeForm()
	}
}

// Title names the step.
func (m *Model) Title() string { return m.com.T("settings.title") }

// Step is 3.
func (m *Model) Step() int { return common.StepSettings }

// Capturing is true while a text field has the focus.
func (m *Model) Capturing() bool {
	_, ok := m.form.GetFocusedField().(*huh.Input)
	return ok
}

// ShortHelp lists the help bar keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.com.Keys
	return []key.Binding{k.Continue, k.Back, k.NextField, k.PrevField}
}

// FullHelp lists every key of the step.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.com.Keys
	return [][]key.Binding{{k.Continue, k.NextField, k.PrevField}, {k.Back}}
}

// Update passes keys to the form; esc goes back; a finished form applies
// the values, saves when asked and opens the checks.
func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.ThemeChangedMsg:
		m.form = m.form.WithTheme(m.com.HuhTheme())
		return m, nil
	case savedMsg:
		if msg.err != nil {
			return m, common.Status(m.com.T("settings.saved.err", m.com.ErrorText(msg.err)), true)
		}
		m.com.Session.Saved = msg.report.Path
		note := m.com.T("settings.saved", msg.report.Path)
		if len(msg.report.Skipped) > 0 {
			// First, so a long path cut at the window's edge does not hide it.
			var names []string
			for _, k := range msg.report.Skipped {
				if f, ok := config.FieldByKey(k); ok {
					k = f.Label.In(m.com.Lang) // "API key", not "api.key"
				}
				names = append(names, k)
			}
			note = m.com.T("settings.saved.skipped", strings.Join(names, ", ")) + " " + note
		}
		return m, common.Status(note, false)
	case tea.KeyPressMsg:
		if key.Matches(msg, m.com.Keys.Back) {
			return m, common.Back
		}
	}
	if m.done {
		return m, nil
	}
	fm, cmd := m.form.Update(msg)
	if f, ok := fm.(*huh.Form); ok {
		m.form = f
	}
	m.fitProblems()
	if m.form.State == huh.StateCompleted {
		m.done = true
		return m, tea.Batch(cmd, m.finish())
	}
	return m, cmd
}

// finish applies the values to the session profile, saves when asked, and
// opens the checks.
func (m *Model) finish() tea.Cmd {
	c := m.com
	changed, err := c.Apply(m.edits())
	var cmds []tea.Cmd
	if err != nil { // the form validated each value: this is a bug, said plainly
		cmds = append(cmds, common.Status(c.T("settings.saved.err", c.ErrorText(err)), true))
	}
	if m.save && c.ConfigPath != "" {
		save := c.SaveLater(changed, m.inline)
		cmds = append(cmds, func() tea.Msg {
			rep, err := save()
			return savedMsg{report: rep, err: err}
		})
	}
	cmds = append(cmds, common.Navigate(common.NavigateMsg{To: common.ScreenRun, Mode: common.RunGuided}))
	return tea.Sequence(cmds...)
}

// View draws what will be checked and the form.
func (m *Model) View() string {
	c, st := m.com, m.com.Styles
	hint, _ := c.Hint(m.hint(), m.width)
	intro := " " + st.Title.Render(c.T("settings.question")) + "\n" + hint + "\n\n"
	// huh wraps help at dots and hyphens as well as spaces: the words went
	// in whole (KeepWhole) and come out as they were.
	return intro + common.Indent(common.FormView(m.form), 1)
}

// hint says which areas the form covers and where the values come from.
func (m *Model) hint() string {
	var names []string
	for _, cat := range m.com.Session.Categories {
		names = append(names, m.com.FamilyName(cat))
	}
	return m.com.T("settings.hint", strings.Join(names, ", "))
}

// Fields returns the keys of the settings in the form (for tests).
func (m *Model) Fields() []string {
	out := make([]string, len(m.fields))
	for i, f := range m.fields {
		out[i] = f.Key
	}
	return out
}
