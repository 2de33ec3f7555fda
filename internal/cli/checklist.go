package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"pitstop/internal/tui/accessible"
	"pitstop/internal/tui/common"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"

	"charm.land/huh/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"pitstop/internal/check/suite"
	"pitstop/internal/escalate"
)

// checklistOptions are the flags of `pitstop checklist`.
type checklistOptions struct {
	Format string // "" (interactive on a terminal, markdown otherwise), markdown, json
	Done   []string
	Only   string
}

func newChecklistCmd(app *App) *cobra.Command {
	var o checklistOptions
	cmd := &cobra.Command{
		Use:  "checklist [NAME]",
		Args: app.args().max(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := ""
			if len(args) == 1 {
				name = args[0]
			}
			return runChecklist(cmd.Context(), app, name, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Format, "format", "", "")
	f.StringArrayVar(&o.Done, "done", nil, "")
	f.StringVar(&o.Only, "only", "", "")
	return cmd
}

func runChecklist(ctx context.Context, app *App, name string, o checklistOptions) error {
	switch o.Format {
	case "", "markdown", "json":
	default:
		return app.formatErr(o.Format, "markdown", "json")
	}
	_, lists, err := app.loadEscalation()
	if err != nil {
		return err
	}
	if name == "" {
		return listChecklists(app, lists, o.Format)
	}
	cl, ok := lists.Get(name)
	if !ok {
		return usageErrf("%s", app.T("checklist.err.unknown", name, strings.Join(lists.Names(), ", ")))
	}
	if unknown := cl.UnknownDone(o.Done); len(unknown) > 0 {
		return usageErrf("%s", app.T("checklist.err.done", strings.Join(unknown, ", "), name, strings.Join(checklistItemIDs(cl), ", ")))
	}
	categories, err := suite.ParseOnly(o.Only)
	if err != nil {
		return usageErr(err)
	}
	ev := escalate.Evidence{Done: o.Done}
	if cl.RunsChecks() && len(categories) > 0 {
		_, p, err := app.LoadProfile()
		if err != nil {
			return err
		}
		if err := requireConfigured(app.Opts.Lang, p, categories); err != nil {
			return err
		}
	}
	if cl.RunsChecks() {
		if len(categories) == 0 {
			categories = cl.Categories() // nil for prelaunch: every configured one
		}
		progress, progressDone := app.progressLine()
		ev.Results, err = app.runChecks(ctx, categories, progress)
		progressDone()
		if err != nil {
			return err
		}
	}
	filled := cl.Fill(ev, app.Opts.Lang)

	if o.Format == "" && isTerminal(app.Stdout) && isTerminal(app.Stdin) && len(filled.ManualIDs()) > 0 {
		if err := tickInteractively(ctx, app, &filled); err != nil {
			return err
		}
	}
	if o.Format == "json" {
		b, err := json.MarshalIndent(filled, "", "  ")
		if err != nil {
			return &ExitError{Code: ExitInternal, Err: err}
		}
		fmt.Fprintln(app.Stdout, app.Scrubber().Scrub(string(b)))
	} else {
		md := app.Scrubber().Scrub(filled.Markdown(app.Opts.Lang))
		fmt.Fprint(app.Stdout, wrapMarkdownList(md, ttyWidth(app.Stdout)))
	}
	if cl.RunsChecks() && !filled.Complete() {
		return &ExitError{Code: ExitFailed}
	}
	return nil
}

// listChecklists prints the available checklists.
func listChecklists(app *App, lists *escalate.Checklists, format string) error {
	type entry struct {
		Name        string `json:"name"`
		Title       string `json:"title"`
		Description string `json:"description,omitempty"`
		Items       int    `json:"items"`
		RunsChecks  bool   `json:"runs_checks"`
	}
	var out []entry
	for _, l := range lists.Lists {
		out = append(out, entry{l.Name, l.Title.In(app.Opts.Lang), l.Description.In(app.Opts.Lang), len(l.Items), l.RunsChecks()})
	}
	if format == "json" {
		b, err := json.MarshalIndent(map[string]any{"checklists": out}, "", "  ")
		if err != nil {
			return &ExitError{Code: ExitInternal, Err: err}
		}
		fmt.Fprintln(app.Stdout, string(b))
		return nil
	}
	width := 0
	for _, e := range out {
		width = max(width, len(e.Name))
	}
	for _, e := range out {
		fmt.Fprintf(app.Stdout, "%-*s  %s\n", width, e.Name, e.Title)
	}
	fmt.Fprintln(app.Stdout, "\n"+app.T("checklist.show_one"))
	return nil
}

// wrapMarkdownList wraps a checklist's Markdown to a terminal's width, each
// item's continuation lines under its text (Markdown reads them as one
// item). width 0 (a pipe or a file) leaves it as is.
func wrapMarkdownList(md string, width int) string {
	if width <= 0 {
		return md
	}
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimSuffix(md, "\n"), "\n") {
		if ansi.StringWidth(line) <= width {
			b.WriteString(line + "\n")
			continue
		}
		if strings.HasPrefix(line, "- [") && len(line) > 6 {
			// "- [ ] " then the text, its later lines under the text.
			b.WriteString(line[:6] + strings.TrimPrefix(hangingWrap("      ", line[6:], width), "      "))
			continue
		}
		b.WriteString(hangingWrap("", line, width))
	}
	return b.String()
}

// tickInteractively lets the person toggle the manual items with a huh
// multi-select; items Pitstop settled stay as they are.
func tickInteractively(ctx context.Context, app *App, f *escalate.Filled) error {
	if app.Opts.Accessible || os.Getenv("TERM") == "dumb" {
		// Pitstop's own numbered prompts: huh's accessible ones are English only.
		ids, err := accessible.Tick(ctx, app.Opts.Lang, f, app.Stdin, app.Stdout)
		if err != nil {
			return &ExitError{Code: ExitInternal, Err: err}
		}
		for _, id := range ids {
			f.Toggle(id, app.Opts.Lang)
		}
		return nil
	}
	width, height := ttySize(app.Stdout)
	var selected []string
	form, err := tickForm(app, f, &selected, width, height)
	if err != nil {
		return &ExitError{Code: ExitInternal, Err: err}
	}
	before := slices.Clone(selected)
	form = form.WithInput(app.Stdin).WithOutput(app.Stdout)
	if err := form.RunWithContext(ctx); err != nil {
		if errors.Is(err, huh.ErrUserAborted) {
			return &ExitError{Code: ExitUsage, Err: errors.New(app.T("checklist.cancelled"))}
		}
		return &ExitError{Code: ExitInternal, Err: err}
	}
	for _, id := range f.ManualIDs() {
		if slices.Contains(before, id) != slices.Contains(selected, id) {
			f.Toggle(id, app.Opts.Lang)
		}
	}
	return nil
}

// tickForm builds the multi-select of the manual items, in Pitstop's theme,
// tall enough for every item when the terminal allows (height 0: unknown),
// with the toggle key named as the description names it.
func tickForm(app *App, f *escalate.Filled, selected *[]string, width, height int) (*huh.Form, error) {
	var opts []huh.Option[string]
	for _, it := range f.Items {
		if !it.Manual {
			continue
		}
		label := it.Label
		if it.Required {
			label += " *"
		}
		// huh breaks a label wider than the screen mid-word; cut it instead.
		if width > 20 {
			label = ansi.Truncate(label, width-8, "…")
		}
		done := it.State == escalate.Done
		if done {
			*selected = append(*selected, it.ID)
		}
		opts = append(opts, huh.NewOption(label, it.ID).Selected(done))
	}
	com, err := common.New(common.Options{Theme: app.markdownTheme(), Lang: app.Opts.Lang, Version: app.Version})
	if err != nil {
		return nil, err
	}
	// The title, the description and the help line around the options.
	rows := len(opts) + 5
	if height > 0 {
		rows = min(rows, max(6, height-2))
	}
	keys := common.HuhKeyMap(app.Opts.Lang)
	keys.MultiSelect.Toggle = key.NewBinding(key.WithKeys("space", "x"), key.WithHelp("space", com.T("key.toggle")))
	form := huh.NewForm(huh.NewGroup(
		huh.NewMultiSelect[string]().
			Title(f.Title).
			Description(app.T("checklist.tick_help")).
			Options(opts...).
			Height(rows).
			Value(selected),
	)).WithTheme(com.HuhTheme()).WithKeyMap(keys)
	if width > 0 {
		form = form.WithWidth(width)
	}
	return form, nil
}
