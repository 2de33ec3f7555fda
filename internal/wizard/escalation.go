package wizard

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"pitstop/internal/escalate"
	"pitstop/internal/kb"
)

// Pending is a report whose inputs are taken from the session; Build does
// the slow rest.
type Pending struct {
	in       escalate.ReportInput
	base     *kb.Base
	pasted   string
	symptoms []string
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
	return Pending{in: in, base: c.KB, pasted: s.Pasted, symptoms: in.Symptoms, version: c.Version}
}

// Build collects the environment, matches the articles and builds the
// report: work for a command, not for Update.
func (p Pending) Build() (*escalate.Report, error) {
	in := p.in
	in.Env = escalate.CollectEnvironment(os.Getenv, p.version, in.Lang)
	in.Matched = topMatch(p.base, p.pasted, p.symptoms)
	if in.Policy == nil {
		return nil, fmt.Errorf("no escalation policy is loaded")
	}
	return escalate.BuildReport(in)
}

// ReportName is the file name a report is saved under, from the time.
func ReportName(now time.Time) string {
	return "pitstop-report-" + now.Format("20060102-150405") + ".md"
}

// topMatch returns the article the pasted error or the picked symptoms
// point to clearly (a pattern or a symptom, not a few shared words).
func topMatch(base *kb.Base, text string, symptoms []string) []*kb.Article {
	if base == nil || strings.TrimSpace(text) == "" && len(symptoms) == 0 {
		return nil
	}
	const clear = 30 // one pattern hit; a picked symptom weighs more
	matches := base.Match(kb.Evidence{Text: text, Symptoms: symptoms})
	if len(matches) == 0 || matches[0].Score < clear {
		return nil
	}
	return []*kb.Article{matches[0].Article}
}

// Fact is one line of the verdict: a label and its value.
type Fact struct{ Label, Value string }

// Facts are the verdict's lines in order: severity, tier, support level,
// first answer (per channel), resolution, who to notify and the escalation
// class, in the interface language.
func (c *Core) Facts(r *escalate.Report, tr func(key string, args ...any) string) []Fact {
	a := r.Assessment
	out := []Fact{{tr("esc.severity"), a.SeverityLabel}, {tr("esc.tier"), a.TierName}}
	if a.SupportLevelName != "" {
		out = append(out, Fact{tr("esc.level"), a.SupportLevelName})
	}
	resp := tr("esc.within", escalate.FormatDuration(time.Duration(a.Response)))
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
		Fact{tr("esc.response"), resp},
		Fact{tr("esc.resolution"), tr("esc.within", escalate.FormatDuration(time.Duration(a.Resolution)))},
		Fact{tr("esc.channels"), strings.Join(chans, ", ")},
		Fact{tr("esc.trigger"), trigger})
}
