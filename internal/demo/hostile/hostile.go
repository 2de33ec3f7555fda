// Package hostile holds servers that misbehave on purpose, for tests only:
// they prove every network check gives up in time, explains itself and
// keeps its memory bounded. No shipped package imports it.
package hostile

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"encoding/binary"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"strconv"
	"strings"
	"sync/atomic"

	"pitstop/internal/demo"
	"pitstop/internal/demo/connserver"
)

// Hostility is how a hostile server misbehaves. The servers exist for tests
// that prove every network check gives up in time, explains itself and
// keeps its memory bounded whatever the other side does.
type Hostility int

// The hostile behaviours.
const (
	// HangAfterAccept accepts the connection and never says anything.
	HangAfterAccept Hostility = iota
	// HangMidResponse starts a valid answer and stops halfway.
	HangMidResponse
	// Garbage answers with random bytes, then hangs up.
	Garbage
	// EndlessBody starts a valid answer whose body (or reply, or line)
	// never ends, sent as fast as the client reads.
	EndlessBody
	// CloseImmediately accepts and closes at once.
	CloseImmediately
	// HugeHeader answers with a header (or greeting, or line) of several
	// megabytes.
	HugeHeader
	// WrongHostCert speaks TLS with a certificate for another host, signed
	// by the server's CA (so the name, not the issuer, is what is wrong).
	WrongHostCert
)

// Hostilities lists every hostile behaviour.
var Hostilities = []Hostility{HangAfterAccept, HangMidResponse, Garbage, EndlessBody, CloseImmediately, HugeHeader, WrongHostCert}

var hostilityNames = [...]string{"hang-after-accept", "hang-mid-response", "garbage", "endless-body", "close-immediately", "huge-header", "wrong-host-cert"}

// String names the behaviour ("hang-after-accept").
func (h Hostility) String() string {
	if int(h) < len(hostilityNames) && h >= 0 {
		return hostilityNames[h]
	}
	return "hostility(" + strconv.Itoa(int(h)) + ")"
}

// Dialect is the protocol whose opening moves a hostile server imitates.
type Dialect int

// The dialects.
const (
	DialectHTTP Dialect = iota // an HTTP/1.1 API
	DialectSMTP                // an SMTP submission server (STARTTLS for WrongHostCert)
	DialectRESP                // a Redis server
	DialectDNS                 // a DNS server, UDP and TCP on one port
)

var dialectNames = [...]string{"http", "smtp", "resp", "dns"}

// String names the dialect.
func (d Dialect) String() string {
	if int(d) < len(dialectNames) && d >= 0 {
		return dialectNames[d]
	}
	return "dialect(" + strconv.Itoa(int(d)) + ")"
}

// Applies reports whether the behaviour means something for the dialect:
// DNS has no headers and no certificates.
func (d Dialect) Applies(h Hostility) bool {
	return d != DialectDNS || (h != HugeHeader && h != WrongHostCert)
}

// HugeHeaderSize is how large a HugeHeader answer is.
const HugeHeaderSize = 4 << 20

// HostileServer is one hostile server on loopback.
type HostileServer struct {
	Hostility Hostility
	Dialect   Dialect
	// Addr is host:port. For DNS, UDP and TCP share it; CloseImmediately
	// leaves no UDP socket there at all, so queries are refused.
	Addr string
	// Host and Port are Addr's parts.
	Host string
	Port int
	// URL is the base URL of an HTTP server (https:// for WrongHostCert).
	URL string
	// CA signed the WrongHostCert certificate; trust it (ca_file) to see the
	// name mismatch rather than an unknown issuer.
	CA *demo.CA

	conns   *connserver.Server
	pc      net.PacketConn
	tlsConf *tls.Config
	sent    atomic.Int64
}

// StartHostile starts a hostile server of the dialect on 127.0.0.1.
func StartHostile(d Dialect, h Hostility) (*HostileServer, error) {
	if !d.Applies(h) {
		return nil, fmt.Errorf("hostile %s server: %s does not apply", d, h)
	}
	s := &HostileServer{Hostility: h, Dialect: d}
	if h == WrongHostCert {
		ca, err := demo.NewCA()
		if err != nil {
			return nil, err
		}
		s.CA = ca
		if s.tlsConf, err = ca.ServerTLS(demo.LeafOptions{Hosts: []string{"wrong-host.pitstop.test"}}); err != nil {
			return nil, err
		}
	}
	var ln net.Listener
	var err error
	// DNS takes the same port for UDP: when it is taken, try another.
	for range 20 {
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			return nil, fmt.Errorf("hostile %s server: %w", d, err)
		}
		if d != DialectDNS || h == CloseImmediately {
			break
		}
		if s.pc, err = net.ListenPacket("udp", ln.Addr().String()); err == nil {
			break
		}
		_ = ln.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("hostile %s server: %w", d, err)
	}
	s.conns = connserver.New(ln)
	s.Addr = ln.Addr().String()
	s.Host, s.Port = "127.0.0.1", ln.Addr().(*net.TCPAddr).Port
	if s.pc != nil {
		s.conns.Go(s.serveUDP)
	}
	if d == DialectHTTP {
		s.URL = "http://" + s.Addr
		if h == WrongHostCert {
			s.URL = "https://" + s.Addr
		}
	}
	s.conns.Serve(s.admit)
	return s, nil
}

// Sent counts the bytes written so far (an endless body's progress).
func (s *HostileServer) Sent() int64 { return s.sent.Load() }

// Close stops the server and ends every connection it holds.
func (s *HostileServer) Close() error {
	return s.conns.Shutdown(func() {
		if s.pc != nil {
			_ = s.pc.Close()
		}
	})
}

// admit either resets a new connection at once
// (close-immediately) or returns the dialect's server for it.
func (s *HostileServer) admit(c net.Conn) func() {
	if s.Hostility == CloseImmediately {
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // a reset, as a crashing service gives
		}
		_ = c.Close()
		return nil
	}
	return func() { s.speak(&countingConn{Conn: c, n: &s.sent}) }
}

// hang holds the connection open, reading and dropping whatever comes,
// until the client or the server closes it.
func (s *HostileServer) hang(c net.Conn) {
	go func() {
		<-s.conns.Done()
		_ = c.Close()
	}()
	_, _ = io.Copy(io.Discard, c)
}

// endless writes chunk again and again until the client stops reading.
func (s *HostileServer) endless(c net.Conn, chunk []byte) {
	go func() {
		<-s.conns.Done()
		_ = c.Close()
	}()
	go func() { _, _ = io.Copy(io.Discard, c) }()
	for {
		if _, err := c.Write(chunk); err != nil {
			return
		}
	}
}

// chunk is a shared run of one byte that hostile servers write from, so a
// server that sends megabytes allocates nothing per connection (the memory
// tests measure the client, in the same process).
var chunk = bytes.Repeat([]byte("a"), 64<<10)

// writeRun writes n bytes of chunk.
func writeRun(c net.Conn, n int) {
	for n > 0 {
		k := min(n, len(chunk))
		if _, err := c.Write(chunk[:k]); err != nil {
			return
		}
		n -= k
	}
}

// endlessGreeting is one write's worth of SMTP continuation lines.
var endlessGreeting = bytes.Repeat([]byte("220-pitstop hostile server says more and more and more\r\n"), 512)

// garbageBytes is a fixed run of random bytes without line ends.
var garbageBytes = garbage(64 << 10)

func garbage(n int) []byte {
	r := rand.New(rand.NewPCG(7, 11))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	// No line ends: a line-based client must not find a reply in it.
	return bytes.ReplaceAll(bytes.ReplaceAll(b, []byte{'\n'}, []byte{'~'}), []byte{'\r'}, []byte{'~'})
}

// speak serves one connection in the server's dialect.
func (s *HostileServer) speak(c net.Conn) {
	switch s.Dialect {
	case DialectHTTP:
		s.serveHTTP(c)
	case DialectSMTP:
		s.serveSMTP(c)
	case DialectRESP:
		s.serveRESP(c)
	case DialectDNS:
		s.serveDNSTCP(c)
	}
}

// readRequest reads an HTTP request's head (its body, if any, is left).
func readRequest(r *bufio.Reader) error {
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return err
		}
		if strings.TrimRight(line, "\r\n") == "" {
			return nil
		}
	}
}

func (s *HostileServer) serveHTTP(c net.Conn) {
	if s.Hostility == WrongHostCert {
		tc := tls.Server(c, s.tlsConf)
		if err := tc.Handshake(); err != nil {
			return // the client refused the certificate: the expected end
		}
		c = tc
	}
	if s.Hostility == HangAfterAccept {
		s.hang(c)
		return
	}
	r := bufio.NewReader(c)
	if err := readRequest(r); err != nil {
		return
	}
	switch s.Hostility {
	case HangMidResponse:
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n{\"object\":\"list\",\"data\":[")
		s.hang(c)
	case Garbage:
		_, _ = c.Write(garbageBytes[:16<<10])
	case EndlessBody:
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"data\":\"")
		s.endless(c, chunk)
	case HugeHeader:
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Huge: ")
		writeRun(c, HugeHeaderSize)
		_, _ = io.WriteString(c, "\r\nContent-Length: 2\r\n\r\n{}")
		s.hang(c)
	case WrongHostCert:
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
	}
}

func (s *HostileServer) serveSMTP(c net.Conn) {
	switch s.Hostility {
	case HangAfterAccept:
		s.hang(c)
		return
	case Garbage:
		_, _ = c.Write(garbageBytes[:16<<10])
		return
	case EndlessBody:
		// A greeting whose continuation lines never end.
		s.endless(c, endlessGreeting)
		return
	case HugeHeader:
		// One greeting line of several megabytes, then silence.
		_, _ = io.WriteString(c, "220 ")
		writeRun(c, HugeHeaderSize)
		_, _ = io.WriteString(c, "\r\n")
		s.hang(c)
		return
	}
	r := bufio.NewReader(c)
	_, _ = io.WriteString(c, "220 hostile.pitstop.test ESMTP\r\n")
	if _, err := r.ReadString('\n'); err != nil { // EHLO
		return
	}
	switch s.Hostility {
	case HangMidResponse:
		_, _ = io.WriteString(c, "250-hostile.pitstop.test\r\n250-SIZE 1000")
		s.hang(c)
	case WrongHostCert:
		_, _ = io.WriteString(c, "250-hostile.pitstop.test\r\n250-AUTH PLAIN LOGIN\r\n250 STARTTLS\r\n")
		line, err := r.ReadString('\n')
		if err != nil || !strings.EqualFold(strings.TrimSpace(line), "STARTTLS") {
			return
		}
		_, _ = io.WriteString(c, "220 2.0.0 Ready to start TLS\r\n")
		tc := tls.Server(c, s.tlsConf)
		if err := tc.Handshake(); err != nil {
			return
		}
		// A client that went on despite the name gets a working server.
		tr := bufio.NewReader(tc)
		for {
			line, err := tr.ReadString('\n')
			if err != nil {
				return
			}
			if strings.HasPrefix(strings.ToUpper(line), "QUIT") {
				_, _ = io.WriteString(tc, "221 bye\r\n")
				return
			}
			_, _ = io.WriteString(tc, "250 ok\r\n")
		}
	}
}

func (s *HostileServer) serveRESP(c net.Conn) {
	if s.Hostility == WrongHostCert {
		tc := tls.Server(c, s.tlsConf)
		if err := tc.Handshake(); err != nil {
			return
		}
		c = tc
	}
	if s.Hostility == HangAfterAccept {
		s.hang(c)
		return
	}
	r := bufio.NewReader(c)
	buf := make([]byte, 512)
	if _, err := r.Read(buf); err != nil { // the first command (HELLO, AUTH or PING)
		return
	}
	switch s.Hostility {
	case HangMidResponse:
		_, _ = io.WriteString(c, "%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$5\r\n7.2.")
		s.hang(c)
	case Garbage:
		_, _ = c.Write(garbageBytes[:16<<10])
	case EndlessBody:
		// A simple string that never reaches its CRLF.
		_, _ = io.WriteString(c, "+")
		s.endless(c, chunk)
	case HugeHeader:
		// A bulk string that claims to be huge, and sends it.
		_, _ = io.WriteString(c, "$"+strconv.Itoa(HugeHeaderSize)+"\r\n")
		writeRun(c, HugeHeaderSize)
		_, _ = io.WriteString(c, "\r\n")
		s.hang(c)
	case WrongHostCert:
		for {
			_, _ = io.WriteString(c, "+PONG\r\n")
			if _, err := r.Read(buf); err != nil {
				return
			}
		}
	}
}

// serveUDP answers DNS queries over UDP: never (hang), with random bytes
// (garbage), or with the truncated bit set, which sends the client to TCP
// (mid-response and endless).
func (s *HostileServer) serveUDP() {
	buf := make([]byte, 1500)
	for {
		n, from, err := s.pc.ReadFrom(buf)
		if err != nil {
			return
		}
		if n < 12 {
			continue
		}
		switch s.Hostility {
		case HangAfterAccept:
		case Garbage:
			reply := append(buf[:2:2], garbageBytes[2:512]...) // the query's ID, so the client reads the rest
			_, _ = s.pc.WriteTo(reply, from)
		default:
			reply := append([]byte(nil), buf[:n]...)
			reply[2] |= 0x80 | 0x02 // QR: a response; TC: truncated, ask again over TCP
			_, _ = s.pc.WriteTo(reply, from)
		}
	}
}

// serveDNSTCP misbehaves on DNS over TCP.
func (s *HostileServer) serveDNSTCP(c net.Conn) {
	var size [2]byte
	if _, err := io.ReadFull(c, size[:]); err != nil {
		return
	}
	q := make([]byte, binary.BigEndian.Uint16(size[:]))
	if _, err := io.ReadFull(c, q); err != nil || len(q) < 12 {
		return
	}
	switch s.Hostility {
	case HangAfterAccept:
		s.hang(c)
	case HangMidResponse:
		// Announce a full-size answer, send its header, stop.
		_, _ = c.Write([]byte{0xff, 0xff})
		_, _ = c.Write(append(q[:2:2], 0x81, 0x80, 0, 1, 0, 50, 0, 0, 0, 0))
		s.hang(c)
	case Garbage:
		_, _ = c.Write(garbageBytes[:4<<10])
	case EndlessBody:
		// Answer after answer of the largest size, none of them valid.
		msg := make([]byte, 2+0xffff)
		binary.BigEndian.PutUint16(msg, 0xffff)
		copy(msg[2:], garbageBytes)
		copy(msg[2:], q[:2])
		s.endless(c, msg)
	}
}

// countingConn counts the bytes a hostile server writes.
type countingConn struct {
	net.Conn
	n *atomic.Int64
}

func (c *countingConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	c.n.Add(int64(n))
	return n, err
}
