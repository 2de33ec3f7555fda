package registry

import (
	"fmt"
	"strings"

	"pitstop/internal/config"
	"pitstop/internal/i18n"
)

// Escalation names used below: issue_types and trigger items of
// knowledge/escalation.yaml (escalate checks that each one exists).
const (
	issueAPI         = "api_issues"
	issueIntegration = "integration_problems"
	trigAPIFailure   = "api_failure"
	trigDataSync     = "data_sync"
	trigPerformance  = "performance"
)

var slower = []string{trigPerformance}

// families is the table. Order is display order everywhere. A family's and
// its checks' words are in locales/<lang>/registry.yaml, under ids that
// follow from their IDs (see worded).
var families = worded([]*Family{
	{
		ID:       "api",
		Describe: func(p *config.Profile) string { return strings.TrimSpace(p.API.Provider + " " + hostOf(p.API.BaseURL)) },
		Fields:   []string{"api.provider", "api.base_url", "api.key"},
		Reads:    []string{"api.endpoints", "api.ca_file"},
		Issue:    issueAPI, FailTriggers: []string{trigAPIFailure},
		Checks: []Check{
			{ID: "api.config", Articles: []string{"api-invalid-key"}},
			{ID: "api.reachability", Articles: []string{"api-timeouts"}, WarnTriggers: slower},
			{ID: "api.auth", Requires: []string{"api.config", "api.reachability"},
				Articles: []string{"api-timeouts"}, WarnByArticles: true, Credentials: true},
			{ID: "api.ratelimit", Requires: []string{"api.config", "api.reachability"},
				Articles: []string{"api-timeouts"}, WarnTriggers: slower},
			{ID: "api.clock", Requires: []string{"api.reachability"}, Articles: []string{"api-clock-skew"}},
			{ID: "api.endpoints", Articles: []string{"api-timeouts"}, WarnTriggers: slower},
		},
	},
	{
		ID:       "crm",
		Describe: func(p *config.Profile) string { return p.CRM.Provider },
		Fields:   []string{"crm.provider", "crm.base_url", "crm.token", "crm.object"},
		Reads:    []string{"crm.field_mapping", "crm.sample_size"},
		Issue:    issueIntegration, FailTriggers: []string{trigDataSync},
		Checks: []Check{
			{ID: "crm.auth", Credentials: true},
			{ID: "crm.permissions", Requires: []string{"crm.auth"}, Credentials: true},
			{ID: "crm.availability", WarnTriggers: slower},
			{ID: "crm.field_mapping", Requires: []string{"crm.auth", "crm.permissions"}},
			{ID: "crm.data_quality", Requires: []string{"crm.auth", "crm.permissions"}},
		},
	},
	{
		ID:       "smtp",
		Describe: func(p *config.Profile) string { return fmt.Sprintf("%s:%d", p.SMTP.Host, p.SMTP.Port) },
		Fields:   []string{"smtp.host", "smtp.port", "smtp.security", "smtp.username", "smtp.password", "smtp.from"},
		Reads:    []string{"smtp.test_recipient", "smtp.ca_file"},
		Issue:    issueIntegration,
		Checks: []Check{
			{ID: "smtp.connect", Articles: []string{"smtp-connection-failed"}},
			{ID: "smtp.tls", Requires: []string{"smtp.connect"},
				Articles: []string{"smtp-tls-mismatch"}},
			{ID: "smtp.auth", Requires: []string{"smtp.tls"},
				Articles: []string{"smtp-auth-failed"}, Credentials: true},
			// Without a user name there is no login: the mail family then
			// makes the test message wait on smtp.tls instead.
			{ID: "smtp.send", Requires: []string{"smtp.auth"},
				Articles: []string{"smtp-message-rejected", "email-delivery-failed"}},
		},
	},
	{
		ID:       "domain",
		Describe: func(p *config.Profile) string { return p.Domain.Name },
		Fields:   []string{"domain.name", "domain.dkim_selectors", "domain.dns_server"},
		// SPF, the blocklists and the reverse name are asked about the SMTP
		// server; the domain defaults to the one of smtp.from.
		Reads: []string{"domain.dnsbl", "domain.bimi_selector", "domain.ca_file", "smtp.host", "smtp.from"},
		Checks: []Check{
			{ID: "domain.mx", Articles: []string{"domain-mx-missing"}},
			{ID: "domain.spf", Articles: []string{"domain-spf-invalid"}},
			{ID: "domain.dkim", Articles: []string{"domain-dkim-invalid"}},
			{ID: "domain.dmarc", Articles: []string{"domain-dmarc-missing"}},
			{ID: "domain.dnsbl", Articles: []string{"domain-blocklisted", "domain-reputation"}},
			{ID: "domain.bimi", Articles: []string{"domain-bimi"}},
			{ID: "domain.ptr", Articles: []string{"domain-ptr-mismatch"}},
		},
	},
	{
		ID:       "content",
		Describe: func(p *config.Profile) string { return fmt.Sprintf("max_tokens %d", p.Content.MaxTokens) },
		Fields:   []string{"content.prompt_file", "content.email_file", "content.max_tokens"},
		Reads:    []string{"content.spamd", "smtp.from", "domain.dns_server"},
		Checks: []Check{
			{ID: "content.prompt", Articles: []string{"content-generation-failed"}},
			{ID: "content.spam", Articles: []string{"email-spam-score"}},
			{ID: "content.headers", Articles: []string{"email-bulk-sender-requirements"}},
		},
	},
	{
		ID:       "cache",
		Describe: func(p *config.Profile) string { return hostOf(p.Cache.RedisURL) },
		Fields:   []string{"cache.redis_url"},
		Issue:    issueIntegration,
		Checks: []Check{
			{ID: "cache.redis", WarnTriggers: slower},
		},
	},
})

// worded gives each family and check its words: the catalogue ids
// registry.family.<id>.title and .about, registry.check.<id>.title.
func worded(families []*Family) []*Family {
	for _, f := range families {
		f.Title = i18n.Text("registry.family." + f.ID + ".title")
		f.About = i18n.Text("registry.family." + f.ID + ".about")
		for i := range f.Checks {
			f.Checks[i].Title = i18n.Text("registry.check." + f.Checks[i].ID + ".title")
		}
	}
	return families
}

// hostOf is the host of a URL, without scheme, path or credentials.
func hostOf(u string) string {
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	u = strings.TrimPrefix(strings.TrimPrefix(u, "rediss://"), "redis://")
	if i := strings.IndexAny(u, "/?"); i >= 0 {
		u = u[:i]
	}
	if at := strings.LastIndexByte(u, '@'); at >= 0 { // redis://user:pass@host
		u = u[at+1:]
	}
	return u
}
