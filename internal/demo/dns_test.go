package demo

import (
	"strings"
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/require"

	"pitstop/internal/config"
)

func exchange(t *testing.T, s *DNSServer, network, name string, qtype uint16) *dns.Msg {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	c := &dns.Client{Net: network}
	r, _, err := c.Exchange(m, s.Addr)
	require.NoError(t, err)
	return r
}

func TestDNSServerAnswers(t *testing.T) {
	t.Parallel()
	s, err := StartDNS(DNSOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	tests := []struct {
		name    string
		qtype   uint16
		rcode   int
		answers int
		has     string
	}{
		{HealthyDomain, dns.TypeMX, dns.RcodeSuccess, 1, "mx.pitstop-healthy.test."},
		{HealthyDomain, dns.TypeTXT, dns.RcodeSuccess, 2, "v=spf1"},
		{"_dmarc." + HealthyDomain, dns.TypeTXT, dns.RcodeSuccess, 1, "p=reject"},
		{"_dmarc." + BrokenDomain, dns.TypeTXT, dns.RcodeNameError, 0, ""},
		{BrokenDomain, dns.TypeMX, dns.RcodeSuccess, 0, ""},                         // exists, no MX
		{"_domainkey." + HealthyDomain, dns.TypeTXT, dns.RcodeSuccess, 0, ""},       // empty non-terminal
		{"2.0.0.127." + BlocklistZone, dns.TypeA, dns.RcodeSuccess, 1, "127.0.0.2"}, // listed
		{"1.0.0.127." + BlocklistZone, dns.TypeA, dns.RcodeNameError, 0, ""},        // not listed
		{"9.8.7.6." + RefusingBlocklistZone, dns.TypeA, dns.RcodeSuccess, 1, "127.255.255.254"},
		{NullMXDomain, dns.TypeMX, dns.RcodeSuccess, 1, "MX\t0 ."},
		{"example.com", dns.TypeA, dns.RcodeRefused, 0, ""},
	}
	for _, tt := range tests {
		for _, network := range []string{"udp", "tcp"} {
			r := exchange(t, s, network, tt.name, tt.qtype)
			require.Equal(t, dns.RcodeToString[tt.rcode], dns.RcodeToString[r.Rcode], tt.name)
			require.Len(t, r.Answer, tt.answers, tt.name)
			if tt.has != "" {
				var all []string
				for _, a := range r.Answer {
					all = append(all, a.String())
				}
				require.Contains(t, strings.Join(all, "\n"), tt.has, tt.name)
			}
		}
	}
	require.Positive(t, s.Queries())
}

func TestDNSServerOptions(t *testing.T) {
	t.Parallel()
	_, err := StartDNS(DNSOptions{Fault: "nope"})
	require.ErrorContains(t, err, "unknown DNS fault")
	_, err = StartDNS(DNSOptions{ExtraZones: "bad.test. IN BOGUS x"})
	require.Error(t, err)

	s, err := StartDNS(DNSOptions{Domain: LaxDomain, ExtraZones: "extra.pitstop-lax.test. TXT \"hello\""})
	require.NoError(t, err)
	p := &config.Profile{}
	s.Configure(p)
	require.Equal(t, LaxDomain, p.Domain.Name)
	require.Equal(t, s.Addr, p.Domain.DNSServer)
	require.Equal(t, []string{BlocklistZone}, p.Domain.DNSBL)
	r := exchange(t, s, "udp", "extra.pitstop-lax.test", dns.TypeTXT)
	require.Len(t, r.Answer, 1)
	require.NoError(t, s.Close())
	require.NoError(t, s.Close())
}

func TestDNSServfail(t *testing.T) {
	t.Parallel()
	s, err := StartDNS(DNSOptions{Fault: DNSFaultServfail})
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	r := exchange(t, s, "udp", HealthyDomain, dns.TypeTXT)
	require.Equal(t, dns.RcodeServerFailure, r.Rcode)
}
