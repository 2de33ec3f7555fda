package domain

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"pitstop/internal/check"
	"pitstop/internal/probe"
)

// fuzzZone answers every TXT question under fuzz.test: the domain itself
// gets top, every other name (the include and redirect targets) gets
// included, so a fuzzed record's include tree is walked for real. A and
// AAAA point at loopback, MX at one host.
type fuzzZone struct {
	mu            sync.Mutex
	top, included string
}

func (z *fuzzZone) set(top, included string) {
	z.mu.Lock()
	z.top, z.included = top, included
	z.mu.Unlock()
}

func (z *fuzzZone) ServeDNS(w dns.ResponseWriter, req *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(req)
	m.Authoritative = true
	if len(req.Question) != 1 {
		m.Rcode = dns.RcodeFormatError
		_ = w.WriteMsg(m)
		return
	}
	q := req.Question[0]
	hdr := dns.RR_Header{Name: q.Name, Class: dns.ClassINET, Ttl: 60}
	z.mu.Lock()
	txt := z.included
	if strings.EqualFold(q.Name, "fuzz.test.") {
		txt = z.top
	}
	z.mu.Unlock()
	switch q.Qtype {
	case dns.TypeTXT:
		if txt == "" {
			m.Rcode = dns.RcodeNameError
			break
		}
		hdr.Rrtype = dns.TypeTXT
		m.Answer = append(m.Answer, &dns.TXT{Hdr: hdr, Txt: chunks(txt, 255)})
	case dns.TypeA:
		hdr.Rrtype = dns.TypeA
		m.Answer = append(m.Answer, &dns.A{Hdr: hdr, A: net.IPv4(127, 0, 0, 1)})
	case dns.TypeMX:
		hdr.Rrtype = dns.TypeMX
		m.Answer = append(m.Answer, &dns.MX{Hdr: hdr, Preference: 10, Mx: "mx.fuzz.test."})
	}
	_ = w.WriteMsg(m)
}

// chunks splits a TXT value into DNS character-strings.
func chunks(s string, n int) []string {
	var out []string
	for len(s) > n {
		out = append(out, s[:n])
		s = s[n:]
	}
	return append(out, s)
}

// startFuzzDNS serves z on loopback over UDP and TCP (for answers too long
// for a datagram).
func startFuzzDNS(tb testing.TB, z *fuzzZone) string {
	tb.Helper()
	var pc net.PacketConn
	var ln net.Listener
	var err error
	// The UDP port's TCP twin may be taken: try another pair.
	for range 20 {
		if pc, err = net.ListenPacket("udp", "127.0.0.1:0"); err != nil {
			tb.Fatal(err)
		}
		if ln, err = net.Listen("tcp", pc.LocalAddr().String()); err == nil {
			break
		}
		_ = pc.Close()
	}
	if err != nil {
		tb.Fatal(err)
	}
	udp := &dns.Server{PacketConn: pc, Handler: z}
	tcp := &dns.Server{Listener: ln, Handler: z}
	go func() { _ = udp.ActivateAndServe() }()
	go func() { _ = tcp.ActivateAndServe() }()
	tb.Cleanup(func() { _ = udp.Shutdown(); _ = tcp.Shutdown() })
	return pc.LocalAddr().String()
}

// FuzzSPF feeds arbitrary SPF records, with an include tree, to the SPF
// check and to the evaluator it hands the record to: it never panics,
// always explains itself, stays within its lookup budget, and keeps its
// evidence bounded.
func FuzzSPF(f *testing.F) {
	for _, seed := range [][2]string{
		{"v=spf1 ip4:127.0.0.1 -all", ""},
		{"v=spf1 include:a.fuzz.test ~all", "v=spf1 ip4:192.0.2.0/24 -all"},
		{"v=spf1 include:a.fuzz.test -all", "v=spf1 include:b.fuzz.test -all"},
		{"v=spf1 redirect=r.fuzz.test", "v=spf1 mx a ptr exists:%{i}.x.fuzz.test -all"},
		{"v=spf1 a mx a:%{d} mx:x.fuzz.test/24 ip6:::1/129 ip4:1.2.3.4/33 +all", ""},
		{"v=spf1 include: exists: ptr:x ?all exp=e.fuzz.test foo=bar 1bad=x =x", "v=spf1"},
		{"v=spf1 " + strings.Repeat("include:i.fuzz.test ", 30), "v=spf1 " + strings.Repeat("a ", 20)},
		{"v=spf1 -all", "v=spf1 -all"},
		{"v=spf1", "v=spf1 v=spf1"},
		{"V=SPF1 IP4:127.0.0.1 -ALL", ""},
		{"v=spf1 ip4:127.0.0.1\x00 -all", "\xff"},
		{"v=spf1 include:%{l}.fuzz.test redirect=%{d}", ""},
		{"v=spf1\tip4:127.0.0.1\t-all", ""},
		{"v=spf1 " + strings.Repeat("x", 600), strings.Repeat("v=spf1 ", 100)},
	} {
		f.Add(seed[0], seed[1])
	}
	z := &fuzzZone{}
	addr := startFuzzDNS(f, z)
	f.Fuzz(func(t *testing.T, top, included string) {
		z.set(top, included)
		c := &checker{name: "fuzz.test", smtpHost: "127.0.0.1", res: probe.NewResolver(addr)}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		r := c.spf(ctx)
		if strings.TrimSpace(r.Summary) == "" {
			t.Fatalf("no summary: %+v", r)
		}
		if r.Status < check.Pass || r.Status > check.Error || r.Status == check.Skip {
			t.Fatalf("status %v for a published record", r.Status)
		}
		if len(r.Details) > 4*spfWalkLimit+20 {
			t.Fatalf("%d lines of evidence", len(r.Details))
		}
		for _, d := range r.Details {
			if len(d) > 4096 {
				t.Fatalf("a %d-byte evidence line", len(d))
			}
		}
		if r.Status != check.Pass && len(r.Articles) == 0 && r.Status != check.Error {
			t.Fatalf("%s without an article: %s", r.Status, r.Summary)
		}
	})
}
