// Package fixes is the fix screen: for one check's result, the fixes Pitstop
// is certain of. A setting change is shown as a diff and applied with
// consent (a), then the checks it affects run again and their status before
// and after is shown; DNS records are shown as a zone-file line and as the
// fields a DNS console asks for; steps at a provider are listed. c copies
// what there is to paste (through the terminal, OSC 52).
package fixes

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"pitstop/internal/check"
	"pitstop/internal/fix"
	"pitstop/internal/i18n"
	"pitstop/internal/tui/common"
	"pitstop/internal/wizard"
)

type phase int

const (
	phaseShow phase = iota
	phaseConfirm
	phaseApplying
	phaseDone
)

func (p phase) String() string { return [...]string{"show", "confirm", "applying", "done"}[p] }

// appliedMsg carries the outcome of applying a setting change.
type appliedMsg struct{ applied wizard.Applied }

type keyMap struct{ Apply, Copy key.Binding }

// Model is the fix screen.
type Model struct {
	com           *common.Common
	check         string
	keys          keyMap
	phase         phase
	applied       *wizard.Applied
	offset        int
	width, height int
}

// New shows the fixes for one check's result.
func New(com *common.Common, checkID string) *Model {
	return &Model{com: com, check: checkID, keys: keyMap{
		Apply: key.NewBinding(key.WithKeys("a"), key.WithHelp("a", com.T("key.apply"))),
		Copy:  key.NewBinding(key.WithKeys("c"), key.WithHelp("c", com.T("key.copy"))),
	}}
}

// Init does nothing.
func (m *Model) Init() tea.Cmd { return nil }

// SetSize sets the drawing area.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h; m.clamp() }

// Title names the screen.
func (m *Model) Title() string { return m.com.T("fix.title") }

// Step is 0: the fix screen opens from the results.
func (m *Model) Step() int { return 0 }

// Capturing is false.
func (m *Model) Capturing() bool { return false }

func (m *Model) fixes() []fix.Fix { return m.com.Session.FixesFor(m.check) }

// applicable is the first setting change not applied yet, when the
// settings come from a file Pitstop may change.
func (m *Model) applicable() (fix.Fix, bool) {
	if m.com.ConfigPath == "" {
		return fix.Fix{}, false
	}
	for _, f := range m.fixes() {
		if f.Kind == fix.KindConfig && !f.Applied {
			return f, true
		}
	}
	return fix.Fix{}, false
}

// ShortHelp lists the help bar keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.com.Keys
	if m.phase == phaseConfirm {
		return []key.Binding{k.Yes, k.No}
	}
	var out []key.Binding
	if _, ok := m.applicable(); ok && m.phase == phaseShow {
		out = append(out, m.keys.Apply)
	}
	return append(out, m.keys.Copy, k.Scroll, k.Back)
}

// FullHelp lists every key.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.com.Keys
	return [][]key.Binding{{m.keys.Apply, m.keys.Copy}, {k.Yes, k.No}, {k.Up, k.Down, k.Back}}
}

// Update applies (after asking), copies and scrolls.
func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case appliedMsg:
		m.com.RecordApplied(msg.applied)
		m.applied, m.phase = &msg.applied, phaseDone
		if msg.applied.Err != nil {
			return m, common.Status(m.com.T("fix.failed"), true)
		}
		return m, common.Status(m.com.T("fix.applied"), false)
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	}
	return m, nil
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.com.Keys
	if m.phase == phaseConfirm {
		switch {
		case key.Matches(msg, k.Yes):
			f, ok := m.applicable()
			if !ok {
				m.phase = phaseShow
				return nil
			}
			m.phase = phaseApplying
			later := m.com.ApplyLater(f)
			ctx := m.com.Ctx
			return func() tea.Msg { return appliedMsg{applied: later(ctx)} }
		case key.Matches(msg, k.No), key.Matches(msg, k.Back):
			m.phase = phaseShow
		}
		return nil
	}
	switch {
	case key.Matches(msg, k.Back):
		return common.Back
	case key.Matches(msg, m.keys.Apply):
		if _, ok := m.applicable(); ok && m.phase == phaseShow {
			m.phase = phaseConfirm
		}
	case key.Matches(msg, m.keys.Copy):
		if text := m.copyText(); text != "" {
			return tea.Batch(tea.SetClipboard(m.com.Scrub(text)), common.Status(m.com.T("fix.copied"), false))
		}
	case key.Matches(msg, k.Up):
		m.offset--
	case key.Matches(msg, k.Down):
		m.offset++
	case key.Matches(msg, k.PageDown):
		m.offset += max(1, m.height-2)
	case key.Matches(msg, k.PageUp):
		m.offset -= max(1, m.height-2)
	}
	m.clamp()
	return nil
}

// copyText is what c copies: the zone-file lines, else the steps, else the
// setting changes.
func (m *Model) copyText() string {
	var zone, steps, diff []string
	for _, f := range m.fixes() {
		for _, r := range f.Records {
			zone = append(zone, r.ZoneLine())
		}
		steps = append(steps, f.Steps...)
		for _, c := range f.Changes {
			diff = append(diff, fmt.Sprintf("%s: %s", c.Key, c.To))
		}
	}
	for _, part := range [][]string{zone, steps, diff} {
		if len(part) > 0 {
			return strings.Join(part, "\n")
		}
	}
	return ""
}

func (m *Model) clamp() {
	m.offset = max(0, min(m.offset, len(m.lines())-max(1, m.height)))
}

// View draws the fixes, scrolled.
func (m *Model) View() string {
	lines := m.lines()
	h := max(1, m.height)
	end := min(len(lines), m.offset+h)
	return strings.Join(lines[m.offset:end], "\n")
}

// lines renders the whole screen.
func (m *Model) lines() []string {
	c, st := m.com, m.com.Styles
	w := max(20, m.width-4)
	var out []string
	wrap := func(indent int, text string, render func(...string) string) {
		for _, l := range strings.Split(common.Wrap(text, w-indent), "\n") {
			out = append(out, strings.Repeat(" ", indent)+render(l))
		}
	}
	plain := func(s ...string) string { return strings.Join(s, "") }
	fixes := m.fixes()
	if len(fixes) == 0 {
		wrap(1, c.T("fix.none"), st.Muted.Render)
		return out
	}
	for i, f := range fixes {
		if i > 0 {
			out = append(out, "")
		}
		mark := st.Accent.Render("•")
		if f.Applied {
			mark = st.Pass.Render("✓")
		}
		out = append(out, " "+mark+" "+st.Title.Render(common.Truncate(f.Title, w-2))+"  "+st.Faint.Render(f.Kind.Name(c.Lang, 1)))
		wrap(3, f.Summary, plain)
		for _, ch := range f.Changes {
			out = append(out, "", "   "+st.Faint.Render(common.Truncate(ch.File, w-3)))
			wrap(3, "- "+ch.Key+": "+ch.From, st.Fail.Render)
			wrap(3, "+ "+ch.Key+": "+ch.To, st.Pass.Render)
		}
		for _, r := range f.Records {
			out = append(out, "", "   "+st.Subtitle.Render(i18n.T(c.Lang, "fix.zone")))
			wrap(5, r.ZoneLine(), st.Accent.Render)
			out = append(out, "   "+st.Subtitle.Render(i18n.T(c.Lang, "fix.console", r.Host(), r.Type, r.TTL)))
			wrap(5, r.Value, st.Accent.Render)
			if r.Replaces != "" {
				wrap(3, i18n.T(c.Lang, "fix.replaces", r.Replaces), st.Muted.Render)
			}
		}
		if len(f.Steps) > 0 {
			out = append(out, "")
			for j, s := range f.Steps {
				// A step's later lines hang under its first word.
				num := fmt.Sprintf("%d. ", j+1)
				for k, l := range strings.Split(common.Wrap(s, w-3-len(num)), "\n") {
					lead := "   " + num
					if k > 0 {
						lead = strings.Repeat(" ", 3+len(num))
					}
					out = append(out, lead+l)
				}
			}
		}
	}
	out = append(out, "")
	switch m.phase {
	case phaseConfirm:
		wrap(1, c.T("fix.confirm", c.ConfigPath), st.Warn.Render)
	case phaseApplying:
		wrap(1, c.T("fix.applying"), st.Muted.Render)
	case phaseDone:
		if a := m.applied; a != nil && a.Err != nil {
			wrap(1, c.T("fix.error", c.ErrorText(a.Err)), st.Fail.Render)
		} else if a != nil {
			wrap(1, c.T("fix.verified"), st.Subtitle.Render)
			word := func(name string) string {
				if st, ok := check.ParseStatus(name); ok {
					return c.StatusWord(st)
				}
				return name
			}
			for _, v := range a.Verified {
				title := v.ID
				for _, r := range c.Session.Results {
					if r.ID == v.ID {
						title = c.CheckTitle(r.ID, r.Title)
					}
				}
				after := st.Pass.Render(word(v.After))
				if v.After != check.Pass.String() {
					after = st.Fail.Render(word(v.After))
				}
				out = append(out, "   "+common.Truncate(title, 40)+": "+word(v.Before)+" → "+after)
			}
		}
	default:
		if _, ok := m.applicable(); ok {
			wrap(1, c.T("fix.hint.apply"), st.Faint.Render)
		} else if c.ConfigPath == "" && hasKind(fixes, fix.KindConfig) {
			wrap(1, c.T("fix.hint.noconfig"), st.Faint.Render)
		}
	}
	return out
}

func hasKind(fixes []fix.Fix, k fix.Kind) bool {
	for _, f := range fixes {
		if f.Kind == k {
			return true
		}
	}
	return false
}
