package domain

import (
	"context"
	"log/slog"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/demo"
)

func startDNS(t testing.TB, opts demo.DNSOptions) *demo.DNSServer {
	t.Helper()
	srv, err := demo.StartDNS(opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

func runChecks(p *config.Profile, timeout time.Duration) map[string]check.Result {
	r := &check.Runner{Timeout: timeout}
	out := map[string]check.Result{}
	for _, res := range r.Run(context.Background(), Checks(p)) {
		out[res.ID] = res
	}
	return out
}

func TestChecksAgainstSandboxZones(t *testing.T) {
	t.Parallel()
	srv := startDNS(t, demo.DNSOptions{})
	const (
		P = check.Pass
		W = check.Warn
		F = check.Fail
		E = check.Error
	)
	type want struct {
		status  check.Status
		article string
		summary string
		detail  string
	}
	tests := []struct {
		name  string
		edit  func(p *config.Profile)
		wants map[string]want
	}{
		{
			name: "healthy",
			edit: func(p *config.Profile) { p.Domain.Name = demo.HealthyDomain },
			wants: map[string]want{
				"domain.mx":    {status: P, detail: "MX 10 mx.pitstop-healthy.test → 127.0.0.1"},
				"domain.spf":   {status: P, summary: "authorises your SMTP server 127.0.0.1", detail: "DNS lookups: 1 of 10"},
				"domain.dkim":  {status: P, summary: "s1 (RSA 2048-bit)"},
				"domain.dmarc": {status: P, summary: "p=reject", detail: `"v=DMARC1; p=reject`},
				"domain.dnsbl": {status: P, detail: "1.0.0.127.bl.pitstop-dnsbl.test → not listed"},
			},
		},
		{
			name: "broken",
			edit: func(p *config.Profile) {
				p.Domain.Name = demo.BrokenDomain
				p.Domain.DKIMSelectors = []string{"s1", "old"}
			},
			wants: map[string]want{
				"domain.mx":    {status: F, article: "domain-mx-missing", summary: "no MX record and no address"},
				"domain.spf":   {status: F, article: "domain-spf-invalid", summary: "2 SPF records"},
				"domain.dkim":  {status: F, article: "domain-dkim-invalid", summary: "revoked", detail: "old._domainkey.pitstop-broken.test: RSA 512-bit"},
				"domain.dmarc": {status: F, article: "domain-dmarc-missing", summary: "no DMARC record"},
			},
		},
		{
			name: "lax",
			edit: func(p *config.Profile) { p.Domain.Name = demo.LaxDomain },
			wants: map[string]want{
				"domain.spf":   {status: F, article: "domain-spf-too-many-lookups", summary: "12 DNS lookups; the limit is 10", detail: "void lookups: 3 of 2"},
				"domain.dkim":  {status: W, article: "domain-dkim-invalid", summary: "1024 bits"},
				"domain.dmarc": {status: W, article: "domain-dmarc-missing", summary: "p=none", detail: "no rua="},
			},
		},
		{
			name: "open",
			edit: func(p *config.Profile) { p.Domain.Name = demo.OpenDomain; p.Domain.DKIMSelectors = []string{"s2"} },
			wants: map[string]want{
				"domain.spf":   {status: W, article: "domain-spf-invalid", summary: "+all"},
				"domain.dkim":  {status: P, summary: "Ed25519"},
				"domain.dmarc": {status: W, summary: "pct=50"},
			},
		},
		{
			name: "listed MX",
			edit: func(p *config.Profile) { p.Domain.Name = demo.ListedDomain },
			wants: map[string]want{
				"domain.dnsbl": {status: F, article: "domain-blocklisted", summary: "127.0.0.2 (MX mx.pitstop-listed.test) is listed on bl.pitstop-dnsbl.test", detail: "2.0.0.127.bl.pitstop-dnsbl.test → 127.0.0.2"},
			},
		},
		{
			name: "refused blocklist query is could-not-test, not listed",
			edit: func(p *config.Profile) {
				p.Domain.Name = demo.HealthyDomain
				p.Domain.DNSBL = []string{demo.RefusingBlocklistZone}
			},
			wants: map[string]want{
				"domain.dnsbl": {status: E, article: "domain-dnsbl-query-refused", summary: "127.255.255.254"},
			},
		},
		{
			name: "null MX",
			edit: func(p *config.Profile) { p.Domain.Name = demo.NullMXDomain },
			wants: map[string]want{
				"domain.mx":  {status: F, article: "domain-mx-missing", summary: "null MX"},
				"domain.spf": {status: W, summary: "does not authorise your SMTP server"},
			},
		},
		{
			name: "subdomain inherits the organisational domain's DMARC",
			edit: func(p *config.Profile) { p.Domain.Name = "news." + demo.HealthyDomain },
			wants: map[string]want{
				"domain.dmarc": {status: P, summary: "inherited from pitstop-healthy.test"},
			},
		},
		{
			name: "no selector configured: common names are tried",
			edit: func(p *config.Profile) { p.Domain.Name = demo.OpenDomain; p.Domain.DKIMSelectors = nil },
			wants: map[string]want{
				"domain.dkim": {status: P, summary: "s1 (RSA 2048-bit), s2 (Ed25519)", detail: "Pitstop tried: google"},
			},
		},
		{
			name: "no selector found is a warning, not a failure",
			edit: func(p *config.Profile) { p.Domain.Name = demo.NullMXDomain; p.Domain.DKIMSelectors = nil },
			wants: map[string]want{
				"domain.dkim": {status: W, article: "domain-dkim-invalid", summary: "may only mean your provider uses another name"},
			},
		},
		{
			name: "domain taken from an address",
			edit: func(p *config.Profile) { p.Domain.Name = "News@Pitstop-Healthy.test." },
			wants: map[string]want{
				"domain.spf": {status: P},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := &config.Profile{SMTP: config.SMTPConfig{Host: "127.0.0.1"}}
			srv.Configure(p)
			tt.edit(p)
			got := runChecks(p, 5*time.Second)
			for id, w := range tt.wants {
				r := got[id]
				all := r.Summary + "\n" + strings.Join(r.Details, "\n")
				require.Equalf(t, w.status.String(), r.Status.String(), "%s: %s", id, all)
				if w.article != "" {
					require.Contains(t, r.Articles, w.article, id)
				}
				require.Contains(t, r.Summary, w.summary, id)
				require.Contains(t, strings.Join(r.Details, "\n"), w.detail, id)
				require.Contains(t, strings.Join(r.Details, "\n"), "Resolver: "+srv.Addr, id)
			}
		})
	}
}

func TestNoDomainSkips(t *testing.T) {
	t.Parallel()
	for _, r := range runChecks(&config.Profile{}, time.Second) {
		require.Equal(t, check.Skip, r.Status, r.ID)
	}
}

// TestHostileDNS checks that a DNS server that never answers, or fails every
// query, gives Error (could not test) within the timeout plus half a second.
func TestHostileDNS(t *testing.T) {
	t.Parallel()
	for _, fault := range demo.DNSFaults {
		t.Run(fault, func(t *testing.T) {
			t.Parallel()
			srv := startDNS(t, demo.DNSOptions{Fault: fault})
			p := &config.Profile{SMTP: config.SMTPConfig{Host: "127.0.0.1"}}
			srv.Configure(p)
			const timeout = time.Second
			start := time.Now()
			got := runChecks(p, timeout)
			require.Less(t, time.Since(start), timeout+500*time.Millisecond)
			for _, id := range []string{"domain.mx", "domain.spf", "domain.dmarc", "domain.dkim"} {
				require.Equal(t, check.Error, got[id].Status, id+": "+got[id].Summary)
				require.Contains(t, got[id].Summary, "Could not test", id)
			}
			require.NotEqual(t, check.Pass, got["domain.dnsbl"].Status)
			require.NotEqual(t, check.Fail, got["domain.dnsbl"].Status)
		})
	}
}

func TestDNSServerDown(t *testing.T) {
	t.Parallel()
	srv := startDNS(t, demo.DNSOptions{})
	p := &config.Profile{}
	srv.Configure(p)
	require.NoError(t, srv.Close())
	got := runChecks(p, 2*time.Second)
	require.Equal(t, check.Error, got["domain.mx"].Status, got["domain.mx"].Summary)
}

func TestSPFWalkerCountsLikeTheRFC(t *testing.T) {
	t.Parallel()
	srv := startDNS(t, demo.DNSOptions{ExtraZones: `
pitstop-extra.test.        SOA ns.pitstop.test. h.pitstop.test. 1 3600 600 86400 300
loop.pitstop-extra.test.   TXT "v=spf1 include:loop2.pitstop-extra.test -all"
loop2.pitstop-extra.test.  TXT "v=spf1 include:loop.pitstop-extra.test -all"
redir.pitstop-extra.test.  TXT "v=spf1 redirect=target.pitstop-extra.test"
target.pitstop-extra.test. TXT "v=spf1 ip4:192.0.2.1 -all"
bad.pitstop-extra.test.    TXT "v=spf1 ip4:300.1.1.1 foo:bar ~all"
dead.pitstop-extra.test.   TXT "v=spf1 include:gone.pitstop-extra.test -all"
ptr.pitstop-extra.test.    TXT "v=spf1 ptr ~all"
noall.pitstop-extra.test.  TXT "v=spf1 ip4:127.0.0.1"
`})
	tests := []struct {
		domain  string
		status  check.Status
		summary string
	}{
		{"loop.pitstop-extra.test", check.Fail, "loops back"},
		{"redir.pitstop-extra.test", check.Warn, "does not authorise"}, // redirect followed: -all, 127.0.0.1 not listed
		{"bad.pitstop-extra.test", check.Fail, "syntax error"},
		{"dead.pitstop-extra.test", check.Fail, "has no SPF record"},
		{"ptr.pitstop-extra.test", check.Warn, "ptr"},
		{"noall.pitstop-extra.test", check.Warn, "no \"all\" term"},
	}
	for _, tt := range tests {
		t.Run(tt.domain, func(t *testing.T) {
			t.Parallel()
			p := &config.Profile{SMTP: config.SMTPConfig{Host: "127.0.0.1"}}
			srv.Configure(p)
			p.Domain.Name = tt.domain
			got := runChecks(p, 5*time.Second)["domain.spf"]
			require.Equal(t, tt.status, got.Status, got.Summary+"\n"+strings.Join(got.Details, "\n"))
			require.Contains(t, got.Summary+strings.Join(got.Details, "\n"), tt.summary)
		})
	}
}

func TestSplitTerm(t *testing.T) {
	t.Parallel()
	tests := []struct {
		term, name, arg string
		mod             bool
	}{
		{"include:_spf.google.com", "include", "_spf.google.com", false},
		{"ip6:2001:db8::/32", "ip6", "2001:db8::/32", false},
		{"a/24", "a", "/24", false},
		{"-all", "-all", "", false},
		{"redirect=_spf.example.com", "redirect", "_spf.example.com", true},
		{"mx:mail.example.com/24//64", "mx", "mail.example.com/24//64", false},
	}
	for _, tt := range tests {
		name, arg, mod := splitTerm(tt.term)
		require.Equal(t, []any{tt.name, tt.arg, tt.mod}, []any{name, arg, mod}, tt.term)
	}
	require.Equal(t, "mail.example.com", domainSpec("mail.example.com/24//64", "x"))
	require.Equal(t, "x", domainSpec("/24", "x"))
	require.True(t, validIPTerm("ip4", "192.0.2.0/24"))
	require.False(t, validIPTerm("ip4", "192.0.2.0/33"))
	require.False(t, validIPTerm("ip4", "2001:db8::1"))
	require.True(t, validIPTerm("ip6", "2001:db8::/32"))
}

func TestNormalise(t *testing.T) {
	t.Parallel()
	require.Equal(t, "example.com", normalise(" News@Example.COM. "))
	require.Equal(t, "xn--mnchen-3ya.de", normalise("münchen.de"))
}

func TestReverse(t *testing.T) {
	t.Parallel()
	require.Equal(t, "4.3.2.1", reverse(netip.MustParseAddr("1.2.3.4")))
	require.Equal(t, "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2", reverse(netip.MustParseAddr("2001:db8::1")))
}

func TestJudgeKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		record string
		status check.Status
		detail string
	}{
		{"v=DKIM1; k=rsa; p=", check.Fail, "revoked"},
		{"v=DKIM1; k=rsa; p=!!!", check.Fail, "unreadable"},
		{"v=DKIM2; p=abc", check.Fail, "bad version"},
		{"v=DKIM1; k=ed25519; p=2W05BWFWfwXm+7nNZrytmxSlIuECwpSeexZHE+slY04=", check.Pass, "Ed25519"},
		{"v=DKIM1; k=ed25519; t=y; p=2W05BWFWfwXm+7nNZrytmxSlIuECwpSeexZHE+slY04=", check.Warn, "testing mode"},
		{"v=DKIM1; k=dsa; p=AAAA", check.Fail, "unknown key type"},
		{"v=DKIM1; k=rsa", check.Fail, "no key"},
	}
	for _, tt := range tests {
		k := dkimKey{selector: "s1", name: "s1._domainkey.example.com"}
		judgeKey(&k, tt.record)
		require.Equal(t, tt.status, k.status, tt.record)
		require.Contains(t, k.detail, tt.detail, tt.record)
	}
}

// TestCanaryPasswordNeverShows: the domain checks never touch the SMTP
// password, and nothing they print contains it.
func TestCanaryPasswordNeverShows(t *testing.T) {
	t.Parallel()
	const canary = "Canary-Pa55w0rd-domain-42"
	srv := startDNS(t, demo.DNSOptions{Domain: demo.LaxDomain})
	p := &config.Profile{SMTP: config.SMTPConfig{Host: "127.0.0.1", Username: "me", Password: config.NewSecret(canary, "test")}}
	srv.Configure(p)
	for _, r := range runChecks(p, 5*time.Second) {
		require.NotContains(t, r.Summary+strings.Join(r.Details, "\n"), canary)
	}
}

func BenchmarkDomainChecks(b *testing.B) {
	// The runner logs every failed result; the lax domain fails on purpose.
	old := slog.Default()
	slog.SetDefault(slog.New(slog.DiscardHandler))
	b.Cleanup(func() { slog.SetDefault(old) })
	srv := startDNS(b, demo.DNSOptions{})
	for _, d := range []string{demo.HealthyDomain, demo.LaxDomain} {
		b.Run(d, func(b *testing.B) {
			p := &config.Profile{SMTP: config.SMTPConfig{Host: "127.0.0.1"}}
			srv.Configure(p)
			p.Domain.Name = d
			checks := Checks(p)
			r := &check.Runner{Timeout: 5 * time.Second}
			before := srv.Queries()
			b.ResetTimer()
			for b.Loop() {
				for _, res := range r.Run(context.Background(), checks) {
					if res.Status == check.Error {
						b.Fatalf("%s: %s", res.ID, res.Summary)
					}
				}
			}
			b.ReportMetric(float64(srv.Queries()-before)/float64(b.N), "queries/op")
		})
	}
}

// TestDomainFacts reads the facts behind the lax domain's findings: the SPF
// counts over the whole tree (12 lookups, 3 of them void), the weakest DKIM
// key, the DMARC policy and a clean blocklist answer.
func TestDomainFacts(t *testing.T) {
	t.Parallel()
	srv := startDNS(t, demo.DNSOptions{})
	p := &config.Profile{SMTP: config.SMTPConfig{Host: "127.0.0.1"}}
	srv.Configure(p)
	p.Domain.Name = demo.LaxDomain
	got := runChecks(p, 5*time.Second)
	for id, want := range map[string]map[string]any{
		"domain.spf":   {"dns_lookups": 12, "void_lookups": 3, "spf_records": 1, "tree_complete": true},
		"domain.dkim":  {"key_bits": 1024, "keys_found": 1},
		"domain.dmarc": {"policy": "none", "dmarc_records": 1},
		"domain.mx":    {"mx_records": 1, "mx_resolved": 1},
	} {
		for k, v := range want {
			fact, ok := got[id].Fact(k)
			require.True(t, ok, "%s has no %s: %v", id, k, got[id].Facts)
			require.Equal(t, v, fact, "%s.%s", id, k)
		}
	}

	// Without selectors, the ones found by guessing become a fact a fix
	// can write into domain.dkim_selectors.
	p.Domain.Name, p.Domain.DKIMSelectors = demo.OpenDomain, nil
	dkim := runChecks(p, 5*time.Second)["domain.dkim"]
	found, _ := dkim.Fact("selectors_found")
	require.Equal(t, "s1,s2", found, dkim.Summary)
}
