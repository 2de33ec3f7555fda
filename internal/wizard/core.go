// Package wizard is the core of the guided flow, shared by the full-screen
// wizard and the accessible one: the settings and knowledge a session
// works from, the Session itself, which families apply, how the checks
// run, how typed settings are applied and saved, and how an escalation is
// prepared. It draws nothing and imports no UI library: screens render
// and send messages; what they decide goes through here.
package wizard

import (
	"context"
	"errors"
	"fmt"
	"time"

	"pitstop/internal/check"
	"pitstop/internal/check/suite"
	"pitstop/internal/config"
	"pitstop/internal/escalate"
	"pitstop/internal/fix"
	"pitstop/internal/i18n"
	"pitstop/internal/kb"
	"pitstop/internal/registry"
	"pitstop/knowledge"
)

// Core is what one wizard session works from and the Session it fills.
type Core struct {
	KB         *kb.Base
	Config     *config.Config
	Profile    *config.Profile // the active profile as loaded
	ConfigPath string          // where "save to my config" writes
	Scrubber   *config.Scrubber
	Lang       string // one of i18n.Languages
	Version    string
	// Sandbox, when set, names the built-in sandbox the settings point at.
	Sandbox string

	// Timeout bounds each check.
	Timeout time.Duration
	// Now is the clock; tests fix it.
	Now func() time.Time
	// Checks builds the checks of some families for a profile (suite.For);
	// tests replace it with stubs.
	Checks func(p *config.Profile, families []string) []check.Check
	// Propose proposes fixes for results (fix.Propose); tests replace it
	// with stubs that make no DNS or network request.
	Propose func(ctx context.Context, in *fix.Input) []fix.Fix
	// Ctx is cancelled when the program ends: running checks stop.
	Ctx context.Context

	// Policy and Checklists are the escalation policy and checklists (the
	// built-in ones, or those of --kb).
	Policy     *escalate.Policy
	Checklists *escalate.Checklists

	// Session is the guided run in progress.
	Session *Session
}

// Options configure New.
type Options struct {
	KB         *kb.Base
	Config     *config.Config
	Profile    *config.Profile
	ConfigPath string
	Lang       string
	// Theme names the full-screen wizard's theme ("" follows the terminal
	// background); the core itself draws nothing and ignores it.
	Theme   string
	Sandbox string
	Timeout time.Duration
	Version string
	Now     func() time.Time
	Ctx     context.Context
	// Policy and Checklists: nil means the built-in ones.
	Policy     *escalate.Policy
	Checklists *escalate.Checklists
}

// New builds the core. A missing config or profile gives an empty one, so
// the wizard can still ask for every setting. It fails when the built-in
// escalation policy or checklists, needed and not given, do not load.
func New(o Options) (*Core, error) {
	c := &Core{
		KB:         o.KB,
		Config:     o.Config,
		Profile:    o.Profile,
		ConfigPath: o.ConfigPath,
		Lang:       o.Lang,
		Sandbox:    o.Sandbox,
		Timeout:    o.Timeout,
		Version:    o.Version,
		Now:        o.Now,
		Ctx:        o.Ctx,
		Checks:     suite.For,
		Propose:    fix.Propose,
		Session:    &Session{},
		Policy:     o.Policy,
		Checklists: o.Checklists,
	}
	var errs []error
	if c.Policy == nil {
		p, err := escalate.LoadPolicy(knowledge.FS, "")
		if err != nil {
			errs = append(errs, fmt.Errorf("built-in escalation policy: %w", err))
		}
		c.Policy = p
	}
	if c.Checklists == nil {
		l, err := escalate.LoadChecklists(knowledge.FS, "")
		if err != nil {
			errs = append(errs, fmt.Errorf("built-in checklists: %w", err))
		}
		c.Checklists = l
	}
	if c.Config == nil {
		c.Config = config.FromEnv()
	}
	if c.Profile == nil {
		c.Profile, _ = c.Config.Profile("")
		if c.Profile == nil {
			c.Profile = &config.Profile{Name: "default"}
		}
	}
	c.Scrubber = c.Config.Scrubber()
	if !i18n.Supported(c.Lang) {
		c.Lang = i18n.English
	}
	if c.Timeout <= 0 {
		c.Timeout = check.DefaultTimeout
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Ctx == nil {
		c.Ctx = context.Background()
	}
	return c, errors.Join(errs...)
}

// Scrub masks every loaded secret in s (and every secret the user typed).
func (c *Core) Scrub(s string) string { return c.Scrubber.Scrub(s) }

// AddSecret makes the scrubber mask a secret the user typed, too.
func (c *Core) AddSecret(s config.Secret) {
	if !s.IsSet() {
		return
	}
	c.Session.typed = append(c.Session.typed, s)
	c.Scrubber = config.NewScrubber(append(c.Config.Secrets(), c.Session.typed...)...)
}

// Elapsed returns how long ago t was by the injected clock.
func (c *Core) Elapsed(t time.Time) time.Duration { return c.Now().Sub(t) }

// Runner is the one way the wizard runs checks: the session's timeout,
// scrubber, clock and language. progress may be nil.
func (c *Core) Runner(progress func(check.Event)) *check.Runner {
	return &check.Runner{Timeout: c.Timeout, Scrub: c.Scrubber.Scrub, Now: c.Now, Lang: c.Lang, Progress: progress}
}

// Plan returns the profile and the families a run uses: the session's
// choices in the guided flow, every configured family otherwise (the
// health check, a checklist, an escalation with no run yet). It fills the
// session's profile when there is none yet, and, for everything, its
// families; it runs in Update, never in a screen's constructor.
func (c *Core) Plan(everything bool) (*config.Profile, []string) {
	s := c.Session
	if s.Profile == nil {
		s.Profile = CloneProfile(c.Profile)
	}
	if everything && len(s.Categories) == 0 {
		s.Categories = registry.Configured(s.Profile)
	}
	return s.Profile, s.Categories
}

// EveryConfigured returns the checks of every family the session's profile
// (or the loaded one) configures, without touching the session.
func (c *Core) EveryConfigured() []check.Check {
	p := c.Session.Profile
	if p == nil {
		p = CloneProfile(c.Profile)
	}
	return c.Checks(p, registry.Configured(p))
}

// RunLater reads what a run needs from the session now (call it in Update,
// or in the accessible wizard's own loop) and returns the slow part: run
// the checks, then rank the articles from every piece of evidence. The
// caller records the outcome with Session.Record.
func (c *Core) RunLater(checks []check.Check, progress func(check.Event)) func(ctx context.Context) ([]check.Result, []kb.Match) {
	evidence, base, runner := c.Session.Evidence(), c.KB, c.Runner(progress)
	if c.Session.Profile == nil {
		evidence.Providers = Providers(c.Profile)
	}
	return func(ctx context.Context) ([]check.Result, []kb.Match) {
		results := runner.Run(ctx, checks)
		evidence.Results = results
		var matches []kb.Match
		if base != nil {
			matches = base.Match(evidence)
		}
		return results, matches
	}
}
