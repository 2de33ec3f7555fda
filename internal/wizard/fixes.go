package wizard

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"pitstop/internal/check"
	"pitstop/internal/check/suite"
	"pitstop/internal/config"
	"pitstop/internal/escalate"
	"pitstop/internal/fix"
	"pitstop/internal/i18n"
	"pitstop/internal/probe"
)

// Proposal is what proposing fixes found: the fixes, and the settings file
// as it was read then (apply refuses to write over a file changed since).
type Proposal struct {
	Fixes    []fix.Fix
	Settings []byte
	// Run is the run the fixes were proposed for (Session.Runs): a
	// proposal that arrives after a newer run is dropped.
	Run int
}

// Applied is the outcome of applying one fix: the fix (marked applied), the
// affected checks before and after, and their new results.
type Applied struct {
	Fix      fix.Fix
	Verified []fix.Verified
	Results  []check.Result
	// Profile is the profile as the file now holds it, and Settings the
	// file's text, which the next apply expects to find.
	Profile  *config.Profile
	Settings []byte
	Err      error
}

// rerun runs the named checks (and what they require) on a profile.
func (c *Core) rerun(runner *check.Runner) func(ctx context.Context, p *config.Profile, ids []string) []check.Result {
	checks := c.Checks
	return func(ctx context.Context, p *config.Profile, ids []string) []check.Result {
		return runner.Run(ctx, suite.Select(checks(p, suite.FamiliesOf(ids)), ids))
	}
}

// FixesLater reads what proposing fixes needs from the session now (call it
// in Update) and returns the slow part: read the settings file, then propose
// the fixes for the last run's results (setting changes are tried in memory
// first, so this runs checks too).
func (c *Core) FixesLater() func(ctx context.Context) Proposal {
	s := c.Session
	p := s.Profile
	if p == nil {
		p = c.Profile
	}
	in := &fix.Input{
		Profile: CloneProfile(p), ConfigPath: c.ConfigPath, Results: slices.Clone(s.Results),
		Resolver: probe.NewResolver(p.Domain.DNSServer), Lang: c.Lang,
		Run: c.rerun(c.Runner(nil)),
	}
	path, propose, runNo := c.ConfigPath, c.Propose, s.Runs
	return func(ctx context.Context) Proposal {
		var settings []byte
		if path != "" {
			var err error
			if settings, err = fix.ReadSettings(path); err != nil {
				in.ConfigPath = "" // nothing can be applied: the fixes say what to change instead
			}
		}
		return Proposal{Fixes: propose(ctx, in), Settings: settings, Run: runNo}
	}
}

// RecordFixes stores proposed fixes in the session.
func (s *Session) RecordFixes(p Proposal) {
	if p.Run != s.Runs {
		return // proposed for an older run's results
	}
	s.Fixes, s.settings = p.Fixes, p.Settings
}

// FixesFor returns the fixes for one check's result.
func (s *Session) FixesFor(checkID string) []fix.Fix {
	var out []fix.Fix
	for _, f := range s.Fixes {
		if f.Check == checkID {
			out = append(out, f)
		}
	}
	return out
}

// ApplyLater reads what applying a setting fix needs from the session now
// and returns the slow part: write the change into the settings file (as
// pitstop fix --apply does), load the settings again and run the checks the
// change affects. The caller records the outcome with Session.RecordApplied.
func (c *Core) ApplyLater(f fix.Fix) func(ctx context.Context) Applied {
	s := c.Session
	path, settings, lang := c.ConfigPath, s.settings, c.Lang
	profile := c.Profile.Name
	before := slices.Clone(s.Results)
	runner := c.Runner(nil)
	run := c.rerun(runner)
	return func(ctx context.Context) Applied {
		out := Applied{Fix: f}
		if f.Kind != fix.KindConfig {
			out.Err = errors.New(i18n.T(lang, "wizard.apply.not_setting"))
			return out
		}
		if path == "" {
			out.Err = errors.New(i18n.T(lang, "wizard.apply.from_env"))
			return out
		}
		if err := fix.Apply(path, profile, settings, []*fix.Fix{&out.Fix}); err != nil {
			out.Err = err
			return out
		}
		cfg, err := config.Load(path)
		if err != nil {
			out.Err = fmt.Errorf("%s: %w", i18n.T(lang, "wizard.apply.no_longer_loads"), err)
			return out
		}
		p, err := cfg.Profile(profile)
		if err != nil {
			out.Err = err
			return out
		}
		out.Profile = p
		out.Settings, _ = fix.ReadSettings(path)
		ids := fix.Affected([]fix.Fix{f})
		out.Results = run(ctx, p, ids)
		out.Verified = fix.Compare(ids, before, out.Results)
		return out
	}
}

// RecordApplied stores the outcome of applying a fix: the session's settings
// take the changed values as the file now holds them (values typed in the
// wizard and not saved stay), the re-run checks replace their old results,
// and the file as written is what the next apply expects to find.
func (c *Core) RecordApplied(a Applied) {
	s := c.Session
	if a.Err != nil {
		return
	}
	for i := range s.Fixes {
		if s.Fixes[i].ID == a.Fix.ID {
			s.Fixes[i].Applied = true
		}
	}
	s.Verified = append(s.Verified, a.Verified...)
	for _, r := range a.Results {
		for i := range s.Results {
			if s.Results[i].ID == r.ID {
				s.Results[i] = r
			}
		}
	}
	if a.Settings != nil {
		s.settings = a.Settings
	}
	if s.Profile != nil && a.Profile != nil {
		for _, ch := range a.Fix.Changes {
			if field := settingOf(ch.Key); field != nil {
				if field.Secret() {
					field.SetSecret(s.Profile, field.SecretOf(a.Profile))
				} else {
					_ = field.Set(s.Profile, field.Get(a.Profile))
				}
			}
		}
	}
}

// settingOf returns the setting a change's key falls under: the key itself,
// or the map it is an entry of ("crm.field_mapping.company").
func settingOf(key string) *config.Field {
	for k := key; k != ""; {
		if f, ok := config.FieldByKey(k); ok {
			return f
		}
		i := strings.LastIndexByte(k, '.')
		if i < 0 {
			break
		}
		k = k[:i]
	}
	return nil
}

// FixInfos is how the escalation report lists the session's fixes.
func (s *Session) FixInfos() []escalate.FixInfo { return fix.Infos(s.Fixes, s.Verified) }
