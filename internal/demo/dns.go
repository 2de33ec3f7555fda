package demo

import (
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/miekg/dns"

	"pitstop/internal/config"
)

// DNS faults a sandbox DNS server can inject.
const (
	// DNSFaultSilent drops every query: resolvers wait until they time out.
	DNSFaultSilent = "silent"
	// DNSFaultServfail answers SERVFAIL to every query.
	DNSFaultServfail = "servfail"
)

// DNSFaults lists the DNS fault names.
var DNSFaults = []string{DNSFaultSilent, DNSFaultServfail}

// DNSOptions shape a sandbox DNS server.
type DNSOptions struct {
	// Addr to listen on (UDP and TCP); default 127.0.0.1 on a free port.
	Addr string
	// Domain is the sender domain Configure points a profile at; default
	// HealthyDomain. Any of SenderDomains, or one of ExtraZones.
	Domain string
	// ExtraZones is more zone-file text served alongside the built-in zones
	// (records need absolute names).
	ExtraZones string
	// Fault is "" or one of DNSFaults.
	Fault string
}

// DNSServer is a loopback authoritative DNS server for the sandbox's sender
// domains and blocklists, over UDP and TCP on the same port.
type DNSServer struct {
	// Addr is the host:port the server answers on.
	Addr    string
	opts    DNSOptions
	mu      sync.RWMutex        // guards records and names (Publish changes them)
	records map[string][]dns.RR // lower-case FQDN → records
	names   []string            // every owner name, for empty non-terminals
	udp     *dns.Server
	tcp     *dns.Server
	queries atomic.Int64
	closeMu sync.Once
}

// StartDNS starts a sandbox DNS server. Close it when done.
func StartDNS(opts DNSOptions) (*DNSServer, error) {
	if opts.Fault != "" && !slices.Contains(DNSFaults, opts.Fault) {
		return nil, fmt.Errorf("unknown DNS fault %q; expected one of: %s", opts.Fault, strings.Join(DNSFaults, ", "))
	}
	if opts.Domain == "" {
		opts.Domain = HealthyDomain
	}
	records, err := parseZones(sandboxZones + "\n" + opts.ExtraZones)
	if err != nil {
		return nil, err
	}
	s := &DNSServer{opts: opts, records: records}
	for name := range records {
		s.names = append(s.names, name)
	}
	pc, ln, err := listenBoth(opts.Addr)
	if err != nil {
		return nil, err
	}
	s.Addr = pc.LocalAddr().String()
	handler := dns.HandlerFunc(s.serve)
	s.udp = &dns.Server{PacketConn: pc, Handler: handler}
	s.tcp = &dns.Server{Listener: ln, Handler: handler}
	started := make(chan struct{}, 2)
	s.udp.NotifyStartedFunc = func() { started <- struct{}{} }
	s.tcp.NotifyStartedFunc = func() { started <- struct{}{} }
	go func() { _ = s.udp.ActivateAndServe() }()
	go func() { _ = s.tcp.ActivateAndServe() }()
	<-started
	<-started
	return s, nil
}

// listenBoth opens UDP and TCP on the same port. With port 0 the kernel picks
// a UDP port that may be taken for TCP, so it tries a few times.
func listenBoth(addr string) (net.PacketConn, net.Listener, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	var lastErr error
	for range 20 {
		pc, err := net.ListenPacket("udp", addr)
		if err != nil {
			return nil, nil, fmt.Errorf("dns sandbox: %w", err)
		}
		ln, err := net.Listen("tcp", pc.LocalAddr().String())
		if err == nil {
			return pc, ln, nil
		}
		_ = pc.Close()
		lastErr = err
		if !strings.HasSuffix(addr, ":0") {
			break
		}
	}
	return nil, nil, fmt.Errorf("dns sandbox: %w", lastErr)
}

func parseZones(text string) (map[string][]dns.RR, error) {
	text = strings.NewReplacer(
		"${DKIM2048}", dkimRSA2048,
		"${DKIM1024}", dkimRSA1024,
		"${DKIM512}", dkimRSA512,
		"${DKIMED25519}", dkimEd25519,
	).Replace(text)
	zp := dns.NewZoneParser(strings.NewReader(text), ".", "sandbox")
	zp.SetDefaultTTL(300)
	records := map[string][]dns.RR{}
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		name := strings.ToLower(rr.Header().Name)
		records[name] = append(records[name], rr)
	}
	if err := zp.Err(); err != nil {
		return nil, fmt.Errorf("dns sandbox zones: %w", err)
	}
	return records, nil
}

// Queries returns how many queries the server has received.
func (s *DNSServer) Queries() int64 { return s.queries.Load() }

// Domain returns the sender domain Configure points profiles at.
func (s *DNSServer) Domain() string { return s.opts.Domain }

// Configure points a profile's domain section at this server: the sender
// domain, the DKIM selector, the server itself and the sandbox blocklist.
func (s *DNSServer) Configure(p *config.Profile) {
	p.Domain.Name = s.opts.Domain
	p.Domain.DNSServer = s.Addr
	p.Domain.DKIMSelectors = []string{DKIMSelector}
	p.Domain.DNSBL = []string{BlocklistZone}
}

// Publish replaces the records of one type at name with a record holding
// value (a TXT value is split into 255-byte strings), as a person would at
// their DNS provider: the hook tests use to publish what Pitstop proposes.
// The name must fall in one of the server's zones.
func (s *DNSServer) Publish(name, rrtype, value string) error {
	t, ok := dns.StringToType[strings.ToUpper(rrtype)]
	if !ok {
		return fmt.Errorf("dns sandbox: unknown record type %q", rrtype)
	}
	fqdn := dns.Fqdn(strings.ToLower(name))
	var rr dns.RR
	hdr := dns.RR_Header{Name: fqdn, Rrtype: t, Class: dns.ClassINET, Ttl: 300}
	if t == dns.TypeTXT {
		var parts []string
		for len(value) > 255 {
			parts, value = append(parts, value[:255]), value[255:]
		}
		rr = &dns.TXT{Hdr: hdr, Txt: append(parts, value)}
	} else {
		parsed, err := dns.NewRR(fqdn + " 300 IN " + strings.ToUpper(rrtype) + " " + value)
		if err != nil {
			return fmt.Errorf("dns sandbox: %w", err)
		}
		rr = parsed
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.zoneOf(fqdn) == "" {
		return fmt.Errorf("dns sandbox: %s is in none of the sandbox's zones", name)
	}
	kept := s.records[fqdn][:0:0]
	for _, old := range s.records[fqdn] {
		if old.Header().Rrtype != t {
			kept = append(kept, old)
		}
	}
	if _, existed := s.records[fqdn]; !existed {
		s.names = append(s.names, fqdn)
	}
	s.records[fqdn] = append(kept, rr)
	return nil
}

// Close stops the server.
func (s *DNSServer) Close() error {
	var err error
	s.closeMu.Do(func() {
		err = errors.Join(s.udp.Shutdown(), s.tcp.Shutdown())
	})
	return err
}

func (s *DNSServer) serve(w dns.ResponseWriter, req *dns.Msg) {
	s.queries.Add(1)
	switch s.opts.Fault {
	case DNSFaultSilent:
		return // the client waits for an answer that never comes
	case DNSFaultServfail:
		m := new(dns.Msg)
		m.SetRcode(req, dns.RcodeServerFailure)
		_ = w.WriteMsg(m)
		return
	}
	m := s.answer(req)
	if _, udp := w.RemoteAddr().(*net.UDPAddr); udp {
		size := dns.MinMsgSize
		if opt := req.IsEdns0(); opt != nil {
			size = int(opt.UDPSize())
		}
		m.Truncate(size)
	}
	_ = w.WriteMsg(m)
}

func (s *DNSServer) answer(req *dns.Msg) *dns.Msg {
	s.mu.RLock()
	defer s.mu.RUnlock()
	m := new(dns.Msg)
	m.SetReply(req)
	m.Authoritative = true
	if opt := req.IsEdns0(); opt != nil {
		m.SetEdns0(opt.UDPSize(), false)
	}
	if len(req.Question) != 1 {
		m.Rcode = dns.RcodeFormatError
		return m
	}
	q := req.Question[0]
	name := strings.ToLower(q.Name)
	zone := s.zoneOf(name)
	if zone == "" {
		m.Rcode = dns.RcodeRefused
		return m
	}
	rrs, exists := s.lookup(name)
	if !exists {
		m.Rcode = dns.RcodeNameError
		m.Ns = s.soa(zone)
		return m
	}
	for _, rr := range rrs {
		t := rr.Header().Rrtype
		if t == q.Qtype || q.Qtype == dns.TypeANY || (t == dns.TypeCNAME && q.Qtype != dns.TypeCNAME) {
			c := dns.Copy(rr)
			c.Header().Name = q.Name // keep the asker's case, and the wildcard's name
			m.Answer = append(m.Answer, c)
		}
	}
	if len(m.Answer) == 0 {
		m.Ns = s.soa(zone)
	}
	return m
}

// lookup returns the records at name (through a wildcard when none) and
// whether the name exists at all (an empty non-terminal exists).
func (s *DNSServer) lookup(name string) ([]dns.RR, bool) {
	if rrs, ok := s.records[name]; ok {
		return rrs, true
	}
	for _, n := range s.names {
		if strings.HasSuffix(n, "."+name) {
			return nil, true
		}
	}
	labels := dns.SplitDomainName(name)
	for i := 1; i < len(labels); i++ {
		wild := "*." + strings.Join(labels[i:], ".") + "."
		if rrs, ok := s.records[wild]; ok {
			return rrs, true
		}
	}
	return nil, false
}

// zoneOf returns the apex (SOA owner) the name falls under, or "".
func (s *DNSServer) zoneOf(name string) string {
	best := ""
	for n, rrs := range s.records {
		if n != name && !strings.HasSuffix(name, "."+n) {
			continue
		}
		for _, rr := range rrs {
			if rr.Header().Rrtype == dns.TypeSOA && len(n) > len(best) {
				best = n
			}
		}
	}
	return best
}

func (s *DNSServer) soa(zone string) []dns.RR {
	for _, rr := range s.records[zone] {
		if rr.Header().Rrtype == dns.TypeSOA {
			return []dns.RR{dns.Copy(rr)}
		}
	}
	return nil
}
