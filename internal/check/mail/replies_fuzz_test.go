package mail

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/base64"
	"net"
	"pitstop/internal/demo"
	"strings"
	"sync"
	"testing"
	"time"

	"pitstop/internal/check"
	"pitstop/internal/config"

	"github.com/stretchr/testify/require"
)

// fuzzPassword is the SMTP password of the fuzz runs: no result may show
// it, in clear or in any encoding a login sends.
const fuzzPassword = "fuzz-canary-PASSWORD-91c3e7"

// scriptServer is an SMTP "server" that plays a script of replies split at
// "|": the first reply on accept, the next one after each line the client
// sends; it hangs up when the script runs out or the client stays silent
// for a moment (it waits for a reply the script left unfinished). "{echo}" in a reply stands for the client's
// last line, as servers that quote the command back do.
type scriptServer struct {
	ln     net.Listener
	mu     sync.Mutex
	script []string
	// tls upgrades the connection after a 2xx reply to STARTTLS, so the
	// script goes on over TLS; caFile trusts its certificate.
	tls    *tls.Config
	caFile string
}

func startScriptServer(tb testing.TB) *scriptServer {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	ca, err := demo.NewCA()
	if err != nil {
		tb.Fatal(err)
	}
	conf, err := ca.ServerTLS(demo.LeafOptions{NotAfter: time.Now().Add(365 * 24 * time.Hour)})
	if err != nil {
		tb.Fatal(err)
	}
	caFile, err := ca.WriteFile(tb.TempDir(), "ca.pem")
	if err != nil {
		tb.Fatal(err)
	}
	s := &scriptServer{ln: ln, tls: conf, caFile: caFile}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	tb.Cleanup(func() { _ = ln.Close() })
	return s
}

func (s *scriptServer) set(script string) {
	s.mu.Lock()
	s.script = strings.Split(script, "|")
	s.mu.Unlock()
}

func (s *scriptServer) serve(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(3 * time.Second))
	s.mu.Lock()
	script := append([]string(nil), s.script...)
	s.mu.Unlock()
	var conn net.Conn = c
	r := bufio.NewReader(conn)
	last := ""
	for _, reply := range script {
		if _, err := conn.Write([]byte(strings.ReplaceAll(reply, "{echo}", last))); err != nil {
			return
		}
		if strings.EqualFold(last, "STARTTLS") && strings.HasPrefix(reply, "2") {
			tc := tls.Server(c, s.tls)
			if tc.Handshake() != nil {
				return
			}
			conn, r = tc, bufio.NewReader(tc)
		}
		_ = conn.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		last = strings.TrimRight(line, "\r\n")
	}
}

// FuzzSMTPReplies runs the four SMTP checks against a server whose every
// reply is fuzzed: go-smtp's reply parser, the transcript, the EHLO reader
// and the plain-words explanations all see arbitrary bytes. No check panics
// or hangs, each says what it found, and the password never shows.
func FuzzSMTPReplies(f *testing.F) {
	for _, seed := range []string{
		"220 mx ESMTP\r\n|250-mx\r\n250-AUTH PLAIN LOGIN\r\n250 SIZE 1000\r\n|235 2.7.0 ok\r\n|250 ok\r\n|250 ok\r\n|354 go\r\n",
		"220 mx\r\n|250-mx\r\n250 AUTH LOGIN\r\n|334 VXNlcm5hbWU6\r\n|334 UGFzc3dvcmQ6\r\n|535 5.7.8 bad {echo}\r\n",
		"220 mx\r\n|250-mx\r\n250 AUTH PLAIN\r\n|535 5.7.8 Username and Password not accepted. You sent {echo}\r\n",
		"220 mx\r\n|250-mx\r\n250 AUTH PLAIN\r\n|334 \r\n|501 5.5.2 cannot decode {echo}\r\n",
		"220 mx\r\n|250-mx\r\n250 AUTH=LOGIN PLAIN\r\n|534-5.7.9 Application-specific password required.\r\n534 5.7.9 https://support.google.com\r\n",
		"220 mx\r\n|250-mx\r\n250 AUTH PLAIN\r\n|235 ok\r\n|550 5.7.1 sender {echo} rejected\r\n",
		"220 mx\r\n|250-mx\r\n250 AUTH PLAIN\r\n|235 ok\r\n|250 ok\r\n|550 5.1.1 user unknown\r\n",
		"220 mx\r\n|250-mx\r\n250 AUTH PLAIN\r\n|235 ok\r\n|250 ok\r\n|250 ok\r\n|554 5.7.1 blocked using spamhaus\r\n",
		"421 4.7.0 too busy\r\n",
		"220-first\r\n220-second\r\n220 third\r\n|502 EHLO not implemented\r\n|250 hello\r\n",
		"HTTP/1.1 400 Bad Request\r\n\r\n",
		"220 mx\r\n|250-mx\r\n250-STARTTLS\r\n250 AUTH PLAIN\r\n",
		"220 mx\r\n|250-mx\r\n250 STARTTLS\r\n|220 go ahead\r\n|250-mx\r\n250 AUTH PLAIN LOGIN\r\n|535 5.7.8 bad {echo}\r\n",
		"220 mx\r\n|250-mx\r\n250 STARTTLS\r\n|220 go ahead\r\n|250-mx\r\n250 AUTH LOGIN\r\n|334 VXNlcm5hbWU6\r\n|334 UGFzc3dvcmQ6\r\n|535 you sent {echo}\r\n",
		"220 mx\r\n|250-mx\r\n250 STARTTLS\r\n|220 go ahead\r\n|250-mx\r\n250 AUTH PLAIN\r\n|235 ok\r\n|250 ok\r\n|250 ok\r\n|354 go\r\n|250 queued as {echo}\r\n",
		"220 mx\r\n|250-mx\r\n250 STARTTLS\r\n|454 4.7.0 TLS not available\r\n",
		"220 mx\r\n|250-mx\r\n250 STARTTLS\r\n|220 go ahead\r\n|\x1b]0;pwned\x07 garbage after TLS\r\n",
		"220 mx\r\n|250-mx\r\n250 AUTH XOAUTH2 OAUTHBEARER\r\n",
		"220 mx\r\n|250-mx\r\n250 AUTH PLAIN\r\n|999 weird\r\n",
		"220 mx\r\n|250-mx\r\n250 AUTH PLAIN\r\n|235\r\n|250\r\n|250\r\n|354\r\n|" + strings.Repeat("250 ok\r\n|", 40),
		"220 " + strings.Repeat("\x00\xff\x1b[31m", 500) + "\r\n",
		"2",
		"",
	} {
		f.Add(seed)
	}
	srv := startScriptServer(f)
	addr := srv.ln.Addr().(*net.TCPAddr)
	plain := base64.StdEncoding.EncodeToString([]byte("\x00mail@fuzz.test\x00" + fuzzPassword))
	forbidden := []string{fuzzPassword, base64.StdEncoding.EncodeToString([]byte(fuzzPassword)), plain, plain[:len(plain)-4]}
	f.Fuzz(func(t *testing.T, script string) {
		srv.set(script)
		// Each script is played twice: in clear (security none) and over
		// STARTTLS, where everything after the upgrade is read through TLS.
		for _, security := range []string{"none", "starttls"} {
			p := &config.Profile{SMTP: config.SMTPConfig{
				Host: "127.0.0.1", Port: addr.Port, Security: security, CAFile: srv.caFile,
				Username: "mail@fuzz.test", Password: config.NewPassword(fuzzPassword, "file"),
				From: "news@fuzz.test", TestRecipient: "inbox@fuzz.test",
			}}
			fuzzOnce(t, p, forbidden)
		}
	})
}

func fuzzOnce(t *testing.T, p *config.Profile, forbidden []string) {
	{
		sc := config.NewScrubber(p.Secrets()...)
		r := &check.Runner{Timeout: 2 * time.Second, Scrub: sc.Scrub}
		start := time.Now()
		results := r.Run(context.Background(), Checks(p))
		if took := time.Since(start); took > 2500*time.Millisecond {
			t.Fatalf("the checks took %s", took)
		}
		for _, res := range results {
			if strings.TrimSpace(res.Summary) == "" {
				t.Fatalf("%s: no summary", res.ID)
			}
			if strings.Contains(res.Summary, "internal error") {
				t.Fatalf("%s panicked: %s\n%s", res.ID, res.Summary, strings.Join(res.Details, "\n"))
			}
			for _, s := range append([]string{res.Summary}, res.Details...) {
				for _, bad := range forbidden {
					if strings.Contains(s, bad) {
						t.Fatalf("%s (%s) shows the password (%q) in %q", res.ID, p.SMTP.Security, bad, s)
					}
				}
				if strings.ContainsAny(s, "\x1b\x07\x00") {
					t.Fatalf("%s (%s) holds a control byte: %q", res.ID, p.SMTP.Security, s)
				}
			}
		}
	}
}

// FuzzTranscript feeds arbitrary bytes both ways through the transcript in
// arbitrary pieces: nothing panics, lines stay bounded, and the credentials
// on an AUTH command line never show.
func FuzzTranscript(f *testing.F) {
	f.Add([]byte("220 hi\r\n"), []byte("EHLO x\r\n"), []byte("250-x\r\n250 AUTH PLAIN\r\n"), uint8(3))
	f.Add([]byte("334 VXNlcm5hbWU6\r\n"), []byte("AUTH LOGIN\r\n"), []byte("334 UGFzc3dvcmQ6\r\n235 ok\r\n"), uint8(1))
	f.Add([]byte("354 go\r\n"), []byte("DATA\r\n"), []byte("250 queued\r\n"), uint8(7))
	f.Add([]byte(strings.Repeat("x", 10000)), []byte("\xff\x00"), []byte("220"), uint8(0))
	f.Fuzz(func(t *testing.T, greet, sent, reply []byte, cut uint8) {
		tr := newTranscript(time.Now)
		piece := int(cut%16) + 1
		feed := func(dir Direction, b []byte) {
			for len(b) > 0 {
				n := min(piece, len(b))
				tr.tap(dir, b[:n])
				b = b[n:]
			}
		}
		feed(Received, greet)
		feed(Sent, []byte("AUTH PLAIN "+plainBlob()+"\r\n"))
		feed(Received, reply)
		feed(Sent, sent)
		feed(Received, reply)
		_, _ = tr.Write(greet)
		lines := tr.since(0)
		echoed := strings.Contains(string(greet)+string(sent)+string(reply), plainBlob())
		for _, l := range lines {
			if len(l.Text) > 4*4096+400 {
				t.Fatalf("a %d-byte line", len(l.Text))
			}
			if !echoed && strings.Contains(l.Text, plainBlob()) {
				t.Fatalf("the transcript shows the AUTH initial response: %q", l.Text)
			}
		}
		ex := exchanges(lines)
		for _, e := range ex {
			_ = e.code()
			_ = e.done()
		}
		if h, ok := lastHello(ex); ok {
			_ = describeExtensions(nil, parseEHLO(h.reply))
		}
		_ = transcriptLines(lines)
		_ = tr.pending()
	})
}

func plainBlob() string {
	return base64.StdEncoding.EncodeToString([]byte("\x00u\x00" + fuzzPassword))
}

// TestScriptServerSpeaksSTARTTLS proves the fuzz runs reach TLS: a script
// that accepts STARTTLS gets an encrypted session whose login it refuses.
func TestScriptServerSpeaksSTARTTLS(t *testing.T) {
	t.Parallel()
	srv := startScriptServer(t)
	srv.set("220 mx\r\n|250-mx\r\n250 STARTTLS\r\n|220 go ahead\r\n|250-mx\r\n250 AUTH PLAIN LOGIN\r\n|535 5.7.8 bad {echo}\r\n")
	p := &config.Profile{SMTP: config.SMTPConfig{
		Host: "127.0.0.1", Port: srv.ln.Addr().(*net.TCPAddr).Port, Security: "starttls", CAFile: srv.caFile,
		Username: "mail@fuzz.test", Password: config.NewPassword(fuzzPassword, "file"),
	}}
	results := (&check.Runner{Timeout: 2 * time.Second}).Run(context.Background(), Checks(p))
	byID := map[string]check.Result{}
	for _, r := range results {
		byID[r.ID] = r
	}
	require.Equal(t, check.Pass, byID["smtp.tls"].Status, byID["smtp.tls"].Summary)
	require.Equal(t, check.Fail, byID["smtp.auth"].Status, byID["smtp.auth"].Summary)
	require.Contains(t, byID["smtp.auth"].Summary, "rejected")
}
