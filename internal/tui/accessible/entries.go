package accessible

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"pitstop/internal/config"
	"pitstop/internal/escalate"
	"pitstop/internal/human"
	"pitstop/internal/i18n"
	"pitstop/internal/monitor"
	"pitstop/internal/tui/common"
	"pitstop/internal/wizard"
)

// checklist reads out a checklist as the checklist screen fills it: the
// checks behind it run when it needs them, each item says where it stands
// and why, and the items only a person can confirm can be ticked.
func (s *session) checklist() error {
	c := s.com
	if c.Checklists == nil || len(c.Checklists.Lists) == 0 {
		s.line(s.t("acc.clist.none"))
		return nil
	}
	lists := c.Checklists.Lists
	opts := make([]string, len(lists))
	for i, l := range lists {
		opts[i] = l.Title.In(c.Lang)
	}
	pick, err := s.choose(s.t("clist.title"), opts, max(0, slices.IndexFunc(lists, func(l escalate.Checklist) bool {
		return l.Name == escalate.ChecklistPrelaunch
	})))
	if err != nil {
		return err
	}
	l := lists[pick]
	ev := escalate.Evidence{}
	if l.RunsChecks() {
		checks := c.EveryConfigured()
		s.line(c.N("acc.running", len(checks)))
		ev.Results = c.Runner(nil).Run(c.Ctx, checks)
		if c.Ctx.Err() != nil {
			return context.Canceled
		}
	} else {
		ev = c.Session.ChecklistEvidence()
	}
	for {
		filled := l.Fill(ev, c.Lang)
		s.line("")
		s.line(filled.Title)
		if filled.Description != "" {
			s.line(filled.Description)
		}
		done, total := filled.Counts()
		s.line(s.t("clist.done", done, total) + ".")
		var manual []int
		for i, it := range filled.Items {
			line := fmt.Sprintf("%d. %s: %s", i+1, it.State.Word(c.Lang), it.Label)
			if it.Required {
				line += " (" + i18n.T(c.Lang, "escalate.cl.required") + ")"
			}
			if it.Note != "" {
				line += " — " + it.Note
			}
			s.line(line)
			if it.Manual {
				manual = append(manual, i)
			}
		}
		if len(manual) == 0 {
			return nil
		}
		labels := make([]string, len(manual))
		for j, i := range manual {
			labels[j] = filled.Items[i].Label
		}
		s.line("")
		picked, err := s.chooseMany(s.t("acc.clist.tick"), labels)
		if err != nil {
			return err
		}
		if len(picked) == 0 {
			return nil
		}
		// The answer toggles the named items, as space does on the screen.
		for _, j := range picked {
			id := filled.Items[manual[j]].ID
			if i := slices.Index(ev.Done, id); i >= 0 {
				ev.Done = slices.Delete(ev.Done, i, i+1)
			} else {
				ev.Done = append(ev.Done, id)
			}
		}
	}
}

// search finds articles for typed words, as the search screen does, and
// reads the one chosen.
func (s *session) search() error {
	c := s.com
	for {
		q, err := s.input(s.t("search.title")+": "+s.t("search.placeholder"), s.t("acc.search.hint"), nil)
		if err != nil || q == "" {
			return err
		}
		hits := c.KB.Search(q)
		if len(hits) == 0 {
			s.line(s.t("search.none"))
			continue
		}
		hits = hits[:min(len(hits), 9)]
		opts := make([]string, 0, len(hits)+1)
		for _, h := range hits {
			label := h.Article.Title
			if h.Snippet != "" && h.Snippet != h.Article.Title {
				label += " — " + h.Snippet
			}
			opts = append(opts, label)
		}
		opts = append(opts, s.t("acc.search.again"))
		s.line(c.N("acc.search.found", len(hits)))
		pick, err := s.choose(s.t("acc.read"), opts, 0)
		if err != nil {
			return err
		}
		if pick < len(hits) {
			s.printArticle(hits[pick].Article)
		}
	}
}

// monitor probes the API as the monitor screen does, until the time asked
// for has passed, Enter is pressed (back to Home) or Ctrl-C (Pitstop ends,
// exit 130): one line per round, each alert as it is raised, and the
// figures of what was measured at the end, however it ends.
func (s *session) monitor() error {
	c := s.com
	interval := s.monitorInterval
	if interval <= 0 {
		interval = monitor.DefaultInterval
	}
	mon, err := monitor.ForProfile(c.Profile, monitor.ProfileOptions{
		Interval: interval, Timeout: c.Timeout, Now: c.Now, Logger: slog.New(slog.DiscardHandler),
		Door: func() *config.Scrubber { return c.Scrubber },
	})
	if errors.Is(err, monitor.ErrNoAPI) {
		s.line(s.t("acc.monitor.noapi"))
		return nil
	}
	if err != nil {
		s.line(s.t("acc.monitor.err", err.Error()))
		return nil
	}
	answer, err := s.input(s.t("acc.monitor.time", human.Duration(mon.Interval)), s.t("acc.monitor.time.hint"),
		func(v string) error {
			if _, ok := parseMonitorDuration(v); !ok {
				return errors.New(s.t("acc.monitor.time.bad"))
			}
			return nil
		})
	if err != nil {
		return err
	}
	duration, _ := parseMonitorDuration(answer)
	names := make([]string, len(mon.Targets))
	for i, t := range mon.Targets {
		names[i] = t.Name
		if len(mon.Targets) > 1 {
			names[i] = fmt.Sprintf("%d) %s", i+1, t.Name)
		}
	}
	s.line(s.t("acc.monitor.start", strings.Join(names, ", ")))

	// Enter stops the run, but only once a round has been read out: a
	// line typed ahead does not cut the first round short. A line that
	// comes after the run has ended by itself answers the next prompt.
	ctx, stop := context.WithCancel(c.Ctx)
	defer stop()
	var running atomic.Bool
	running.Store(true)
	round := 0
	mon.Run(ctx, duration, monitor.Hooks{
		Round: func(samples []monitor.Sample) {
			round++
			parts := make([]string, len(samples))
			for i, sm := range samples {
				parts[i] = s.t("acc.monitor.answer", strconv.Itoa(sm.Status), human.Duration(sm.Latency))
				if sm.Status == 0 {
					parts[i] = s.t("acc.monitor.noanswer", strings.TrimSuffix(sm.Error, "."), human.Duration(sm.Latency))
				}
				if len(samples) > 1 {
					parts[i] = fmt.Sprintf("%d) %s", i+1, parts[i])
				}
			}
			s.line(s.t("acc.monitor.round", round, strings.Join(parts, ", ")))
			if round == 1 {
				s.in.onLine(func() bool {
					if running.CompareAndSwap(true, false) {
						stop()
						return true
					}
					return false
				})
			}
		},
		Alert: func(a monitor.Alert) { s.line(s.t("acc.monitor.alert", a.Text(c.Lang))) },
	})
	running.Store(false)
	st := mon.Stats()
	s.line(s.t("acc.monitor.summary", st.Total, st.Successes, st.Rejected, st.Failures))
	s.line(st.LatencyLine(c.Lang))
	if len(mon.Alerts()) == 0 {
		s.line(i18n.T(c.Lang, "monitor.no_alerts"))
	}
	if c.Ctx.Err() != nil {
		return context.Canceled
	}
	return nil
}

// parseMonitorDuration reads how long the monitor runs, as pitstop monitor
// --duration does ("30s", "5m", "1h30m"); empty or 0 runs until stopped.
func parseMonitorDuration(v string) (time.Duration, bool) {
	v = strings.ReplaceAll(strings.TrimSpace(v), " ", "")
	if v == "" || v == "0" {
		return 0, true
	}
	d, err := time.ParseDuration(v)
	return d, err == nil && d >= 0
}

// Tick asks, with the accessible prompts in lang, which of the items of
// filled only a person can confirm to tick or untick (each said with where
// it stands), and returns their IDs (none when the answer is empty). It is
// for `pitstop checklist --tick` on a screen reader: huh's own accessible
// prompts are English only. It needs the catalogue alone: no settings, no
// knowledge base, no theme.
func Tick(ctx context.Context, lang string, filled *escalate.Filled, in io.Reader, out io.Writer) ([]string, error) {
	watched, release := cancelable(ctx, in)
	com := &common.Common{Core: &wizard.Core{Lang: lang, Ctx: ctx}}
	s := &session{com: com, in: newLineReader(watched), out: out}
	defer release(s.in.settle)
	var ids, labels []string
	for _, it := range filled.Items {
		if it.Manual {
			label := it.State.Word(s.com.Lang) + ": " + it.Label
			if it.Required {
				label += " (" + i18n.T(s.com.Lang, "escalate.cl.required") + ")"
			}
			ids = append(ids, it.ID)
			labels = append(labels, label)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	picked, err := s.chooseMany(filled.Title+": "+s.t("acc.clist.tick"), labels)
	if ctx.Err() != nil {
		return nil, context.Canceled
	}
	if errors.Is(err, errQuit) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	ticked := make([]string, len(picked))
	for i, j := range picked {
		ticked[i] = ids[j]
	}
	return ticked, nil
}
