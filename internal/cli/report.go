package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"pitstop/internal/check"
	"pitstop/internal/check/suite"
	"pitstop/internal/escalate"
	"pitstop/internal/fix"
	"pitstop/internal/kb"
	"pitstop/internal/safefile"
	"pitstop/internal/wizard"
	"pitstop/knowledge"
)

// maxErrorFile bounds --error-file: a pasted error, not a whole log.
const maxErrorFile = 1 << 20

// reportOptions are the flags of `pitstop report`.
type reportOptions struct {
	Out       string
	Format    string
	Only      string
	Error     string
	ErrorFile string
	Steps     []string
	Impact    string
	DataLoss  bool
	AllUsers  bool
	Security  bool
	Expected  string
	Actual    string
	Done      []string
}

func newReportCmd(app *App) *cobra.Command {
	var o reportOptions
	cmd := &cobra.Command{
		Use:  "report",
		Args: app.args().none,
		RunE: func(cmd *cobra.Command, _ []string) error { return runReport(cmd.Context(), app, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.Out, "out", "", "")
	f.StringVar(&o.Format, "format", "markdown", "")
	f.StringVar(&o.Only, "only", "", "")
	f.StringVar(&o.Error, "error", "", "")
	f.StringVar(&o.ErrorFile, "error-file", "", "")
	f.StringArrayVar(&o.Steps, "step", nil, "")
	f.StringVar(&o.Impact, "impact", "", "")
	f.BoolVar(&o.DataLoss, "data-loss", false, "")
	f.BoolVar(&o.AllUsers, "all-users", false, "")
	f.BoolVar(&o.Security, "security", false, "")
	f.StringVar(&o.Expected, "expected", "", "")
	f.StringVar(&o.Actual, "actual", "", "")
	f.StringArrayVar(&o.Done, "done", nil, "")
	return cmd
}

func runReport(ctx context.Context, app *App, o reportOptions) error {
	if o.Format != "markdown" && o.Format != "json" {
		return app.formatErr(o.Format, "markdown", "json")
	}
	impact, err := escalate.ParseImpact(o.Impact)
	if err != nil {
		return usageErrf("%s", app.T("report.err.impact", o.Impact))
	}
	if o.Error != "" && o.ErrorFile != "" {
		return usageErrf("%s", app.T("report.err.both_errors"))
	}
	categories, err := suite.ParseOnly(o.Only)
	if err != nil {
		return usageErr(err)
	}
	errText := o.Error
	if o.ErrorFile != "" {
		if errText, err = readErrorFile(app, o.ErrorFile); err != nil {
			return usageErr(err)
		}
	}
	if o.Out != "" && o.Out != "-" {
		if err := app.checkOutPath(o.Out); err != nil {
			return err
		}
	}
	cfg, p, err := app.LoadProfile()
	if err != nil {
		return err
	}
	if err := requireConfigured(app.Opts.Lang, p, categories); err != nil {
		return err
	}
	policy, lists, err := app.loadEscalation()
	if err != nil {
		return err
	}
	if cl, ok := lists.Get(escalate.ChecklistEscalation); ok {
		if unknown := cl.UnknownDone(o.Done); len(unknown) > 0 {
			return usageErrf("%s", app.T("report.err.done", strings.Join(unknown, ", "), strings.Join(checklistItemIDs(cl), ", ")))
		}
	}
	base, err := app.Knowledge()
	if err != nil {
		return err
	}

	progress, progressDone := app.progressLine()
	results, err := app.runChecks(ctx, categories, progress)
	progressDone()
	if err != nil {
		return err
	}
	if ctx.Err() != nil {
		return &ExitError{Code: ExitFailed, Err: errors.New(app.T("report.err.interrupted"))}
	}
	in := escalate.ReportInput{
		Policy:     policy,
		Checklists: lists,
		Lang:       app.Opts.Lang,
		Now:        time.Now(),
		Env:        escalate.CollectEnvironment(os.Getenv, version(app.Version), app.Opts.Lang),
		Profile:    p,
		ConfigPath: cfg.Path,
		ConfigFlag: app.Opts.ConfigPath,
		Results:    results,
		Answers:    escalate.Answers{Impact: impact, DataLoss: o.DataLoss, AllAffected: o.AllUsers, Security: o.Security},
		ErrorText:  errText,
		Steps:      o.Steps,
		Expected:   o.Expected,
		Actual:     o.Actual,
		Done:       o.Done,
		Scrub:      app.Scrubber().Scrub,
	}
	in.Articles = base
	in.Matched = escalate.TopMatch(base, wizard.Evidence(p, errText, nil, nil))
	in.Fixes = fix.Infos(app.proposeFixes(ctx, cfg.Path, p, results), nil)
	rep, err := escalate.BuildReport(in)
	if err != nil {
		return &ExitError{Code: ExitInternal, Err: err}
	}
	var data []byte
	if o.Format == "json" {
		if data, err = rep.JSON(); err != nil {
			return &ExitError{Code: ExitInternal, Err: err}
		}
	} else {
		data = []byte(rep.Markdown())
	}
	if o.Out == "-" || o.Out == "/dev/stdout" {
		// Both mean standard output: written to, never renamed over.
		_, err := app.Stdout.Write(data)
		return err
	}
	path := o.Out
	if path == "" {
		ext := ".md"
		if o.Format == "json" {
			ext = ".json"
		}
		path = "pitstop-report-" + in.Now.Format("20060102-150405") + ext
	}
	if err := safefile.WriteAtomic(path, "--out", data, 0o600); err != nil {
		code := ExitInternal
		var se *safefile.Error
		if errors.As(err, &se) && se.Err == nil {
			code = ExitUsage // a link, a device, a FIFO or a folder: the wrong place
		}
		return &ExitError{Code: code, Err: fmt.Errorf("%s", app.T("report.err.save", err))}
	}
	a := rep.Assessment
	fmt.Fprintln(app.Stderr, app.T("report.written", path, a.SeverityLabel, a.TierName, escalate.FormatDuration(time.Duration(a.Response))))
	return nil
}

// checkOutPath says, before any check runs, why a report could not be saved
// at path: a folder that does not exist, or a folder given as the file.
func (app *App) checkOutPath(path string) error {
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return usageErrf("%s", app.T("report.err.out_folder", path, filepath.Join(path, "ticket.md")))
	}
	dir := filepath.Dir(path)
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return usageErrf("%s", app.T("report.err.out_no_dir", path, dir))
	case err != nil:
		return usageErrf("%s", app.T("report.err.out_dir", path, dir, err))
	case !info.IsDir():
		return usageErrf("%s", app.T("report.err.out_file", path, dir))
	}
	return nil
}

// readErrorFile reads --error-file (- is standard input), bounded.
func readErrorFile(app *App, path string) (string, error) {
	if path != "-" {
		data, err := safefile.Read(path, "--error-file", safefile.MaxPasted)
		if err != nil {
			return "", usageErr(err)
		}
		return string(data), nil
	}
	data, err := io.ReadAll(io.LimitReader(app.Stdin, maxErrorFile))
	if err != nil {
		return "", fmt.Errorf("--error-file: %w", err)
	}
	return string(data), nil
}

// loadEscalation loads the escalation policy and the checklists: the built-in
// ones, each replaced by the --kb directory's file when it has one. A broken
// file is a configuration error (exit 2).
func (a *App) loadEscalation() (*escalate.Policy, *escalate.Checklists, error) {
	policy, err := escalate.LoadPolicy(knowledge.FS, a.Opts.KBDir)
	if err != nil {
		return nil, nil, usageErr(err)
	}
	lists, err := escalate.LoadChecklists(knowledge.FS, a.Opts.KBDir)
	if err != nil {
		return nil, nil, usageErr(err)
	}
	return policy, lists, nil
}

// checkAssessment is the "assessment" of `pitstop check`: the escalation
// policy (the built-in one, or --kb's) applied to the results, weighing the
// severities of the articles they name — the same verdict `pitstop report`
// explains at length.
func (a *App) checkAssessment(results []check.Result) (escalate.Assessment, error) {
	policy, err := escalate.LoadPolicy(knowledge.FS, a.Opts.KBDir)
	if err != nil {
		return escalate.Assessment{}, usageErr(err)
	}
	if a.Opts.KBDir != "" {
		// An overlay is read now, so a broken --kb is said whatever passed.
		base, err := a.Knowledge()
		if err != nil {
			return escalate.Assessment{}, err
		}
		return assessWith(policy, base, results, a.Opts.Lang), nil
	}
	return assessWith(policy, &lazyArticles{load: a.Knowledge}, results, a.Opts.Lang), nil
}

// lazyArticles loads the knowledge base on its first lookup. An assessment
// looks up only the articles of results that did not pass, so a run where
// everything passes never parses the articles (3 ms of a 40 ms check).
type lazyArticles struct {
	load func() (*kb.Base, error)
	once sync.Once
	base *kb.Base
}

func (l *lazyArticles) Get(id string) (*kb.Article, bool) {
	l.once.Do(func() { l.base, _ = l.load() })
	if l.base == nil {
		return nil, false
	}
	return l.base.Get(id)
}

// assessmentOf applies policy to results; articles (may be nil) gives the
// articles' severities.
func assessmentOf(policy *escalate.Policy, articles escalate.ArticleLookup, results []check.Result) assessment {
	a := assessWith(policy, articles, results, "en")
	return assessment{Severity: a.Severity, Tier: a.Tier}
}

// assessWith is the whole assessment, its labels in lang.
func assessWith(policy *escalate.Policy, articles escalate.ArticleLookup, results []check.Result, lang string) escalate.Assessment {
	return policy.Assess(escalate.Input{Results: results, Articles: articles}, lang)
}

func checklistItemIDs(cl escalate.Checklist) []string {
	ids := make([]string, len(cl.Items))
	for i, it := range cl.Items {
		ids[i] = it.ID
	}
	return ids
}
