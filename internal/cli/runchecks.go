package cli

import (
	"context"

	"pitstop/internal/check"
	"pitstop/internal/check/suite"
)

// runChecks runs the checks of the given categories (every configured one
// when empty) against the loaded profile, each under --timeout, with every
// result string passed through the scrubber. progress may be nil. It is the
// one way the commands that need check results (check, report, checklist
// prelaunch) run them.
func (a *App) runChecks(ctx context.Context, categories []string, progress func(check.Event)) ([]check.Result, error) {
	_, p, err := a.LoadProfile()
	if err != nil {
		return nil, err
	}
	runner := &check.Runner{Timeout: a.Opts.Timeout, Scrub: a.Scrubber().Scrub, Progress: progress}
	return runner.Run(ctx, suite.For(p, categories)), nil
}
