package escalate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/kb"
)

// Environment is where Pitstop ran, as the support engineer needs it.
type Environment struct {
	OS       string   `json:"os"`       // "linux/amd64 (Ubuntu 24.04 LTS)"
	Version  string   `json:"version"`  // Pitstop's version
	Terminal string   `json:"terminal"` // "xterm-256color (COLORTERM=truecolor)"
	Proxy    []string `json:"proxy"`    // "HTTPS_PROXY=http://•••@proxy:3128", credentials removed
	Lang     string   `json:"lang"`
}

// proxyVars are the proxy settings Go's HTTP client honours.
var proxyVars = []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"}

// CollectEnvironment reads the environment of this process. getenv is
// os.Getenv outside tests; osName is "" to detect it.
func CollectEnvironment(getenv func(string) string, version, lang string) Environment {
	if getenv == nil {
		getenv = os.Getenv
	}
	osName := runtime.GOOS + "/" + runtime.GOARCH
	if pretty := osRelease(); pretty != "" {
		osName += " (" + pretty + ")"
	}
	return Environment{OS: osName, Version: version, Terminal: describeTerminal(getenv, lang), Proxy: describeProxy(getenv), Lang: lang}
}

// osRelease returns PRETTY_NAME from /etc/os-release, or "".
func osRelease() string {
	data, err := os.ReadFile("/etc/os-release")
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "PRETTY_NAME="); ok {
			return strings.Trim(strings.TrimSpace(v), `"'`)
		}
	}
	return ""
}

func describeTerminal(getenv func(string) string, lang string) string {
	term := getenv("TERM")
	if term == "" {
		term = msg(lang, "env.unknown")
	}
	var extra []string
	for _, v := range []string{"TERM_PROGRAM", "COLORTERM"} {
		if s := getenv(v); s != "" {
			extra = append(extra, v+"="+s)
		}
	}
	switch {
	case getenv("TMUX") != "":
		extra = append(extra, msg(lang, "env.inside", "tmux"))
	case getenv("STY") != "":
		extra = append(extra, msg(lang, "env.inside", "screen"))
	}
	if len(extra) == 0 {
		return term
	}
	return term + " (" + strings.Join(extra, ", ") + ")"
}

func describeProxy(getenv func(string) string) []string {
	var out []string
	for _, v := range proxyVars {
		if s := getenv(v); s != "" {
			if !strings.HasPrefix(strings.ToUpper(v), "NO_") {
				s = config.RedactURL(s)
			}
			out = append(out, v+"="+s)
		}
	}
	return out
}

// SecretInfo describes one secret without its value.
type SecretInfo struct {
	Field  string `json:"field"`  // api.key
	Masked string `json:"masked"` // sk-…9f2a
	Source string `json:"source"` // file, env:NAME, or "" when unset
}

// ConfigInfo is the redacted configuration.
type ConfigInfo struct {
	Path     string         `json:"path,omitempty"`
	Profile  string         `json:"profile"`
	Settings map[string]any `json:"settings"`
	Secrets  []SecretInfo   `json:"secrets"`
	yamlText string
}

// profileSecret is one secret of a profile by its config path.
type profileSecret struct {
	section, key string
	s            config.Secret
}

// profileSecrets lists the profile's secrets, from the settings' own table.
func profileSecrets(p *config.Profile) []profileSecret {
	var out []profileSecret
	for _, f := range config.Fields() {
		if f.Secret() {
			section, key, _ := strings.Cut(f.Key, ".")
			out = append(out, profileSecret{section, key, f.SecretOf(p)})
		}
	}
	return out
}

// RedactConfig returns the profile's settings with every secret masked and
// its source named. Secrets that are neither set nor named are left out.
func RedactConfig(p *config.Profile, path string) (ConfigInfo, error) {
	info := ConfigInfo{Path: path, Profile: p.Name, Settings: map[string]any{}}
	var doc yaml.Node
	if err := doc.Encode(p); err != nil {
		return info, fmt.Errorf("encode settings: %w", err)
	}
	for _, sec := range profileSecrets(p) {
		if !sec.s.IsSet() && sec.s.Source() == "" {
			continue
		}
		info.Secrets = append(info.Secrets, SecretInfo{Field: sec.section + "." + sec.key, Masked: sec.s.Masked(), Source: sec.s.Source()})
		section := mappingValue(&doc, sec.section)
		if section == nil {
			section = &yaml.Node{Kind: yaml.MappingNode}
			doc.Content = append(doc.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: sec.section}, section)
		}
		val := &yaml.Node{Kind: yaml.ScalarNode, Value: sec.s.Masked(), Style: yaml.DoubleQuotedStyle}
		if src := sec.s.Source(); src != "" {
			val.LineComment = "from " + src
		}
		if existing := mappingValue(section, sec.key); existing != nil {
			*existing = *val
		} else {
			section.Content = append(section.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: sec.key}, val)
		}
	}
	redactURLs(&doc)
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return info, fmt.Errorf("encode settings: %w", err)
	}
	info.yamlText = buf.String()
	if strings.TrimSpace(info.yamlText) == "{}" {
		info.yamlText = ""
	}
	if err := doc.Decode(&info.Settings); err != nil {
		return info, fmt.Errorf("decode settings: %w", err)
	}
	return info, nil
}

// redactURLs redacts every URL setting (redis://:pw@host, a base_url with
// ?key=): a credential written into a URL is not a Secret field, so the
// scrubber may not know it.
func redactURLs(n *yaml.Node) {
	if n.Kind == yaml.ScalarNode && strings.Contains(n.Value, "://") {
		n.Value = config.RedactURL(n.Value)
	}
	for _, c := range n.Content {
		redactURLs(c)
	}
}

// mappingValue returns the value node for key in a mapping node.
func mappingValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// ArticleInfo is an article named in the report.
type ArticleInfo struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Severity string `json:"severity,omitempty"`
}

// Tried is what was attempted before escalating.
type Tried struct {
	Checks []string `json:"checks"` // "api.auth (fail)"
	// Articles are the articles the person opened.
	Articles []ArticleInfo `json:"articles"`
	// Suggested are the articles Pitstop pointed to (matched to the
	// error or symptoms, or explaining a check) that were not opened.
	Suggested []ArticleInfo `json:"suggested"`
	// Fixes are the fixes Pitstop proposed, and what became of them.
	Fixes []FixInfo `json:"fixes"`
}

// FixInfo is one fix in the report: proposed, applied (a setting changed)
// or verified (applied, and the checks it affects passed again).
type FixInfo struct {
	ID    string `json:"id"`
	Check string `json:"check"`
	Kind  string `json:"kind"` // config | dns | manual
	Title string `json:"title"`
	State string `json:"state"` // proposed | applied | verified
}

// ReportInput is everything a report is built from.
type ReportInput struct {
	Policy     *Policy
	Checklists *Checklists // the "escalation" checklist is filled in when present
	Lang       string
	Now        time.Time
	Env        Environment
	Profile    *config.Profile
	ConfigPath string
	// ConfigFlag is the --config the commands in the steps to reproduce
	// need: "" when the settings are in the default place.
	ConfigFlag string
	Results    []check.Result
	// Articles looks up articles by id (nil: ids only).
	Articles ArticleLookup
	// Matched are articles matched to the pasted error or picked symptoms.
	Matched []*kb.Article
	// ArticlesRead are the ids of the articles the person opened (the
	// wizard's session knows them); matched articles not opened are listed
	// as suggested, not read.
	ArticlesRead []string
	Answers      Answers
	ErrorText    string
	// Symptoms are what the person picked from the knowledge base's lists.
	Symptoms []string
	Steps    []string
	Expected string
	Actual   string
	// Done are escalation checklist items the person ticked.
	Done []string
	// Fixes are the fixes proposed in this session, and what became of them.
	Fixes []FixInfo
	// Scrub masks every loaded secret's value in every string of the report.
	Scrub func(string) string
}

// Report is the escalation report.
type Report struct {
	Title        string         `json:"title"`
	Generated    time.Time      `json:"generated"`
	Lang         string         `json:"lang"`
	Summary      string         `json:"summary"`
	Assessment   Assessment     `json:"assessment"`
	Error        string         `json:"error"`
	Symptoms     []string       `json:"symptoms,omitempty"`
	Steps        []string       `json:"steps"`
	Expected     string         `json:"expected"`
	Actual       string         `json:"actual"`
	Tried        Tried          `json:"tried"`
	CheckSummary check.Summary  `json:"check_summary"`
	Results      []check.Result `json:"results"`
	Environment  Environment    `json:"environment"`
	Config       ConfigInfo     `json:"config"`
	Checklist    *Filled        `json:"checklist,omitempty"`

	scrub  func(string) string
	policy *Policy
}

// BuildReport assesses the case and assembles the report. Every string is
// scrubbed of secrets here and again when rendered.
func BuildReport(in ReportInput) (*Report, error) {
	if in.Policy == nil {
		return nil, fmt.Errorf("build report: no escalation policy")
	}
	secrets := in.Scrub
	if secrets == nil {
		secrets = func(s string) string { return s }
	}
	// Everything a person pasted or a server said is outside text: control
	// sequences (which could retitle or clear the terminal the report is
	// read in) go, line breaks stay, then the secrets are masked.
	scrub := func(s string) string { return secrets(config.StripControlsLines(s)) }
	lang := in.Lang
	if lang == "" {
		lang = "en"
	}
	results := scrubResults(in.Results, scrub)
	r := &Report{
		Generated:    in.Now.UTC(),
		Lang:         lang,
		Error:        scrub(strings.TrimSpace(in.ErrorText)),
		Symptoms:     scrubAll(in.Symptoms, scrub),
		Expected:     scrub(strings.TrimSpace(in.Expected)),
		Actual:       scrub(strings.TrimSpace(in.Actual)),
		Results:      results,
		CheckSummary: check.Summarize(results),
		Environment:  in.Env,
		scrub:        scrub,
		policy:       in.Policy,
	}
	if r.Environment.Lang == "" {
		r.Environment.Lang = lang
	}
	profile := in.Profile
	if profile == nil {
		profile = &config.Profile{}
	}
	cfg, err := RedactConfig(profile, in.ConfigPath)
	if err != nil {
		return nil, err
	}
	r.Config = cfg
	r.Assessment = in.Policy.Assess(Input{
		Results: results, Matched: in.Matched, Articles: in.Articles, Answers: in.Answers,
		ErrorText: r.Error, Symptoms: r.Symptoms,
	}, lang)
	r.Title = msg(lang, "rep.title", profileName(profile, lang))

	for _, s := range in.Steps {
		if s = strings.TrimSpace(s); s != "" {
			r.Steps = append(r.Steps, scrub(s))
		}
	}
	userSteps := len(r.Steps) > 0
	r.Steps = append(r.Steps, reproSteps(results, profile.Name, in.ConfigFlag, lang)...)

	for _, res := range results {
		r.Tried.Checks = append(r.Tried.Checks, fmt.Sprintf("%s (%s)", res.ID, res.Status))
	}
	r.Tried.Articles, r.Tried.Suggested = triedArticles(in, results)
	r.Tried.Fixes = []FixInfo{}
	for _, f := range in.Fixes {
		f.Title = scrub(f.Title)
		r.Tried.Fixes = append(r.Tried.Fixes, f)
	}
	readIDs, suggestedIDs := articleIDs(r.Tried.Articles), articleIDs(r.Tried.Suggested)
	r.Summary = summarize(r, profileName(profile, lang), lang)

	if in.Checklists != nil {
		if cl, ok := in.Checklists.Get(ChecklistEscalation); ok {
			f := cl.Fill(Evidence{
				Results:         results,
				ErrorPasted:     r.Error != "",
				ArticlesRead:    readIDs,
				Suggested:       suggestedIDs,
				ImpactGiven:     in.Answers.Given(),
				ReproSteps:      userSteps,
				Symptoms:        len(r.Symptoms) > 0,
				ExpectedActual:  r.Expected != "" && r.Actual != "",
				ConfigCollected: true,
				Done:            in.Done,
			}, lang)
			r.Checklist = &f
		}
	}
	return r, nil
}

func profileName(p *config.Profile, lang string) string {
	if p.Name != "" {
		return p.Name
	}
	return msg(lang, "rep.no_profile")
}

func scrubAll(in []string, scrub func(string) string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = scrub(s)
	}
	return out
}

func scrubResults(in []check.Result, scrub func(string) string) []check.Result {
	out := make([]check.Result, len(in))
	for i, r := range in {
		r.Title, r.Summary = scrub(r.Title), scrub(r.Summary)
		r.Details = slices.Clone(r.Details)
		for j := range r.Details {
			r.Details[j] = scrub(r.Details[j])
		}
		r.Articles = slices.Clone(r.Articles)
		out[i] = r
	}
	return out
}

// reproSteps turns failing checks into commands the engineer can run,
// with --config configFlag when the settings are not in the default place.
func reproSteps(results []check.Result, profile, configFlag, lang string) []string {
	var cats []string
	failing := map[string][]string{}
	for _, r := range results {
		if r.Status == check.Fail || r.Status == check.Error {
			if !slices.Contains(cats, r.Category) {
				cats = append(cats, r.Category)
			}
			failing[r.Category] = append(failing[r.Category], r.ID)
		}
	}
	var out []string
	for _, c := range cats {
		cmd := "pitstop check --only " + c
		if configFlag != "" {
			cmd += " --config " + ShellQuote(configFlag)
		}
		if profile != "" {
			cmd += " --profile " + profile
		}
		out = append(out, msg(lang, "rep.step_cmd", cmd, strings.Join(failing[c], ", ")))
	}
	return out
}

// ShellQuote quotes a path for a POSIX shell when it needs it: a path of
// plain characters stays as it is, any other is single-quoted.
func ShellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '/' || r == '.' || r == '-' || r == '_' || r == '~' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// triedArticles lists the articles the person opened, and apart from them
// the ones Pitstop suggested (matched, or explaining a bad check) that were
// not opened, once each.
func triedArticles(in ReportInput, results []check.Result) (read, suggested []ArticleInfo) {
	var readIDs, suggestedIDs []string
	for _, id := range in.ArticlesRead {
		if id != "" && !slices.Contains(readIDs, id) {
			readIDs = append(readIDs, id)
		}
	}
	suggest := func(id string) {
		if id != "" && !slices.Contains(readIDs, id) && !slices.Contains(suggestedIDs, id) {
			suggestedIDs = append(suggestedIDs, id)
		}
	}
	for _, a := range in.Matched {
		suggest(a.ID)
	}
	for _, r := range results {
		if r.Status.Bad() {
			for _, id := range r.Articles {
				suggest(id)
			}
		}
	}
	return articleInfos(in, readIDs), articleInfos(in, suggestedIDs)
}

// articleInfos looks up each article's title and severity.
func articleInfos(in ReportInput, ids []string) []ArticleInfo {
	out := make([]ArticleInfo, 0, len(ids))
	for _, id := range ids {
		info := ArticleInfo{ID: id}
		var a *kb.Article
		for _, m := range in.Matched {
			if m.ID == id {
				a = m
			}
		}
		if a == nil && in.Articles != nil {
			a, _ = in.Articles.Get(id)
		}
		if a != nil {
			info.Title, info.Severity = a.Title, a.Severity
		}
		out = append(out, info)
	}
	return out
}

func articleIDs(infos []ArticleInfo) []string {
	var out []string
	for _, a := range infos {
		out = append(out, a.ID)
	}
	return out
}

// summarize writes the report's opening paragraph.
func summarize(r *Report, profile, lang string) string {
	s := r.CheckSummary
	var parts []string
	total := len(r.Results)
	if total == 0 {
		parts = append(parts, msg(lang, "rep.sum_nochecks", profile))
	} else {
		parts = append(parts, msg(lang, "rep.sum_checks", msgN(lang, "n.checks", total, total), profile, statusCounts(lang, s)))
	}
	var bad []string
	for _, res := range r.Results {
		if res.Status == check.Fail || res.Status == check.Error {
			bad = append(bad, fmt.Sprintf("%s: %s", res.ID, firstSentence(res.Summary)))
		}
	}
	if len(bad) > 0 {
		if len(bad) > 3 {
			bad = append(bad[:3], msg(lang, "rep.more", len(bad)-3))
		}
		parts = append(parts, msgN(lang, "rep.sum_bad", len(bad), strings.Join(bad, "; ")))
	}
	if r.Error != "" {
		first, _, _ := strings.Cut(r.Error, "\n")
		parts = append(parts, msg(lang, "rep.sum_error", truncate(first, 160)))
	}
	a := r.Assessment
	parts = append(parts, msg(lang, "rep.sum_verdict", a.SeverityLabel, a.TierName, FormatDuration(time.Duration(a.Response))))
	return strings.Join(parts, " ")
}

// firstSentence keeps a check summary's first sentence, without its full stop.
func firstSentence(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, ". "); i > 0 {
		s = s[:i]
	}
	return truncate(strings.TrimSuffix(s, "."), 160)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// JSON renders the report as indented JSON, scrubbed.
func (r *Report) JSON() ([]byte, error) {
	out := *r
	if out.Steps == nil {
		out.Steps = []string{}
	}
	if out.Tried.Checks == nil {
		out.Tried.Checks = []string{}
	}
	if out.Results == nil {
		out.Results = []check.Result{}
	}
	if out.Config.Secrets == nil {
		out.Config.Secrets = []SecretInfo{}
	}
	if out.Environment.Proxy == nil {
		out.Environment.Proxy = []string{}
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode report: %w", err)
	}
	return []byte(r.scrubText(string(b)) + "\n"), nil
}

func (r *Report) scrubText(s string) string {
	if r.scrub == nil {
		return s
	}
	return r.scrub(s)
}
