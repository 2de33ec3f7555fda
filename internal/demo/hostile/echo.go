package hostile

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// EchoServer is a hostile server that echoes back the credential it was sent,
// padded so the credential sits wherever a client cuts long text, and in
// every quoting a careless server uses: as is, Go-quoted, JSON-escaped,
// base64 and \u-escaped. It speaks HTTP (the AI APIs and the three CRMs),
// SMTP (AUTH PLAIN and LOGIN, plain text: use security none on loopback)
// and RESP (HELLO ... AUTH and AUTH). Tests use it to prove that no cut and
// no quoting shows a secret.
type EchoServer struct {
	Dialect Dialect
	// Pad is how many filler characters come before the echoed credential.
	Pad int

	ln   net.Listener
	http *http.Server
	wg   sync.WaitGroup
}

// StartEcho starts an echoing server for the dialect (HTTP, SMTP or RESP)
// on a loopback port.
func StartEcho(d Dialect, pad int) (*EchoServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &EchoServer{Dialect: d, Pad: pad, ln: ln}
	switch d {
	case DialectHTTP:
		s.http = &http.Server{Handler: http.HandlerFunc(s.serveHTTP)}
		s.wg.Go(func() { _ = s.http.Serve(ln) })
	case DialectSMTP, DialectRESP:
		s.wg.Go(s.accept)
	default:
		_ = ln.Close()
		return nil, fmt.Errorf("no echo server speaks %s", d)
	}
	return s, nil
}

// Addr is the server's host:port.
func (s *EchoServer) Addr() string { return s.ln.Addr().String() }

// URL is the server's base URL (HTTP only).
func (s *EchoServer) URL() string { return "http://" + s.Addr() }

// Close stops the server and waits for its connections.
func (s *EchoServer) Close() error {
	var err error
	if s.http != nil {
		err = s.http.Close()
	} else {
		err = s.ln.Close()
	}
	s.wg.Wait()
	return err
}

// EchoTitle is the window title a hostile echo tries to set (an OSC
// sequence at the start of every echo): text that never shows when the
// sequence is stripped whole.
const EchoTitle = "pitstop-retitled-by-server"

// echoControls end every echo: clear the screen, ring the bell, a NUL and a
// colour left on.
const echoControls = "\x1b[2J\x1b[H\a\x00\x1b[31m"

// Echo is the text a hostile server sends back for secret: a terminal
// title, padding, then the secret in every quoting, so each lands at some
// cut for some padding, all of it but its last character (a server that
// cuts its own reply), and control bytes last. After the title is stripped
// the secret sits pad characters in.
func Echo(secret string, pad int) string {
	var u strings.Builder
	for _, r := range secret {
		fmt.Fprintf(&u, `\u%04x`, r)
	}
	return "\x1b]0;" + EchoTitle + "\a" + strings.Repeat("x", pad) + secret + " quoted " + strconv.Quote(secret) +
		" b64 " + base64.StdEncoding.EncodeToString([]byte(secret)) + " esc " + u.String() +
		" plain " + base64.StdEncoding.EncodeToString([]byte("\x00user\x00"+secret)) + " is not valid, cut " + string([]rune(secret)[:max(0, utf8.RuneCountInString(secret)-1)]) + echoControls
}

func (s *EchoServer) serveHTTP(w http.ResponseWriter, r *http.Request) {
	secret := r.Header.Get("x-api-key") + r.Header.Get("x-api-token")
	if a := r.Header.Get("Authorization"); a != "" {
		secret = strings.TrimPrefix(a, "Bearer ")
	}
	if secret == "" {
		secret = "(nothing sent)"
	}
	echo := Echo(secret, s.Pad)
	pad := strings.Repeat("r", s.Pad%100)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Request-Id", pad+secret)
	w.Header().Set("X-Hubspot-Correlation-Id", pad+secret)
	w.Header().Set("X-Ratelimit-Limit", pad+secret)
	w.Header().Set("Retry-After", pad+secret)
	w.Header().Set("Date", pad+secret)
	var body any = map[string]any{
		"error":     map[string]any{"message": echo, "code": "invalid_api_key", "type": "invalid_request_error"},
		"message":   echo,
		"category":  "INVALID_AUTHENTICATION",
		"success":   false,
		"errorCode": 401,
	}
	if strings.HasPrefix(r.URL.Path, "/services/") {
		body = []map[string]any{{"message": echo, "errorCode": "INVALID_SESSION_ID"}}
	}
	w.WriteHeader(http.StatusUnauthorized)
	_ = json.NewEncoder(w).Encode(body)
}

func (s *EchoServer) accept() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.wg.Go(func() {
			defer c.Close()
			if s.Dialect == DialectSMTP {
				s.serveSMTP(c)
			} else {
				s.serveRESP(c)
			}
		})
	}
}

func (s *EchoServer) serveSMTP(c net.Conn) {
	r := bufio.NewReader(io.LimitReader(c, 1<<20))
	say := func(line string) { _, _ = io.WriteString(c, line+"\r\n") }
	read := func() (string, bool) {
		l, err := r.ReadString('\n')
		return strings.TrimRight(l, "\r\n"), err == nil
	}
	decode := func(b string) string {
		d, _ := base64.StdEncoding.DecodeString(strings.TrimSpace(b))
		return string(d)
	}
	say("220 echo.test ESMTP")
	for {
		line, ok := read()
		if !ok {
			return
		}
		f := strings.Fields(line)
		cmd := ""
		if len(f) > 0 {
			cmd = strings.ToUpper(f[0])
		}
		switch {
		case cmd == "EHLO" || cmd == "HELO":
			say("250-echo.test")
			say("250 AUTH PLAIN LOGIN")
		case cmd == "AUTH" && len(f) >= 2 && strings.EqualFold(f[1], "PLAIN"):
			blob := ""
			if len(f) >= 3 {
				blob = f[2]
			} else {
				say("334 ")
				blob, _ = read()
			}
			parts := strings.Split(decode(blob), "\x00")
			say("535 5.7.8 Authentication failed: " + Echo(parts[len(parts)-1], s.Pad))
		case cmd == "AUTH" && len(f) >= 2 && strings.EqualFold(f[1], "LOGIN"):
			if len(f) < 3 {
				say("334 VXNlcm5hbWU6")
				_, _ = read()
			}
			say("334 UGFzc3dvcmQ6")
			pw, _ := read()
			say("535 5.7.8 Authentication failed: " + Echo(decode(pw), s.Pad))
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("502 5.5.2 not here")
		}
	}
}

func (s *EchoServer) serveRESP(c net.Conn) {
	r := bufio.NewReader(io.LimitReader(c, 1<<20))
	for {
		args, err := readRESP(r)
		if err != nil {
			return
		}
		if len(args) == 0 {
			continue
		}
		secret := ""
		for i, a := range args {
			if strings.EqualFold(a, "AUTH") && i+1 < len(args) {
				secret = args[len(args)-1]
				if strings.EqualFold(args[0], "HELLO") && i+2 < len(args) {
					secret = args[i+2]
				}
			}
		}
		if secret == "" {
			_, _ = io.WriteString(c, "-NOAUTH Authentication required.\r\n")
			continue
		}
		_, _ = io.WriteString(c, "-WRONGPASS invalid username-password pair: "+Echo(secret, s.Pad)+"\r\n")
	}
}

// readRESP reads one command: an array of bulk strings.
func readRESP(r *bufio.Reader) ([]string, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	line = strings.TrimRight(line, "\r\n")
	if !strings.HasPrefix(line, "*") {
		return strings.Fields(line), nil
	}
	n, err := strconv.Atoi(line[1:])
	if err != nil || n < 0 || n > 64 {
		return nil, fmt.Errorf("bad array %q", line)
	}
	args := make([]string, 0, n)
	for range n {
		h, err := r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		size, err := strconv.Atoi(strings.TrimRight(strings.TrimPrefix(h, "$"), "\r\n"))
		if err != nil || size < 0 || size > 1<<16 {
			return nil, fmt.Errorf("bad bulk %q", h)
		}
		b := make([]byte, size+2)
		if _, err := io.ReadFull(r, b); err != nil {
			return nil, err
		}
		args = append(args, string(b[:size]))
	}
	return args, nil
}
