package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"pitstop/internal/config"
	"pitstop/internal/tui/common"
	"strings"
	"text/tabwriter"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"pitstop/internal/check"
	"pitstop/internal/kb"
	"pitstop/knowledge"
)

func newKBCmd(app *App) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:  "kb",
		Args: app.args().none,
	}
	cmd.PersistentFlags().StringVar(&format, "format", "text", "")
	cmd.AddCommand(
		&cobra.Command{
			Use:  "list",
			Args: app.args().none,
			RunE: func(*cobra.Command, []string) error { return kbList(app, format) },
		},
		&cobra.Command{
			Use:  "search QUERY",
			Args: app.args().min(1),
			RunE: func(_ *cobra.Command, args []string) error { return kbSearch(app, strings.Join(args, " "), format) },
		},
		&cobra.Command{
			Use:  "show ID",
			Args: app.args().exact(1),
			RunE: func(_ *cobra.Command, args []string) error { return kbShow(app, args[0], format) },
		},
		&cobra.Command{
			Use:  "lint [DIR]",
			Args: app.args().max(1),
			RunE: func(_ *cobra.Command, args []string) error {
				dir := ""
				if len(args) == 1 {
					dir = args[0]
				}
				return kbLint(app, dir, format)
			},
		},
	)
	return cmd
}

// articleJSON is an article in JSON lists.
type articleJSON struct {
	ID       string  `json:"id"`
	Title    string  `json:"title"`
	Category string  `json:"category"`
	Severity string  `json:"severity"`
	Lang     string  `json:"lang"`
	Score    float64 `json:"score,omitempty"`
	Snippet  string  `json:"snippet,omitempty"`
}

func toArticleJSON(a *kb.Article) articleJSON {
	return articleJSON{ID: a.ID, Title: a.Title, Category: a.Category, Severity: a.Severity, Lang: a.Lang}
}

func writeIndentedJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// checkTextOrJSON validates --format for the commands that print text or JSON.
func (app *App) checkTextOrJSON(format string) error {
	if format != "text" && format != "json" {
		return app.formatErr(format, "text", "json")
	}
	return nil
}

func kbList(app *App, format string) error {
	if err := app.checkTextOrJSON(format); err != nil {
		return err
	}
	base, err := app.Knowledge()
	if err != nil {
		return err
	}
	articles := base.Articles()
	if format == "json" {
		out := struct {
			Articles []articleJSON `json:"articles"`
		}{Articles: make([]articleJSON, 0, len(articles))}
		for _, a := range articles {
			out.Articles = append(out.Articles, toArticleJSON(a))
		}
		return writeIndentedJSON(app.Stdout, out)
	}
	var rows strings.Builder
	tw := tabwriter.NewWriter(&rows, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, app.T("kb.list.columns"))
	for _, a := range articles {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a.ID, app.articleWord(a.Category), app.articleWord(a.Severity), config.StripControls(a.Title)) // an overlay is outside text
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	table := rows.String()
	width := ttyWidth(app.Stdout)
	if width <= 0 || widest(table) <= width {
		_, err = io.WriteString(app.Stdout, table)
		return err
	}
	// The table does not fit this terminal: one article per two lines, the
	// title wrapped under its id, rather than rows the terminal breaks.
	var b strings.Builder
	for _, a := range articles {
		fmt.Fprintf(&b, "%s  %s · %s\n", a.ID, app.articleWord(a.Category), app.articleWord(a.Severity))
		b.WriteString(hangingWrap("    ", config.StripControls(a.Title), width))
	}
	_, err = io.WriteString(app.Stdout, b.String())
	return err
}

// widest is the width of the widest line of text.
func widest(text string) int {
	w := 0
	for _, l := range strings.Split(text, "\n") {
		w = max(w, ansi.StringWidth(l))
	}
	return w
}

// hangingWrap writes text after pad, wrapped to width, each line after pad.
func hangingWrap(pad, text string, width int) string {
	if width > len(pad)+20 {
		text = wrapText(text, width-len(pad))
	}
	var b strings.Builder
	for _, l := range strings.Split(text, "\n") {
		b.WriteString(pad + l + "\n")
	}
	return b.String()
}

// fitLines cuts each line to width columns with an ellipsis (width 0: as
// is, for pipes and files).
func fitLines(text string, width int) string {
	if width <= 0 {
		return text
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, width, "…")
	}
	return strings.Join(lines, "\n")
}

func kbSearch(app *App, query, format string) error {
	if err := app.checkTextOrJSON(format); err != nil {
		return err
	}
	base, err := app.Knowledge()
	if err != nil {
		return err
	}
	hits := base.Search(query)
	if len(hits) > maxShown {
		hits = hits[:maxShown]
	}
	if format == "json" {
		out := struct {
			Articles []articleJSON `json:"articles"`
		}{Articles: make([]articleJSON, 0, len(hits))}
		for _, h := range hits {
			a := toArticleJSON(h.Article)
			a.Score, a.Snippet = roundScore(h.Score), h.Snippet
			out.Articles = append(out.Articles, a)
		}
		return writeIndentedJSON(app.Stdout, out)
	}
	w := app.Stdout
	width := ttyWidth(app.Stdout)
	if len(hits) == 0 {
		fmt.Fprintln(w, app.T("kb.search.none", query))
		return nil
	}
	for _, h := range hits {
		fmt.Fprint(w, strings.TrimPrefix(hangingWrap("    ", h.Article.ID+"  "+config.StripControls(h.Article.Title), width), "    "))
		if h.Snippet != "" && h.Snippet != h.Article.Title {
			// The snippet is a taste of the text: one line, cut to fit.
			fmt.Fprintln(w, fitLines("    "+h.Snippet, width))
		}
	}
	fmt.Fprintf(w, "\n%s\n", app.T("kb.search.read_one", hits[0].Article.ID))
	return nil
}

// maxShown is how many search hits or matches are shown.
const maxShown = 10

func roundScore(f float64) float64 { return float64(int64(f*10+0.5)) / 10 }

func kbShow(app *App, id, format string) error {
	if err := app.checkTextOrJSON(format); err != nil {
		return err
	}
	base, err := app.Knowledge()
	if err != nil {
		return err
	}
	a, ok := base.Get(id)
	if !ok {
		if near := base.Closest(id, 3); len(near) > 0 {
			return usageErrf("%s", app.T("kb.show.unknown_near", id, strings.Join(near, ", ")))
		}
		return usageErrf("%s", app.T("kb.show.unknown", id))
	}
	// An article may quote a key (an overlay's, written by a person): masked
	// before it is printed or drawn, as on the wizard's screens.
	app.loadSecretsQuietly()
	scrub := app.Scrubber()
	if format == "json" {
		return writeIndentedJSON(app.Stdout, struct {
			articleJSON
			Symptoms []string `json:"symptoms"`
			Patterns []string `json:"patterns"`
			Checks   []string `json:"checks"`
			Related  []string `json:"related"`
			Sources  []string `json:"sources"`
			Reviewed string   `json:"reviewed,omitempty"`
			Body     string   `json:"body"`
		}{toArticleJSON(a), orEmpty(a.Symptoms), orEmpty(a.Patterns), orEmpty(a.Checks), orEmpty(a.Related), orEmpty(a.Sources), a.Reviewed, scrub.Scrub(a.Written())})
	}
	md := scrub.Scrub(articleMarkdown(app, base, a))
	if !app.colorTerminal(app.Stdout) {
		_, err := io.WriteString(app.Stdout, md)
		return err
	}
	// A margin each side, as a page has.
	out, err := common.RenderArticle(app.markdownTheme(), md, terminalWidth(app.Stdout)-2*common.ArticleMargin)
	if err != nil {
		return fmt.Errorf("render article %s: %w", a.ID, err)
	}
	out = "\n" + common.Indent(out, common.ArticleMargin) + "\n"
	// A long article goes through the pager, as git, gh and glow do.
	if _, height := ttySize(app.Stdout); page(out, height, os.Getenv("PAGER"), app.Stdout, app.Stderr) {
		return nil
	}
	_, err = lipgloss.Fprint(app.Stdout, out)
	return err
}

// page shows text through a pager when it is taller than the terminal
// (height rows; 0 when not a terminal): $PAGER, else `less -R`, with LESS=FRX
// unless LESS is set. PAGER=cat turns paging off. It reports whether the
// pager showed the text; false means the caller prints it (short text, or no
// pager could be started).
func page(text string, height int, pager string, stdout, stderr io.Writer) bool {
	if height <= 0 || strings.Count(text, "\n") < height-1 {
		return false
	}
	args := strings.Fields(pager)
	if len(args) == 0 {
		args = []string{"less", "-R"}
	}
	if args[0] == "cat" {
		return false
	}
	path, err := exec.LookPath(args[0])
	if err != nil {
		return false
	}
	cmd := exec.Command(path, args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(text), stdout, stderr
	cmd.Env = os.Environ()
	if os.Getenv("LESS") == "" {
		cmd.Env = append(cmd.Env, "LESS=FRX")
	}
	if err := cmd.Start(); err != nil {
		return false
	}
	_ = cmd.Wait() // quitting the pager early is not an error
	return true
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// articleMarkdown is the whole article as one Markdown document: title,
// a line of facts, the body, the related articles and the sources.
func articleMarkdown(app *App, base *kb.Base, a *kb.Article) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", config.StripControls(a.Title))
	facts := fmt.Sprintf("`%s` · %s · %s", a.ID, app.articleWord(a.Category), app.T("kb.show.severity", app.articleWord(a.Severity)))
	if len(a.Checks) > 0 {
		facts += " · " + app.T("kb.show.checks", strings.Join(a.Checks, ", "))
	}
	fmt.Fprintf(&b, "*%s*\n\n", facts)
	written := a.Written()
	b.WriteString(strings.TrimSpace(written))
	b.WriteString("\n")
	if len(a.Related) > 0 {
		fmt.Fprintf(&b, "\n## %s\n\n", app.T("kb.show.related"))
		for _, id := range a.Related {
			if r, ok := base.Get(id); ok {
				fmt.Fprintf(&b, "- `%s`: %s\n", r.ID, r.Title)
			}
		}
	}
	// The sources close the article (the knowledge base wrote that section).
	if sources := strings.TrimSpace(a.Body[len(written):]); sources != "" {
		b.WriteString("\n" + sources + "\n")
	}
	return b.String()
}

func kbLint(app *App, dir, format string) error {
	if err := app.checkTextOrJSON(format); err != nil {
		return err
	}
	var fsys fs.FS = knowledge.FS
	root := "knowledge"
	if dir != "" {
		info, err := os.Stat(dir)
		if errors.Is(err, fs.ErrNotExist) {
			return usageErrf("%s", app.T("kb.lint.err.no_dir", dir))
		}
		if err != nil {
			return usageErrf("%s", app.T("kb.lint.err.dir", dir, err))
		}
		if !info.IsDir() {
			return usageErrf("%s", app.T("kb.lint.err.file", dir))
		}
		fsys, root = os.DirFS(dir), dir
	}
	problems := kb.Lint(fsys, check.KnownIDs)
	for i := range problems {
		problems[i] = problems[i].In(app.Opts.Lang)
		problems[i].File = filepath.Join(root, problems[i].File)
	}
	errs := 0
	for _, p := range problems {
		if !p.Warn {
			errs++
		}
	}
	warns := len(problems) - errs
	if format == "json" {
		if err := writeIndentedJSON(app.Stdout, struct {
			Problems []kb.Problem `json:"problems"`
		}{append([]kb.Problem{}, problems...)}); err != nil {
			return err
		}
	} else {
		for _, p := range problems {
			fmt.Fprintln(app.Stdout, p)
		}
		switch {
		case len(problems) == 0:
			fmt.Fprintln(app.Stdout, app.T("kb.lint.clean", root))
		case errs == 0:
			fmt.Fprintln(app.Stderr, app.N("kb.lint.warnings", warns, warns, root))
		default:
			fmt.Fprintln(app.Stderr, app.T("kb.lint.problems", app.N("kb.lint.n_problems", errs, errs), app.N("kb.lint.n_warnings", warns, warns), root))
		}
	}
	// Warnings (an article due for review) are said, not failed on.
	if errs > 0 {
		return &ExitError{Code: ExitFailed}
	}
	return nil
}

// articleWord is an article's severity or category as the reader's word.
func (a *App) articleWord(id string) string { return kb.Word(a.Opts.Lang, id) }
