package cli

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"

	"pitstop/internal/kb"
	"pitstop/internal/theme"
	"pitstop/knowledge"
)

// knowledgeCache holds the knowledge base once loaded (App.knowledge).
type knowledgeCache struct {
	base *kb.Base
}

// Knowledge returns the knowledge base in the --lang language, with the
// articles of --kb added or replacing built-in ones. It is loaded once per
// run; an overlay article that cannot be read is skipped and said once on
// stderr. A --kb directory that cannot be read is a usage error (exit 2).
func (a *App) Knowledge() (*kb.Base, error) {
	if a.knowledge.base != nil {
		return a.knowledge.base, nil
	}
	base, warnings, err := kb.Load(knowledge.FS, a.Opts.KBDir, a.Opts.Lang)
	a.reportSkippedArticles(warnings)
	if err != nil {
		return nil, usageErr(err)
	}
	a.knowledge.base = base
	return base, nil
}

// reportSkippedArticles says once, on stderr, which articles were left out
// and why: one line for the count, then each problem as file:line.
func (a *App) reportSkippedArticles(warnings []kb.Warning) {
	if len(warnings) == 0 {
		return
	}
	files := map[string]bool{}
	for _, w := range warnings {
		files[w.File] = true
	}
	dir := a.Opts.KBDir
	if dir == "" {
		dir = "DIR"
	}
	fmt.Fprintln(a.Stderr, "pitstop: "+a.N("kb.skipped", len(files), len(files), dir))
	for _, w := range warnings {
		fmt.Fprintf(a.Stderr, "  %s\n", w.In(a.Opts.Lang))
	}
}

// colorTerminal reports whether w is a terminal that should get colors
// (not with --no-color or NO_COLOR, which validateGlobal folds in).
func (a *App) colorTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && !a.Opts.NoColor && term.IsTerminal(f.Fd())
}

// markdownTheme picks the theme for rendering Markdown: --theme, else the
// one that suits the terminal's background as COLORFGBG tells it (asking
// the terminal itself can stall for seconds on terminals that never
// answer), else dark.
func (a *App) markdownTheme() string {
	if a.Opts.Theme != "" {
		return a.Opts.Theme
	}
	if fgbg := os.Getenv("COLORFGBG"); fgbg != "" {
		bg := fgbg[strings.LastIndexByte(fgbg, ';')+1:]
		if bg == "7" || bg == "15" {
			return theme.Light
		}
	}
	return theme.Dark
}

// terminalWidth is the width to wrap Markdown at: the terminal's, kept
// readable, 80 when unknown.
func terminalWidth(w io.Writer) int {
	if f, ok := w.(*os.File); ok {
		if width, _, err := term.GetSize(f.Fd()); err == nil && width > 0 {
			return min(width, 120)
		}
	}
	return 80
}
