package escalate

import (
	"fmt"
	"strings"
	"time"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/human"
)

// Markdown renders the report for a ticket, scrubbed. Sections come in the
// order a support engineer reads them: what is wrong and how urgent, what the
// person sees and did, then the evidence.
func (r *Report) Markdown() string {
	lang := r.Lang
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	a := r.Assessment

	w("# %s\n\n", r.Title)
	w("%s\n\n", msg(lang, "rep.generated", r.Generated.Format("2006-01-02 15:04 MST"), orDash(r.Environment.Version)))

	w("## %s\n\n%s\n\n", msg(lang, "rep.h.summary"), r.Summary)

	w("## %s\n\n", msg(lang, "rep.h.severity"))
	w("| | |\n|---|---|\n")
	row := func(k, v string) { w("| %s | %s |\n", k, cell(v)) }
	row(msg(lang, "rep.severity"), "**"+a.SeverityLabel+"**")
	row(msg(lang, "rep.tier"), a.TierName)
	if a.SupportLevelName != "" {
		row(msg(lang, "rep.level"), a.SupportLevelName)
	}
	row(msg(lang, "rep.response"), msg(lang, "rep.within", FormatDuration(time.Duration(a.Response))))
	row(msg(lang, "rep.resolution"), msg(lang, "rep.within", FormatDuration(time.Duration(a.Resolution))))
	if len(a.ChannelResponse) > 0 {
		var cs []string
		for _, c := range a.ChannelResponse {
			cs = append(cs, c.Label+" "+FormatDuration(time.Duration(c.Response)))
		}
		row(msg(lang, "rep.by_channel"), strings.Join(cs, " · "))
	}
	var chans []string
	for _, c := range a.Channels {
		chans = append(chans, r.channelLabel(c))
	}
	row(msg(lang, "rep.notify"), strings.Join(chans, ", "))
	trigger := a.TriggerLabel
	if items := r.TriggerLabels(); len(items) > 0 {
		trigger += ": " + strings.Join(items, ", ")
	}
	row(msg(lang, "rep.trigger"), trigger)
	var issues []string
	for _, t := range a.IssueTypes {
		issues = append(issues, msg(lang, "issue."+t))
	}
	row(msg(lang, "rep.issue_types"), strings.Join(issues, ", "))
	w("\n%s\n\n", a.Justification)

	w("## %s\n\n", msg(lang, "rep.h.impact"))
	impact := msg(lang, "rep.not_answered")
	if a.Answers.Impact != "" {
		impact = msg(lang, "impact."+a.Answers.Impact)
	}
	w("- %s: %s\n", msg(lang, "rep.q.impact"), impact)
	w("- %s: %s\n", msg(lang, "rep.q.data_loss"), yesNo(lang, a.Answers.DataLoss))
	w("- %s: %s\n", msg(lang, "rep.q.all_affected"), yesNo(lang, a.Answers.AllAffected))
	w("- %s: %s\n\n", msg(lang, "rep.q.security"), yesNo(lang, a.Answers.Security))

	w("## %s\n\n", msg(lang, "rep.h.error"))
	if r.Error == "" {
		w("%s\n\n", msg(lang, "rep.no_error"))
	} else {
		w("%s\n\n", fence("text", r.Error))
	}
	if len(r.Symptoms) > 0 {
		w("%s\n\n", msg(lang, "rep.symptoms", cell(strings.Join(r.Symptoms, "; "))))
	}

	w("## %s\n\n", msg(lang, "rep.h.steps"))
	if len(r.Steps) == 0 {
		w("%s\n\n", msg(lang, "rep.no_steps"))
	} else {
		for i, s := range r.Steps {
			w("%d. %s\n", i+1, oneLine(s))
		}
		w("\n")
	}

	w("## %s\n\n", msg(lang, "rep.h.expected"))
	w("- **%s:** %s\n", msg(lang, "rep.expected"), orText(lang, r.Expected))
	w("- **%s:** %s\n\n", msg(lang, "rep.actual"), orText(lang, r.Actual))

	w("## %s\n\n", msg(lang, "rep.h.tried"))
	if len(r.Tried.Checks) == 0 {
		w("- %s: %s\n", msg(lang, "rep.checks_run"), msg(lang, "rep.none"))
	} else {
		w("- %s (%d): %s\n", msg(lang, "rep.checks_run"), len(r.Tried.Checks), strings.Join(triedChecks(r, lang), ", "))
	}
	writeArticles(&b, msg(lang, "rep.articles_read"), r.Tried.Articles, lang)
	if len(r.Tried.Suggested) > 0 {
		writeArticles(&b, msg(lang, "rep.articles_suggested"), r.Tried.Suggested, lang)
	}
	if len(r.Tried.Fixes) > 0 {
		w("- %s (%d):\n", msg(lang, "rep.fixes"), len(r.Tried.Fixes))
		for _, f := range r.Tried.Fixes {
			w("  - %s (%s, %s): %s\n", f.Title, f.Check, FixKind(lang, f.Kind, 1), msg(lang, "rep.fix_state."+f.State))
		}
	}
	w("\n")

	w("## %s\n\n", msg(lang, "rep.h.checks"))
	s := r.CheckSummary
	if len(r.Results) == 0 {
		w("%s\n\n", msg(lang, "rep.no_checks"))
	} else {
		w("%s\n\n", msg(lang, "rep.check_counts", CheckCount(lang, len(r.Results)), StatusCounts(lang, s)))
		for _, res := range r.Results {
			writeResult(&b, res, lang)
		}
	}

	w("## %s\n\n", msg(lang, "rep.h.environment"))
	w("| | |\n|---|---|\n")
	row(msg(lang, "rep.os"), orDash(r.Environment.OS))
	row("Pitstop", orDash(r.Environment.Version))
	row(msg(lang, "rep.terminal"), orDash(r.Environment.Terminal))
	proxy := msg(lang, "rep.no_proxy")
	if len(r.Environment.Proxy) > 0 {
		proxy = strings.Join(r.Environment.Proxy, ", ")
	}
	row(msg(lang, "rep.proxy"), proxy)
	row(msg(lang, "rep.lang"), orDash(r.Environment.Lang))
	w("\n")

	w("## %s\n\n", msg(lang, "rep.h.config"))
	if r.Config.Path != "" {
		w("%s\n\n", msg(lang, "rep.config_from", r.Config.Profile, r.Config.Path))
	} else {
		w("%s\n\n", msg(lang, "rep.config_env", r.Config.Profile))
	}
	if r.Config.yamlText == "" {
		w("%s\n\n", msg(lang, "rep.config_empty"))
	} else {
		w("%s\n\n", fence("yaml", strings.TrimRight(r.Config.yamlText, "\n")))
	}
	if len(r.Config.Secrets) > 0 {
		w("| %s | %s | %s |\n|---|---|---|\n", msg(lang, "rep.secret"), msg(lang, "rep.shown_as"), msg(lang, "rep.source"))
		for _, sec := range r.Config.Secrets {
			w("| `%s` | `%s` | %s |\n", sec.Field, sec.Masked, cell(describeSource(sec, lang)))
		}
		w("\n")
	}

	if r.Checklist != nil {
		w("## %s\n\n", msg(lang, "rep.h.checklist"))
		writeChecklistItems(&b, *r.Checklist, lang)
	}
	return r.scrubText(b.String())
}

// writeArticles writes one list of articles under "What was tried".
func writeArticles(b *strings.Builder, label string, arts []ArticleInfo, lang string) {
	if len(arts) == 0 {
		fmt.Fprintf(b, "- %s: %s\n", label, msg(lang, "rep.none"))
		return
	}
	fmt.Fprintf(b, "- %s:\n", label)
	for _, art := range arts {
		switch {
		case art.Title != "" && art.Severity != "":
			fmt.Fprintf(b, "  - `%s` %s (%s)\n", art.ID, art.Title, sevWord(art.Severity, lang))
		case art.Title != "":
			fmt.Fprintf(b, "  - `%s` %s\n", art.ID, art.Title)
		default:
			fmt.Fprintf(b, "  - `%s`\n", art.ID)
		}
	}
}

// TriggerLabels are the labels of the escalation triggers that apply
// ("API failures affecting business"), in the report's language.
func (r *Report) TriggerLabels() []string {
	var out []string
	for _, id := range r.Assessment.TriggerItems {
		if id != "general_question" && r.policy != nil {
			out = append(out, r.policy.triggerLabel(id, r.Lang))
		}
	}
	return out
}

func (r *Report) channelLabel(id string) string {
	for _, c := range r.Assessment.ChannelResponse {
		if c.Channel == id {
			return c.Label
		}
	}
	return id
}

func writeResult(b *strings.Builder, res check.Result, lang string) {
	title := checkTitle(res, lang)
	if title == "" {
		title = res.ID
	}
	fmt.Fprintf(b, "### %s `%s` %s\n\n", statusMark(res.Status), res.ID, title)
	fmt.Fprintf(b, "%s · %s\n\n", strings.ToUpper(StatusLabel(lang, res.Status)), human.Duration(res.Duration))
	if res.Summary != "" {
		fmt.Fprintf(b, "%s\n\n", res.Summary)
	}
	if len(res.Articles) > 0 {
		ids := make([]string, len(res.Articles))
		for i, id := range res.Articles {
			ids[i] = "`" + id + "`"
		}
		fmt.Fprintf(b, "%s: %s\n\n", msg(lang, "rep.articles"), strings.Join(ids, ", "))
	}
	if len(res.Details) > 0 {
		fmt.Fprintf(b, "%s\n\n", fence("text", strings.Join(res.Details, "\n")))
	}
}

// statusMark is a status as a symbol that survives plain text.
func statusMark(s check.Status) string {
	switch s {
	case check.Pass:
		return "✓"
	case check.Warn:
		return "!"
	case check.Fail:
		return "✗"
	case check.Skip:
		return "–"
	}
	return "?"
}

func describeSource(s SecretInfo, lang string) string {
	switch {
	case s.Source == "file":
		return msg(lang, "rep.src_file")
	case strings.HasPrefix(s.Source, "env:"):
		name := strings.TrimPrefix(s.Source, "env:")
		if !s.Set {
			return msg(lang, "rep.src_env_unset", name)
		}
		return msg(lang, "rep.src_env", name)
	case s.Source == config.SourceTyped:
		return msg(lang, "rep.src_typed")
	case s.Source == "":
		return msg(lang, "rep.src_unset")
	}
	return s.Source
}

// Markdown renders a filled checklist on its own, with its title.
func (f Filled) Markdown(lang string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", f.Title)
	if f.Description != "" {
		fmt.Fprintf(&b, "%s\n\n", f.Description)
	}
	writeChecklistItems(&b, f, lang)
	return b.String()
}

func writeChecklistItems(b *strings.Builder, f Filled, lang string) {
	for _, it := range f.Items {
		box := "[ ]"
		if it.State == Done || it.State == NotApplicable {
			box = "[x]"
		}
		line := it.Label
		switch it.State {
		case Failing:
			line = "✗ " + line + " — **" + Failing.Word(lang) + "**"
		case NotApplicable:
			line += " — " + NotApplicable.Word(lang)
		case Done:
			if it.Warned {
				line = "! " + line + " — **" + msg(lang, "cl.warned") + "**"
			}
		}
		if it.Required && it.State == Open {
			line += " (" + msg(lang, "cl.required") + ")"
		}
		var why []string
		if it.Note != "" {
			why = append(why, oneLine(it.Note))
		}
		if it.State == Open && it.Hint != "" {
			why = append(why, it.Hint)
		}
		if it.Manual && it.State == Open {
			why = append(why, "`"+it.ID+"`")
		}
		if len(why) > 0 {
			line += " — " + strings.Join(why, " ")
		}
		fmt.Fprintf(b, "- %s %s\n", box, line)
	}
	fmt.Fprintf(b, "\n%s\n", f.Status(lang))
}

// Status says in lang whether the list is complete: "Complete: all 6
// done.", "4 of 6 done; the rest are optional." or "Not complete yet: 3 of
// 6 done." The report and the checklist screens say it alike.
func (f Filled) Status(lang string) string {
	done, total := f.Counts()
	switch {
	case f.Complete() && done == total:
		return msgN(lang, "cl.complete", total, total)
	case f.Complete():
		return msgN(lang, "cl.optional", total, done, total)
	}
	return msgN(lang, "cl.incomplete", total, done, total)
}

// fence wraps text in a code fence longer than any backtick run inside it.
func fence(lang, text string) string {
	ticks := "```"
	for strings.Contains(text, ticks) {
		ticks += "`"
	}
	return ticks + lang + "\n" + text + "\n" + ticks
}

// cell makes text safe inside a Markdown table cell.
func cell(s string) string {
	return strings.ReplaceAll(oneLine(s), "|", `\|`)
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func orText(lang, s string) string {
	if s == "" {
		return "_" + msg(lang, "rep.not_given") + "_"
	}
	return oneLine(s)
}

func yesNo(lang string, v bool) string {
	if v {
		return msg(lang, "rep.yes")
	}
	return msg(lang, "rep.no")
}

// triedChecks are the checks run, each with its outcome in the report's
// language (the JSON keeps "api.auth (fail)").
func triedChecks(r *Report, lang string) []string {
	if len(r.Results) != len(r.Tried.Checks) {
		return r.Tried.Checks
	}
	out := make([]string, len(r.Results))
	for i, res := range r.Results {
		out[i] = fmt.Sprintf("%s (%s)", res.ID, StatusLabel(lang, res.Status))
	}
	return out
}
