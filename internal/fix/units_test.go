package fix

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/demo"
	"pitstop/internal/probe"
)

func TestRecordFormats(t *testing.T) {
	t.Parallel()
	long := "v=spf1 " + strings.Repeat("ip4:192.0.2.1 ", 30) + "-all"
	r := Record{Name: "example.com", Type: "TXT", Value: long, Zone: "example.com", TTL: 600}
	parts := TXTStrings(long)
	require.Len(t, parts, 2)
	require.Len(t, strings.Trim(parts[0], `"`), 255)
	require.Equal(t, long, strings.Trim(parts[0], `"`)+strings.Trim(parts[1], `"`), "receivers join the strings without spaces")
	require.True(t, strings.HasPrefix(r.ZoneLine(), "example.com. 600 IN TXT \"v=spf1 "))
	require.Equal(t, "@", r.Host())
	require.Equal(t, "_dmarc", Record{Name: "_dmarc.example.com", Zone: "example.com"}.Host())
	require.Equal(t, "default._bimi", Record{Name: "default._bimi.example.com.", Zone: "example.com"}.Host())
	require.Equal(t, `"say \"hi\" \\ there"`, TXTStrings(`say "hi" \ there`)[0], "quotes and backslashes are escaped")
}

// spfZone serves example.test's SPF record(s) from a sandbox DNS server.
func spfZone(t *testing.T, records ...string) *Input {
	t.Helper()
	zone := "example.test. SOA ns.pitstop.test. hostmaster.pitstop.test. 1 3600 600 86400 300\nexample.test. NS ns.pitstop.test.\nmail.example.test. A 192.0.2.25\n"
	for _, r := range records {
		zone += "example.test. TXT \"" + r + "\"\n"
	}
	srv, err := demo.StartDNS(demo.DNSOptions{ExtraZones: zone})
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	p := &config.Profile{Name: "p"}
	p.Domain.Name, p.Domain.DNSServer, p.SMTP.Host = "example.test", srv.Addr, "mail.example.test"
	res := check.Failf("SPF is broken.")
	res.ID = "domain.spf"
	return &Input{Profile: p, Results: []check.Result{res}, Resolver: probe.NewResolver(srv.Addr)}
}

func spfValue(t *testing.T, in *Input) string {
	t.Helper()
	for _, f := range Propose(context.Background(), in) {
		if f.ID == "spf-record" {
			require.Equal(t, KindDNS, f.Kind)
			return f.Records[0].Value
		}
	}
	return ""
}

func TestSPFFixes(t *testing.T) {
	t.Parallel()
	require.Equal(t, "v=spf1 a:mail.example.test ~all", spfValue(t, spfZone(t)), "missing: the SMTP server")
	require.Equal(t, "v=spf1 ip4:192.0.2.0/24 ~all", spfValue(t, spfZone(t, "v=spf1 ip4:192.0.2.0/24 +all")), "+all becomes ~all")
	require.Equal(t, "v=spf1 ip4:192.0.2.0/24 ~all", spfValue(t, spfZone(t, "v=spf1 ip4:192.0.2.0/24 ?all")), "?all becomes ~all")
	require.Equal(t, "v=spf1 ip4:192.0.2.0/24 include:mail.example.test ip4:198.51.100.7 -all",
		spfValue(t, spfZone(t, "v=spf1 ip4:192.0.2.0/24 include:mail.example.test ~all", "v=spf1 ip4:198.51.100.7 -all")),
		"two records: one, every term once, the strictest all")
	require.Empty(t, spfValue(t, spfZone(t, "v=spf1 ip4:192.0.2.0/24 -all")), "a sound record gets no fix")
}

func TestManualFixesFromArticlesAndFacts(t *testing.T) {
	t.Parallel()
	p := &config.Profile{Name: "p"}
	p.SMTP.Username = "news@example.com"
	p.CRM.Provider = "salesforce"
	mk := func(id string, st check.Status, articles ...string) check.Result {
		r := check.Result{ID: id, Status: st}
		return r.Explain(articles...)
	}
	clock := mk("api.clock", check.Warn).WithFact("skew_seconds", 95)
	for _, tc := range []struct {
		result check.Result
		fix    string
		step   string
	}{
		{mk("smtp.auth", check.Fail, "smtp-gmail-app-password"), "gmail-app-password", "myaccount.google.com/apppasswords"},
		{mk("smtp.auth", check.Fail, "smtp-m365-auth-disabled"), "m365-smtp-auth", "Set-CASMailbox -Identity news@example.com -SmtpClientAuthenticationDisabled $false"},
		{mk("crm.permissions", check.Fail, "crm-salesforce-api-disabled"), "salesforce-api-enabled", "API Enabled"},
		{clock, "clock-sync", "timedatectl set-ntp true"},
	} {
		fixes := Propose(context.Background(), &Input{Profile: p, Results: []check.Result{tc.result}})
		require.Len(t, fixes, 1, tc.fix)
		require.Equal(t, tc.fix, fixes[0].ID)
		require.Equal(t, KindManual, fixes[0].Kind)
		require.Contains(t, strings.Join(fixes[0].Steps, "\n"), tc.step)
	}
	require.Contains(t, Propose(context.Background(), &Input{Profile: p, Results: []check.Result{clock}})[0].Summary, "95 s ahead of")
	require.Empty(t, Propose(context.Background(), &Input{Profile: p, Results: []check.Result{mk("smtp.auth", check.Pass, "smtp-gmail-app-password")}}), "a passing check gets no fix")
}

// TestCRMRedirectFix: a CRM that redirects to another host of the same
// company gets crm.base_url moved there, once crm.auth passes with it; a
// redirect to another company's host gets no fix.
func TestCRMRedirectFix(t *testing.T) {
	t.Parallel()
	p := &config.Profile{Name: "p"}
	p.CRM.Provider, p.CRM.BaseURL = "salesforce", "https://login.salesforce.com"
	redirected := check.Failf("Salesforce sent Pitstop elsewhere.").WithFact("redirect_location", "https://acme.my.salesforce.com/services/data")
	redirected.ID = "crm.auth"
	var tried []string
	in := &Input{Profile: p, ConfigPath: "/etc/pitstop.yaml", Results: []check.Result{redirected},
		Run: func(_ context.Context, cand *config.Profile, ids []string) []check.Result {
			tried = append(tried, cand.CRM.BaseURL)
			return []check.Result{{ID: "crm.auth", Status: check.Pass}}
		}}
	fixes := Propose(context.Background(), in)
	require.Len(t, fixes, 1)
	require.Equal(t, "crm-base-url", fixes[0].ID)
	require.Equal(t, "https://acme.my.salesforce.com", fixes[0].Changes[0].To)
	require.Equal(t, []string{"https://acme.my.salesforce.com"}, tried, "confirmed with the new address before it is proposed")

	elsewhere := redirected.WithFact("redirect_location", "https://crm.attacker.example/steal")
	in.Results = []check.Result{elsewhere}
	require.Empty(t, Propose(context.Background(), in), "another company's host is never proposed")
}
