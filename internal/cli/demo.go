package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"pitstop/internal/demo"
)

// demoOptions are the flags of `pitstop demo`.
type demoOptions struct {
	Scenario string
	List     bool
	Serve    bool
	Format   string
}

func newDemoCmd(app *App) *cobra.Command {
	o := demoOptions{Scenario: demo.DefaultScenario}
	cmd := &cobra.Command{
		Use:  "demo",
		Args: app.args().none,
		RunE: func(cmd *cobra.Command, _ []string) error { return runDemo(cmd.Context(), app, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.Scenario, "scenario", o.Scenario, "")
	f.BoolVar(&o.List, "list", false, "")
	f.BoolVar(&o.Serve, "serve", false, "")
	f.StringVar(&o.Format, "format", "text", "")
	_ = cmd.RegisterFlagCompletionFunc("scenario", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return demo.ScenarioNames(), cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

func runDemo(ctx context.Context, app *App, o demoOptions) error {
	if o.Format != "text" && o.Format != "json" {
		return app.formatErr(o.Format, "text", "json")
	}
	if o.List {
		return listScenarios(app, o.Format)
	}
	if _, ok := demo.ScenarioByName(o.Scenario); !ok {
		return usageErrf("%s", app.T("demo.err.scenario", o.Scenario, strings.Join(demo.ScenarioNames(), ", ")))
	}
	if !o.Serve && !(isTerminal(app.Stdout) && isTerminal(app.Stdin)) {
		return usageErrf("%s", app.T("demo.err.no_terminal", o.Scenario))
	}
	if app.Opts.ConfigPath != "" || app.Opts.Profile != "" {
		slog.Info("demo ignores --config and --profile: it uses its own sandbox config")
	}
	sb, err := demo.StartSandbox(o.Scenario, demo.SandboxOptions{})
	if err != nil {
		return &ExitError{Code: ExitInternal, Err: fmt.Errorf("%s: %w", app.T("demo.err.start"), err)}
	}
	defer func() {
		if err := sb.Close(); err != nil {
			slog.Error("sandbox cleanup", "error", err.Error())
		}
		slog.Info("sandbox stopped", "scenario", o.Scenario)
	}()
	slog.Info("sandbox started", "scenario", o.Scenario, "config", sb.ConfigPath)

	app.Opts.ConfigPath, app.Opts.Profile = sb.ConfigPath, ""
	app.Sandbox = o.Scenario
	if _, _, err := app.LoadProfile(); err != nil {
		return &ExitError{Code: ExitInternal, Err: fmt.Errorf("%s: %w", app.T("demo.err.config"), err)}
	}
	if o.Serve {
		return serveDemo(ctx, app, sb, o.Format)
	}
	return runTUI(ctx, app)
}

// serveDemo prints the config path (alone on stdout's first line, so scripts
// can read it) and waits for Ctrl-C or SIGTERM.
func serveDemo(ctx context.Context, app *App, sb *demo.Sandbox, format string) error {
	app.stopsOnInterrupt.Store(true) // Ctrl-C is how it ends: exit 0, after cleaning up
	if format == "json" {
		out := struct {
			Scenario    string   `json:"scenario"`
			Description string   `json:"description"`
			Config      string   `json:"config"`
			Services    []string `json:"services"`
		}{sb.Scenario.Name, sb.Scenario.Describe(app.Opts.Lang), sb.ConfigPath, sb.Services()}
		if err := json.NewEncoder(app.Stdout).Encode(out); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(app.Stdout, sb.ConfigPath)
		w := app.Stderr
		width := ttyWidth(w)
		fmt.Fprintf(w, "\n%s\n", hangingWrap("", app.T("demo.running", sb.Scenario.Name, sb.Scenario.Describe(app.Opts.Lang)), width))
		for _, s := range sb.Services() {
			fmt.Fprintf(w, "  %s\n", s)
		}
		fmt.Fprintf(w, "\n%s\n", app.T("demo.try"))
		fmt.Fprintf(w, "  pitstop --config %s check\n", sb.ConfigPath)
		fmt.Fprintf(w, "  pitstop --config %s monitor --duration 30s\n", sb.ConfigPath)
		fmt.Fprintf(w, "  pitstop --config %s\n", sb.ConfigPath)
		fmt.Fprintf(w, "\n%s", hangingWrap("", app.T("demo.throwaway"), width))
	}
	<-ctx.Done()
	if format != "json" {
		fmt.Fprintln(app.Stderr, "\n"+app.T("demo.stopping"))
	}
	return nil
}

// listScenarios prints each scenario's name and one-line description.
func listScenarios(app *App, format string) error {
	scs := demo.Scenarios()
	if format == "json" {
		type item struct {
			Name        string `json:"name"`
			Description string `json:"description"`
			Default     bool   `json:"default"`
		}
		out := struct {
			Scenarios []item `json:"scenarios"`
		}{}
		for _, s := range scs {
			out.Scenarios = append(out.Scenarios, item{s.Name, s.Describe(app.Opts.Lang), s.Name == demo.DefaultScenario})
		}
		enc := json.NewEncoder(app.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := tabwriter.NewWriter(app.Stdout, 0, 0, 2, ' ', 0)
	for _, s := range scs {
		name := s.Name
		if s.Name == demo.DefaultScenario {
			name = app.T("config.default", name)
		}
		fmt.Fprintf(tw, "%s\t%s\n", name, s.Describe(app.Opts.Lang))
	}
	return tw.Flush()
}
