// Package search is fuzzy search over the knowledge base (titles, symptoms
// and bodies) with a live preview of the article under the cursor.
package search

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"pitstop/internal/kb"
	"pitstop/internal/tui/common"
)

// wideMin is the width from which the preview sits beside the list.
const wideMin = 100

// Model is the search screen.
type Model struct {
	com           *common.Common
	input         textinput.Model
	hits          []kb.Hit
	cursor        int
	start         int
	width, height int
}

// New returns the search screen with every article listed.
func New(com *common.Common) *Model {
	m := &Model{com: com}
	m.input = textinput.New()
	m.input.Prompt = "/ "
	m.input.CharLimit = 120
	m.styleInput()
	m.refresh()
	return m
}

func (m *Model) styleInput() { m.com.StyleInput(&m.input, m.com.T("search.placeholder")) }

// refresh runs the query (every article when it is empty).
func (m *Model) refresh() {
	q := strings.TrimSpace(m.input.Value())
	if q == "" {
		m.hits = m.hits[:0]
		for _, a := range m.com.KB.Articles() {
			m.hits = append(m.hits, kb.Hit{Article: a})
		}
	} else {
		m.hits = m.com.KB.Search(q)
	}
	m.cursor, m.start = 0, 0
}

// Init focuses the input and renders the first preview.
func (m *Model) Init() tea.Cmd { return tea.Batch(m.input.Focus(), m.preview()) }

// SetSize sets the drawing area.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.input.SetWidth(max(10, min(60, w-24)))
}

// Title names the screen.
func (m *Model) Title() string { return m.com.T("search.title") }

// Step is 0: search is outside the guided flow.
func (m *Model) Step() int { return 0 }

// Capturing is true: every letter goes into the query.
func (m *Model) Capturing() bool { return true }

// ShortHelp lists the help bar keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.com.Keys
	return []key.Binding{k.Move, k.Open, k.Back}
}

// FullHelp lists every key. Letters type into the query, so only arrows
// (and ctrl+n/ctrl+p) move.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.com.Keys
	return [][]key.Binding{{k.Move, k.Open, k.Back}}
}

// Update types the query, moves in the hits and opens one.
func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.ThemeChangedMsg:
		m.styleInput()
		return m, m.preview()
	case tea.WindowSizeMsg:
		return m, m.preview()
	case tea.KeyPressMsg:
		switch msg.String() {
		case "esc":
			return m, common.Back
		case "up", "ctrl+p", "ctrl+k":
			m.move(-1)
			return m, m.preview()
		case "down", "ctrl+n", "ctrl+j":
			m.move(1)
			return m, m.preview()
		case "pgup":
			m.move(-m.listHeight())
			return m, m.preview()
		case "pgdown":
			m.move(m.listHeight())
			return m, m.preview()
		case "enter":
			if len(m.hits) == 0 {
				return m, nil
			}
			return m, common.Navigate(common.NavigateMsg{To: common.ScreenArticle, Article: m.hits[m.cursor].Article.ID})
		}
		before := m.input.Value()
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		if m.input.Value() != before {
			m.refresh()
			return m, tea.Batch(cmd, m.preview())
		}
		return m, cmd
	case tea.PasteMsg:
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		m.refresh()
		return m, tea.Batch(cmd, m.preview())
	}
	return m, nil
}

func (m *Model) move(d int) {
	if len(m.hits) == 0 {
		return
	}
	m.cursor = max(0, min(len(m.hits)-1, m.cursor+d))
	m.start, _ = common.Window(m.start, m.cursor, len(m.hits), m.listHeight())
}

// preview renders the article under the cursor, when not cached yet.
func (m *Model) preview() tea.Cmd {
	if len(m.hits) == 0 || m.width == 0 {
		return nil
	}
	a := m.hits[m.cursor].Article
	w := m.previewWidth()
	if _, ok := m.com.Markdown.Get(a.ID, w, m.com.MarkdownStyle()); ok {
		return nil
	}
	return m.com.RenderMarkdown(a.ID, a.Body, w)
}

func (m *Model) wide() bool { return m.width >= wideMin }

func (m *Model) listWidth() int {
	if m.wide() {
		return max(36, m.width*2/5)
	}
	return m.width
}

func (m *Model) previewWidth() int {
	if m.wide() {
		return min(100, m.width-m.listWidth()-4)
	}
	return min(100, m.width-4)
}

// listHeight is the rows for hits: everything under the input when wide,
// about half of it otherwise.
func (m *Model) listHeight() int {
	h := m.height - 3
	if !m.wide() {
		h = h / 2
	}
	return max(2, h/2) // two lines per hit
}

// View draws the input, the hits and the preview.
func (m *Model) View() string {
	c, st := m.com, m.com.Styles
	head := " " + m.input.View() + "  " + st.Muted.Render(c.N("search.count", len(m.hits)))
	list := m.list()
	prev := m.previewView()
	var body string
	if m.wide() {
		body = common.Beside(common.Block(list, m.listWidth(), m.height-2), prev)
	} else {
		body = common.Lines(list, m.listHeight()*2) + "\n" + prev
	}
	return head + "\n\n" + body
}

func (m *Model) list() string {
	c, st := m.com, m.com.Styles
	if len(m.hits) == 0 {
		return " " + st.Muted.Render(c.T("search.none"))
	}
	w := m.listWidth() - 4
	var b strings.Builder
	h := m.listHeight()
	end := min(len(m.hits), m.start+h)
	for i := m.start; i < end; i++ {
		hit := m.hits[i]
		marker, ts, ds := "  ", st.Item, st.ItemDesc
		if i == m.cursor {
			marker, ts, ds = st.Cursor.Render("▸ "), st.Selected, st.SelectedDesc
		}
		b.WriteString(" " + marker + ts.Render(common.Truncate(hit.Article.Title, w)) + "\n")
		sub := hit.Snippet
		if sub == "" || sub == hit.Article.Title {
			sub = c.T("kbcat."+hit.Article.Category) + " · " + hit.Article.ID
		}
		b.WriteString("   " + ds.Render(common.Truncate(sub, w)) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func (m *Model) previewView() string {
	c, st := m.com, m.com.Styles
	if len(m.hits) == 0 {
		return ""
	}
	a := m.hits[m.cursor].Article
	w := m.previewWidth()
	h := m.height - 2
	if !m.wide() {
		h = m.height - 3 - m.listHeight()*2
	}
	h = max(2, h)
	text, ok := c.Markdown.Get(a.ID, w, c.MarkdownStyle())
	if !ok {
		text = st.Muted.Render(c.T("article.loading"))
	}
	return st.Box.Render(common.Block(text, w, max(1, h-2)))
}
