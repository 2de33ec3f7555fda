package domain

import (
	"bytes"
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/demo"
)

// bulkSandbox is a DNS server carrying the sandbox zones plus the BIMI
// records of a BIMI server, and the CA bundle that trusts that server.
type bulkSandbox struct {
	dns    *demo.DNSServer
	caFile string
}

func startBulkSandbox(t testing.TB) bulkSandbox {
	t.Helper()
	ca, err := demo.NewCA()
	require.NoError(t, err)
	bimi, err := demo.StartBIMI(ca)
	require.NoError(t, err)
	t.Cleanup(func() { _ = bimi.Close() })
	caFile, err := ca.WriteFile(t.TempDir(), "ca.pem")
	require.NoError(t, err)
	return bulkSandbox{dns: startDNS(t, demo.DNSOptions{ExtraZones: bimi.Zones()}), caFile: caFile}
}

// runBulk runs one of the bulk-sender checks with the given profile edits;
// public, when set, replaces the public-address test.
func runBulk(t testing.TB, sb bulkSandbox, id string, timeout time.Duration, public func(netip.Addr) (bool, string), edit func(p *config.Profile)) check.Result {
	t.Helper()
	p := &config.Profile{Name: "t"}
	p.Domain.Name = demo.HealthyDomain
	p.Domain.DNSServer = sb.dns.Addr
	p.Domain.CAFile = sb.caFile
	if edit != nil {
		edit(p)
	}
	c := newBulkChecker(p)
	if public != nil {
		c.classify = public
	}
	var checks []check.Check
	for _, ch := range c.checks() {
		if ch.ID == id {
			checks = append(checks, ch)
		}
	}
	require.Len(t, checks, 1)
	res := (&check.Runner{Timeout: timeout}).Run(context.Background(), checks)
	require.Len(t, res, 1)
	return res[0]
}

func TestBIMI(t *testing.T) {
	t.Parallel()
	sb := startBulkSandbox(t)
	const (
		P = check.Pass
		W = check.Warn
		F = check.Fail
		S = check.Skip
		E = check.Error
	)
	tests := []struct {
		name     string
		domain   string
		selector string
		noCA     bool
		status   check.Status
		logoOK   *bool // nil: no logo_ok fact
		summary  string
		detail   string
		mark     string // the mark_certificate fact, when checked
	}{
		{name: "valid with VMC", domain: demo.HealthyDomain, status: P, logoOK: ptrTo(true), summary: "Verified Mark Certificate valid until", detail: `mark type "Registered Mark"`, mark: "verified"},
		{name: "inherited from the organisational domain", domain: "news." + demo.BIMIDomain, status: P, logoOK: ptrTo(true),
			summary: "news.pitstop-bimi.test publishes BIMI", detail: "default._bimi.news.pitstop-bimi.test: no BIMI record"},
		{name: "valid without certificate", domain: demo.BIMIDomain, selector: "nocert", status: P, logoOK: ptrTo(true), summary: "a valid SVG Tiny PS logo (277 bytes), and its DMARC policy", detail: "No a= certificate", mark: "none"},
		{name: "script", domain: demo.BIMIDomain, selector: "script", status: F, logoOK: ptrTo(false), summary: "event handler (onclick=)", detail: "contains a script"},
		{name: "wrong profile", domain: demo.BIMIDomain, selector: "profile", status: F, logoOK: ptrTo(false), summary: `baseProfile="tiny"`},
		{name: "external reference", domain: demo.BIMIDomain, selector: "external", status: F, logoOK: ptrTo(false), summary: "https://cdn.pitstop.test/logo.png"},
		{name: "50 MB logo", domain: demo.BIMIDomain, selector: "huge", status: F, logoOK: ptrTo(false), summary: "more than 64 KiB; mailbox providers accept logos up to 32 KiB"},
		{name: "missing logo", domain: demo.BIMIDomain, selector: "missing", status: F, logoOK: ptrTo(false), summary: "404 Not Found"},
		{name: "logo over http", domain: demo.BIMIDomain, selector: "http", status: F, logoOK: ptrTo(false), summary: "is not an https:// address"},
		{name: "certificate without mark extension", domain: demo.BIMIDomain, selector: "plaincert", status: W, logoOK: ptrTo(true), summary: "not a mark certificate", mark: "not_mark"},
		{name: "certificate not PEM", domain: demo.BIMIDomain, selector: "notpem", status: W, logoOK: ptrTo(true), summary: "not a PEM certificate (no PEM certificate found)", mark: "unreadable"},
		{name: "two records", domain: demo.BIMIDomain, selector: "twice", status: F, summary: "2 BIMI records"},
		{name: "declined", domain: demo.BIMIDomain, selector: "declined", status: S, summary: "declines BIMI"},
		{name: "no record", domain: demo.BIMIDomain, selector: "absent", status: S, summary: "publishes no BIMI record (absent._bimi.pitstop-bimi.test)"},
		{name: "no record at the default selector", domain: demo.NullMXDomain, status: S, summary: "BIMI is optional"},
		{name: "DMARC p=none", domain: demo.LaxDomain, status: W, logoOK: ptrTo(true), summary: "p=none, so mailbox providers will not show the BIMI logo"},
		{name: "DMARC at partial coverage", domain: demo.OpenDomain, status: W, logoOK: ptrTo(true), summary: "covers only 50% of mail (pct=50)"},
		{name: "untrusted logo server", domain: demo.HealthyDomain, noCA: true, status: F, logoOK: ptrTo(false), summary: "The BIMI logo could not be fetched"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := runBulk(t, sb, "domain.bimi", 10*time.Second, nil, func(p *config.Profile) {
				p.Domain.Name = tc.domain
				p.Domain.BIMISelector = tc.selector
				if tc.noCA {
					p.Domain.CAFile = ""
				}
			})
			require.Equal(t, tc.status, res.Status, "%s %v", res.Summary, res.Details)
			require.Contains(t, res.Summary, tc.summary)
			if tc.detail != "" {
				require.Contains(t, join(res.Details), tc.detail)
			}
			v, ok := res.Fact("logo_ok")
			if tc.logoOK == nil {
				require.False(t, ok, "no logo_ok fact expected: %v", res.Facts)
			} else {
				require.True(t, ok, "logo_ok fact expected")
				require.Equal(t, *tc.logoOK, v)
			}
			if tc.status == W || tc.status == F {
				require.Contains(t, res.Articles, artBIMI)
			}
			if tc.mark != "" {
				require.Equal(t, tc.mark, res.Facts["mark_certificate"])
			}
		})
	}
}

// TestBIMIHangingLogo: a logo server that never answers ends in a
// could-not-test result within the check's timeout, and the certificate-less
// record's DMARC part is still judged.
func TestBIMIHangingLogo(t *testing.T) {
	t.Parallel()
	sb := startBulkSandbox(t)
	start := time.Now()
	res := runBulk(t, sb, "domain.bimi", 2*time.Second, nil, func(p *config.Profile) {
		p.Domain.Name, p.Domain.BIMISelector = demo.BIMIDomain, "hang"
	})
	require.Less(t, time.Since(start), 3*time.Second)
	require.Equal(t, check.Error, res.Status, "%s %v", res.Summary, res.Details)
	require.Contains(t, res.Summary, "Could not test the BIMI logo")
	require.Contains(t, res.Summary, "no answer came within")
	_, ok := res.Fact("logo_ok")
	require.False(t, ok, "an unjudged logo has no logo_ok fact")
	require.Contains(t, join(res.Details), "DMARC at _dmarc.pitstop-bimi.test: p=reject")
}

func TestBIMIUnreadableCAFile(t *testing.T) {
	t.Parallel()
	sb := startBulkSandbox(t)
	res := runBulk(t, sb, "domain.bimi", 5*time.Second, nil, func(p *config.Profile) {
		p.Domain.CAFile = "/nonexistent/ca.pem"
	})
	require.Equal(t, check.Error, res.Status, res.Summary)
	require.Contains(t, res.Summary, "ca_file")
}

func TestPTR(t *testing.T) {
	t.Parallel()
	sb := startBulkSandbox(t)
	// The sandbox's addresses are loopback; the tests treat them as public
	// to reach the reverse lookups.
	allPublic := func(netip.Addr) (bool, string) { return true, "" }
	tests := []struct {
		name    string
		host    string
		public  func(netip.Addr) (bool, string)
		status  check.Status
		summary string
		detail  string
	}{
		{name: "forward-confirmed", host: "smtp.pitstop-healthy.test", public: allPublic, status: check.Pass,
			summary: "127.0.0.5 ↔ smtp.pitstop-healthy.test", detail: "PTR 127.0.0.5 → smtp.pitstop-healthy.test → 127.0.0.5"},
		{name: "address literal", host: "127.0.0.2", public: allPublic, status: check.Pass, summary: "127.0.0.2 ↔ mx.pitstop-listed.test"},
		{name: "PTR name resolves elsewhere", host: "smtp-mismatch.pitstop-broken.test", public: allPublic, status: check.Fail,
			summary: "names mail.pitstop-broken.test, which does not resolve back to 127.0.0.3", detail: "mail.pitstop-broken.test → 127.0.0.9"},
		{name: "no PTR record", host: "smtp-noptr.pitstop-broken.test", public: allPublic, status: check.Fail,
			summary: "127.0.0.4 (smtp-noptr.pitstop-broken.test) has no reverse DNS (PTR) record"},
		{name: "loopback skipped by the product's own test", host: "mx.pitstop-healthy.test", status: check.Skip,
			summary: "has only loopback addresses (127.0.0.1)", detail: "127.0.0.1: loopback address, not checked"},
		{name: "loopback address literal", host: "127.0.0.1", status: check.Skip,
			summary: "The SMTP host 127.0.0.1 is a loopback address, which receivers never see"},
		{name: "private address literal", host: "10.20.30.40", status: check.Skip, summary: "is a private address"},
		{name: "sending service", host: "smtp.sendgrid.net", public: allPublic, status: check.Pass,
			summary: "smtp.sendgrid.net belongs to SendGrid"},
		{name: "Amazon SES", host: "email-smtp.eu-west-1.amazonaws.com", status: check.Pass, summary: "Amazon SES"},
		{name: "Microsoft 365", host: "smtp.office365.com", status: check.Pass, summary: "Microsoft 365"},
		{name: "no SMTP host", host: "", status: check.Skip, summary: "No SMTP host is configured"},
		{name: "host without address", host: "nothing.pitstop-healthy.test", public: allPublic, status: check.Error,
			summary: "has no address in DNS"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := runBulk(t, sb, "domain.ptr", 5*time.Second, tc.public, func(p *config.Profile) { p.SMTP.Host = tc.host })
			require.Equal(t, tc.status, res.Status, "%s %v", res.Summary, res.Details)
			require.Contains(t, res.Summary, tc.summary)
			if tc.detail != "" {
				require.Contains(t, join(res.Details), tc.detail)
			}
			if tc.status == check.Fail {
				require.Contains(t, res.Articles, artPTRMismatch)
			}
		})
	}
}

func TestPTRDNSFailureIsCouldNotTest(t *testing.T) {
	t.Parallel()
	srv := startDNS(t, demo.DNSOptions{Fault: demo.DNSFaultServfail})
	res := runBulk(t, bulkSandbox{dns: srv}, "domain.ptr", 5*time.Second, nil, func(p *config.Profile) {
		p.SMTP.Host = "mx.pitstop-healthy.test"
	})
	require.Equal(t, check.Error, res.Status, res.Summary)
}

func TestPublicAddress(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		addr   string
		public bool
		kind   string
	}{
		{"127.0.0.1", false, "loopback"},
		{"::1", false, "loopback"},
		{"10.1.2.3", false, "private"},
		{"192.168.0.10", false, "private"},
		{"fd00::1", false, "private"},
		{"169.254.1.1", false, "link-local"},
		{"fe80::1", false, "link-local"},
		{"100.64.0.1", false, "carrier-grade NAT"},
		{"0.0.0.0", false, "unspecified"},
		{"::ffff:10.0.0.1", false, "private"},
		{"203.0.113.7", true, ""},
		{"8.8.8.8", true, ""},
		{"2001:4860:4860::8888", true, ""},
	} {
		ok, kind := publicAddress(netip.MustParseAddr(tc.addr))
		require.Equal(t, tc.public, ok, tc.addr)
		require.Equal(t, tc.kind, kind, tc.addr)
	}
}

func TestSendingService(t *testing.T) {
	t.Parallel()
	for host, want := range map[string]string{
		"smtp.sendgrid.net":                  "SendGrid",
		"email-smtp.us-east-1.amazonaws.com": "Amazon SES",
		"ec2-1-2-3-4.compute.amazonaws.com":  "",
		"smtp.mailgun.org":                   "Mailgun",
		"smtp.postmarkapp.com":               "Postmark",
		"smtp.gmail.com":                     "Google",
		"smtp-relay.gmail.com.":              "Google",
		"SMTP.Office365.com":                 "Microsoft 365",
		"notsendgrid.net":                    "",
		"mail.example.com":                   "",
	} {
		require.Equal(t, want, sendingService(host), host)
	}
}

func TestCheckSVG(t *testing.T) {
	t.Parallel()
	const head = `<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny-ps" viewBox="0 0 10 10"><title>x</title>`
	for _, tc := range []struct {
		name  string
		svg   string
		worst check.Status
		text  string
	}{
		{"valid", head + `<rect width="10" height="10"/></svg>`, check.Pass, ""},
		{"not xml", `PNG\x89 binary`, check.Fail, "not an SVG image"},
		{"broken xml", `<svg xmlns="http://www.w3.org/2000/svg" baseProfile="tiny-ps"><title>x</titl></svg>`, check.Fail, "not well-formed XML"},
		{"html", `<html><body/></html>`, check.Fail, "root element is <html>"},
		{"empty", ``, check.Fail, "not an SVG image"},
		{"no namespace", `<svg version="1.2" baseProfile="tiny-ps"><title>x</title></svg>`, check.Fail, "namespace"},
		{"no profile", `<svg xmlns="http://www.w3.org/2000/svg" version="1.2"><title>x</title></svg>`, check.Fail, `no baseProfile="tiny-ps"`},
		{"entity", `<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>` + head + `</svg>`, check.Fail, "entities"},
		{"css import", head + `<style>@import url(https://x.test/a.css);</style></svg>`, check.Fail, "styles load"},
		{"css local url", head + `<style>rect{fill:url(#g)}</style></svg>`, check.Pass, ""},
		{"style attribute", head + `<rect style="fill:url('https://x.test/p.png')"/></svg>`, check.Fail, "styles load"},
		{"fragment href", head + `<use href="#a"/></svg>`, check.Pass, ""},
		{"foreign object", head + `<foreignObject/></svg>`, check.Fail, "foreignObject"},
		{"animation", head + `<animate attributeName="x"/></svg>`, check.Warn, "animated"},
		{"no title", `<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny-ps" viewBox="0 0 10 10"/>`, check.Warn, "no <title>"},
		{"not square", `<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny-ps" viewBox="0 0 20 10"><title>x</title></svg>`, check.Warn, "not square"},
		{"latin-1", `<?xml version="1.0" encoding="ISO-8859-1"?>` + head + `</svg>`, check.Fail, "not UTF-8"},
	} {
		problems := checkSVG([]byte(tc.svg))
		var f check.Findings
		for _, p := range problems {
			f = append(f, check.Finding{Status: p.status, Text: p.text})
		}
		res := f.Result("")
		worst, text := res.Status, res.Summary
		require.Equal(t, tc.worst, worst, "%s: %v", tc.name, problems)
		require.Contains(t, text, tc.text, tc.name)
	}
}

func TestAligned(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		from, other string
		strict      bool
		want        bool
	}{
		{"example.com", "example.com", true, true},
		{"example.com", "mail.example.com", true, false},
		{"example.com", "mail.example.com", false, true},
		{"news.example.co.uk", "bounce.example.co.uk", false, true},
		{"example.co.uk", "other.co.uk", false, false},
		{"Example.COM.", "example.com", true, true},
		{"example.com", "sendgrid.net", false, false},
		{"example.com", "", false, false},
	} {
		require.Equal(t, tc.want, Aligned(tc.from, tc.other, tc.strict), "%s vs %s strict=%v", tc.from, tc.other, tc.strict)
	}
}

func ptrTo[T any](v T) *T { return &v }

func join(lines []string) string {
	out := ""
	for _, l := range lines {
		out += l + "\n"
	}
	return out
}

// FuzzCheckSVG: any bytes give a list of problems, never a panic; text that
// is not an SVG always fails.
func FuzzCheckSVG(f *testing.F) {
	f.Add([]byte(`<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny-ps" viewBox="0 0 1 1"><title>x</title></svg>`))
	f.Add([]byte(`<svg><script>alert(1)</script></svg>`))
	f.Add([]byte(`<!DOCTYPE svg [<!ENTITY a "b">]><svg>&a;</svg>`))
	f.Add([]byte("\xff\xfe<\x00s\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		problems := checkSVG(data)
		if !bytes.Contains(data, []byte("svg")) {
			require.NotEmpty(t, problems)
		}
		for _, p := range problems {
			require.NotEmpty(t, p.text)
		}
	})
}

// TestBulkFacts: the measured values behind domain.bimi and domain.ptr.
func TestBulkFacts(t *testing.T) {
	t.Parallel()
	sb := startBulkSandbox(t)
	res := runBulk(t, sb, "domain.bimi", 10*time.Second, nil, func(p *config.Profile) { p.Domain.Name = demo.LaxDomain })
	require.Equal(t, false, res.Facts["dmarc_allows_logo"], res.Summary)
	require.Equal(t, 277, res.Facts["logo_bytes"])
	res = runBulk(t, sb, "domain.bimi", 10*time.Second, nil, nil)
	require.Equal(t, true, res.Facts["dmarc_allows_logo"], res.Summary)

	allPublic := func(netip.Addr) (bool, string) { return true, "" }
	res = runBulk(t, sb, "domain.ptr", 5*time.Second, allPublic, func(p *config.Profile) { p.SMTP.Host = "smtp.pitstop-healthy.test" })
	require.Equal(t, 1, res.Facts["public_addresses"])
	require.Equal(t, 1, res.Facts["ptr_confirmed"])
	res = runBulk(t, sb, "domain.ptr", 5*time.Second, allPublic, func(p *config.Profile) { p.SMTP.Host = "smtp-mismatch.pitstop-broken.test" })
	require.Equal(t, 0, res.Facts["ptr_confirmed"], res.Summary)
	res = runBulk(t, sb, "domain.ptr", 5*time.Second, nil, func(p *config.Profile) { p.SMTP.Host = "smtp.postmarkapp.com" })
	require.Equal(t, "Postmark", res.Facts["sending_service"])
}
