package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"pitstop/internal/check"
	"pitstop/internal/check/suite"
	"pitstop/internal/escalate"
	"pitstop/internal/kb"
	"pitstop/internal/registry"
	"pitstop/knowledge"
)

// checkOptions are the flags of `pitstop check`.
type checkOptions struct {
	Only    string
	Format  string
	Strict  bool
	Verbose bool
}

// checkFormats are the values --format accepts.
var checkFormats = []string{"text", "json", "junit", "markdown"}

func newCheckCmd(app *App) *cobra.Command {
	var o checkOptions
	cmd := &cobra.Command{
		Use:  "check",
		Args: app.args().none,
		RunE: func(cmd *cobra.Command, _ []string) error { return runCheck(cmd.Context(), app, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.Only, "only", "", "")
	f.StringVar(&o.Format, "format", "text", "")
	f.BoolVar(&o.Strict, "strict", false, "")
	f.BoolVarP(&o.Verbose, "verbose", "v", false, "")
	return cmd
}

func runCheck(ctx context.Context, app *App, o checkOptions) error {
	format := strings.ToLower(o.Format)
	if !slices.Contains(checkFormats, format) {
		return app.formatErr(o.Format, checkFormats...)
	}
	categories, err := suite.ParseOnly(o.Only)
	if err != nil {
		return usageErr(err)
	}
	cfg, p, err := app.LoadProfile()
	if err != nil {
		return err
	}
	if len(categories) == 0 && len(registry.Configured(p)) == 0 && cfg.Path == "" {
		return app.noSettingsError()
	}
	if err := requireConfigured(app.Opts.Lang, p, categories); err != nil {
		return err
	}
	if len(categories) == 0 && len(registry.Configured(p)) == 0 {
		return usageErrf("%s", app.T("err.nothing_configured", p.Name))
	}
	start := time.Now()
	progress, progressDone := app.progressLine()
	results, err := app.runChecks(ctx, categories, progress)
	progressDone()
	if err != nil {
		return err
	}
	run := newCheckRun(p.Name, results, time.Since(start), o.Strict)
	run.Lang = app.Opts.Lang
	run.Interrupted = ctx.Err() != nil
	full, err := app.checkAssessment(results)
	if err != nil {
		return err
	}
	run.Assessment = assessment{Severity: full.Severity, Tier: full.Tier}
	run.SeverityLabel, run.TierName = full.SeverityLabel, full.TierName
	slog.Info("check run", "profile", p.Name, "checks", len(results), "pass", run.Summary.Pass, "warn", run.Summary.Warn,
		"fail", run.Summary.Fail, "skip", run.Summary.Skip, "error", run.Summary.Error, "ms", run.Elapsed.Milliseconds())

	var buf bytes.Buffer
	switch format {
	case "json":
		err = run.writeJSON(&buf)
	case "junit":
		err = run.writeJUnit(&buf)
	case "markdown":
		err = run.writeMarkdown(&buf)
	default:
		err = run.writeText(&buf, newTextStyles(), o.Verbose, ttyWidth(app.Stdout))
	}
	if err != nil {
		return &ExitError{Code: ExitInternal, Err: fmt.Errorf("%s: %w", app.T("err.format_results"), err)}
	}
	// The runner scrubbed every result already; this pass also covers
	// anything the formats added.
	out := app.Scrubber().Scrub(buf.String())
	w := app.Stdout
	if format == "text" {
		cw := colorprofile.NewWriter(app.Stdout, os.Environ())
		if app.Opts.NoColor {
			cw.Profile = colorprofile.NoTTY
		}
		w = cw
	}
	if _, err := w.Write([]byte(out)); err != nil {
		return &ExitError{Code: ExitInternal, Err: fmt.Errorf("%s: %w", app.T("err.write_results"), err)}
	}
	if run.Interrupted {
		app.interrupted = true // run exits 130
		return nil
	}
	if !run.Summary.OK(o.Strict) {
		return &ExitError{Code: ExitFailed}
	}
	return nil
}

// ttyWidth is the width of w when it is a terminal, else 0 (no wrapping).
func ttyWidth(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return 0
	}
	width, _, err := term.GetSize(f.Fd())
	if err != nil {
		return 0
	}
	return width
}

// checkRun is one run's results, ready to format.
type checkRun struct {
	Profile    string
	Results    []check.Result
	Summary    check.Summary
	Assessment assessment
	Elapsed    time.Duration
	Strict     bool
	// Lang is the language of the text and Markdown outputs ("" is English;
	// JSON and JUnit are for machines and stay as they are).
	Lang string
	// SeverityLabel and TierName name the assessment for people, in Lang
	// ("" before the policy was applied: the ids are shown instead).
	SeverityLabel, TierName string
	// Interrupted is set when Ctrl-C stopped the run: the results are
	// incomplete and the run does not pass.
	Interrupted bool
}

func newCheckRun(profile string, results []check.Result, elapsed time.Duration, strict bool) *checkRun {
	return &checkRun{
		Profile:    profile,
		Results:    results,
		Summary:    check.Summarize(results),
		Assessment: assessResults(results),
		Elapsed:    elapsed,
		Strict:     strict,
	}
}

// assessment is the JSON "assessment" object: {"severity","tier"}.
type assessment struct {
	Severity string `json:"severity"`
	Tier     string `json:"tier"`
}

// assessResults is the escalation assessment of a run with the built-in
// policy and knowledge base (see assessmentOf); runCheck replaces it with
// app.checkAssessment, which honours --kb and --lang.
func assessResults(results []check.Result) assessment {
	policy, err := escalate.LoadPolicy(knowledge.FS, "")
	if err != nil {
		return assessment{}
	}
	load := func() (*kb.Base, error) {
		base, _, err := kb.Load(knowledge.FS, "", "en")
		return base, err
	}
	return assessmentOf(policy, &lazyArticles{load: load}, results)
}

// ttySize is the terminal's width and height behind w, 0, 0 when w is not a
// terminal.
func ttySize(w io.Writer) (int, int) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return 0, 0
	}
	width, height, err := term.GetSize(f.Fd())
	if err != nil {
		return 0, 0
	}
	return width, height
}
