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
	"time"

	"pitstop/internal/escalate"
	"pitstop/internal/human"
	"pitstop/internal/monitor"
	"pitstop/internal/tui/common"
	tuimonitor "pitstop/internal/tui/monitor"
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
	sess := c.Session
	ev := escalate.Evidence{}
	if l.RunsChecks() {
		checks := c.EveryConfigured()
		s.line(c.N("acc.running", len(checks)))
		ev.Results = c.Runner(nil).Run(c.Ctx, checks)
		if c.Ctx.Err() != nil {
			return context.Canceled
		}
	} else {
		ev.Results = sess.Results
		ev.ErrorPasted = strings.TrimSpace(sess.Pasted) != ""
		ev.Symptoms = len(sess.Symptoms) > 0
		ev.ArticlesRead = sess.Read
		ev.ConfigCollected = sess.Profile != nil
	}
	for {
		filled := l.Fill(ev, c.Lang)
		s.line("")
		s.line(filled.Title)
		if filled.Description != "" {
			s.line(filled.Description)
		}
		done, total := filled.Counts()
		s.line(s.t("acc.clist.count", done, total))
		var manual []int
		for i, it := range filled.Items {
			line := fmt.Sprintf("%d. %s: %s", i+1, s.t("acc.clist.state."+it.State.String()), it.Label)
			if it.Required {
				line += " (" + s.t("acc.clist.required") + ")"
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

// monitorRounds is how many rounds the monitor runs unless told otherwise.
const monitorRounds = 3

// monitor probes the API for a few rounds, as the monitor screen does,
// reading out each answer, each alert, and the figures at the end.
func (s *session) monitor() error {
	c := s.com
	mon, err := monitor.ForProfile(c.Profile, monitor.ProfileOptions{
		Interval: tuimonitor.DefaultInterval, Timeout: min(c.Timeout, tuimonitor.DefaultInterval),
		Now: c.Now, Scrub: c.Scrub, Logger: slog.New(slog.DiscardHandler),
	})
	if errors.Is(err, monitor.ErrNoAPI) {
		s.line(s.t("acc.monitor.noapi"))
		return nil
	}
	if err != nil {
		s.line(s.t("acc.monitor.err", err.Error()))
		return nil
	}
	answer, err := s.input(s.t("acc.monitor.rounds", human.Duration(mon.Interval)), s.t("acc.monitor.rounds.hint", monitorRounds),
		func(v string) error {
			if v == "" {
				return nil
			}
			if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 1000 {
				return errors.New(s.t("acc.monitor.rounds.bad"))
			}
			return nil
		})
	if err != nil {
		return err
	}
	rounds := monitorRounds
	if answer != "" {
		rounds, _ = strconv.Atoi(answer)
	}
	for r := 0; r < rounds; r++ {
		if r > 0 {
			select {
			case <-c.Ctx.Done():
				return context.Canceled
			case <-time.After(mon.Interval):
			}
		}
		samples := mon.Round(c.Ctx)
		if c.Ctx.Err() != nil {
			return context.Canceled
		}
		for _, sm := range samples {
			what := strconv.Itoa(sm.Status)
			if sm.Status == 0 {
				what = sm.Error
			}
			s.line(s.t("acc.monitor.sample", r+1, sm.Endpoint, what, human.Duration(sm.Latency)))
		}
		for _, a := range mon.Record(samples...) {
			s.line(s.t("acc.monitor.alert", tuimonitor.AlertText(c.Lang, a)))
		}
	}
	st := mon.Stats()
	s.line(s.com.N("acc.monitor.summary", st.Total, st.Total, st.Successes, st.Rejected, st.Failures))
	s.line(s.t("acc.monitor.latency", human.Duration(st.P50), human.Duration(st.P95), human.Duration(st.Max)))
	if len(mon.Alerts()) == 0 {
		s.line(s.t("acc.monitor.noalerts"))
	}
	return nil
}

// Tick asks, with the accessible prompts in com's language, which of the
// items of filled only a person can confirm to tick or untick, and returns
// their IDs (none when the answer is empty). It is for `pitstop checklist
// --tick` on a screen reader: huh's own accessible prompts are English only.
func Tick(ctx context.Context, com *common.Common, filled *escalate.Filled, in io.Reader, out io.Writer) ([]string, error) {
	com.Ctx = ctx
	s := &session{com: com, in: newLineReader(in), out: out}
	var ids, labels []string
	for _, it := range filled.Items {
		if it.Manual {
			ids = append(ids, it.ID)
			labels = append(labels, it.Label)
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
