package escalate

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/knowledge"
)

func loadPolicy(t testing.TB) *Policy {
	t.Helper()
	p, err := LoadPolicy(knowledge.FS, "")
	require.NoError(t, err)
	return p
}

// TestPolicySupportTiers holds the built-in policy's four support tiers.
func TestPolicySupportTiers(t *testing.T) {
	t.Parallel()
	p := loadPolicy(t)
	tests := []struct {
		id                   string
		response, resolution time.Duration
		criteria             string
	}{
		{"tier_1_basic", 24 * time.Hour, 48 * time.Hour, "Complex technical issues, security concerns"},
		{"tier_2_technical", 12 * time.Hour, 24 * time.Hour, "Critical system failures, data loss"},
		{"tier_3_expert", 4 * time.Hour, 12 * time.Hour, "System-wide outages, security breaches"},
		{"tier_4_emergency", time.Hour, 4 * time.Hour, "None — highest priority"},
	}
	require.Len(t, p.Tiers, len(tests))
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			t.Parallel()
			tier, ok := p.Tier(tt.id)
			require.True(t, ok)
			require.Equal(t, tt.response, time.Duration(tier.Response))
			require.Equal(t, tt.resolution, time.Duration(tier.Resolution))
			require.Equal(t, tt.criteria, tier.EscalationCriteria.In("en"))
			require.NotEmpty(t, tier.Name.In("es"))
			require.NotEqual(t, tier.Name.In("en"), tier.Name.In("es"), "Spanish label")
			require.NotEmpty(t, tier.Scope.In("es"))
		})
	}
}

// TestPolicySeverities holds the built-in policy's severities.
func TestPolicySeverities(t *testing.T) {
	t.Parallel()
	p := loadPolicy(t)
	tests := []struct {
		id       string
		label    string
		es       string
		minutes  int
		level    int
		channels []string
	}{
		{"critical", "CRITICAL", "CRÍTICA", 15, 3, []string{"email", "sms", "phone"}},
		{"high", "HIGH", "ALTA", 60, 2, []string{"email", "chat"}},
		{"medium", "MEDIUM", "MEDIA", 240, 1, []string{"email"}},
		{"low", "LOW", "BAJA", 480, 1, []string{"email"}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			t.Parallel()
			s, ok := p.Severity(tt.id)
			require.True(t, ok)
			require.Equal(t, tt.label, s.Label.In("en"))
			require.Equal(t, tt.es, s.Label.In("es"))
			require.Equal(t, tt.minutes, s.ResponseMinutes)
			require.Equal(t, time.Duration(tt.minutes)*time.Minute, s.Response())
			require.Equal(t, tt.level, s.EscalationLevel)
			require.Equal(t, tt.channels, s.NotificationChannels)
		})
	}
	_, ok := p.Severity("CRITICAL")
	require.True(t, ok, "severity ids are case-insensitive, as the policy writes them in capitals")
}

// TestPolicySupportLevels holds the built-in policy's support levels.
func TestPolicySupportLevels(t *testing.T) {
	t.Parallel()
	p := loadPolicy(t)
	tests := []struct {
		level              int
		es                 string
		email, chat, phone time.Duration
	}{
		{1, "Nivel 1: Soporte Básico", 4 * time.Hour, 2 * time.Hour, time.Hour},
		{2, "Nivel 2: Soporte Avanzado", 2 * time.Hour, time.Hour, 30 * time.Minute},
		{3, "Nivel 3: Soporte Experto", time.Hour, 30 * time.Minute, 15 * time.Minute},
	}
	for _, tt := range tests {
		l, ok := p.SupportLevel(tt.level)
		require.True(t, ok)
		require.Equal(t, tt.es, l.Name.In("es"))
		require.Equal(t, tt.email, time.Duration(l.Response["email"]))
		require.Equal(t, tt.chat, time.Duration(l.Response["chat"]))
		require.Equal(t, tt.phone, time.Duration(l.Response["phone"]))
	}
}

// TestPolicyTriggers holds the built-in policy's escalation triggers.
func TestPolicyTriggers(t *testing.T) {
	t.Parallel()
	p := loadPolicy(t)
	want := map[string][]string{
		TriggerImmediate: {"Security breaches", "Data loss incidents", "System-wide outages", "Compliance violations"},
		TriggerUrgent:    {"API failures affecting business", "Data synchronization issues", "Performance degradation", "User access problems"},
		TriggerStandard:  {"Feature requests", "Enhancement requests", "General questions", "Training requests"},
	}
	for class, labels := range want {
		c, ok := p.TriggerClass(class)
		require.True(t, ok, class)
		var got []string
		for _, it := range c.Items {
			got = append(got, it.Label.In("en"))
			require.NotEmpty(t, it.Label["es"], it.ID)
		}
		require.Equal(t, labels, got)
	}
}

// TestDetermineTier covers every branch of the tier rules, in their order: critical or high impact, then security/data/outage, then
// API/integration, then basic.
func TestDetermineTier(t *testing.T) {
	t.Parallel()
	p := loadPolicy(t)
	tests := []struct {
		name     string
		issues   []string
		severity string
		impact   string
		want     string
	}{
		{"critical severity", []string{IssueGeneral}, "critical", "low", "tier_4_emergency"},
		{"critical in capitals", nil, "CRITICAL", "", "tier_4_emergency"},
		{"high business impact", []string{IssueGeneral}, "low", "high", "tier_4_emergency"},
		{"critical beats security", []string{IssueSecurity}, "critical", "", "tier_4_emergency"},
		{"high impact beats api", []string{IssueAPI}, "medium", "high", "tier_4_emergency"},
		{"security", []string{IssueSecurity}, "high", "medium", "tier_3_expert"},
		{"data loss", []string{IssueDataLoss}, "high", "", "tier_3_expert"},
		{"system outage", []string{IssueOutage}, "medium", "low", "tier_3_expert"},
		{"security beats api", []string{IssueAPI, IssueSecurity}, "high", "medium", "tier_3_expert"},
		{"api issues", []string{IssueAPI}, "high", "medium", "tier_2_technical"},
		{"integration problems", []string{IssueIntegration}, "medium", "low", "tier_2_technical"},
		{"general", []string{IssueGeneral}, "medium", "medium", "tier_1_basic"},
		{"nothing known", nil, "", "", "tier_1_basic"},
		{"high severity alone is not tier 4", []string{IssueGeneral}, "high", "", "tier_1_basic"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, p.DetermineTier(tt.issues, tt.severity, tt.impact))
		})
	}
}

func TestLoadPolicyOverlay(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	custom := `
tiers:
  - {id: only, name: {en: Our team, es: Nuestro equipo}, response: 30m, resolution: 2h}
tier_rules:
  - tier: only
severities:
  - {id: critical, label: {en: P1}, response_minutes: 5, escalation_level: 1, notification_channels: [pager]}
  - {id: high, label: {en: P2}, response_minutes: 10, escalation_level: 1, notification_channels: [pager]}
  - {id: medium, label: {en: P3}, response_minutes: 20, escalation_level: 1, notification_channels: [email]}
  - {id: low, label: {en: P4}, response_minutes: 40, escalation_level: 1, notification_channels: [email]}
support_levels:
  - {level: 1, name: {en: Everyone}, response: {pager: 5m}}
`
	require.NoError(t, os.WriteFile(filepath.Join(dir, PolicyFile), []byte(custom), 0o600))
	p, err := LoadPolicy(knowledge.FS, dir)
	require.NoError(t, err)
	require.Equal(t, filepath.Join(dir, PolicyFile), p.Source)
	a := p.Assess(Input{Answers: Answers{DataLoss: true}}, "es")
	require.Equal(t, "only", a.Tier)
	require.Equal(t, "Nuestro equipo", a.TierName)
	require.Equal(t, "P1", a.SeverityLabel, "falls back to English")
	require.Equal(t, 5*time.Minute, time.Duration(a.Response))

	// A --kb directory without a policy keeps the built-in one.
	p, err = LoadPolicy(knowledge.FS, t.TempDir())
	require.NoError(t, err)
	require.Equal(t, "knowledge/escalation.yaml", p.Source)
}

func TestParsePolicyErrors(t *testing.T) {
	t.Parallel()
	base := `
tiers: [{id: t1, response: 1h, resolution: 2h}]
tier_rules: [{tier: t1}]
severities:
  - {id: critical, response_minutes: 5, escalation_level: 1}
  - {id: high, response_minutes: 5, escalation_level: 1}
  - {id: medium, response_minutes: 5, escalation_level: 1}
`
	tests := []struct {
		name, yaml, want string
	}{
		{"missing severity", base, `severity "low" is missing`},
		{"unknown key", "tierz: []\n", "tierz"},
		{"bad duration", "tiers: [{id: t1, response: soon, resolution: 2h}]\n", `"soon" is not a duration`},
		{"rule names unknown tier", "tiers: [{id: t1, response: 1h, resolution: 2h}]\ntier_rules: [{tier: t9}]\n", `tier "t9", which is not defined`},
		{"no default rule", "tiers: [{id: t1, response: 1h, resolution: 2h}]\ntier_rules: [{tier: t1, severity: [critical]}]\n", "last tier rule must have no conditions"},
		{"bad trigger class", "triggers: [{class: someday}]\n", `trigger class "someday"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParsePolicy([]byte(tt.yaml), "team/escalation.yaml")
			require.Error(t, err)
			require.Contains(t, err.Error(), "team/escalation.yaml")
			require.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestFormatDuration(t *testing.T) {
	t.Parallel()
	tests := map[time.Duration]string{
		15 * time.Minute: "15m", time.Hour: "1h", 90 * time.Minute: "1h30m",
		48 * time.Hour: "2d", 24 * time.Hour: "24h", 0: "0m",
	}
	for d, want := range tests {
		require.Equal(t, want, FormatDuration(d))
	}
}
