package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"pitstop/internal/check"
	"pitstop/internal/check/suite"
	"pitstop/internal/config"
	"pitstop/internal/fix"
	"pitstop/internal/i18n"
	"pitstop/internal/probe"
	"pitstop/internal/registry"
)

type fixOptions struct {
	Only   string
	Format string
	Apply  bool
	Yes    bool
}

var fixFormats = []string{"text", "json"}

func newFixCmd(app *App) *cobra.Command {
	var o fixOptions
	cmd := &cobra.Command{
		Use:  "fix",
		Args: app.args().none,
		RunE: func(cmd *cobra.Command, _ []string) error { return runFix(cmd.Context(), app, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.Only, "only", "", "")
	f.StringVar(&o.Format, "format", "text", "")
	f.BoolVar(&o.Apply, "apply", false, "")
	f.BoolVar(&o.Yes, "yes", false, "")
	return cmd
}

// fixReport is the JSON of `pitstop fix` (docs/ARCHITECTURE.md).
type fixReport struct {
	Profile  string         `json:"profile"`
	Fixes    []fix.Fix      `json:"fixes"`
	Verified []fix.Verified `json:"verified"`
}

func runFix(ctx context.Context, app *App, o fixOptions) error {
	format := strings.ToLower(o.Format)
	if !slices.Contains(fixFormats, format) {
		return app.formatErr(o.Format, fixFormats...)
	}
	if o.Yes && !o.Apply {
		return usageErrf("%s", app.T("fix.err.yes"))
	}
	ask := o.Apply && !o.Yes
	if ask && !isTerminal(app.Stdin) {
		return usageErrf("%s", app.T("fix.err.no_terminal"))
	}
	categories, err := suite.ParseOnly(o.Only)
	if err != nil {
		return usageErr(err)
	}
	cfg, p, err := app.LoadProfile()
	if err != nil {
		return err
	}
	if err := requireConfigured(app.Opts.Lang, p, categories); err != nil {
		return err
	}
	if len(registry.Configured(p)) == 0 && len(categories) == 0 {
		return app.noSettingsError()
	}
	var original []byte
	if cfg.Path != "" {
		if original, err = fix.ReadSettings(cfg.Path); err != nil && o.Apply {
			return usageErrf("%s", app.T("fix.err.read", err))
		}
	}

	progress, progressDone := app.progressLine()
	results, err := app.runChecks(ctx, categories, progress)
	progressDone()
	if err != nil {
		return err
	}
	if ctx.Err() != nil {
		return &ExitError{Code: ExitInterrupted, Err: errors.New(app.T("fix.err.interrupted"))}
	}
	fixes := app.proposeFixes(ctx, cfg.Path, p, results)
	if ctx.Err() != nil {
		return &ExitError{Code: ExitInterrupted, Err: errors.New(app.T("fix.err.interrupted"))}
	}

	var verified []fix.Verified
	if o.Apply {
		var accepted []*fix.Fix
		for i := range fixes {
			f := &fixes[i]
			if f.Kind != fix.KindConfig {
				continue
			}
			if ask {
				ok, err := app.confirmChange(ctx, f)
				if err != nil {
					return err
				}
				if !ok {
					continue
				}
			}
			accepted = append(accepted, f)
		}
		if len(accepted) > 0 {
			if err := fix.Apply(cfg.Path, p.Name, original, accepted); err != nil {
				return usageErr(err)
			}
			verified, err = app.verifyFixes(ctx, cfg.Path, p.Name, results, accepted)
			if err != nil {
				return err
			}
		}
	}

	var buf bytes.Buffer
	if format == "json" {
		rep := fixReport{Profile: p.Name, Fixes: fixes, Verified: verified}
		if rep.Fixes == nil {
			rep.Fixes = []fix.Fix{}
		}
		if rep.Verified == nil {
			rep.Verified = []fix.Verified{}
		}
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return &ExitError{Code: ExitInternal, Err: err}
		}
	} else {
		writeFixText(&buf, app.Opts.Lang, ttyWidth(app.Stdout), p.Name, results, fixes, verified, o.Apply)
	}
	if _, err := io.WriteString(app.Stdout, app.Scrubber().Scrub(buf.String())); err != nil {
		return &ExitError{Code: ExitInternal, Err: fmt.Errorf("%s: %w", app.T("fix.err.write"), err)}
	}
	if fix.Remaining(fixes) > 0 || slices.ContainsFunc(verified, func(v fix.Verified) bool { return v.After != check.Pass.String() }) {
		return &ExitError{Code: ExitFailed}
	}
	return nil
}

// proposeFixes proposes the fixes for a run's results; setting changes are
// confirmed by running their checks with the changed settings in memory.
func (a *App) proposeFixes(ctx context.Context, configPath string, p *config.Profile, results []check.Result) []fix.Fix {
	return fix.Propose(ctx, &fix.Input{
		Profile: p, ConfigPath: configPath, Results: results,
		Resolver: probe.NewResolver(p.Domain.DNSServer), Lang: a.Opts.Lang,
		Run: func(ctx context.Context, cand *config.Profile, ids []string) []check.Result {
			return a.checkRunner(nil).Run(ctx, suite.ForIDs(cand, ids))
		},
	})
}

// confirmChange shows a setting change as a diff and asks whether to apply
// it. Ctrl-C while asking is an interruption, not a "no".
func (a *App) confirmChange(ctx context.Context, f *fix.Fix) (bool, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "\n%s\n", f.Title)
	writeDiff(&b, f, "  ")
	b.WriteString(a.T("fix.ask") + " ")
	if _, err := io.WriteString(a.Stdout, a.Scrubber().Scrub(b.String())); err != nil {
		return false, err
	}
	answer := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(a.Stdin).ReadString('\n')
		answer <- line
	}()
	select {
	case <-ctx.Done():
		return false, &ExitError{Code: ExitInterrupted, Err: errors.New(a.T("fix.err.interrupted"))}
	case line := <-answer:
		return i18n.IsYes(a.Opts.Lang, line), nil
	}
}

// verifyFixes loads the settings as written and runs again only the checks
// the applied fixes affect, comparing each status with the first run.
func (a *App) verifyFixes(ctx context.Context, path, profile string, before []check.Result, applied []*fix.Fix) ([]fix.Verified, error) {
	cfg, err := config.Load(path)
	if err != nil {
		return nil, usageErr(fmt.Errorf("%s: %w", a.T("fix.err.reload"), err))
	}
	p, err := cfg.Profile(profile)
	if err != nil {
		return nil, usageErr(err)
	}
	var fixes []fix.Fix
	for _, f := range applied {
		fixes = append(fixes, *f)
	}
	ids := fix.Affected(fixes)
	after := a.checkRunner(nil).Run(ctx, suite.ForIDs(p, ids))
	if ctx.Err() != nil {
		return nil, &ExitError{Code: ExitInterrupted, Err: errors.New(a.T("fix.err.interrupted_after"))}
	}
	return fix.Compare(ids, before, after), nil
}

// writeDiff shows a fix's setting changes as a diff of the settings file.
func writeDiff(w io.Writer, f *fix.Fix, indent string) {
	for _, c := range f.Changes {
		fmt.Fprintf(w, "%s%s\n", indent, c.File)
		fmt.Fprintf(w, "%s- %s: %s\n", indent, c.Key, c.From)
		fmt.Fprintf(w, "%s+ %s: %s\n", indent, c.Key, c.To)
	}
}

// writeFixText is the text output of `pitstop fix`.
func writeFixText(w io.Writer, lang string, width int, profile string, results []check.Result, fixes []fix.Fix, verified []fix.Verified, applying bool) {
	t := func(key string, args ...any) string { return i18n.T(lang, "cli."+key, args...) }
	fmt.Fprintln(w, t("fix.heading", profile))
	if len(fixes) == 0 {
		bad := 0
		for _, r := range results {
			if r.Status.Bad() {
				bad++
			}
		}
		if bad == 0 {
			fmt.Fprintln(w, "\n"+t("fix.nothing"))
		} else {
			fmt.Fprintln(w, "\n"+i18n.N(lang, "cli.fix.none_certain", bad))
		}
		return
	}
	for _, kind := range []fix.Kind{fix.KindConfig, fix.KindDNS, fix.KindManual} {
		var these []fix.Fix
		for _, f := range fixes {
			if f.Kind == kind {
				these = append(these, f)
			}
		}
		if len(these) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s\n", i18n.Capitalize(kind.Name(lang, len(these))))
		for _, f := range these {
			mark := "•"
			if f.Applied {
				mark = "✓"
			}
			fmt.Fprintf(w, "\n  %s %s  (%s)\n", mark, f.Title, f.Check)
			fmt.Fprint(w, hangingWrap("    ", f.Summary, width))
			writeDiff(w, &f, "    ")
			for _, r := range f.Records {
				fmt.Fprintf(w, "    %s\n      %s\n", i18n.T(lang, "fix.zone"), r.ZoneLine())
				fmt.Fprintf(w, "    %s\n      %s\n", i18n.T(lang, "fix.console", r.Host(), r.Type, r.TTL), t("fix.value", r.Value))
				if r.Replaces != "" {
					fmt.Fprintf(w, "      %s\n", i18n.T(lang, "fix.replaces", r.Replaces))
				}
			}
			for _, s := range f.Steps {
				// A step's later lines hang under its first word.
				fmt.Fprint(w, "    - "+strings.TrimPrefix(hangingWrap("      ", s, width), "      "))
			}
			if f.Kind == fix.KindConfig && !f.Applied && !applying {
				fmt.Fprintln(w, "    "+t("fix.apply_with"))
			}
		}
	}
	if len(verified) > 0 {
		fmt.Fprintln(w, "\n"+t("fix.verified"))
		for _, v := range verified {
			fmt.Fprintf(w, "  %-20s %s → %s\n", v.ID, v.Before, v.After)
		}
	}
}
