// Package accessible is the wizard for screen readers (--accessible, and
// TERM=dumb): numbered prompts read line by line, no animation, no screen
// drawing. It starts from the same home menu as the full-screen wizard and
// reaches every entry (the guided flow, every check, the checklists, the
// knowledge base, the monitor, an escalation) through the same wizard core.
// Its prompts are Pitstop's own plain lines, in the session's language.
package accessible

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	xterm "github.com/charmbracelet/x/term"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/escalate"
	"pitstop/internal/fix"
	"pitstop/internal/human"
	"pitstop/internal/i18n"
	"pitstop/internal/kb"
	"pitstop/internal/registry"
	"pitstop/internal/tui/common"
	"pitstop/internal/wizard"
)

// maxArticles is how many ranked articles are offered after the checks.
const maxArticles = 5

// errQuit ends the session early (input closed or the user chose to stop).
var errQuit = errors.New("quit")

// session is one accessible run.
type session struct {
	com *common.Common
	in  *lineReader
	out io.Writer
	tty *os.File // the terminal, for hidden secret input (nil when piped)
	dir string   // where the report is saved ("" is the working directory)
	// monitorInterval is how often the monitor probes (0: the monitor
	// screen's default).
	monitorInterval time.Duration
}

// Options change where the accessible wizard keeps its files.
type Options struct {
	// SaveDir is where the escalation report is saved; "" is the working
	// directory.
	SaveDir string
	// MonitorInterval is how often the monitor probes; 0 is the monitor
	// screen's default (5 s).
	MonitorInterval time.Duration
}

// Run walks the guided flow with plain prompts on in and out. It returns
// nil when the user finishes or input ends.
func Run(ctx context.Context, com *common.Common, in io.Reader, out io.Writer) error {
	return RunWith(ctx, com, in, out, Options{})
}

// RunWith is Run with options.
func RunWith(ctx context.Context, com *common.Common, in io.Reader, out io.Writer, o Options) error {
	watched, release := cancelable(ctx, in)
	s := &session{com: com, in: newLineReader(watched), out: out, dir: o.SaveDir, monitorInterval: o.MonitorInterval}
	defer release(s.in.settle)
	if f, ok := in.(*os.File); ok && xterm.IsTerminal(f.Fd()) {
		s.tty = f
	}
	com.Ctx = ctx
	err := s.run()
	if ctx.Err() != nil {
		// Ctrl-C: whatever was under way, the session is over.
		return context.Canceled
	}
	if errors.Is(err, errQuit) {
		return nil
	}
	return err
}

func (s *session) t(key string, args ...any) string { return s.com.T(key, args...) }

// sayf writes a formatted line, scrubbed of every known secret.
func (s *session) sayf(format string, args ...any) { s.line(fmt.Sprintf(format, args...)) }

// line writes a line, scrubbed of every known secret.
func (s *session) line(text string) { fmt.Fprintln(s.out, s.com.Scrub(text)) }

func (s *session) run() error {
	c := s.com
	s.sayf("Pitstop — %s", s.t("acc.title"))
	where := c.ConfigPath
	if where == "" {
		where = s.t("home.noconfig")
	}
	s.line(s.t("acc.profile", c.Profile.Name, where))
	if c.Sandbox != "" {
		s.line(s.t("app.sandbox", c.Sandbox))
	}
	s.line("")
	return s.home()
}

// homeEntries are Home's entries, in Home's order (catalogue keys
// home.<id>), then "Quit".
var homeEntries = []string{"guided", "everything", "checklist", "search", "monitor", "escalate"}

// home is the first screen read aloud: the six things Pitstop does, then
// back here after each, until the user quits or input ends.
func (s *session) home() error {
	for {
		opts := make([]string, 0, len(homeEntries)+1)
		for _, id := range homeEntries {
			opts = append(opts, s.t("home."+id)+" — "+s.t("home."+id+".desc"))
		}
		opts = append(opts, s.t("acc.quit"))
		pick, err := s.choose(s.t("home.question"), opts, -1)
		if err != nil {
			return err
		}
		s.line("")
		if pick == len(homeEntries) {
			return nil
		}
		switch homeEntries[pick] {
		case "guided":
			err = s.guided()
		case "everything":
			err = s.everything()
		case "checklist":
			err = s.checklist()
		case "search":
			err = s.search()
		case "monitor":
			err = s.monitor()
		case "escalate":
			s.com.Session.Reset()
			err = s.escalate()
		}
		if err != nil {
			return err
		}
		s.line("")
	}
}

// guided is the guided flow: what is wrong, what you see, the settings,
// the checks, the fixes, the articles and "Did this fix it?".
func (s *session) guided() error {
	for {
		s.com.Session.Reset()
		if err := s.askProblem(); err != nil {
			return err
		}
		if err := s.askSettings(); err != nil {
			return err
		}
		again, err := s.checkAndRead()
		if err != nil || !again {
			return err
		}
	}
}

// everything is the health check: every configured family, then the same
// results, fixes, articles and outcome as the guided flow.
func (s *session) everything() error {
	s.com.Session.Reset()
	s.com.Plan(true)
	_, err := s.checkAndRead()
	return err
}

// askProblem is steps 1 and 2.
func (s *session) askProblem() error {
	c := s.com
	sess := c.Session
	s.line(s.t("acc.step", common.StepProblem, common.Steps, s.t("problem.title")))
	opts := make([]string, 0, len(wizard.Problems)+1)
	for _, p := range wizard.Problems {
		opts = append(opts, c.ProblemName(p)+" — "+s.t("problem."+p.ID+".desc"))
	}
	paste := len(wizard.Problems)
	opts = append(opts, s.t("problem.paste"))
	choice, err := s.choose(s.t("problem.question"), opts, -1)
	if err != nil {
		return err
	}
	s.line("")
	s.line(s.t("acc.step", common.StepSymptoms, common.Steps, s.t("symptoms.title")))
	var problem wizard.Problem
	var symptoms []string
	pasted := ""
	if choice != paste {
		problem = wizard.Problems[choice]
		syms := c.KB.Symptoms(problem.KBCategory)
		if len(syms) > 0 {
			texts := make([]string, len(syms))
			for i, sy := range syms {
				texts[i] = sy.Text
			}
			// Nothing picked is "none of these": no symptom is made up.
			s.line(s.t("acc.symptoms.hint"))
			picked, err := s.chooseMany(s.t("symptoms.question", c.ProblemName(problem)), texts)
			if err != nil {
				return err
			}
			for _, i := range picked {
				symptoms = append(symptoms, texts[i])
			}
		}
	}
	if choice == paste || len(symptoms) == 0 {
		text, err := s.input(s.t("paste.question"), s.t("acc.paste.hint"), nil)
		if err != nil {
			return err
		}
		pasted = text
	}
	sess.Choose(problem, symptoms, pasted, c.KB, c.Profile)
	if len(sess.Suggested) > 0 {
		s.line(s.t("acc.likely", sess.Suggested[0].Article.Title))
	}
	s.line("")
	return nil
}

// askSettings is step 3: the same settings as the form, each read out
// when it has a value, asked for when it has none; then applied through
// the wizard core like the form's.
func (s *session) askSettings() error {
	c := s.com
	p := c.Session.Profile
	s.line(s.t("acc.step", common.StepSettings, common.Steps, s.t("settings.title")))
	var names []string
	for _, cat := range c.Session.Categories {
		names = append(names, c.FamilyName(cat))
	}
	s.line(s.t("settings.hint", strings.Join(names, ", ")))
	var edits []wizard.Edit
	family := ""
	for _, f := range c.Fields() {
		if f.Section() != family {
			family = f.Section()
			s.sayf("%s:", c.FamilyName(family))
		}
		e, err := s.askField(p, f)
		if err != nil {
			return err
		}
		edits = append(edits, e)
	}
	if _, err := c.Apply(edits); err != nil {
		s.line(s.t("settings.saved.err", c.ErrorText(err)))
	}
	s.line("")
	return nil
}

// askField reads out a setting that has a value and asks for one that has
// none, checked by the setting's own rule.
func (s *session) askField(p *config.Profile, f *config.Field) (wizard.Edit, error) {
	lang := s.com.Lang
	title := f.Label.In(lang)
	e := wizard.Edit{Field: f, Orig: f.Get(p)}
	if f.Secret() {
		sec := f.SecretOf(p)
		if sec.IsSet() {
			src := s.t("acc.fromfile")
			if strings.HasPrefix(sec.Source(), "env:") {
				src = "$" + strings.TrimPrefix(sec.Source(), "env:")
			}
			s.sayf("  %s: %s (%s)", title, sec.MaskedIn(lang), src)
			return e, nil
		}
		v, err := s.readSecret("  " + title + " " + s.t("acc.hidden") + ": ")
		e.Value = v
		return e, err
	}
	e.Value = e.Orig
	if e.Value != "" {
		s.sayf("  %s: %s", title, s.com.Scrub(config.RedactURL(e.Value)))
		return e, nil
	}
	if f.Kind == config.KindChoice {
		i, err := s.choose("  "+title+": "+f.Help.In(lang), f.Options, 0)
		if err == nil {
			e.Value = f.Options[i]
		}
		return e, err
	}
	v, err := s.input("  "+title+":", f.Help.In(lang), wizard.Validator(f, lang))
	e.Value = v
	return e, err
}

// readSecret reads a secret without echo on a terminal, else a plain line.
func (s *session) readSecret(prompt string) (string, error) {
	fmt.Fprint(s.out, prompt)
	if s.tty != nil && !s.in.buffered() {
		b, err := readPassword(s.com.Ctx, s.tty)
		fmt.Fprintln(s.out)
		if err != nil {
			return "", fmt.Errorf("%s: %w", s.t("acc.secret.err"), err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	line, err := s.in.line()
	if err != nil {
		return "", errQuit
	}
	return strings.TrimSpace(line), nil
}

// checkAndRead is steps 4 to 6. again is true when the user wants to start over.
func (s *session) checkAndRead() (again bool, err error) {
	c := s.com
	for {
		if err := s.runChecks(true); err != nil {
			return false, err
		}
		if err := s.offerFixes(); err != nil {
			return false, err
		}
		if err := s.readArticles(); err != nil {
			return false, err
		}
		s.line(s.t("acc.step", common.StepOutcome, common.Steps, s.t("outcome.title")))
		fixed, err := s.confirm(s.t("outcome.question"), true)
		if err != nil {
			return false, err
		}
		if fixed && c.Session.Runs > 0 {
			// Taken on trust, "it works now" could hide a failure: the
			// checks run again to confirm it, as the full-screen outcome does.
			fixed, err = s.confirmFixed()
			if err != nil {
				return false, err
			}
		} else {
			c.Session.Fixed = &fixed
		}
		if fixed {
			s.summary()
			return false, nil
		}
		next, err := s.choose(s.t("outcome.notfixed.title"), []string{
			s.t("outcome.rerun"), s.t("outcome.escalate"), s.t("outcome.restart"), s.t("acc.quit"),
		}, 0)
		if err != nil {
			return false, err
		}
		switch next {
		case 1:
			return false, s.escalate()
		case 2:
			s.line("")
			return true, nil
		case 3:
			return false, nil
		}
		s.line("")
	}
}

// confirmFixed runs the session's checks again after "Yes, it works now"
// and says whether they agree: fixed only when nothing fails or could not
// test.
func (s *session) confirmFixed() (bool, error) {
	c := s.com
	s.line(s.t("acc.confirming"))
	p, families := c.Plan(false)
	results, matches := c.RunLater(c.Checks(p, families), nil)(c.Ctx)
	if c.Ctx.Err() != nil {
		return false, context.Canceled
	}
	c.Session.Record(results, matches, c.Now(), false)
	fixed := !slices.ContainsFunc(results, func(r check.Result) bool { return r.Status == check.Fail || r.Status == check.Error })
	c.Session.Fixed = &fixed
	if fixed {
		s.line(s.t("acc.confirmed"))
		return true, nil
	}
	s.line(s.t("acc.stillfailing"))
	for _, r := range results {
		if r.Status == check.Fail || r.Status == check.Error {
			s.sayf("  %s: %s. %s", c.StatusWord(r.Status), c.CheckTitle(r.ID, r.Title), r.Summary)
		}
	}
	return false, nil
}

// offerFixes proposes the fixes Pitstop is certain of for the results, as
// the fix screen shows them: a setting change as the lines before and
// after, applied only when the user says yes, then the checks it affects
// run again and are read out before → after; DNS records as a zone-file
// line and a DNS console's fields; steps at a provider, numbered.
func (s *session) offerFixes() error {
	c := s.com
	sess := c.Session
	if !slices.ContainsFunc(sess.Results, func(r check.Result) bool { return r.Status.Bad() }) {
		return nil
	}
	sess.RecordFixes(c.FixesLater()(c.Ctx))
	if c.Ctx.Err() != nil {
		return context.Canceled
	}
	if len(sess.Fixes) == 0 {
		return nil
	}
	s.line(c.N("acc.fixes", len(sess.Fixes)))
	for i, f := range sess.Fixes {
		s.printFix(i+1, f)
		if f.Kind != fix.KindConfig {
			continue
		}
		if c.ConfigPath == "" {
			s.line("   " + s.t("fix.hint.noconfig"))
			continue
		}
		yes, err := s.confirm("   "+s.t("acc.fix.confirm", c.ConfigPath), false)
		if err != nil {
			return err
		}
		if !yes {
			s.line("   " + s.t("acc.fix.declined"))
			continue
		}
		s.line("   " + s.t("fix.applying"))
		applied := c.ApplyLater(f)(c.Ctx)
		c.RecordApplied(applied)
		if applied.Err != nil {
			s.line("   " + s.t("fix.error", c.ErrorText(applied.Err)))
			continue
		}
		s.line("   " + s.t("fix.verified"))
		for _, v := range applied.Verified {
			s.sayf("     %s: %s → %s", c.CheckTitle(v.ID, v.ID), s.statusName(v.Before), s.statusName(v.After))
		}
	}
	s.line("")
	return nil
}

// statusName turns a status name ("pass", "not run") into words.
func (s *session) statusName(name string) string {
	if st, ok := check.ParseStatus(name); ok {
		return s.com.StatusWord(st)
	}
	return s.t("acc.notrun")
}

// printFix reads out one fix.
func (s *session) printFix(n int, f fix.Fix) {
	state := f.Kind.Name(s.com.Lang, 1)
	if f.Applied {
		state += ", " + i18n.T(s.com.Lang, "escalate.rep.fix_state.applied")
	}
	s.sayf("%d. %s (%s)", n, f.Title, state)
	s.line("   " + f.Summary)
	for _, ch := range f.Changes {
		s.line("   " + s.t("acc.fix.file", ch.File))
		s.sayf("   - %s: %s", ch.Key, ch.From)
		s.sayf("   + %s: %s", ch.Key, ch.To)
	}
	for _, r := range f.Records {
		s.line("   " + i18n.T(s.com.Lang, "fix.zone") + " " + r.ZoneLine())
		s.line("   " + i18n.T(s.com.Lang, "fix.console", r.Host(), r.Type, r.TTL))
		s.line("   " + r.Value)
		if r.Replaces != "" {
			s.line("   " + i18n.T(s.com.Lang, "fix.replaces", r.Replaces))
		}
	}
	for j, step := range f.Steps {
		s.sayf("   %d) %s", j+1, step)
	}
}

// escalate is the escalation step read aloud: the four questions and the
// two optional sentences, then the severity, tier, targets, the reasons and
// what the report holds, and the report saved with mode 0600 on request.
func (s *session) escalate() error {
	c := s.com
	s.line("")
	s.line(s.t("esc.title"))
	s.line(s.t("esc.intro"))
	ans := escalate.Answers{Impact: escalate.ImpactMedium}
	impacts := []string{escalate.ImpactLow, escalate.ImpactMedium, escalate.ImpactHigh}
	impact, err := s.choose(s.t("esc.q.impact"), []string{
		s.t("esc.impact.low"), s.t("esc.impact.medium"), s.t("esc.impact.high"),
	}, 1)
	if err != nil {
		return err
	}
	ans.Impact = impacts[impact]
	for _, q := range []struct {
		key string
		v   *bool
	}{{"esc.q.dataloss", &ans.DataLoss}, {"esc.q.allusers", &ans.AllAffected}, {"esc.q.security", &ans.Security}} {
		s.line(s.t(q.key + ".desc"))
		if *q.v, err = s.confirm(s.t(q.key), false); err != nil {
			return err
		}
	}
	expected, err := s.input(s.t("esc.q.expected"), "", nil)
	if err != nil {
		return err
	}
	actual, err := s.input(s.t("esc.q.actual"), "", nil)
	if err != nil {
		return err
	}
	if c.Session.Runs == 0 {
		// A standalone escalation: the report holds every configured check,
		// as the full-screen escalation's does.
		c.Plan(true)
		if err := s.runChecks(false); err != nil {
			return err
		}
	}
	rep, err := c.Prepare(ans, strings.TrimSpace(expected), strings.TrimSpace(actual)).Build()
	if err != nil {
		s.line(s.t("esc.err", err.Error()))
		s.line(s.t("acc.escalate"))
		return nil
	}
	a := rep.Assessment
	s.line("")
	s.line(s.t("esc.heading", a.SeverityLabel, a.TierName))
	for _, f := range c.Facts(rep) {
		s.sayf("%s: %s", f.Label, f.Value)
	}
	s.sayf("%s: %s", s.t("esc.why"), a.Justification)
	if cl := rep.Checklist; cl != nil {
		done, total := cl.Counts()
		s.line(s.t("esc.ticket", done, total) + ":")
		for _, it := range cl.Items {
			state := escalate.Open.Word(c.Lang)
			if it.State == escalate.Done || it.State == escalate.NotApplicable {
				state = escalate.Done.Word(c.Lang)
			}
			line := "  " + state + ": " + it.Label
			if it.Note != "" {
				line += " — " + it.Note
			}
			s.line(line)
		}
	}
	s.line("")
	name := wizard.ReportName(c.Now())
	path, err := filepath.Abs(filepath.Join(s.dir, name))
	if err != nil {
		path = name
	}
	save, err := s.confirm(s.t("acc.save", path), true)
	if err != nil {
		return err
	}
	if !save {
		s.line(s.t("acc.escalate"))
		return nil
	}
	if err := escalate.WriteFile(path, []byte(rep.Markdown())); err != nil {
		s.line(s.t("esc.save.err", err.Error()))
		return nil
	}
	s.line(s.t("esc.saved", path))
	return nil
}

// runChecks runs the session's checks and prints each outcome as it
// arrives, then the results by family. steps numbers them as steps 4 and 5
// of the guided flow.
func (s *session) runChecks(steps bool) error {
	c := s.com
	sess := c.Session
	if steps {
		s.line(s.t("acc.step", common.StepChecks, common.Steps, s.t("run.title")))
	}
	checks := c.Checks(sess.Profile, sess.Categories)
	if len(checks) == 0 {
		s.line(s.t("run.none"))
		return nil
	}
	s.line(c.N("acc.running", len(checks)))
	events := make(chan check.Event, 2*len(checks))
	runLater := c.RunLater(checks, func(ev check.Event) { events <- ev })
	type outcome struct {
		results []check.Result
		matches []kb.Match
	}
	done := make(chan outcome, 1)
	sess.Started = c.Now()
	go func() {
		results, matches := runLater(c.Ctx)
		done <- outcome{results, matches}
	}()
	var finished []check.Result
	say := func(ev check.Event) {
		if ev.Kind == check.Finished {
			r := ev.Result
			finished = append(finished, r)
			s.sayf("  %s: %s — %s (%s)", c.StatusWord(r.Status), c.CheckTitle(r.ID, r.Title), c.SummaryAmong(r, finished), human.Duration(r.Duration))
		}
	}
	var out *outcome
	for out == nil {
		select {
		case ev := <-events:
			say(ev)
		case o := <-done:
			out = &o
		}
	}
	// Every event is sent before Run returns: read out the last ones.
	for len(events) > 0 {
		say(<-events)
	}
	if c.Ctx.Err() != nil {
		// Interrupted: cancelled checks are not findings, and say nothing.
		return context.Canceled
	}
	results := out.results
	sess.Record(results, out.matches, c.Now(), false)
	s.line("")
	if steps {
		s.line(s.t("acc.step", common.StepResults, common.Steps, s.t("results.title")))
	}
	sum := check.Summarize(results)
	switch {
	case sum.Fail > 0 || sum.Error > 0:
		s.line(c.N("results.problems", sum.Fail+sum.Error))
	case sum.Warn > 0:
		s.line(c.N("results.warnings", sum.Warn))
	default:
		s.line(s.t("results.allgood"))
	}
	for _, cat := range registry.IDs() {
		first := true
		for _, r := range results {
			if r.Category != cat {
				continue
			}
			if first {
				s.sayf("%s:", c.FamilyName(cat))
				first = false
			}
			s.sayf("  %s: %s. %s", c.StatusWord(r.Status), c.CheckTitle(r.ID, r.Title), c.SummaryAmong(r, results))
			if r.Status.Bad() {
				for _, d := range c.Details(r) {
					s.sayf("    %s", d)
				}
			}
		}
	}
	s.line("")
	return nil
}

// readArticles offers the ranked articles until the user moves on.
func (s *session) readArticles() error {
	c := s.com
	// The same articles the results screen offers: each failed check's own,
	// then the best of the rest.
	matches := c.Session.Offered(maxArticles)
	if len(matches) == 0 {
		s.line(s.t("results.noarticles"))
		return nil
	}
	for {
		opts := make([]string, 0, len(matches)+1)
		for _, m := range matches {
			label := m.Article.Title + " (" + kb.Word(c.Lang, m.Article.Severity) + ")"
			if len(m.Reasons) > 0 {
				label += " — " + m.Reasons[0]
			}
			opts = append(opts, label)
		}
		opts = append(opts, s.t("acc.continue"))
		pick, err := s.choose(s.t("results.articles")+": "+s.t("acc.read"), opts, len(matches))
		if err != nil {
			return err
		}
		if pick == len(matches) {
			s.line("")
			return nil
		}
		s.printArticle(matches[pick].Article)
	}
}

// printArticle writes the article as plain Markdown: headings and lists
// read well aloud, and nothing is drawn.
func (s *session) printArticle(a *kb.Article) {
	s.com.Session.MarkRead(a.ID)
	s.line("")
	s.line("# " + a.Title)
	s.line(strings.TrimSpace(a.Body))
	if len(a.Related) > 0 {
		s.line("")
		s.line(s.t("article.related") + ": " + strings.Join(a.Related, ", "))
	}
	s.line("")
}

func (s *session) summary() {
	c := s.com
	sess := c.Session
	s.line(s.t("outcome.fixed.title"))
	sum := check.Summarize(sess.Results)
	found := s.t("outcome.found", len(sess.Results), sum.Pass)
	if bad := sum.Warn + sum.Fail + sum.Error; bad > 0 {
		var titles []string
		for _, r := range sess.Results {
			if r.Status.Bad() {
				titles = append(titles, fmt.Sprintf("%s (%s)", c.CheckTitle(r.ID, r.Title), c.StatusWord(r.Status)))
			}
		}
		found += " " + c.N("outcome.attention", bad) + " " + strings.Join(titles, "; ") + "."
	}
	s.sayf("%s: %s", s.t("outcome.checks"), found)
	var read []string
	for _, id := range sess.Read {
		if a, ok := c.KB.Get(id); ok {
			read = append(read, a.Title)
		}
	}
	if len(read) > 0 {
		s.sayf("%s: %s", s.t("outcome.read"), strings.Join(read, "; "))
	}
}

// lineReader hands out its input one line per Read, so that nothing typed
// ahead is buffered away from a secret read straight from the terminal.
type lineReader struct {
	r       *bufio.Reader
	pending []byte
	ended   bool
	// async is a line being read in the background (onLine); the next
	// Read waits for it.
	async chan asyncLine
}

// asyncLine is what a background read met; consumed means its line was
// used up by whoever asked for it and is no answer to a prompt.
type asyncLine struct {
	line     []byte
	err      error
	consumed bool
}

func newLineReader(r io.Reader) *lineReader { return &lineReader{r: bufio.NewReader(r)} }

// Read returns at most one line (or the rest of one).
func (l *lineReader) Read(p []byte) (int, error) {
	if l.async != nil {
		got := <-l.async
		l.async = nil
		if got.err != nil {
			l.ended = true
		}
		if !got.consumed {
			l.pending = got.line
		}
	}
	if len(l.pending) == 0 {
		if l.ended {
			return 0, io.EOF
		}
		line, err := l.r.ReadBytes('\n')
		if err != nil {
			l.ended = true
			if len(line) == 0 {
				return 0, io.EOF
			}
		}
		l.pending = line
	}
	n := copy(p, l.pending)
	l.pending = l.pending[n:]
	return n, nil
}

// onLine reads the next line (or the end of the input) in the background
// and calls take when it comes: take returns true when the line is used up
// (it stopped something), false to leave it for the next prompt.
func (l *lineReader) onLine(take func() bool) {
	if l.async != nil {
		return
	}
	if len(l.pending) > 0 || l.ended {
		if take() {
			l.pending = nil // used up: no answer to the next prompt
		}
		return
	}
	ch := make(chan asyncLine, 1)
	l.async = ch
	go func() {
		line, err := l.r.ReadBytes('\n')
		ch <- asyncLine{line: line, err: err, consumed: take()}
	}()
}

// line reads one line for our own prompts.
func (l *lineReader) line() (string, error) {
	var b []byte
	buf := make([]byte, 4096)
	for {
		n, err := l.Read(buf)
		b = append(b, buf[:n]...)
		if err != nil {
			if len(b) == 0 {
				return "", err
			}
			break
		}
		if len(l.pending) == 0 && len(b) > 0 && b[len(b)-1] == '\n' {
			break
		}
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

// settle waits for a line being read in the background, once its read has
// been cancelled: nothing reads after the session.
func (l *lineReader) settle() {
	if l.async != nil {
		<-l.async
		l.async = nil
	}
}

// eof reports whether the input has ended. It never blocks: on a terminal
// it learns of the end only when a read meets it.
func (l *lineReader) eof() bool { return l.ended && len(l.pending) == 0 }

// buffered reports whether typed-ahead input is waiting (a line being read
// in the background counts: it will come through Read).
func (l *lineReader) buffered() bool {
	return l.async != nil || len(l.pending) > 0 || l.r.Buffered() > 0
}
