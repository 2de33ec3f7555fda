package cli

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/charmbracelet/x/ansi"

	"pitstop/internal/check"
	"pitstop/internal/check/suite"
	"pitstop/internal/config"
	"pitstop/internal/i18n"
	"pitstop/internal/registry"
)

// progressLine shows, on stderr when it is a terminal, how far a run is
// ("Checking… 12 of 22 done; waiting for smtp.auth"), so a slow check does
// not look like a hang; done clears the line. Both are no-ops elsewhere.
func (a *App) progressLine() (progress func(check.Event), done func()) {
	if !isTerminal(a.Stderr) || os.Getenv("TERM") == "dumb" {
		return nil, func() {}
	}
	var mu sync.Mutex
	finished := 0
	var running []string
	progress = func(ev check.Event) {
		mu.Lock()
		defer mu.Unlock()
		if ev.Kind == check.Started {
			running = append(running, ev.ID)
		} else {
			finished++
			running = slices.DeleteFunc(running, func(id string) bool { return id == ev.ID })
		}
		line := a.T("progress.done", finished, ev.Total)
		if len(running) > 0 {
			line = a.T("progress.waiting", finished, ev.Total, strings.Join(running[:min(len(running), 3)], ", "))
		}
		fmt.Fprintf(a.Stderr, "\r\x1b[K%s", ansi.Truncate(line, max(ttyWidth(a.Stderr)-1, 20), "…"))
	}
	return progress, func() {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprint(a.Stderr, "\r\x1b[K")
	}
}

// enablingSettings names what configures a family, for messages:
// "api.provider, api.base_url or api.key".
func enablingSettings(lang, id string) string {
	f, ok := registry.Get(id)
	if !ok {
		return id
	}
	keys := f.Enabling()
	if len(keys) == 1 {
		return keys[0]
	}
	return i18n.JoinOr(lang, keys)
}

// requireConfigured is the usage error for --only naming a category the
// profile does not configure: its checks would all be skipped and the run
// would pass without testing anything.
func requireConfigured(lang string, p *config.Profile, categories []string) error {
	var missing, keys []string
	for _, c := range categories {
		if !p.Configured(c) {
			missing = append(missing, c)
			keys = append(keys, enablingSettings(lang, c))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return usageErrf("%s", i18n.N(lang, "cli.err.only_unconfigured", len(missing), strings.Join(missing, ","), p.Name, strings.Join(keys, "; ")))
}

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
	return a.checkRunner(progress).Run(ctx, suite.For(p, categories)), nil
}

// checkRunner is the runner every command uses: --timeout, the scrubber,
// the language.
func (a *App) checkRunner(progress func(check.Event)) *check.Runner {
	return &check.Runner{Timeout: a.Opts.Timeout, Scrub: a.Scrubber().Scrub, Progress: progress, Lang: a.Opts.Lang}
}
