// Package article shows one knowledge article: its Markdown drawn for the
// terminal (in a command, cached) in a scrolling pane, `/` to search inside, a
// table of contents and the related articles to follow.
package article

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"pitstop/internal/kb"
	"pitstop/internal/tui/common"
)

// maxTextWidth keeps lines readable on very wide terminals.
const maxTextWidth = 100

// sidebarMin is the width from which contents and related articles stay
// visible beside the text.
const sidebarMin = 100

type entryKind int

const (
	entryHeading entryKind = iota
	entryRelated
)

func (k entryKind) String() string { return [...]string{"heading", "related"}[k] }

// entry is one line of the side panel: a heading to jump to or a related
// article to open.
type entry struct {
	kind  entryKind
	text  string
	line  int    // rendered line of a heading (-1 until rendered)
	id    string // related article id
	level int
}

// Model is the article screen.
type Model struct {
	com     *common.Common
	id      string
	art     *kb.Article
	lines   []string // the rendered article, one entry per screen line
	offset  int      // first line shown
	scroll  scrollKeys
	width   int
	height  int
	textW   int // the width the article is rendered at
	content string
	plain   []string // content lines without styles, for search and headings
	loading bool
	err     error

	entries     []entry
	panelOpen   bool // the panel has the focus (or covers the text when narrow)
	panelCursor int

	searching bool
	input     textinput.Model
	query     string
	matches   []int // line numbers
	current   int
}

// New opens an article by id.
func New(com *common.Common, id string) *Model {
	m := &Model{com: com, id: id}
	m.art, _ = com.KB.Get(id)
	m.scroll = scrollKeys{
		PageDown:     key.NewBinding(key.WithKeys("pgdown", "space")),
		PageUp:       key.NewBinding(key.WithKeys("pgup", "b")),
		HalfPageDown: key.NewBinding(key.WithKeys("ctrl+d")),
		HalfPageUp:   key.NewBinding(key.WithKeys("ctrl+u")),
		Down:         key.NewBinding(key.WithKeys("down", "j")),
		Up:           key.NewBinding(key.WithKeys("up", "k")),
	}
	m.input = textinput.New()
	m.input.Prompt = "/ "
	m.input.CharLimit = 80
	m.styleInput()
	if m.art != nil {
		for _, l := range strings.Split(m.art.Body, "\n") {
			if strings.HasPrefix(l, "## ") || strings.HasPrefix(l, "### ") {
				level := 2
				if strings.HasPrefix(l, "### ") {
					level = 3
				}
				m.entries = append(m.entries, entry{kind: entryHeading, text: strings.TrimSpace(strings.TrimLeft(l, "#")), line: -1, level: level})
			}
		}
		for _, rid := range m.art.Related {
			if ra, ok := com.KB.Get(rid); ok {
				m.entries = append(m.entries, entry{kind: entryRelated, text: ra.Title, id: rid})
			}
		}
	}
	return m
}

func (m *Model) styleInput() { m.com.StyleInput(&m.input, m.com.T("article.search.placeholder")) }

// Init records the visit and renders the article (from the cache when it can).
func (m *Model) Init() tea.Cmd {
	if m.art == nil {
		return nil
	}
	m.com.Session.MarkRead(m.id)
	return m.load()
}

// load shows the cached render for the current width and theme, or starts
// rendering it.
func (m *Model) load() tea.Cmd {
	if m.art == nil || m.textW <= 0 {
		return nil
	}
	if s, ok := m.com.Markdown.Get(m.id, m.textW, m.com.MarkdownStyle()); ok {
		m.setContent(s)
		return nil
	}
	m.loading = true
	return m.com.RenderMarkdown(m.id, m.art.Body, m.textW)
}

func (m *Model) setContent(s string) {
	m.loading, m.err = false, nil
	m.content = s
	m.lines = strings.Split(s, "\n")
	m.setOffset(m.offset)
	m.plain = strings.Split(ansi.Strip(s), "\n")
	// Find each heading's line, in order.
	from := 0
	for i := range m.entries {
		e := &m.entries[i]
		if e.kind != entryHeading {
			continue
		}
		e.line = -1
		for l := from; l < len(m.plain); l++ {
			if strings.Contains(m.plain[l], e.text) {
				e.line, from = l, l+1
				break
			}
		}
	}
	m.findMatches()
}

// sidebar says whether the panel sits beside the text.
func (m *Model) sidebar() bool { return m.width >= sidebarMin && len(m.entries) > 0 }

func (m *Model) sidebarWidth() int { return max(24, min(36, m.width/4)) }

// SetSize sets the drawing area and re-renders at the new width.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	// The text keeps a margin from the edge, or from the panel; the left
	// one is the gutter that marks search matches.
	tw := w - 2*common.ArticleMargin
	if m.sidebar() {
		tw = w - m.sidebarWidth() - 2*common.ArticleMargin - 1
	}
	tw = min(tw, maxTextWidth)
	m.input.SetWidth(max(10, min(40, w-20)))
	if tw != m.textW {
		m.textW = tw
		m.content = ""
	}
}

// Title is the article's title.
func (m *Model) Title() string {
	if m.art == nil {
		return m.com.T("article.missing.title")
	}
	return m.com.T("article.title")
}

// Step is 5 in the guided flow (articles are read from the results).
func (m *Model) Step() int {
	s := m.com.Session
	if s.Problem.ID == "" && s.Pasted == "" && len(s.Symptoms) == 0 {
		return 0
	}
	return common.StepResults
}

// Capturing is true while typing a search.
func (m *Model) Capturing() bool { return m.searching }

// ShortHelp lists the help bar keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.com.Keys
	switch {
	case m.searching:
		return []key.Binding{k.Select, k.Cancel}
	case m.panelOpen:
		return []key.Binding{k.Move, k.Open, k.Back}
	}
	out := []key.Binding{k.Move, k.Search}
	if len(m.matches) > 0 {
		out = append(out, k.NextMatch)
	}
	out = append(out, k.Contents)
	if m.Step() > 0 {
		out = append(out, k.Fixed)
	}
	return append(out, k.Back)
}

// FullHelp lists every key.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.com.Keys
	last := []key.Binding{k.Contents, k.Open, k.Back}
	if m.Step() > 0 {
		last = []key.Binding{k.Contents, k.Open, k.Fixed, k.Back}
	}
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Search, k.NextMatch, k.PrevMatch},
		last,
	}
}

// Update scrolls, searches and follows the panel.
func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.RenderedMsg:
		if msg.ID != m.id || msg.Width != m.textW || msg.Theme != m.com.MarkdownStyle() {
			return m, nil
		}
		if msg.Err != nil {
			m.loading, m.err = false, msg.Err
			return m, nil
		}
		m.setContent(msg.Text)
		return m, nil
	case common.ThemeChangedMsg:
		m.styleInput()
		m.content = ""
		return m, m.load()
	case tea.KeyPressMsg:
		if m.content == "" && !m.loading && m.art != nil {
			// A resize or theme change is waiting for its render.
			cmd := m.load()
			_, cmd2 := m.handleKey(msg)
			return m, tea.Batch(cmd, cmd2)
		}
		return m.handleKey(msg)
	}
	if m.content == "" && !m.loading && m.art != nil {
		return m, m.load()
	}
	return m, nil
}

func (m *Model) handleKey(msg tea.KeyPressMsg) (common.Screen, tea.Cmd) {
	k := m.com.Keys
	if m.searching {
		switch {
		case key.Matches(msg, k.Cancel):
			m.searching = false
			m.input.Blur()
			m.input.SetValue("")
			m.query = ""
			m.findMatches()
			return m, nil
		case key.Matches(msg, k.Select):
			m.searching = false
			m.input.Blur()
			return m, nil
		}
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		if q := m.input.Value(); q != m.query {
			m.query = q
			m.findMatches()
			m.jump(0)
		}
		return m, cmd
	}
	if m.panelOpen {
		return m.handlePanel(msg)
	}
	switch {
	case key.Matches(msg, k.Back):
		if m.query != "" {
			m.query = ""
			m.input.SetValue("")
			m.findMatches()
			return m, nil
		}
		return m, common.Back
	case key.Matches(msg, k.Search):
		m.searching = true
		return m, m.input.Focus()
	case key.Matches(msg, k.NextMatch) && len(m.matches) > 0:
		m.jump(m.current + 1)
	case key.Matches(msg, k.PrevMatch) && len(m.matches) > 0:
		m.jump(m.current - 1)
	case key.Matches(msg, k.Contents):
		if len(m.entries) > 0 {
			m.panelOpen = true
		}
	case key.Matches(msg, k.Fixed) && m.Step() > 0: // only in the guided flow, as the help bar says
		return m, common.Navigate(common.NavigateMsg{To: common.ScreenOutcome})
	case key.Matches(msg, k.Top):
		m.setOffset(0)
	case key.Matches(msg, k.Bottom):
		m.setOffset(len(m.lines))
	default:
		m.scrollBy(msg)
	}
	return m, nil
}

func (m *Model) handlePanel(msg tea.KeyPressMsg) (common.Screen, tea.Cmd) {
	k := m.com.Keys
	switch {
	case key.Matches(msg, k.Back), key.Matches(msg, k.Contents):
		m.panelOpen = false
	case key.Matches(msg, k.Up):
		m.panelCursor = max(0, m.panelCursor-1)
	case key.Matches(msg, k.Down):
		m.panelCursor = min(len(m.entries)-1, m.panelCursor+1)
	case key.Matches(msg, k.Open):
		e := m.entries[m.panelCursor]
		m.panelOpen = false
		if e.kind == entryRelated {
			return m, common.Navigate(common.NavigateMsg{To: common.ScreenArticle, Article: e.id})
		}
		if e.line >= 0 {
			m.setOffset(e.line)
		}
	}
	return m, nil
}

// findMatches lists the lines that hold the query (case and accents folded).
func (m *Model) findMatches() {
	m.matches, m.current = nil, 0
	q := fold(strings.TrimSpace(m.query))
	if q == "" {
		return
	}
	for i, l := range m.plain {
		if strings.Contains(fold(l), q) {
			m.matches = append(m.matches, i)
		}
	}
}

// jump scrolls to match i (wrapping around), a few lines below the top.
func (m *Model) jump(i int) {
	if len(m.matches) == 0 {
		return
	}
	m.current = (i%len(m.matches) + len(m.matches)) % len(m.matches)
	m.setOffset(m.matches[m.current] - 2)
}

// scrollKeys move the text.
type scrollKeys struct {
	PageDown, PageUp, HalfPageDown, HalfPageUp, Down, Up key.Binding
}

// pageHeight is the lines of text on screen.
func (m *Model) pageHeight() int { return max(3, m.height-3) }

// setOffset scrolls to line y, kept within the text.
func (m *Model) setOffset(y int) {
	m.offset = max(0, min(y, len(m.lines)-m.pageHeight()))
}

// scrollBy moves the text for a scrolling key.
func (m *Model) scrollBy(msg tea.KeyPressMsg) {
	h := m.pageHeight()
	switch {
	case key.Matches(msg, m.scroll.Down):
		m.setOffset(m.offset + 1)
	case key.Matches(msg, m.scroll.Up):
		m.setOffset(m.offset - 1)
	case key.Matches(msg, m.scroll.PageDown):
		m.setOffset(m.offset + h)
	case key.Matches(msg, m.scroll.PageUp):
		m.setOffset(m.offset - h)
	case key.Matches(msg, m.scroll.HalfPageDown):
		m.setOffset(m.offset + h/2)
	case key.Matches(msg, m.scroll.HalfPageUp):
		m.setOffset(m.offset - h/2)
	}
}

// percent is how far down the text is scrolled.
func (m *Model) percent() int {
	bottom := len(m.lines) - m.pageHeight()
	if bottom <= 0 {
		return 100
	}
	return m.offset * 100 / bottom
}

// text draws the visible lines with the search gutter, each cut or padded
// to width.
func (m *Model) text(width int) string {
	var b strings.Builder
	end := min(len(m.lines), m.offset+m.pageHeight())
	for i := m.offset; i < end; i++ {
		b.WriteString(common.Fit(m.gutter(i)+m.lines[i], width))
		if i < end-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// gutter marks matching lines: ▶ the current match, ▌ the others.
func (m *Model) gutter(line int) string {
	if len(m.matches) == 0 {
		return "  "
	}
	for j, l := range m.matches {
		if l == line {
			if j == m.current {
				return m.com.Styles.MatchLine.Render("▶ ")
			}
			return m.com.Styles.MatchLine.Render("▌ ")
		}
	}
	return "  "
}

// View draws the title line, the text (and the panel), and the footer.
func (m *Model) View() string {
	c, st := m.com, m.com.Styles
	if m.art == nil {
		return " " + st.ErrorText.Render(c.T("article.missing", m.id)) + "\n\n " + st.Muted.Render(c.T("article.missing.hint"))
	}
	a := m.art
	sev := st.Severity(a.Severity).Render(kb.Word(c.Lang, a.Severity))
	cat := st.Muted.Render(c.T("kbcat." + a.Category))
	// A title too long for one line takes the blank line under it too.
	title := common.WrapMax(a.Title, m.width-lipgloss.Width(sev)-lipgloss.Width(cat)-8, 2)
	head := " " + st.Title.Render(title[0]) + "  " + sev + st.Muted.Render(" · ") + cat + "\n"
	if len(title) > 1 {
		head += " " + st.Title.Render(title[1])
	}
	var body string
	switch {
	case m.err != nil:
		body = " " + st.ErrorText.Render(common.Wrap(c.T("article.error", m.id, m.err.Error()), m.width-2))
	case m.content == "":
		body = " " + st.Muted.Render(c.T("article.loading"))
	case m.panelOpen && !m.sidebar():
		body = m.panel(m.width-2, m.pageHeight())
	default:
		body = m.text(m.textW + 2)
	}
	if m.sidebar() {
		h := m.pageHeight()
		body = common.Beside(common.Block(body, m.width-m.sidebarWidth()-1, h), common.Lines(m.panel(m.sidebarWidth(), h), h))
	}
	return head + "\n" + common.Lines(body, max(3, m.height-3)) + "\n" + m.footer()
}

// panel draws the contents and the related articles in a box of width,
// at most height lines tall: in a short window the list scrolls with the
// cursor, so every related article can be reached.
func (m *Model) panel(width, height int) string {
	c, st := m.com, m.com.Styles
	box := st.Box
	if m.panelOpen {
		box = st.FocusedBox
	}
	lines := []string{st.Subtitle.Render(c.T("article.contents"))}
	cursorLine := 0
	related := false
	inner := width - 4
	for i, e := range m.entries {
		if e.kind == entryRelated && !related {
			related = true
			lines = append(lines, "", st.Subtitle.Render(c.T("article.related")))
		}
		marker, style := "  ", st.Item
		if m.panelOpen && i == m.panelCursor {
			marker, style = st.Cursor.Render("▸ "), st.Selected
			cursorLine = len(lines)
		}
		text := e.text
		if e.level == 3 {
			text = "  " + text
		}
		lines = append(lines, marker+style.Render(common.Truncate(text, inner-2)))
	}
	if room := height - 2; room > 0 && len(lines) > room { // the border takes two lines
		start, end := common.Window(0, cursorLine, len(lines), room)
		if cursorLine > 0 && start == cursorLine && start > 0 {
			start, end = start-1, end-1 // keep the heading above the first entry
		}
		lines = lines[start:end]
	}
	return box.Width(width).Render(strings.Join(lines, "\n"))
}

// footer shows the search input, or where you are and the matches.
func (m *Model) footer() string {
	c, st := m.com, m.com.Styles
	if m.searching {
		count := ""
		if m.query != "" {
			count = st.Muted.Render(c.N("article.matches", len(m.matches)))
		}
		return " " + m.input.View() + "  " + count
	}
	pos := st.Faint.Render(c.T("article.position", m.percent()))
	if m.query != "" {
		if len(m.matches) == 0 {
			return " " + pos + "  " + st.Warn.Render(c.T("article.nomatch", m.query))
		}
		return " " + pos + "  " + st.Accent.Render(c.T("article.match", m.current+1, len(m.matches), m.query))
	}
	return " " + pos
}

// accents drops the accents Spanish uses, for search.
var accents = strings.NewReplacer("á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u", "ü", "u", "ñ", "n")

// fold lower-cases and drops accents.
func fold(s string) string { return accents.Replace(strings.ToLower(s)) }
