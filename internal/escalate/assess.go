package escalate

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"pitstop/internal/check"
	"pitstop/internal/i18n"
	"pitstop/internal/kb"
	"pitstop/internal/registry"
)

// Answers are the questions Pitstop asks before escalating.
type Answers struct {
	// Impact is the business impact: low, medium, high, or "" when not asked.
	Impact string `json:"impact,omitempty"`
	// DataLoss: is data being lost?
	DataLoss bool `json:"data_loss"`
	// AllAffected: is everyone affected, or is the system down?
	AllAffected bool `json:"all_affected"`
	// Security: is there a security or compliance concern?
	Security bool `json:"security"`
}

// Given reports whether any question was answered.
func (a Answers) Given() bool { return a.Impact != "" || a.DataLoss || a.AllAffected || a.Security }

// ParseImpact checks a business impact answer ("" is allowed: not asked).
func ParseImpact(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "", ImpactLow, ImpactMedium, ImpactHigh:
		return s, nil
	}
	return "", fmt.Errorf("business impact %q is not one of low, medium, high", s)
}

// ArticleLookup finds knowledge articles by id; *kb.Base is one.
type ArticleLookup interface {
	Get(id string) (*kb.Article, bool)
}

// Input is what an assessment works from.
type Input struct {
	// Results are the check outcomes. Warn, Fail and Error results count,
	// with the severities of the articles they name.
	Results []check.Result
	// Matched are articles matched to the pasted error or the symptoms the
	// person picked; their severity counts in full.
	Matched []*kb.Article
	// Articles looks up the articles named by results (nil: severities of
	// those articles are unknown and a failure counts as medium).
	Articles ArticleLookup
	// Answers are the person's answers.
	Answers Answers
	// ErrorText is the error the person pasted ("" when none): with
	// Symptoms it says what a matched article was matched from.
	ErrorText string
	// Symptoms are the symptoms the person picked.
	Symptoms []string
}

// ChannelTarget is the support level's response time on one channel.
type ChannelTarget struct {
	Channel  string   `json:"channel"`
	Label    string   `json:"label"`
	Response Duration `json:"response"`
}

// Assessment is the verdict: how bad, who handles it, how fast, and why.
type Assessment struct {
	Severity      string `json:"severity"`       // critical | high | medium | low
	SeverityLabel string `json:"severity_label"` // CRITICAL, CRÍTICA ...
	Tier          string `json:"tier"`           // tier_4_emergency ...
	TierName      string `json:"tier_name"`
	// IssueTypes are what the tier rules looked at (security, api_issues ...).
	IssueTypes []string `json:"issue_types"`
	// SupportLevel is the severity's escalation level (1–3).
	SupportLevel     int    `json:"support_level"`
	SupportLevelName string `json:"support_level_name"`
	// Response is the first-answer target: the stricter of the severity's
	// response minutes and the tier's response time.
	Response Duration `json:"response"`
	// Resolution is the tier's resolution time.
	Resolution Duration `json:"resolution"`
	// ChannelResponse is the support level's response time per channel.
	ChannelResponse []ChannelTarget `json:"channel_response"`
	// Channels are the severity's notification channels.
	Channels []string `json:"notification_channels"`
	// Trigger is the escalation class: immediate, urgent or standard.
	Trigger      string `json:"trigger"`
	TriggerLabel string `json:"trigger_label"`
	// TriggerItems are the policy's trigger ids that apply (data_loss ...).
	TriggerItems []string `json:"trigger_items"`
	// Reasons are the facts that set the severity, in plain words.
	Reasons []string `json:"reasons"`
	// Justification is one paragraph a support engineer reads first.
	Justification string  `json:"justification"`
	Answers       Answers `json:"answers"`
}

// signal is one fact that pushes the severity up.
type signal struct {
	severity string
	reason   string
}

// Assess applies the policy to a case. lang picks the language of labels and
// the justification.
func (p *Policy) Assess(in Input, lang string) Assessment {
	sigs := severitySignals(in, lang)
	sev := SeverityLow
	for _, s := range sigs {
		if severityRank(s.severity) > severityRank(sev) {
			sev = s.severity
		}
	}
	var reasons []string
	for _, s := range sigs {
		if s.severity == sev && !slices.Contains(reasons, s.reason) {
			reasons = append(reasons, s.reason)
		}
	}
	if len(reasons) == 0 {
		reasons = []string{msg(lang, "sev.none")}
	}
	issues := issueTypes(in)
	a := Assessment{Severity: sev, IssueTypes: issues, Reasons: reasons, Answers: in.Answers}
	a.Tier = p.DetermineTier(issues, sev, in.Answers.Impact)
	sr, _ := p.Severity(sev)
	a.SeverityLabel = sr.Label.In(lang)
	if a.SeverityLabel == "" {
		a.SeverityLabel = strings.ToUpper(sev)
	}
	a.SupportLevel = sr.EscalationLevel
	a.Channels = slices.Clone(sr.NotificationChannels)
	tier, _ := p.Tier(a.Tier)
	a.TierName = tier.Name.In(lang)
	if a.TierName == "" {
		a.TierName = a.Tier
	}
	a.Resolution = tier.Resolution
	a.Response = tier.Response
	respBy := msg(lang, "resp.tier", a.TierName)
	if r := sr.Response(); r > 0 && (a.Response <= 0 || r < time.Duration(a.Response)) {
		a.Response = Duration(r)
		respBy = msg(lang, "resp.severity", a.SeverityLabel)
	}
	if lvl, ok := p.SupportLevel(sr.EscalationLevel); ok {
		a.SupportLevelName = lvl.Name.In(lang)
		for _, ch := range sortedKeys(lvl.Response) {
			a.ChannelResponse = append(a.ChannelResponse, ChannelTarget{Channel: ch, Label: p.ChannelName(ch, lang), Response: lvl.Response[ch]})
		}
		// Slowest channel first: email, chat, phone.
		slices.SortStableFunc(a.ChannelResponse, func(x, y ChannelTarget) int { return int(y.Response - x.Response) })
	}
	a.TriggerItems = triggerItems(in)
	a.Trigger = p.triggerClass(a.TriggerItems, sev)
	if c, ok := p.TriggerClass(a.Trigger); ok {
		a.TriggerLabel = c.Label.In(lang)
	} else {
		a.TriggerLabel = a.Trigger
	}
	a.Justification = p.justify(a, respBy, lang)
	return a
}

// severitySignals lists every fact that raises the severity, in a stable order.
func severitySignals(in Input, lang string) []signal {
	var sigs []signal
	ans := in.Answers
	if ans.AllAffected {
		sigs = append(sigs, signal{SeverityCritical, msg(lang, "sev.all_affected")})
	}
	if ans.DataLoss {
		sigs = append(sigs, signal{SeverityCritical, msg(lang, "sev.data_loss")})
	}
	if ans.Security {
		sigs = append(sigs, signal{SeverityHigh, msg(lang, "sev.security")})
	}
	if ans.Impact != "" {
		sigs = append(sigs, signal{ans.Impact, msg(lang, "sev.impact", msg(lang, "impact."+ans.Impact))})
	}
	for _, r := range in.Results {
		if !r.Status.Bad() {
			continue
		}
		var worst *kb.Article
		if in.Articles != nil {
			for _, id := range r.Articles {
				if a, ok := in.Articles.Get(id); ok && severityRank(a.Severity) >= 0 {
					if worst == nil || severityRank(a.Severity) > severityRank(worst.Severity) {
						worst = a
					}
				}
			}
		}
		switch {
		case r.Status == check.Fail && worst != nil:
			sigs = append(sigs, signal{strings.ToLower(worst.Severity), msg(lang, "sev.fail_article", checkName(r, lang), articleName(worst), sevWord(worst.Severity, lang))})
		case r.Status == check.Fail:
			sigs = append(sigs, signal{SeverityMedium, msg(lang, "sev.fail", checkName(r, lang))})
		case worst != nil && severityRank(worst.Severity) > severityRank(SeverityMedium):
			sigs = append(sigs, signal{SeverityMedium, msg(lang, "sev.bad_article", checkName(r, lang), kb.StatusVerb(lang, r.Status), articleName(worst), sevWord(worst.Severity, lang))})
		case worst != nil:
			sigs = append(sigs, signal{strings.ToLower(worst.Severity), msg(lang, "sev.bad", checkName(r, lang), kb.StatusVerb(lang, r.Status))})
		default:
			sigs = append(sigs, signal{SeverityLow, msg(lang, "sev.bad", checkName(r, lang), kb.StatusVerb(lang, r.Status))})
		}
	}
	for _, a := range in.Matched {
		if severityRank(a.Severity) >= 0 {
			sigs = append(sigs, signal{strings.ToLower(a.Severity), matchedReason(in, a, lang)})
		}
	}
	return sigs
}

// matchedReason says what a matched article was matched from, in the words
// of the evidence actually given: the pasted error, the symptoms picked
// (quoted), both, or neither known.
func matchedReason(in Input, a *kb.Article, lang string) string {
	var picked []string
	for _, s := range in.Symptoms {
		s = strings.TrimSpace(s)
		if s != "" && slices.ContainsFunc(a.Symptoms, func(as string) bool { return strings.EqualFold(strings.TrimSpace(as), s) }) {
			picked = append(picked, "“"+s+"”")
		}
	}
	pasted := strings.TrimSpace(in.ErrorText) != "" && (len(picked) == 0 || patternFound(a, in.ErrorText))
	sev, name := sevWord(a.Severity, lang), articleName(a)
	switch {
	case pasted && len(picked) > 0:
		return msg(lang, "sev.matched_both", name, sev)
	case pasted:
		return msg(lang, "sev.matched_text", name, sev)
	case len(picked) == 1:
		return msg(lang, "sev.matched_symptom", picked[0], name, sev)
	case len(picked) > 1:
		return msg(lang, "sev.matched_symptoms", i18n.JoinAnd(lang, picked), name, sev)
	}
	return msg(lang, "sev.matched", name, sev)
}

// checkName is a check as a reader knows it: its title in lang quoted, with
// its id after it (“API key accepted” (api.auth)); the id alone when it has
// no title.
func checkName(r check.Result, lang string) string {
	if t := strings.TrimSpace(checkTitle(r, lang)); t != "" && t != r.ID {
		return "“" + t + "” (" + r.ID + ")"
	}
	return r.ID
}

// checkTitle is a result's title in lang, from the family registry.
func checkTitle(r check.Result, lang string) string {
	return registry.CheckTitle(r.ID, r.Title, lang)
}

// articleName is an article's title quoted, or its id when it has none.
func articleName(a *kb.Article) string {
	if t := strings.TrimSpace(a.Title); t != "" {
		return "“" + t + "”"
	}
	return a.ID
}

// patternFound reports whether one of the article's patterns is in text.
func patternFound(a *kb.Article, text string) bool {
	for _, p := range a.Patterns {
		if re, err := regexp.Compile(p); err == nil && re.MatchString(text) {
			return true
		}
	}
	return false
}

// sevWord is an article's severity as a plain word in lang, the word the
// knowledge base's outputs use (kb.word.<severity>).
func sevWord(sev, lang string) string { return kb.Word(lang, strings.ToLower(sev)) }

// Which article categories make which issue types (a check's family says
// its own: registry.Family.Issue).
var (
	articleIssue = map[string]string{
		"api": IssueAPI, "performance": IssueAPI,
		"crm": IssueIntegration, "email": IssueIntegration, "data": IssueIntegration, "workflow": IssueIntegration,
		"security": IssueSecurity,
	}
	issueOrder = []string{IssueDataLoss, IssueOutage, IssueSecurity, IssueAPI, IssueIntegration, IssueGeneral}
)

// issueTypes returns the issue types of the case, most serious first. Only
// failures and could-not-test results count; a warning alone is general.
func issueTypes(in Input) []string {
	set := map[string]bool{}
	if in.Answers.DataLoss {
		set[IssueDataLoss] = true
	}
	if in.Answers.AllAffected {
		set[IssueOutage] = true
	}
	if in.Answers.Security {
		set[IssueSecurity] = true
	}
	for _, r := range in.Results {
		if r.Status != check.Fail && r.Status != check.Error {
			continue
		}
		if f, ok := registry.Get(r.Category); ok && f.Issue != "" {
			set[f.Issue] = true
		}
		for _, a := range lookupAll(in.Articles, r.Articles) {
			if t, ok := articleIssue[a.Category]; ok {
				set[t] = true
			}
		}
	}
	for _, a := range in.Matched {
		if t, ok := articleIssue[a.Category]; ok {
			set[t] = true
		}
	}
	var out []string
	for _, t := range issueOrder {
		if set[t] {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		out = []string{IssueGeneral}
	}
	return out
}

func lookupAll(l ArticleLookup, ids []string) []*kb.Article {
	if l == nil {
		return nil
	}
	var out []*kb.Article
	for _, id := range ids {
		if a, ok := l.Get(id); ok {
			out = append(out, a)
		}
	}
	return out
}

// Trigger item ids of the policy's escalation triggers that Pitstop settles.
const (
	trigSecurityBreach = "security_breach"
	trigDataLoss       = "data_loss"
	trigOutage         = "system_outage"
	trigCompliance     = "compliance_violation"
	trigAPIFailure     = "api_failure"
	trigDataSync       = "data_sync"
	trigPerformance    = "performance"
	trigUserAccess     = "user_access"
	trigGeneral        = "general_question"
)

// Which failures make which triggers. A check that failed or could not test
// counts by its family (registry.Family.FailTriggers) and by the articles
// that explain it; a warning counts only where it means things are slower
// or closer to failing (registry.Check.WarnTriggers); a matched article
// counts by itself. An article listed in articleTriggers
// counts as listed there (nothing when the list is empty), others by their
// category.
var (
	articleTriggers = map[string][]string{
		"api-invalid-key":                  {trigAPIFailure, trigUserAccess},
		"api-forbidden":                    {trigAPIFailure, trigUserAccess},
		"api-quota-exhausted":              {trigAPIFailure}, // everything stopped, not slower
		"crm-hubspot-auth":                 {trigDataSync, trigUserAccess},
		"crm-hubspot-missing-scopes":       {trigDataSync, trigUserAccess},
		"crm-pipedrive-auth":               {trigDataSync, trigUserAccess},
		"crm-salesforce-invalid-session":   {trigDataSync, trigUserAccess},
		"crm-salesforce-api-disabled":      {trigDataSync, trigUserAccess},
		"smtp-auth-failed":                 {trigUserAccess},
		"smtp-gmail-app-password":          {trigUserAccess},
		"smtp-m365-auth-disabled":          {trigUserAccess},
		"api-timeouts":                     {trigAPIFailure, trigPerformance},
		"data-performance":                 {trigPerformance},
		"workflow-performance":             {trigPerformance},
		"workflow-data-flow":               {trigDataSync},
		"ops-caching":                      {trigPerformance},
		"perf-high-costs":                  {}, // a bill, not a slowdown
		"security-authentication-problems": {trigUserAccess},
		"security-data-protection":         {trigSecurityBreach},
		"security-compliance":              {trigCompliance},
	}
	categoryTriggers = map[string][]string{
		"api":         {trigAPIFailure},
		"performance": {trigPerformance},
		"crm":         {trigDataSync},
		"data":        {trigDataSync},
	}
	triggerOrder = []string{
		trigSecurityBreach, trigDataLoss, trigOutage, trigCompliance,
		trigAPIFailure, trigDataSync, trigPerformance, trigUserAccess,
	}
)

// articleTrigger returns the triggers an article stands for.
func articleTrigger(a *kb.Article) []string {
	if t, ok := articleTriggers[a.ID]; ok {
		return t
	}
	return categoryTriggers[a.Category]
}

// triggerItems settles which of the policy's escalation triggers apply.
func triggerItems(in Input) []string {
	set := map[string]bool{}
	add := func(items []string) {
		for _, it := range items {
			set[it] = true
		}
	}
	ans := in.Answers
	if ans.Security {
		add([]string{trigSecurityBreach, trigCompliance})
	}
	if ans.DataLoss {
		set[trigDataLoss] = true
	}
	if ans.AllAffected {
		set[trigOutage] = true
	}
	for _, r := range in.Results {
		spec, fam, known := registry.CheckByID(r.ID)
		if !known {
			spec, fam = &registry.Check{}, &registry.Family{}
		}
		if f, ok := registry.Get(r.Category); ok {
			fam = f
		}
		switch r.Status {
		case check.Fail, check.Error:
			add(fam.FailTriggers)
			arts := lookupAll(in.Articles, r.Articles)
			for _, a := range arts {
				add(articleTrigger(a))
			}
			if len(arts) == 0 && r.Status == check.Fail && spec.Credentials {
				set[trigUserAccess] = true
			}
		case check.Warn:
			add(spec.WarnTriggers)
			if spec.WarnByArticles {
				for _, a := range lookupAll(in.Articles, r.Articles) {
					add(articleTrigger(a))
				}
			}
		}
	}
	for _, a := range in.Matched {
		add(articleTrigger(a))
	}
	var out []string
	for _, id := range triggerOrder {
		if set[id] {
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		out = []string{trigGeneral}
	}
	return out
}

// triggerClass is the most urgent class holding one of the items, raised to
// match the severity: critical is immediate, high and medium are urgent.
func (p *Policy) triggerClass(items []string, severity string) string {
	rank := map[string]int{TriggerStandard: 0, TriggerUrgent: 1, TriggerImmediate: 2}
	best := TriggerStandard
	for _, c := range p.Triggers {
		for _, it := range c.Items {
			if slices.Contains(items, it.ID) && rank[c.Class] > rank[best] {
				best = c.Class
			}
		}
	}
	bySeverity := map[string]string{
		SeverityCritical: TriggerImmediate, SeverityHigh: TriggerUrgent, SeverityMedium: TriggerUrgent, SeverityLow: TriggerStandard,
	}[severity]
	if rank[bySeverity] > rank[best] {
		best = bySeverity
	}
	return best
}

// tierReason says in words why the chosen tier's rule held.
func (p *Policy) tierReason(a Assessment, lang string) string {
	for _, r := range p.TierRules {
		if !r.holds(a.IssueTypes, a.Severity, a.Answers.Impact) {
			continue
		}
		var why []string
		if containsFold(r.Severity, a.Severity) {
			why = append(why, msg(lang, "tier.severity", a.SeverityLabel))
		}
		if containsFold(r.BusinessImpact, a.Answers.Impact) {
			why = append(why, msg(lang, "tier.impact", msg(lang, "impact."+a.Answers.Impact)))
		}
		var kinds []string
		for _, t := range a.IssueTypes {
			if containsFold(r.IssueType, t) {
				kinds = append(kinds, msg(lang, "issue."+t))
			}
		}
		if len(kinds) > 0 {
			why = append(why, msg(lang, "tier.issue", i18n.JoinAnd(lang, kinds)))
		}
		if len(why) == 0 {
			return msg(lang, "tier.default")
		}
		return i18n.JoinAnd(lang, why)
	}
	return msg(lang, "tier.default")
}

// justify writes the one-paragraph justification.
func (p *Policy) justify(a Assessment, respBy, lang string) string {
	reasons := a.Reasons
	if len(reasons) > 3 {
		n := len(a.Reasons) - 3
		reasons = append(slices.Clone(reasons[:3]), msgN(lang, "sev.more", n, n))
	}
	parts := []string{
		msg(lang, "just.severity", a.SeverityLabel, i18n.JoinAnd(lang, reasons)),
		msg(lang, "just.tier", a.TierName, p.tierReason(a, lang)),
		msg(lang, "just.response", FormatDuration(time.Duration(a.Response)), respBy, FormatDuration(time.Duration(a.Resolution))),
	}
	if a.SupportLevelName != "" {
		var chans []string
		for _, c := range a.Channels {
			chans = append(chans, p.ChannelName(c, lang))
		}
		parts = append(parts, msg(lang, "just.level", a.SupportLevelName, i18n.JoinOr(lang, chans)))
	}
	var items []string
	for _, id := range a.TriggerItems {
		if id != "general_question" {
			items = append(items, p.triggerLabel(id, lang))
		}
	}
	if len(items) > 0 {
		parts = append(parts, msg(lang, "just.trigger", a.TriggerLabel, i18n.JoinAnd(lang, items)))
	} else {
		parts = append(parts, msg(lang, "just.trigger_none", a.TriggerLabel))
	}
	return i18n.Capitalize(strings.Join(parts, " "))
}
