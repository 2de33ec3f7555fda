package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	xterm "github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"pitstop/internal/config"
	"pitstop/internal/tui"
	"pitstop/internal/tui/accessible"
	"pitstop/internal/tui/common"
)

// newTUICmd is `pitstop tui`, the same wizard as `pitstop` alone.
func newTUICmd(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:  "tui",
		Args: app.args().none,
		RunE: func(cmd *cobra.Command, _ []string) error { return runTUI(cmd.Context(), app) },
	}
	return cmd
}

// runTUI opens the wizard on the loaded profile (app.Sandbox, set by
// `pitstop demo`, shows a sandbox banner).
func runTUI(ctx context.Context, app *App) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	com, err := newWizardCommon(ctx, app)
	if err != nil {
		return err
	}
	if useAccessible(app) {
		if err := accessible.Run(ctx, com, app.Stdin, app.Stdout); err != nil {
			if errors.Is(err, context.Canceled) {
				app.interrupted = true
				return nil
			}
			return &ExitError{Code: ExitInternal, Err: fmt.Errorf("wizard: %w", err)}
		}
		return nil
	}
	opts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithInput(app.Stdin), tea.WithOutput(app.Stdout)}
	if app.Opts.NoColor {
		opts = append(opts, tea.WithColorProfile(colorprofile.Ascii))
	}
	if _, err := tea.NewProgram(tui.New(com), opts...).Run(); err != nil {
		if errors.Is(err, tea.ErrInterrupted) || errors.Is(err, context.Canceled) {
			// Ctrl-C in the wizard: run exits 130. Not an error to show:
			// styling one would query a terminal that has just been left.
			app.interrupted = true
			return nil
		}
		if errors.Is(err, tea.ErrProgramKilled) {
			return nil
		}
		return &ExitError{Code: ExitInternal, Err: fmt.Errorf("wizard: %w", err)}
	}
	return nil
}

// newWizardCommon loads the settings and the knowledge base for the wizard.
func newWizardCommon(ctx context.Context, app *App) (*common.Common, error) {
	cfg, profile, err := app.LoadProfile()
	if err != nil {
		return nil, err
	}
	base, err := app.Knowledge()
	if err != nil {
		return nil, err
	}
	policy, lists, err := app.loadEscalation()
	if err != nil {
		return nil, err
	}
	path := cfg.Path
	if path == "" {
		path = app.Opts.ConfigPath
	}
	if path == "" {
		path = config.DefaultPath()
	}
	com, err := common.New(common.Options{Theme: app.Opts.Theme,
		KB:         base,
		Config:     cfg,
		Profile:    profile,
		ConfigPath: path,
		Lang:       app.Opts.Lang,
		Sandbox:    app.Sandbox,
		Timeout:    app.Opts.Timeout,
		Version:    version(app.Version),
		Ctx:        ctx,
		Policy:     policy,
		Checklists: lists,
	})
	if err != nil {
		return nil, &ExitError{Code: ExitInternal, Err: err}
	}
	return com, nil
}

// useAccessible picks plain prompts: asked for, a dumb terminal, or input
// or output that is not a terminal (a pipe cannot show screens).
func useAccessible(app *App) bool {
	if app.Opts.Accessible || os.Getenv("TERM") == "dumb" {
		return true
	}
	return !isTTY(app.Stdin) || !isTTY(app.Stdout)
}

// isTTY reports whether v (stdin or stdout) is a terminal.
func isTTY(v any) bool {
	f, ok := v.(interface{ Fd() uintptr })
	if !ok {
		return false
	}
	return xterm.IsTerminal(f.Fd())
}
