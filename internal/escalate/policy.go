// Package escalate turns what Pitstop saw and asked into an escalation: the
// policy (tiers, severities, support levels, triggers) loaded as data, the
// assessment of a case against it, the checklists, and the report an agent
// sends to support. It knows nothing of the UI.
package escalate

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"pitstop/internal/safefile"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// PolicyFile is the policy's file name, in the embedded knowledge tree and in
// a --kb directory.
const PolicyFile = "escalation.yaml"

// Text is a label in several languages, keyed by language code ("en", "es").
// Texts are read from the policy and checklist files (knowledge/escalation.yaml,
// knowledge/checklists.yaml, or a team's own in --kb): they are configuration
// a team rewords and translates in its own file, not interface messages, so
// they stay out of the i18n catalogue (locales/), which holds the words
// around them.
type Text map[string]string

// In returns the text in lang, falling back to English, then to any.
func (t Text) In(lang string) string {
	if s, ok := t[lang]; ok && s != "" {
		return s
	}
	if s, ok := t["en"]; ok && s != "" {
		return s
	}
	for _, k := range sortedKeys(t) {
		if t[k] != "" {
			return t[k]
		}
	}
	return ""
}

// UnmarshalYAML reads a mapping of language codes to texts. Anything else
// is an error: in a flow mapping ({en: a, b, es: c}) an unquoted comma
// silently splits a text, and this catches it.
func (t *Text) UnmarshalYAML(n *yaml.Node) error {
	var m map[string]string
	if err := n.Decode(&m); err != nil {
		return err
	}
	for k, v := range m {
		if len(k) != 2 || strings.ToLower(k) != k {
			return fmt.Errorf("line %d: %q is not a language code (en, es); quote texts that hold a comma", n.Line, k)
		}
		if strings.TrimSpace(v) == "" {
			return fmt.Errorf("line %d: the %s text is empty", n.Line, k)
		}
	}
	*t = m
	return nil
}

// Duration is a time.Duration written as "15m" or "4h" in YAML and JSON.
type Duration time.Duration

// UnmarshalYAML reads a Go duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(strings.TrimSpace(n.Value))
	if err != nil || v <= 0 {
		return fmt.Errorf("line %d: %q is not a duration; write it like 15m, 4h or 48h", n.Line, n.Value)
	}
	*d = Duration(v)
	return nil
}

// MarshalYAML writes the short form.
func (d Duration) MarshalYAML() (any, error) { return FormatDuration(time.Duration(d)), nil }

// MarshalText writes the short form (used by JSON).
func (d Duration) MarshalText() ([]byte, error) { return []byte(FormatDuration(time.Duration(d))), nil }

// FormatDuration writes d as people read it: "15m", "4h", "1h30m", "2d".
func FormatDuration(d time.Duration) string {
	if d <= 0 {
		return "0m"
	}
	if d%(24*time.Hour) == 0 && d >= 48*time.Hour {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	h, m := d/time.Hour, (d%time.Hour)/time.Minute
	switch {
	case h > 0 && m > 0:
		return fmt.Sprintf("%dh%dm", h, m)
	case h > 0:
		return fmt.Sprintf("%dh", h)
	}
	return fmt.Sprintf("%dm", m)
}

// Tier is one support tier (SupportTierSystem).
type Tier struct {
	ID                 string   `yaml:"id" json:"id"`
	Name               Text     `yaml:"name" json:"name"`
	Scope              Text     `yaml:"scope" json:"scope"`
	Response           Duration `yaml:"response" json:"response"`
	Resolution         Duration `yaml:"resolution" json:"resolution"`
	EscalationCriteria Text     `yaml:"escalation_criteria" json:"escalation_criteria"`
}

// TierRule is one step of determine_support_tier: it holds when any of its
// lists contains the case's value; a rule with no lists always holds.
type TierRule struct {
	Tier           string   `yaml:"tier"`
	Severity       []string `yaml:"severity,omitempty"`
	BusinessImpact []string `yaml:"business_impact,omitempty"`
	IssueType      []string `yaml:"issue_type,omitempty"`
}

// Severity is one severity's escalation rule (CopyCarEscalationSystem).
type Severity struct {
	ID                   string   `yaml:"id" json:"id"`
	Label                Text     `yaml:"label" json:"label"`
	ResponseMinutes      int      `yaml:"response_minutes" json:"response_minutes"`
	EscalationLevel      int      `yaml:"escalation_level" json:"escalation_level"`
	NotificationChannels []string `yaml:"notification_channels" json:"notification_channels"`
}

// Response is the severity's response target.
func (s Severity) Response() time.Duration { return time.Duration(s.ResponseMinutes) * time.Minute }

// SupportLevel is one support level with response times per channel.
type SupportLevel struct {
	Level            int                 `yaml:"level" json:"level"`
	Name             Text                `yaml:"name" json:"name"`
	Responsibilities Text                `yaml:"responsibilities" json:"responsibilities"`
	Response         map[string]Duration `yaml:"response" json:"response"`
}

// TriggerItem is one escalation trigger ("Data loss incidents").
type TriggerItem struct {
	ID    string `yaml:"id" json:"id"`
	Label Text   `yaml:"label" json:"label"`
}

// TriggerClass is a group of triggers: immediate, urgent or standard.
type TriggerClass struct {
	Class string        `yaml:"class" json:"class"`
	Label Text          `yaml:"label" json:"label"`
	Items []TriggerItem `yaml:"items" json:"items"`
}

// Policy is the whole escalation policy.
type Policy struct {
	Version       int             `yaml:"version"`
	Tiers         []Tier          `yaml:"tiers"`
	TierRules     []TierRule      `yaml:"tier_rules"`
	Severities    []Severity      `yaml:"severities"`
	SupportLevels []SupportLevel  `yaml:"support_levels"`
	Channels      map[string]Text `yaml:"channels"`
	Triggers      []TriggerClass  `yaml:"triggers"`

	// Source is where the policy was read from.
	Source string `yaml:"-"`
}

// Severity IDs, from worst to mildest. The assessment computes one of them,
// so every policy must define all four.
const (
	SeverityCritical = "critical"
	SeverityHigh     = "high"
	SeverityMedium   = "medium"
	SeverityLow      = "low"
)

// SeverityOrder lists the severities from mildest to worst.
var SeverityOrder = []string{SeverityLow, SeverityMedium, SeverityHigh, SeverityCritical}

// severityRank orders severities; unknown ones rank below low.
func severityRank(s string) int { return slices.Index(SeverityOrder, strings.ToLower(s)) }

// Trigger classes, from most to least urgent.
const (
	TriggerImmediate = "immediate"
	TriggerUrgent    = "urgent"
	TriggerStandard  = "standard"
)

// Issue types used by the tier rules.
const (
	IssueSecurity    = "security"
	IssueDataLoss    = "data_loss"
	IssueOutage      = "system_outage"
	IssueAPI         = "api_issues"
	IssueIntegration = "integration_problems"
	IssueGeneral     = "general"
)

// Business impact answers.
const (
	ImpactLow    = "low"
	ImpactMedium = "medium"
	ImpactHigh   = "high"
)

// LoadPolicy reads escalation.yaml from overlayDir when it holds one, else
// from fsys (the embedded knowledge tree). Its names and labels (tiers,
// severities, channels, support levels) are configuration in every language
// the file gives, not catalogue messages: see Text.
func LoadPolicy(fsys fs.FS, overlayDir string) (*Policy, error) {
	data, source, err := readOverlaid(fsys, overlayDir, PolicyFile)
	if err != nil {
		return nil, err
	}
	return ParsePolicy(data, source)
}

// readOverlaid returns name from overlayDir when present, else from fsys.
func readOverlaid(fsys fs.FS, overlayDir, name string) ([]byte, string, error) {
	if overlayDir != "" {
		p := filepath.Join(overlayDir, name)
		data, err := safefile.Read(p, "", safefile.MaxArticle)
		switch {
		case err == nil:
			return data, p, nil
		case !errors.Is(err, fs.ErrNotExist):
			return nil, p, fmt.Errorf("read %s: %w", p, err)
		}
	}
	if fsys == nil {
		return nil, name, fmt.Errorf("no %s: no knowledge tree and none in %q", name, overlayDir)
	}
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, "knowledge/" + name, fmt.Errorf("read knowledge/%s: %w", name, err)
	}
	return data, "knowledge/" + name, nil
}

// decodeStrict decodes YAML rejecting unknown keys; errors name the file.
func decodeStrict(data []byte, source string, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %s", source, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	return nil
}

// ParsePolicy decodes and validates a policy. source names it in errors.
func ParsePolicy(data []byte, source string) (*Policy, error) {
	var p Policy
	if err := decodeStrict(data, source, &p); err != nil {
		return nil, err
	}
	p.Source = source
	if err := p.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	return &p, nil
}

func (p *Policy) validate() error {
	var errs []string
	add := func(format string, a ...any) { errs = append(errs, fmt.Sprintf(format, a...)) }
	if len(p.Tiers) == 0 {
		add("no tiers: the policy needs at least one")
	}
	tierIDs := map[string]bool{}
	for i, t := range p.Tiers {
		if t.ID == "" {
			add("tiers[%d] has no id", i)
		}
		if tierIDs[t.ID] {
			add("tier %q is defined twice", t.ID)
		}
		tierIDs[t.ID] = true
		if t.Response <= 0 || t.Resolution <= 0 {
			add("tier %q needs response and resolution times", t.ID)
		}
	}
	if len(p.TierRules) == 0 {
		add("no tier_rules: the policy needs at least a default rule")
	} else if last := p.TierRules[len(p.TierRules)-1]; len(last.Severity)+len(last.BusinessImpact)+len(last.IssueType) != 0 {
		add("the last tier rule must have no conditions (the default tier)")
	}
	for i, r := range p.TierRules {
		if !tierIDs[r.Tier] {
			add("tier_rules[%d] names tier %q, which is not defined", i, r.Tier)
		}
	}
	levels := map[int]bool{}
	for _, l := range p.SupportLevels {
		levels[l.Level] = true
	}
	for _, id := range SeverityOrder {
		s, ok := p.Severity(id)
		if !ok {
			add("severity %q is missing; all of critical, high, medium and low are needed", id)
			continue
		}
		if s.ResponseMinutes <= 0 {
			add("severity %q needs response_minutes", id)
		}
		if len(p.SupportLevels) > 0 && !levels[s.EscalationLevel] {
			add("severity %q escalates to level %d, which is not in support_levels", id, s.EscalationLevel)
		}
	}
	for _, c := range p.Triggers {
		switch c.Class {
		case TriggerImmediate, TriggerUrgent, TriggerStandard:
		default:
			add("trigger class %q is unknown; expected immediate, urgent or standard", c.Class)
		}
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "; "))
	}
	return nil
}

// Tier returns the tier with this id.
func (p *Policy) Tier(id string) (Tier, bool) {
	for _, t := range p.Tiers {
		if t.ID == id {
			return t, true
		}
	}
	return Tier{}, false
}

// Severity returns the severity rule with this id (case-insensitive).
func (p *Policy) Severity(id string) (Severity, bool) {
	for _, s := range p.Severities {
		if strings.EqualFold(s.ID, id) {
			return s, true
		}
	}
	return Severity{}, false
}

// SupportLevel returns the support level with this number.
func (p *Policy) SupportLevel(level int) (SupportLevel, bool) {
	for _, l := range p.SupportLevels {
		if l.Level == level {
			return l, true
		}
	}
	return SupportLevel{}, false
}

// ChannelName returns a channel's label in lang (the id when unlabelled).
func (p *Policy) ChannelName(id, lang string) string {
	if t, ok := p.Channels[id]; ok {
		if s := t.In(lang); s != "" {
			return s
		}
	}
	return id
}

// TriggerClass returns the trigger class with this name.
func (p *Policy) TriggerClass(class string) (TriggerClass, bool) {
	for _, c := range p.Triggers {
		if c.Class == class {
			return c, true
		}
	}
	return TriggerClass{}, false
}

// triggerLabel returns the label of a trigger item in lang (the id when the
// policy does not list it).
func (p *Policy) triggerLabel(id, lang string) string {
	for _, c := range p.Triggers {
		for _, it := range c.Items {
			if it.ID == id {
				return it.Label.In(lang)
			}
		}
	}
	return strings.ReplaceAll(id, "_", " ")
}

// DetermineTier applies the policy's tier rules in order: the first rule
// that holds gives the tier.
func (p *Policy) DetermineTier(issueTypes []string, severity, businessImpact string) string {
	for _, r := range p.TierRules {
		if r.holds(issueTypes, severity, businessImpact) {
			return r.Tier
		}
	}
	return ""
}

func (r TierRule) holds(issueTypes []string, severity, impact string) bool {
	if len(r.Severity)+len(r.BusinessImpact)+len(r.IssueType) == 0 {
		return true
	}
	if containsFold(r.Severity, severity) || containsFold(r.BusinessImpact, impact) {
		return true
	}
	for _, t := range issueTypes {
		if containsFold(r.IssueType, t) {
			return true
		}
	}
	return false
}

func containsFold(list []string, s string) bool {
	if s == "" {
		return false
	}
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
