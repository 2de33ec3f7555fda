package demo

import (
	"strings"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/i18n"
)

// DefaultScenario is what `pitstop demo` starts without --scenario.
const DefaultScenario = "mixed"

// Scenario is a named set of faults for the sandbox: what each service
// does wrong, and what `pitstop check` is expected to find.
type Scenario struct {
	// Name is the scenario's --scenario value; what it shows is said in
	// one line by Describe.
	Name string

	API            APIOptions // TLS is always on; Faults add to it
	EndpointFaults []string   // faults of the API replica in endpoints[]
	CRM            CRMOptions // Provider "" means no CRM
	SMTP           SMTPOptions
	DNS            DNSOptions
	Redis          RedisOptions
	// Prompt and Email are the content checks' files (a sound prompt and a
	// clean email when empty).
	Prompt, Email string
	// Profile, when set, adjusts the profile after every service wrote its part.
	Profile func(*config.Profile)

	// Expect maps the checks that tell this scenario's story to the status
	// `pitstop check` gives them.
	Expect map[string]check.Status
	// ExitCode is what `pitstop check` exits with.
	ExitCode int
}

// Sandbox domains made for single-fault scenarios (see scenarioZones).
const (
	// NoDMARCDomain is healthy but publishes no DMARC record.
	NoDMARCDomain = "pitstop-nodmarc.test"
	// SPFLookupsDomain is healthy but its SPF record's include tree needs
	// SPFLookupsCount DNS lookups, more than the ten allowed (a permanent
	// error for receivers).
	SPFLookupsDomain = "pitstop-spf-lookups.test"
	// BulkDomain is authenticated (SPF, DKIM, DMARC p=quarantine) but its
	// BIMI logo carries a script and its a= certificate is no mark
	// certificate; the bulk-sender scenario's email is not compliant either.
	BulkDomain = "pitstop-bulk.test"
	// SPFLookupsCount is how many DNS lookups SPFLookupsDomain's SPF record
	// costs: 5 includes, a and mx at the top, then 11 more below.
	SPFLookupsCount = 18
)

// scenarioZones add the single-fault domains to the sandbox DNS server.
const scenarioZones = `
$TTL 300
pitstop-nodmarc.test.                 SOA ns.pitstop.test. hostmaster.pitstop.test. 1 3600 600 86400 300
pitstop-nodmarc.test.                 NS  ns.pitstop.test.
pitstop-nodmarc.test.                 MX  10 mx.pitstop-nodmarc.test.
mx.pitstop-nodmarc.test.              A   127.0.0.1
pitstop-nodmarc.test.                 TXT "v=spf1 ip4:127.0.0.1 -all"
s1._domainkey.pitstop-nodmarc.test.   TXT ` + dkimRSA2048 + `

pitstop-spf-lookups.test.             SOA ns.pitstop.test. hostmaster.pitstop.test. 1 3600 600 86400 300
pitstop-spf-lookups.test.             NS  ns.pitstop.test.
pitstop-spf-lookups.test.             MX  10 mx.pitstop-spf-lookups.test.
mx.pitstop-spf-lookups.test.          A   127.0.0.1
pitstop-spf-lookups.test.             TXT ("v=spf1 ip4:127.0.0.1 include:crm.pitstop-spf-lookups.test include:esp.pitstop-spf-lookups.test"
                                           " include:helpdesk.pitstop-spf-lookups.test include:billing.pitstop-spf-lookups.test"
                                           " include:survey.pitstop-spf-lookups.test a mx -all")
crm.pitstop-spf-lookups.test.         TXT "v=spf1 include:eu.crm.pitstop-spf-lookups.test include:us.crm.pitstop-spf-lookups.test -all"
eu.crm.pitstop-spf-lookups.test.      TXT "v=spf1 ip4:198.51.100.0/26 -all"
us.crm.pitstop-spf-lookups.test.      TXT "v=spf1 ip4:198.51.100.64/26 -all"
esp.pitstop-spf-lookups.test.         TXT "v=spf1 include:a.esp.pitstop-spf-lookups.test include:b.esp.pitstop-spf-lookups.test -all"
a.esp.pitstop-spf-lookups.test.       TXT "v=spf1 ip4:203.0.113.0/25 -all"
b.esp.pitstop-spf-lookups.test.       TXT "v=spf1 include:c.esp.pitstop-spf-lookups.test -all"
c.esp.pitstop-spf-lookups.test.       TXT "v=spf1 ip4:203.0.113.128/25 -all"
helpdesk.pitstop-spf-lookups.test.    TXT "v=spf1 include:eu.helpdesk.pitstop-spf-lookups.test include:us.helpdesk.pitstop-spf-lookups.test -all"
eu.helpdesk.pitstop-spf-lookups.test. TXT "v=spf1 ip4:192.0.2.0/26 -all"
us.helpdesk.pitstop-spf-lookups.test. TXT "v=spf1 ip4:192.0.2.64/26 -all"
billing.pitstop-spf-lookups.test.     TXT "v=spf1 a:pay.billing.pitstop-spf-lookups.test include:eu.billing.pitstop-spf-lookups.test -all"
pay.billing.pitstop-spf-lookups.test. A   192.0.2.129
eu.billing.pitstop-spf-lookups.test.  TXT "v=spf1 ip4:192.0.2.128/26 -all"
survey.pitstop-spf-lookups.test.      TXT "v=spf1 include:eu.survey.pitstop-spf-lookups.test include:us.survey.pitstop-spf-lookups.test -all"
eu.survey.pitstop-spf-lookups.test.   TXT "v=spf1 ip4:198.51.100.128/26 -all"
us.survey.pitstop-spf-lookups.test.   TXT "v=spf1 ip4:198.51.100.192/26 -all"
pitstop-spf-lookups.test.             A   127.0.0.1
s1._domainkey.pitstop-spf-lookups.test. TXT ` + dkimRSA2048 + `
_dmarc.pitstop-spf-lookups.test.      TXT "v=DMARC1; p=reject; rua=mailto:dmarc@pitstop-spf-lookups.test"

pitstop-bulk.test.                    SOA ns.pitstop.test. hostmaster.pitstop.test. 1 3600 600 86400 300
pitstop-bulk.test.                    NS  ns.pitstop.test.
pitstop-bulk.test.                    MX  10 mx.pitstop-bulk.test.
mx.pitstop-bulk.test.                 A   127.0.0.1
pitstop-bulk.test.                    TXT "v=spf1 ip4:127.0.0.1 -all"
s1._domainkey.pitstop-bulk.test.      TXT ` + dkimRSA2048 + `
_dmarc.pitstop-bulk.test.             TXT "v=DMARC1; p=quarantine; rua=mailto:dmarc@pitstop-bulk.test; adkim=r; aspf=r"
`

// dnsWith returns DNS options for a sender domain, with the scenario zones.
func dnsWith(domain string) DNSOptions {
	return DNSOptions{Domain: domain, ExtraZones: scenarioZones}
}

func hubspot(faults ...string) CRMOptions { return CRMOptions{Provider: CRMHubSpot, Faults: faults} }

func apiFaults(faults ...string) APIOptions { return APIOptions{Provider: APICopyCar, Faults: faults} }

func smtpFaults(faults ...string) SMTPOptions { return SMTPOptions{Faults: faults} }

// expectHealthy is what a sound stack shows; scenarios override some.
func expectHealthy(overrides map[string]check.Status) map[string]check.Status {
	m := map[string]check.Status{
		"api.config": check.Pass, "api.reachability": check.Pass, "api.auth": check.Pass, "api.ratelimit": check.Pass,
		"api.clock": check.Pass, "api.endpoints": check.Pass,
		"crm.auth": check.Pass, "crm.permissions": check.Pass, "crm.availability": check.Pass, "crm.field_mapping": check.Pass,
		"crm.data_quality": check.Pass,
		"smtp.connect":     check.Pass, "smtp.tls": check.Pass, "smtp.auth": check.Pass, "smtp.send": check.Pass,
		"domain.mx": check.Pass, "domain.spf": check.Pass, "domain.dkim": check.Pass, "domain.dmarc": check.Pass,
		"domain.dnsbl": check.Pass,
		"domain.bimi":  check.Pass, "domain.ptr": check.Skip, // the sandbox's SMTP server is on loopback
		"content.prompt": check.Pass, "content.spam": check.Pass, "content.headers": check.Pass,
		"cache.redis": check.Pass,
	}
	for k, v := range overrides {
		m[k] = v
	}
	return m
}

// scenarios are every scenario, in the order --list shows them.
var scenarios = []Scenario{
	{
		Name: "healthy",
		API:  apiFaults(), CRM: hubspot(), SMTP: smtpFaults(), DNS: dnsWith(HealthyDomain),
		Expect: expectHealthy(nil),
	},
	{
		Name: "bad-key",
		API:  apiFaults(APIFaultBadKey), EndpointFaults: []string{APIFaultBadKey},
		CRM: hubspot(), SMTP: smtpFaults(), DNS: dnsWith(HealthyDomain),
		Expect: expectHealthy(map[string]check.Status{
			"api.auth": check.Fail, "api.ratelimit": check.Skip,
		}),
		ExitCode: 1,
	},
	{
		Name: "rate-limited",
		API:  apiFaults(APIFaultRateLimited), CRM: hubspot(), SMTP: smtpFaults(), DNS: dnsWith(HealthyDomain),
		Expect: expectHealthy(map[string]check.Status{
			"api.auth": check.Warn, "api.ratelimit": check.Fail,
		}),
		ExitCode: 1,
	},
	{
		Name: "quota-exhausted",
		API:  apiFaults(APIFaultQuotaExhausted), EndpointFaults: []string{APIFaultQuotaExhausted},
		CRM: hubspot(), SMTP: smtpFaults(), DNS: dnsWith(HealthyDomain),
		Expect: expectHealthy(map[string]check.Status{
			"api.auth": check.Warn, "api.ratelimit": check.Fail,
		}),
		ExitCode: 1,
	},
	{
		Name: "smtp-no-starttls",
		API:  apiFaults(), CRM: hubspot(), SMTP: smtpFaults(SMTPFaultNoStartTLS), DNS: dnsWith(HealthyDomain),
		Expect: expectHealthy(map[string]check.Status{
			"smtp.tls": check.Fail, "smtp.auth": check.Skip, "smtp.send": check.Skip,
		}),
		ExitCode: 1,
	},
	{
		Name: "smtp-bad-password",
		API:  apiFaults(), CRM: hubspot(), SMTP: smtpFaults(SMTPFaultBadCredentials), DNS: dnsWith(HealthyDomain),
		Expect: expectHealthy(map[string]check.Status{
			"smtp.auth": check.Fail, "smtp.send": check.Skip,
		}),
		ExitCode: 1,
	},
	{
		Name: "spf-too-many-lookups",
		API:  apiFaults(), CRM: hubspot(), SMTP: smtpFaults(), DNS: dnsWith(SPFLookupsDomain),
		Expect: expectHealthy(map[string]check.Status{
			"domain.spf": check.Fail, "domain.bimi": check.Skip,
		}),
		ExitCode: 1,
	},
	{
		Name: "dmarc-missing",
		API:  apiFaults(), CRM: hubspot(), SMTP: smtpFaults(), DNS: dnsWith(NoDMARCDomain),
		Expect: expectHealthy(map[string]check.Status{
			"domain.dmarc": check.Fail, "domain.bimi": check.Skip,
		}),
		ExitCode: 1,
	},
	{
		Name: "crm-missing-scope",
		API:  apiFaults(), CRM: hubspot(CRMFaultMissingScope), SMTP: smtpFaults(), DNS: dnsWith(HealthyDomain),
		Expect: expectHealthy(map[string]check.Status{
			"crm.permissions": check.Fail, "crm.field_mapping": check.Skip, "crm.data_quality": check.Skip,
		}),
		ExitCode: 1,
	},
	{
		Name: "crm-field-missing",
		API:  apiFaults(), CRM: hubspot(CRMFaultFieldMissing), SMTP: smtpFaults(), DNS: dnsWith(HealthyDomain),
		Expect: expectHealthy(map[string]check.Status{
			"crm.field_mapping": check.Fail,
		}),
		ExitCode: 1,
	},
	{
		Name: "crm-data-quality",
		API:  apiFaults(), CRM: hubspot(CRMFaultDirtyData), SMTP: smtpFaults(), DNS: dnsWith(HealthyDomain),
		Expect: expectHealthy(map[string]check.Status{
			"crm.data_quality": check.Fail,
		}),
		ExitCode: 1,
	},
	{
		Name: "provider-outage",
		API:  apiFaults(APIFaultServerError), EndpointFaults: []string{APIFaultServerError},
		CRM: hubspot(), SMTP: smtpFaults(), DNS: dnsWith(HealthyDomain),
		Expect: expectHealthy(map[string]check.Status{
			"api.reachability": check.Warn, "api.auth": check.Fail, "api.ratelimit": check.Skip,
			"api.endpoints": check.Fail,
		}),
		ExitCode: 1,
	},
	{
		Name: "smtp-wrong-security",
		API:  apiFaults(), CRM: hubspot(), SMTP: SMTPOptions{ImplicitTLS: true}, DNS: dnsWith(HealthyDomain),
		Profile: func(p *config.Profile) { p.SMTP.Security = "starttls" },
		Expect: expectHealthy(map[string]check.Status{
			"smtp.connect": check.Warn, "smtp.tls": check.Fail, "smtp.auth": check.Skip, "smtp.send": check.Skip,
		}),
		ExitCode: 1,
	},
	{
		Name: "api-missing-version",
		API:  apiFaults(), CRM: hubspot(), SMTP: smtpFaults(), DNS: dnsWith(HealthyDomain),
		Profile: func(p *config.Profile) { p.API.BaseURL = strings.TrimSuffix(p.API.BaseURL, "/v2") },
		Expect: expectHealthy(map[string]check.Status{
			"api.config": check.Warn, "api.reachability": check.Warn, "api.auth": check.Error, "api.ratelimit": check.Skip,
		}),
		ExitCode: 1,
	},
	{
		Name: "key-with-newline",
		API:  apiFaults(), CRM: hubspot(), SMTP: smtpFaults(), DNS: dnsWith(HealthyDomain),
		Profile: func(p *config.Profile) { p.API.Key = config.NewSecret(p.API.Key.Reveal()+"\n", "file") },
		Expect: expectHealthy(map[string]check.Status{
			"api.config": check.Fail, "api.auth": check.Skip, "api.ratelimit": check.Skip,
		}),
		ExitCode: 1,
	},
	{
		Name: "dkim-unnamed",
		API:  apiFaults(), CRM: hubspot(), SMTP: smtpFaults(), DNS: dnsWith(HealthyDomain),
		Profile: func(p *config.Profile) { p.Domain.DKIMSelectors = nil },
		Expect:  expectHealthy(nil),
	},
	{
		Name: "mixed",
		API:  apiFaults(APIFaultLowRemaining), CRM: hubspot(CRMFaultMissingScope),
		SMTP: smtpFaults(SMTPFaultNoStartTLS), DNS: dnsWith(NoDMARCDomain),
		Redis: RedisOptions{Faults: []string{RedisFaultEvicting}},
		Email: spammyEmail,
		Expect: expectHealthy(map[string]check.Status{
			"api.ratelimit":   check.Warn,
			"crm.permissions": check.Fail, "crm.field_mapping": check.Skip, "crm.data_quality": check.Skip,
			"smtp.tls": check.Fail, "smtp.auth": check.Skip, "smtp.send": check.Skip,
			"domain.dmarc": check.Fail, "domain.bimi": check.Skip,
			"content.spam": check.Fail, "content.headers": check.Fail,
			"cache.redis": check.Warn,
		}),
		ExitCode: 1,
	},
	{
		Name: "bulk-sender",
		API:  apiFaults(), CRM: hubspot(), SMTP: smtpFaults(), DNS: dnsWith(BulkDomain),
		Email: bulkEmail,
		Expect: expectHealthy(map[string]check.Status{
			"domain.bimi": check.Fail, "content.headers": check.Fail,
		}),
		ExitCode: 1,
	},
}

// Scenarios returns every scenario, in display order.
func Scenarios() []Scenario {
	out := make([]Scenario, len(scenarios))
	copy(out, scenarios)
	return out
}

// Describe says in one line, in lang, what the scenario gets wrong: the
// catalogue's demo.scenario.<name> (pitstop demo --list).
func (s Scenario) Describe(lang string) string { return i18n.T(lang, "demo.scenario."+s.Name) }

// ScenarioNames returns the scenario names, in display order.
func ScenarioNames() []string {
	names := make([]string, len(scenarios))
	for i, s := range scenarios {
		names[i] = s.Name
	}
	return names
}

// ScenarioByName finds a scenario.
func ScenarioByName(name string) (Scenario, bool) {
	for _, s := range scenarios {
		if s.Name == name {
			return s, true
		}
	}
	return Scenario{}, false
}

// The content checks' files.
const (
	healthyPrompt = `You write the weekly newsletter for Pitstop Coffee Roasters.
Audience: existing customers who opted in. Tone: warm, short sentences.
Write a subject line and a 120-word email announcing the new Ethiopian
single-origin roast, with one link to the shop and an unsubscribe footer.
Personalize the greeting with {{first_name}}.`

	// healthyEmail meets the bulk-sender rules: DKIM signed by the From
	// domain (over both List-Unsubscribe headers), one-click unsubscribe.
	// The sandbox writes it for its own sender domain (see writeContent).
	healthyEmail = "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=pitstop-healthy.test; s=s1;\r\n" +
		"\th=from:to:subject:date:message-id:list-unsubscribe:list-unsubscribe-post;\r\n" +
		"\tbh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=c2FuZGJveCBzaWduYXR1cmU=\r\n" +
		"From: Pitstop Coffee <news@pitstop-healthy.test>\r\n" +
		"To: {{email}}\r\n" +
		"Subject: Our new Ethiopian roast is here\r\n" +
		"Date: Mon, 03 Mar 2025 09:00:00 +0000\r\n" +
		"Message-ID: <weekly-2025-10@pitstop-healthy.test>\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n" +
		"List-Unsubscribe: <https://pitstop-healthy.test/unsubscribe>\r\n" +
		"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" +
		"\r\n" +
		"Hi {{first_name}},\r\n\r\n" +
		"Our new single-origin roast from Yirgacheffe arrived this week. It tastes of\r\n" +
		"blueberry and jasmine, and it makes a gentle morning cup.\r\n\r\n" +
		"You can find it in the shop: https://pitstop-healthy.test/shop/ethiopia\r\n\r\n" +
		"Thanks for reading,\r\nThe Pitstop Coffee team\r\n\r\n" +
		"You get this email because you subscribed. Unsubscribe: https://pitstop-healthy.test/unsubscribe\r\n"

	// bulkEmail is authenticated but not compliant: its DKIM signature is
	// the sending service's (d=esp-mailer.test), so only SPF aligns, and
	// List-Unsubscribe has no List-Unsubscribe-Post (no one-click).
	bulkEmail = "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=esp-mailer.test; s=k1;\r\n" +
		"\th=from:to:subject:date:message-id:list-unsubscribe;\r\n" +
		"\tbh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=c2FuZGJveCBzaWduYXR1cmU=\r\n" +
		"From: Pitstop Coffee <news@pitstop-bulk.test>\r\n" +
		"To: {{email}}\r\n" +
		"Subject: =?UTF-8?Q?Caf=C3=A9_of_the_month?=\r\n" +
		"Date: Mon, 03 Mar 2025 09:00:00 +0000\r\n" +
		"Message-ID: <monthly-2025-03@pitstop-bulk.test>\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n" +
		"List-Unsubscribe: <https://pitstop-bulk.test/unsubscribe?u=8f2a>, <mailto:unsubscribe@pitstop-bulk.test>\r\n" +
		"\r\n" +
		"Hi {{first_name}},\r\n\r\n" +
		"This month's coffee is a washed Colombian with notes of caramel and orange.\r\n\r\n" +
		"Find it in the shop: https://pitstop-bulk.test/shop/colombia\r\n\r\n" +
		"Unsubscribe: https://pitstop-bulk.test/unsubscribe\r\n"

	spammyEmail = "From: Pitstop Coffee <news@pitstop-healthy.test>\r\n" +
		"To: {{email}}\r\n" +
		"Subject: FREE!!! YOU ARE A WINNER - ACT NOW $$$\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: text/html; charset=utf-8\r\n" +
		"\r\n" +
		"<html><body><p><b>CONGRATULATIONS!!!</b> You have been SELECTED to receive a FREE gift card.\r\n" +
		"100% FREE, NO OBLIGATION, RISK-FREE. Click here NOW to claim your $$$ cash prize!!!\r\n" +
		"This offer expires in 24 hours. Act now! Limited time! Buy now!</p>\r\n" +
		"<p><a href=\"http://198.51.100.7/claim\">CLICK HERE</a></p></body></html>\r\n"
)
