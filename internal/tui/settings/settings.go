// Package settings is step 3 of the guided flow: only the settings the
// chosen checks need, as a huh form prefilled from the profile and the
// environment. Secrets are password fields that say where the current value
// came from; typing one replaces it for this run. "Save to my config"
// happens only when asked, and a typed secret is written into the file only
// after a second yes.
package settings

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"pitstop/internal/config"
	"pitstop/internal/tui/common"
)

// kind is how a setting is edited.
type kind int

const (
	kindText kind = iota
	kindNumber
	kindSecret
	kindChoice
	kindList
)

func (k kind) String() string {
	return [...]string{"text", "number", "secret", "choice", "list"}[k]
}

// field is one setting in the form.
type field struct {
	key     string // dotted path under the profile: "smtp.port"
	kind    kind
	options []string
	value   string // what the form edits
	orig    string // the value before the form (not for secrets)
	secret  config.Secret
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
}

// familyFields lists the settings each check family needs, in form order.
var familyFields = map[string][]struct {
	key     string
	kind    kind
	options []string
}{
	"api": {
		{"api.provider", kindChoice, config.APIProviders},
		{"api.base_url", kindText, nil},
		{"api.key", kindSecret, nil},
	},
	"crm": {
		{"crm.provider", kindChoice, config.CRMProviders},
		{"crm.base_url", kindText, nil},
		{"crm.token", kindSecret, nil},
		{"crm.object", kindText, nil},
	},
	"smtp": {
		{"smtp.host", kindText, nil},
		{"smtp.port", kindNumber, nil},
		{"smtp.security", kindChoice, config.SMTPSecurity},
		{"smtp.username", kindText, nil},
		{"smtp.password", kindSecret, nil},
		{"smtp.from", kindText, nil},
	},
	"domain": {
		{"domain.name", kindText, nil},
		{"domain.dkim_selectors", kindList, nil},
		{"domain.dns_server", kindText, nil},
	},
	"content": {
		{"content.prompt_file", kindText, nil},
		{"content.email_file", kindText, nil},
		{"content.max_tokens", kindNumber, nil},
	},
	"cache": {
		{"cache.redis_url", kindText, nil},
	},
}

// New builds the form for the session's check families.
func New(com *common.Common) *Model {
	m := &Model{com: com}
	s := com.Session
	if s.Profile == nil {
		s.Profile = common.CloneProfile(com.Profile)
	}
	if len(s.Categories) == 0 {
		s.Categories = common.FamiliesFor(s.Problem, s.Suggested, s.Profile)
	}
	for _, cat := range s.Categories {
		for _, spec := range familyFields[cat] {
			f := &field{key: spec.key, kind: spec.kind, options: spec.options}
			if spec.kind == kindSecret {
				f.secret = secretOf(s.Profile, spec.key)
			} else {
				f.value = valueOf(s.Profile, spec.key)
				f.orig = f.value
			}
			m.fields = append(m.fields, f)
		}
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
				Description(c.T("settings.family."+current)))
		}
		fields = nil
	}
	for _, f := range m.fields {
		cat, _, _ := strings.Cut(f.key, ".")
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
				Description(c.T("settings.save.desc", path)).
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
	m.form = huh.NewForm(groups...).
		WithShowHelp(false).
		WithTheme(c.HuhTheme()).
		WithKeyMap(huh.NewDefaultKeyMap())
	m.resizeForm()
}

// input builds the huh field of a setting.
func (m *Model) input(f *field) huh.Field {
	c := m.com
	title := c.T("field." + f.key)
	switch f.kind {
	case kindChoice:
		opts := slices.Clone(f.options)
		if f.value != "" && !slices.Contains(opts, f.value) {
			opts = append(opts, f.value)
		}
		if f.value == "" {
			f.value = opts[0]
		}
		return huh.NewSelect[string]().Title(title).Description(c.T("field." + f.key + ".desc")).
			Options(huh.NewOptions(opts...)...).Inline(true).Value(&f.value)
	case kindSecret:
		placeholder := c.T("settings.secret.placeholder")
		if !f.secret.IsSet() { // nothing to keep: say what to do
			placeholder = c.T("settings.secret.placeholder.unset")
		}
		return huh.NewInput().Title(title).Description(m.secretSource(f)).
			EchoMode(huh.EchoModePassword).
			Placeholder(placeholder).
			Value(&f.value)
	}
	in := huh.NewInput().Title(title).Description(c.T("field." + f.key + ".desc")).Value(&f.value).Validate(validator(c, f))
	if common.HasKey("field." + f.key + ".placeholder") {
		in = in.Placeholder(c.T("field." + f.key + ".placeholder"))
	}
	return in
}

// secretSource says where the current secret came from, masked.
func (m *Model) secretSource(f *field) string {
	c := m.com
	s := f.secret
	src := s.Source()
	switch {
	case s.IsSet() && strings.HasPrefix(src, "env:"):
		return c.T("settings.secret.env", strings.TrimPrefix(src, "env:"), s.Masked())
	case s.IsSet():
		return c.T("settings.secret.file", s.Masked())
	case strings.HasPrefix(src, "env:"):
		return c.T("settings.secret.envunset", strings.TrimPrefix(src, "env:"))
	}
	return c.T("settings.secret.unset")
}

func (m *Model) anyTyped() bool {
	return slices.ContainsFunc(m.fields, func(f *field) bool { return f.kind == kindSecret && f.value != "" })
}

// typedEnvHint names the environment variable a typed secret could live in.
func (m *Model) typedEnvHint() string {
	p := m.com.Session.Profile
	for _, f := range m.fields {
		if f.kind != kindSecret || f.value == "" {
			continue
		}
		var names []string
		switch f.key {
		case "api.key":
			names = config.APIKeyEnvNames(p.API.Provider)
		case "crm.token":
			names = config.CRMTokenEnvNames(p.CRM.Provider)
		case "smtp.password":
			names = []string{"SMTP_PASSWORD"}
		}
		if len(names) > 0 {
			return names[0]
		}
	}
	return "SMTP_PASSWORD"
}

func validator(c *common.Common, f *field) func(string) error {
	return func(v string) error {
		v = strings.TrimSpace(v)
		if v == "" {
			return nil
		}
		switch f.kind {
		case kindNumber:
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || (f.key == "smtp.port" && n > 65535) {
				return errors.New(c.T("settings.bad.number"))
			}
			return nil
		}
		switch f.key {
		case "api.base_url", "crm.base_url":
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return errors.New(c.T("settings.bad.url"))
			}
			if u.User != nil || u.RawQuery != "" {
				return errors.New(c.T("settings.bad.urlsecret"))
			}
		case "smtp.host":
			if strings.ContainsAny(v, "/: ") && net.ParseIP(v) == nil {
				return errors.New(c.T("settings.bad.host"))
			}
		case "domain.dns_server":
			if _, port, err := net.SplitHostPort(v); err != nil || port == "" {
				return errors.New(c.T("settings.bad.hostport"))
			}
		case "cache.redis_url":
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") {
				return errors.New(c.T("settings.bad.redis"))
			}
		}
		return nil
	}
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
	m.form = m.form.WithWidth(max(30, min(m.width-2, 100))).WithHeight(max(6, m.height-2-hintH))
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
			return m, common.Status(m.com.T("settings.saved.err", msg.err.Error()), true)
		}
		m.com.Session.Saved = msg.report.Path
		note := m.com.T("settings.saved", msg.report.Path)
		if len(msg.report.Skipped) > 0 {
			// First, so a long path cut at the window's edge does not hide it.
			var names []string
			for _, k := range msg.report.Skipped {
				if common.HasKey("field." + k) {
					k = m.com.T("field." + k) // "API key", not "api.key"
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
	p := c.Session.Profile
	// Into the file the settings came from, only what changed; anywhere
	// else (no file yet, settings from the environment), all of them.
	full := c.Config.Path == "" || c.Config.Path != c.ConfigPath
	var changed []config.Setting
	for _, f := range m.fields {
		if f.kind == kindSecret {
			s := f.secret
			if v := strings.TrimSpace(f.value); v != "" {
				s = f.secret.WithValue(v, config.SourceTyped)
				c.AddSecret(s)
			}
			setSecret(p, f.key, s)
			if s.IsSet() || strings.HasPrefix(s.Source(), "env:") {
				changed = append(changed, config.Setting{Key: f.key, Value: s})
			}
			continue
		}
		v := strings.TrimSpace(f.value)
		setValue(p, f.key, v)
		if v != f.orig || (full && v != "") {
			changed = append(changed, config.Setting{Key: f.key, Value: settingValue(f, v)})
		}
	}
	config.ApplyDefaults(p)
	var cmds []tea.Cmd
	if m.save && c.ConfigPath != "" {
		path, name, inline := c.ConfigPath, p.Name, m.inline
		cmds = append(cmds, func() tea.Msg {
			rep, err := config.SaveProfile(path, name, changed, config.SaveOptions{InlineSecrets: inline})
			return savedMsg{report: rep, err: err}
		})
	}
	cmds = append(cmds, common.Navigate(common.NavigateMsg{To: common.ScreenRun, Mode: common.RunGuided}))
	return tea.Sequence(cmds...)
}

func settingValue(f *field, v string) any {
	switch f.kind {
	case kindNumber:
		n, _ := strconv.Atoi(v)
		return n
	case kindList:
		return splitList(v)
	}
	return v
}

// View draws what will be checked and the form.
func (m *Model) View() string {
	c, st := m.com, m.com.Styles
	hint, _ := c.Hint(m.hint(), m.width)
	intro := " " + st.Title.Render(c.T("settings.question")) + "\n" + hint + "\n\n"
	return intro + common.Indent(m.form.View(), 1)
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
		out[i] = f.key
	}
	return out
}

func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// valueOf reads a plain setting of the profile as text.
func valueOf(p *config.Profile, key string) string {
	switch key {
	case "api.provider":
		return p.API.Provider
	case "api.base_url":
		return p.API.BaseURL
	case "crm.provider":
		return p.CRM.Provider
	case "crm.base_url":
		return p.CRM.BaseURL
	case "crm.object":
		return p.CRM.Object
	case "smtp.host":
		return p.SMTP.Host
	case "smtp.port":
		if p.SMTP.Port == 0 {
			return ""
		}
		return strconv.Itoa(p.SMTP.Port)
	case "smtp.security":
		return p.SMTP.Security
	case "smtp.username":
		return p.SMTP.Username
	case "smtp.from":
		return p.SMTP.From
	case "domain.name":
		return p.Domain.Name
	case "domain.dkim_selectors":
		return strings.Join(p.Domain.DKIMSelectors, ", ")
	case "domain.dns_server":
		return p.Domain.DNSServer
	case "content.prompt_file":
		return p.Content.PromptFile
	case "content.email_file":
		return p.Content.EmailFile
	case "content.max_tokens":
		if p.Content.MaxTokens == 0 {
			return ""
		}
		return strconv.Itoa(p.Content.MaxTokens)
	case "cache.redis_url":
		return p.Cache.RedisURL
	}
	panic(fmt.Sprintf("settings: unknown key %q", key))
}

// setValue writes a plain setting into the profile.
func setValue(p *config.Profile, key, v string) {
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	switch key {
	case "api.provider":
		p.API.Provider = v
	case "api.base_url":
		p.API.BaseURL = v
	case "crm.provider":
		p.CRM.Provider = v
	case "crm.base_url":
		p.CRM.BaseURL = v
	case "crm.object":
		p.CRM.Object = v
	case "smtp.host":
		p.SMTP.Host = v
	case "smtp.port":
		p.SMTP.Port = atoi(v)
	case "smtp.security":
		p.SMTP.Security = v
	case "smtp.username":
		p.SMTP.Username = v
	case "smtp.from":
		p.SMTP.From = v
	case "domain.name":
		p.Domain.Name = v
	case "domain.dkim_selectors":
		p.Domain.DKIMSelectors = splitList(v)
	case "domain.dns_server":
		p.Domain.DNSServer = v
	case "content.prompt_file":
		p.Content.PromptFile = v
	case "content.email_file":
		p.Content.EmailFile = v
	case "content.max_tokens":
		p.Content.MaxTokens = atoi(v)
	case "cache.redis_url":
		p.Cache.RedisURL = v
	default:
		panic(fmt.Sprintf("settings: unknown key %q", key))
	}
}

func secretOf(p *config.Profile, key string) config.Secret {
	switch key {
	case "api.key":
		return p.API.Key
	case "crm.token":
		return p.CRM.Token
	case "smtp.password":
		return p.SMTP.Password
	}
	panic(fmt.Sprintf("settings: unknown secret %q", key))
}

func setSecret(p *config.Profile, key string, s config.Secret) {
	switch key {
	case "api.key":
		p.API.Key = s
	case "crm.token":
		p.CRM.Token = s
	case "smtp.password":
		p.SMTP.Password = s
	}
}
