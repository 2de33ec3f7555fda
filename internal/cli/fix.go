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
		Use:   "fix",
		Short: "Fix what fails: settings, DNS, manual steps",
		Long: `Fix runs the checks and proposes a fix wherever one is certain: a setting change
Pitstop can make in your settings file, the exact DNS records to publish, or the
steps to take at a provider. A setting change is proposed only after the checks
pass with it. Everything else keeps pointing at its knowledge articles.

With --apply, each setting change is shown as a diff and applied when you agree
(--yes agrees to all, for scripts); the file keeps its comments, order and mode.
Then the checks the changes affect run again, and their status before and after
is shown. Secrets from the environment are never written into the file.

Exit codes: 0 nothing left to fix (or every change applied and verified),
1 fixes remain (records to publish, manual steps, declined changes),
2 usage or configuration error, 130 interrupted.`,
		Example: `  pitstop fix                      # what can be fixed, and how
  pitstop fix --apply              # apply setting changes, asking for each
  pitstop fix --apply --yes        # unattended
  pitstop fix --only domain --format json | jq '.fixes[].records'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runFix(cmd.Context(), app, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.Only, "only", "", onlyHelp())
	f.StringVar(&o.Format, "format", "text", "output: "+strings.Join(fixFormats, ", "))
	f.BoolVar(&o.Apply, "apply", false, "apply the setting changes, then check again")
	f.BoolVar(&o.Yes, "yes", false, "with --apply: no questions")
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
		return usageErrf("--format is %q; expected one of: %s", o.Format, strings.Join(fixFormats, ", "))
	}
	if o.Yes && !o.Apply {
		return usageErrf("--yes only makes sense with --apply")
	}
	ask := o.Apply && !o.Yes
	if ask && !isTerminal(app.Stdin) {
		return usageErrf("--apply asks before each change, but standard input is not a terminal; add --yes to apply unattended")
	}
	categories, err := suite.ParseOnly(o.Only)
	if err != nil {
		return usageErr(err)
	}
	cfg, p, err := app.LoadProfile()
	if err != nil {
		return err
	}
	if err := requireConfigured(p, categories); err != nil {
		return err
	}
	if len(registry.Configured(p)) == 0 && len(categories) == 0 {
		return noSettingsError()
	}
	var original []byte
	if cfg.Path != "" {
		if original, err = fix.ReadSettings(cfg.Path); err != nil && o.Apply {
			return usageErrf("cannot apply changes to the settings file: %v", err)
		}
	}

	progress, progressDone := app.progressLine()
	results, err := app.runChecks(ctx, categories, progress)
	progressDone()
	if err != nil {
		return err
	}
	if ctx.Err() != nil {
		return &ExitError{Code: ExitInterrupted, Err: errors.New("interrupted: nothing was changed")}
	}
	fixes := app.proposeFixes(ctx, cfg.Path, p, results)
	if ctx.Err() != nil {
		return &ExitError{Code: ExitInterrupted, Err: errors.New("interrupted: nothing was changed")}
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
		writeFixText(&buf, app.localize, ttyWidth(app.Stdout), p.Name, results, fixes, verified, o.Apply)
	}
	if _, err := io.WriteString(app.Stdout, app.Scrubber().Scrub(buf.String())); err != nil {
		return &ExitError{Code: ExitInternal, Err: fmt.Errorf("could not write the fixes: %w", err)}
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
	b.WriteString(a.localize("Apply this change? [y/N] ", "¿Aplicar este cambio? [s/N] "))
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
		return false, &ExitError{Code: ExitInterrupted, Err: errors.New("interrupted: nothing was changed")}
	case line := <-answer:
		line = strings.ToLower(strings.TrimSpace(line))
		return line == "y" || line == "yes" || line == "s" || line == "sí" || line == "si", nil
	}
}

// verifyFixes loads the settings as written and runs again only the checks
// the applied fixes affect, comparing each status with the first run.
func (a *App) verifyFixes(ctx context.Context, path, profile string, before []check.Result, applied []*fix.Fix) ([]fix.Verified, error) {
	cfg, err := config.Load(path)
	if err != nil {
		return nil, usageErr(fmt.Errorf("the settings were changed but do not load again: %w", err))
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
		return nil, &ExitError{Code: ExitInterrupted, Err: errors.New("interrupted after the changes were written; run pitstop check to see where things stand")}
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
func writeFixText(w io.Writer, tr func(en, es string) string, width int, profile string, results []check.Result, fixes []fix.Fix, verified []fix.Verified, applying bool) {
	fmt.Fprintf(w, tr("Fixes for profile %s\n", "Arreglos para el perfil %s\n"), profile)
	if len(fixes) == 0 {
		bad := 0
		for _, r := range results {
			if r.Status.Bad() {
				bad++
			}
		}
		if bad == 0 {
			fmt.Fprintln(w, tr("\nNothing to fix: every check passed.", "\nNada que arreglar: todas las comprobaciones pasaron."))
		} else {
			fmt.Fprintf(w, tr("\nNo certain fix for what needs attention (%d checks); `pitstop check -v` lists them with the articles to read.\n",
				"\nNo hay un arreglo seguro para lo que necesita atención (%d comprobaciones); `pitstop check -v` las enumera con los artículos que leer.\n"), bad)
		}
		return
	}
	groups := []struct {
		kind  fix.Kind
		title string
	}{
		{fix.KindConfig, tr("Setting changes Pitstop can make", "Cambios de ajustes que Pitstop puede hacer")},
		{fix.KindDNS, tr("DNS records to publish", "Registros DNS que publicar")},
		{fix.KindManual, tr("Steps to take yourself", "Pasos que dar tú")},
	}
	for _, g := range groups {
		var these []fix.Fix
		for _, f := range fixes {
			if f.Kind == g.kind {
				these = append(these, f)
			}
		}
		if len(these) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s\n", g.title)
		for _, f := range these {
			mark := "•"
			if f.Applied {
				mark = "✓"
			}
			fmt.Fprintf(w, "\n  %s %s  (%s)\n", mark, f.Title, f.Check)
			fmt.Fprint(w, hangingWrap("    ", f.Summary, width))
			writeDiff(w, &f, "    ")
			for _, r := range f.Records {
				fmt.Fprintf(w, tr("    Zone file:\n      %s\n", "    Archivo de zona:\n      %s\n"), r.ZoneLine())
				fmt.Fprintf(w, tr("    In your DNS provider's console: host %s · type %s · TTL %d\n      value: %s\n",
					"    En la consola de tu proveedor DNS: host %s · tipo %s · TTL %d\n      valor: %s\n"), r.Host(), r.Type, r.TTL, r.Value)
				if r.Replaces != "" {
					fmt.Fprintf(w, tr("      replaces: %s\n", "      sustituye a: %s\n"), r.Replaces)
				}
			}
			for _, s := range f.Steps {
				// A step's later lines hang under its first word.
				fmt.Fprint(w, "    - "+strings.TrimPrefix(hangingWrap("      ", s, width), "      "))
			}
			if f.Kind == fix.KindConfig && !f.Applied && !applying {
				fmt.Fprintln(w, tr("    Apply with: pitstop fix --apply", "    Aplícalo con: pitstop fix --apply"))
			}
		}
	}
	if len(verified) > 0 {
		fmt.Fprintln(w, tr("\nChecked again after the changes", "\nComprobado de nuevo tras los cambios"))
		for _, v := range verified {
			fmt.Fprintf(w, "  %-20s %s → %s\n", v.ID, v.Before, v.After)
		}
	}
}
