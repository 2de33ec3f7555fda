package wizard

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"pitstop/internal/escalate"
	"pitstop/internal/i18n"
	"pitstop/internal/kb"
)

// Pending is a report whose inputs are taken from the session; Build does
// the slow rest.
type Pending struct {
	in       escalate.ReportInput
	base     *kb.Base
	evidence kb.Evidence // what the report's matched article comes from
	version  string
}

// Prepare takes what the report needs from the session and the answers.
// It reads the session, so it runs where the session may be read (Update,
// or the accessible wizard's own loop).
func (c *Core) Prepare(answers escalate.Answers, expected, actual string) Pending {
	s := c.Session
	profile := s.Profile
	if profile == nil {
		profile = c.Profile
	}
	in := escalate.ReportInput{
		Policy:       c.Policy,
		Checklists:   c.Checklists,
		Lang:         c.Lang,
		Now:          c.Now(),
		Profile:      profile,
		ConfigPath:   c.Config.Path,
		Results:      slices.Clone(s.Results),
		ArticlesRead: slices.Clone(s.Read),
		Answers:      answers,
		ErrorText:    s.Pasted,
		Symptoms:     slices.Clone(s.Symptoms),
		Expected:     expected,
		Actual:       actual,
		Fixes:        s.FixInfos(),
		Scrub:        c.Scrub,
	}
	if c.KB != nil {
		in.Articles = c.KB
	}
	return Pending{in: in, base: c.KB, evidence: Evidence(profile, s.Pasted, in.Symptoms, nil), version: c.Version}
}

// Build collects the environment, matches the articles and builds the
// report: work for a command, not for Update.
func (p Pending) Build() (*escalate.Report, error) {
	in := p.in
	in.Env = escalate.CollectEnvironment(os.Getenv, p.version, in.Lang)
	in.Matched = escalate.TopMatch(p.base, p.evidence)
	if in.Policy == nil {
		return nil, errors.New(i18n.T(in.Lang, "wizard.report.no_policy"))
	}
	return escalate.BuildReport(in)
}

// StateDir is where Pitstop keeps what it writes for itself (the activity
// log, saved reports): $XDG_STATE_HOME/pitstop, else ~/.local/state/pitstop;
// "" when neither is known.
func StateDir() string {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "pitstop")
}

// ReportDir is where the wizard saves reports: StateDir's reports folder,
// made private on first use; the working directory when there is no state
// directory.
func ReportDir() (string, error) {
	dir := StateDir()
	if dir == "" {
		return ".", nil
	}
	dir = filepath.Join(dir, "reports")
	return dir, os.MkdirAll(dir, 0o700)
}

// ReportName is the file name a report is saved under, from the time.
func ReportName(now time.Time) string {
	return "pitstop-report-" + now.Format("20060102-150405") + ".md"
}

// Fact is one line of the verdict: a label and its value.
type Fact struct{ Label, Value string }

// Facts are the verdict's lines in order: severity, tier, support level,
// first answer (per channel), resolution, who to notify and the escalation
// class, in the interface language, labelled as the report labels them.
func (c *Core) Facts(r *escalate.Report) []Fact {
	tr := func(key string, args ...any) string { return i18n.T(c.Lang, "escalate.rep."+key, args...) }
	a := r.Assessment
	out := []Fact{{tr("severity"), a.SeverityLabel}, {tr("tier"), a.TierName}}
	if a.SupportLevelName != "" {
		out = append(out, Fact{tr("level"), a.SupportLevelName})
	}
	resp := tr("within", escalate.FormatDuration(time.Duration(a.Response)))
	if len(a.ChannelResponse) > 0 {
		var cs []string
		for _, ct := range a.ChannelResponse {
			cs = append(cs, ct.Label+" "+escalate.FormatDuration(time.Duration(ct.Response)))
		}
		resp += " (" + strings.Join(cs, " · ") + ")"
	}
	var chans []string
	for _, id := range a.Channels {
		chans = append(chans, c.Policy.ChannelName(id, c.Lang))
	}
	trigger := a.TriggerLabel
	if items := r.TriggerLabels(); len(items) > 0 {
		trigger += ": " + strings.Join(items, ", ")
	}
	return append(out,
		Fact{tr("response"), resp},
		Fact{tr("resolution"), tr("within", escalate.FormatDuration(time.Duration(a.Resolution)))},
		Fact{tr("notify"), strings.Join(chans, ", ")},
		Fact{tr("trigger"), trigger})
}

// ChecklistEvidence is what the session has gathered, for a checklist that does not
// run its own checks: the last run's results, the error pasted, the
// symptoms picked, the articles read and the settings in use.
func (s *Session) ChecklistEvidence() escalate.Evidence {
	return escalate.Evidence{
		Results:         s.Results,
		ErrorPasted:     strings.TrimSpace(s.Pasted) != "",
		Symptoms:        len(s.Symptoms) > 0,
		ArticlesRead:    s.Read,
		ConfigCollected: s.Profile != nil,
	}
}
