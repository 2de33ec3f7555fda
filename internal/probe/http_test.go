package probe

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/demo"
)

func newClient(t *testing.T, opts Options) *Client {
	t.Helper()
	if opts.RootCAs == nil {
		opts.RootCAs = x509.NewCertPool() // tests never trust the machine's roots
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	c, err := NewClient(opts)
	require.NoError(t, err)
	return c
}

func tlsServer(t *testing.T, ca *demo.CA, leaf demo.LeafOptions, h http.Handler) *httptest.Server {
	t.Helper()
	cfg, err := ca.ServerTLS(leaf)
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.TLS = cfg
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

func newCA(t *testing.T) (*demo.CA, string) {
	t.Helper()
	ca, err := demo.NewCA()
	require.NoError(t, err)
	path, err := ca.WriteFile(t.TempDir(), "ca.pem")
	require.NoError(t, err)
	return ca, path
}

func TestDoPlainHTTP(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		require.Equal(t, "Bearer token-value", r.Header.Get("Authorization"))
		require.Equal(t, "pitstop", r.Header.Get("User-Agent"))
		w.Header().Set("X-Request-Id", "req_123")
		fmt.Fprint(w, `{"ok":true}`)
	}))
	t.Cleanup(srv.Close)
	c := newClient(t, Options{})
	resp, err := c.Do(context.Background(), Request{URL: srv.URL + "/v1/models?x=1", Header: http.Header{"Authorization": {"Bearer token-value"}}})
	require.NoError(t, err)
	require.Equal(t, 200, resp.StatusCode)
	require.Equal(t, "200 OK", resp.Status)
	require.Equal(t, `{"ok":true}`, string(resp.Body))
	require.False(t, resp.Truncated)
	require.Equal(t, "req_123", resp.Header.Get("x-request-id"))
	require.Equal(t, srv.URL+"/v1/models?x=•••", resp.URL, "no query value in the shown URL")
	require.Nil(t, resp.TLS)
	require.Empty(t, resp.Proxy)
	require.Equal(t, srv.Listener.Addr().String(), resp.RemoteAddr)
	require.Positive(t, resp.Timings.Total)
	require.False(t, resp.Timings.HasTLS)
	require.False(t, resp.Received.IsZero())
	require.NotContains(t, resp.Timings.Line(), "TLS")
}

func TestDoFreshConnectionEachTime(t *testing.T) {
	t.Parallel()
	conns := map[string]bool{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.Config.ConnState = func(c net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns[c.RemoteAddr().String()] = true
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	c := newClient(t, Options{})
	for range 3 {
		resp, err := c.Do(context.Background(), Request{URL: srv.URL})
		require.NoError(t, err)
		require.Positive(t, resp.Timings.Connect)
	}
	srv.Close()
	require.Len(t, conns, 3)
}

// trustModes are the two ways a client trusts a ca_file: added to a given
// pool (the tests' empty one), or to the system's roots, which a chain
// ca_file vouches for never needs (Trust.Verify, in VerifyConnection).
var trustModes = map[string]func(t *testing.T, caFile string) *Client{
	"pool": func(t *testing.T, caFile string) *Client { return newClient(t, Options{CAFile: caFile}) },
	"system roots plus ca_file": func(t *testing.T, caFile string) *Client {
		c, err := NewClient(Options{CAFile: caFile, Logger: slog.New(slog.DiscardHandler)})
		require.NoError(t, err)
		return c
	},
}

func TestDoTLS(t *testing.T) {
	t.Parallel()
	for mode, client := range trustModes {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			testDoTLS(t, client)
		})
	}
}

func testDoTLS(t *testing.T, client func(t *testing.T, caFile string) *Client) {
	ca, caFile := newCA(t)
	srv := tlsServer(t, ca, demo.LeafOptions{NotAfter: time.Now().Add(30 * 24 * time.Hour)}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	c := client(t, caFile)
	resp, err := c.Do(context.Background(), Request{URL: srv.URL})
	require.NoError(t, err)
	require.NotNil(t, resp.TLS)
	require.True(t, resp.TLS.Verified)
	require.True(t, resp.TLS.HostMatch)
	require.Equal(t, "Pitstop Sandbox CA (Pitstop Sandbox)", resp.TLS.Issuer)
	require.Contains(t, []int{29, 30}, resp.TLS.DaysLeft)
	require.False(t, resp.TLS.ExpiresSoon(14))
	require.True(t, resp.TLS.ExpiresSoon(31))
	require.True(t, resp.Timings.HasTLS)
	require.Positive(t, resp.Timings.TLS)
	require.Contains(t, resp.Timings.Line(), "TLS ")
	lines := strings.Join(resp.TLS.Lines(), "\n")
	require.Contains(t, lines, "issued by Pitstop Sandbox CA")
	require.Contains(t, lines, "matches the host")
	require.Contains(t, lines, "chain trusted")
}

func TestDoTLSProblems(t *testing.T) {
	t.Parallel()
	for mode, client := range trustModes {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			testDoTLSProblems(t, client)
		})
	}
}

func testDoTLSProblems(t *testing.T, client func(t *testing.T, caFile string) *Client) {
	ca, caFile := newCA(t)
	_, otherCAFile := newCA(t)
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	tests := []struct {
		name    string
		leaf    demo.LeafOptions
		caFile  string
		problem TLSProblem
		words   string
	}{
		{"unknown authority", demo.LeafOptions{}, "", TLSUnknownAuthority, "does not trust"},
		{"signed by another CA than ca_file", demo.LeafOptions{}, otherCAFile, TLSUnknownAuthority, "does not trust"},
		{"expired", demo.LeafOptions{NotBefore: time.Now().Add(-60 * 24 * time.Hour), NotAfter: time.Now().Add(-3 * 24 * time.Hour)}, caFile, TLSExpired, "expired on"},
		{"not yet valid", demo.LeafOptions{NotBefore: time.Now().Add(2 * time.Hour), NotAfter: time.Now().Add(48 * time.Hour)}, caFile, TLSNotYetValid, "date and time"},
		{"wrong host", demo.LeafOptions{Hosts: []string{"other.example"}}, caFile, TLSHostname, "other.example"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := tlsServer(t, ca, tt.leaf, ok)
			c := client(t, tt.caFile)
			_, err := c.Do(context.Background(), Request{URL: srv.URL})
			var pe *Error
			require.ErrorAs(t, err, &pe)
			require.Equal(t, KindTLS, pe.Kind, err.Error())
			require.NotNil(t, pe.TLS)
			require.Equal(t, tt.problem, pe.TLS.Problem)
			require.Contains(t, err.Error(), tt.words)
			require.False(t, pe.CouldNotTest())
			require.NotEmpty(t, pe.TLS.Issuer)
			require.NotContains(t, err.Error(), "https://", "plain words, no URL")
			if tt.problem == TLSExpired {
				require.Equal(t, -3, pe.TLS.DaysLeft)
			}
			if tt.problem == TLSHostname {
				require.False(t, pe.TLS.HostMatch)
			}
		})
	}
}

func TestDoNotTLSOnTheOtherEnd(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(srv.Close)
	c := newClient(t, Options{})
	_, err := c.Do(context.Background(), Request{URL: strings.Replace(srv.URL, "http://", "https://", 1)})
	var pe *Error
	require.ErrorAs(t, err, &pe)
	require.Equal(t, KindTLS, pe.Kind)
	require.Equal(t, TLSHandshake, pe.TLS.Problem)
	require.Contains(t, err.Error(), "does not speak TLS")
}

func TestSSLCertFileIsAddedToRoots(t *testing.T) {
	// Not parallel: it sets SSL_CERT_FILE.
	ca, caFile := newCA(t)
	srv := tlsServer(t, ca, demo.LeafOptions{}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Setenv("SSL_CERT_FILE", caFile)
	trust, err := LoadTrust("", "ca_file")
	require.NoError(t, err)
	require.Empty(t, trust.Findings)
	c := newClient(t, Options{RootCAs: trust.Roots()})
	resp, err := c.Do(context.Background(), Request{URL: srv.URL})
	require.NoError(t, err)
	require.True(t, resp.TLS.Verified)

	// An unusable SSL_CERT_FILE is a finding, and does not block a client
	// whose ca_file is readable.
	for _, bad := range []string{filepath.Join(t.TempDir(), "missing.pem"), "/dev/zero", t.TempDir()} {
		t.Setenv("SSL_CERT_FILE", bad)
		c, err := NewClient(Options{CAFile: caFile})
		require.NoError(t, err, bad)
		require.Len(t, c.TrustFindings(), 1, bad)
		require.Contains(t, c.TrustFindings()[0], "SSL_CERT_FILE "+bad)
		resp, err := c.Do(context.Background(), Request{URL: srv.URL})
		require.NoError(t, err, bad)
		require.True(t, resp.TLS.Verified, "ca_file is still trusted")
	}
}

// TestSSLCertDirIsReadSafely: SSL_CERT_DIR holding a FIFO nobody writes,
// /dev/zero and a link to it neither hangs nor eats the memory (Go's own
// loader would do both): each is a finding, and the certificate next to
// them is trusted. A folder that does not exist, or holds nothing, is a
// finding too.
func TestSSLCertDirIsReadSafely(t *testing.T) {
	// Not parallel: it sets SSL_CERT_DIR.
	if !readsCertDir {
		t.Skip("Go asks the system for its roots here, not SSL_CERT_DIR")
	}
	ca, caFile := newCA(t)
	srv := tlsServer(t, ca, demo.LeafOptions{}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	dir := t.TempDir()
	pem, err := os.ReadFile(caFile)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "corp.pem"), pem, 0o600))
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "fifo.pem"), 0o600))
	require.NoError(t, os.Symlink("/dev/zero", filepath.Join(dir, "zero.pem")))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub"), 0o700))
	t.Setenv("SSL_CERT_FILE", "")
	t.Setenv("SSL_CERT_DIR", dir)

	done := make(chan struct{})
	var trust *Trust
	go func() {
		defer close(done)
		trust, err = LoadTrust("", "ca_file")
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("LoadTrust hung on a FIFO in SSL_CERT_DIR")
	}
	require.NoError(t, err)
	findings := strings.Join(trust.Findings, "\n")
	require.Len(t, trust.Findings, 2, findings)
	require.Contains(t, findings, filepath.Join(dir, "fifo.pem")+" is a named pipe (FIFO), not a regular file; it was skipped")
	require.Contains(t, findings, filepath.Join(dir, "zero.pem")+" is a device, not a regular file; it was skipped")
	resp, err := newClient(t, Options{RootCAs: trust.Roots()}).Do(context.Background(), Request{URL: srv.URL})
	require.NoError(t, err)
	require.True(t, resp.TLS.Verified, "the certificate in SSL_CERT_DIR is trusted")

	for dir, want := range map[string]string{
		filepath.Join(t.TempDir(), "missing"): "does not exist",
		caFile:                                "is not a folder",
		t.TempDir():                           "holds no certificate",
	} {
		t.Setenv("SSL_CERT_DIR", dir)
		c, err := NewClient(Options{CAFile: caFile})
		require.NoError(t, err, "a bad SSL_CERT_DIR does not block a readable ca_file")
		require.Len(t, c.TrustFindings(), 1, dir)
		require.Contains(t, c.TrustFindings()[0], "SSL_CERT_DIR "+dir+" "+want)
	}
}

func TestCAFileProblems(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.pem")
	require.NoError(t, os.WriteFile(junk, []byte("not a certificate"), 0o600))
	_, err := NewClient(Options{CAFile: filepath.Join(dir, "missing.pem"), RootCAs: x509.NewCertPool()})
	require.ErrorContains(t, err, "cannot read ca_file")
	require.ErrorContains(t, err, "does not exist")
	_, err = NewClient(Options{CAFile: junk, RootCAs: x509.NewCertPool()})
	require.ErrorContains(t, err, "holds no PEM certificate")
	require.Error(t, CheckCAFile(junk))
	_, caFile := newCA(t)
	require.NoError(t, CheckCAFile(caFile))
}

func TestDoEndlessBodyStaysBounded(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := bytes.Repeat([]byte("x"), 32<<10)
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	c := newClient(t, Options{})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	resp, err := c.Do(context.Background(), Request{URL: srv.URL})
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	require.True(t, resp.Truncated)
	require.Len(t, resp.Body, MaxBody)
	// Allocated bytes, across the whole process (the server included):
	// far below what an unbounded read of the endless body would take.
	require.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(64<<20))
}

func TestDoHangReturnsAtTheDeadline(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	c := newClient(t, Options{})
	const timeout = 200 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	start := time.Now()
	_, err := c.Do(ctx, Request{URL: srv.URL})
	require.Less(t, time.Since(start), timeout+500*time.Millisecond)
	var pe *Error
	require.ErrorAs(t, err, &pe)
	require.Equal(t, KindTimeout, pe.Kind)
	require.Equal(t, phaseWaiting, pe.Phase)
	require.True(t, pe.CouldNotTest())
	require.Contains(t, err.Error(), "sent the request, but no answer came")
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestDoGarbage(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				buf := make([]byte, 1024)
				_, _ = conn.Read(buf)
				_, _ = conn.Write([]byte("\x00\x01\x02garbage \xff\xfe not http at all\r\n\r\n"))
			}()
		}
	}()
	c := newClient(t, Options{})
	_, err = c.Do(context.Background(), Request{URL: "http://" + ln.Addr().String() + "/"})
	var pe *Error
	require.ErrorAs(t, err, &pe)
	require.Equal(t, KindProtocol, pe.Kind, pe.Technical())
	require.Contains(t, err.Error(), "not HTTP")
	require.True(t, pe.CouldNotTest())
}

func TestDoRefused(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	c := newClient(t, Options{})
	_, err = c.Do(context.Background(), Request{URL: "http://" + addr + "/health"})
	var pe *Error
	require.ErrorAs(t, err, &pe)
	require.Equal(t, KindRefused, pe.Kind)
	require.Contains(t, err.Error(), addr+" refused the connection")
	require.False(t, pe.CouldNotTest())
}

func TestDoCancelled(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err := newClient(t, Options{}).Do(ctx, Request{URL: srv.URL})
	var pe *Error
	require.ErrorAs(t, err, &pe)
	require.Equal(t, KindCancelled, pe.Kind)
}

func TestDoBadURL(t *testing.T) {
	t.Parallel()
	c := newClient(t, Options{})
	for _, u := range []string{"ftp://x/y", "::::", "https://"} {
		_, err := c.Do(context.Background(), Request{URL: u})
		var pe *Error
		require.ErrorAs(t, err, &pe, u)
		require.Equal(t, KindBadURL, pe.Kind)
	}
}

func TestDoDoesNotFollowRedirects(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.RedirectHandler("https://elsewhere.example/", http.StatusFound))
	t.Cleanup(srv.Close)
	resp, err := newClient(t, Options{}).Do(context.Background(), Request{URL: srv.URL})
	require.NoError(t, err)
	require.Equal(t, http.StatusFound, resp.StatusCode)
	require.Equal(t, "https://elsewhere.example/", resp.Header.Get("Location"))
}

func TestDoThroughProxyRedactsUserInfo(t *testing.T) {
	t.Parallel()
	var sawAbsolute string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawAbsolute = r.URL.String()
		fmt.Fprint(w, "via proxy")
	}))
	t.Cleanup(proxy.Close)
	pu, err := url.Parse(proxy.URL)
	require.NoError(t, err)
	pu.User = url.UserPassword("corp-user", "proxy-password-123")
	c := newClient(t, Options{Proxy: func(*http.Request) (*url.URL, error) { return pu, nil }})
	resp, err := c.Do(context.Background(), Request{URL: "http://api.example.test/v1/models"})
	require.NoError(t, err)
	require.Equal(t, "via proxy", string(resp.Body))
	require.Equal(t, "http://api.example.test/v1/models", sawAbsolute)
	require.Equal(t, "http://•••@"+strings.TrimPrefix(proxy.URL, "http://"), resp.Proxy)
	require.NotContains(t, resp.Proxy, "proxy-password")
	require.NotContains(t, resp.Proxy, "corp-user")
}

// TestDoThroughHTTPSProxy: through an HTTPS proxy, the proxy's certificate
// is checked for the proxy's name and the API's for the API's, in both
// trust modes.
func TestDoThroughHTTPSProxy(t *testing.T) {
	t.Parallel()
	for mode, client := range trustModes {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			ca, caFile := newCA(t)
			api := tlsServer(t, ca, demo.LeafOptions{Hosts: []string{"127.0.0.1"}}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprint(w, "from the API")
			}))
			proxy := tlsServer(t, ca, demo.LeafOptions{Hosts: []string{"localhost"}}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodConnect {
					http.Error(w, "CONNECT only", http.StatusMethodNotAllowed)
					return
				}
				up, err := net.Dial("tcp", r.Host)
				if err != nil {
					http.Error(w, err.Error(), http.StatusBadGateway)
					return
				}
				down, _, err := http.NewResponseController(w).Hijack()
				if err != nil {
					_ = up.Close()
					return
				}
				if _, err := io.WriteString(down, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
					_ = up.Close()
					_ = down.Close()
					return
				}
				go func() { _, _ = io.Copy(up, down); _ = up.Close() }()
				_, _ = io.Copy(down, up)
				_ = down.Close()
			}))
			pu, err := url.Parse(strings.Replace(proxy.URL, "127.0.0.1", "localhost", 1))
			require.NoError(t, err)
			c := client(t, caFile)
			c.opts.Proxy = func(*http.Request) (*url.URL, error) { return pu, nil }
			resp, err := c.Do(context.Background(), Request{URL: api.URL})
			require.NoError(t, err)
			require.Equal(t, "from the API", string(resp.Body))
			require.True(t, resp.TLS.Verified)
			require.NotEmpty(t, resp.Proxy)
		})
	}
}

func TestDoProxyFailure(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	dead := "http://" + ln.Addr().String()
	ln.Close()
	pu, _ := url.Parse(dead)
	c := newClient(t, Options{Proxy: func(*http.Request) (*url.URL, error) { return pu, nil }})
	_, err = c.Do(context.Background(), Request{URL: "https://api.example.test/v1/models"})
	var pe *Error
	require.ErrorAs(t, err, &pe)
	require.Equal(t, KindProxy, pe.Kind, pe.Technical())
	require.Equal(t, dead, pe.Proxy)
}

func TestDoLogsEveryCallWithoutHeadersOrQuery(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(401) }))
	t.Cleanup(srv.Close)
	var buf bytes.Buffer
	c := newClient(t, Options{Logger: slog.New(slog.NewJSONHandler(&buf, nil))})
	_, err := c.Do(context.Background(), Request{URL: srv.URL + "/v2/verify?token=query-secret-value",
		Header: http.Header{"Authorization": {"Bearer header-secret-value"}}})
	require.NoError(t, err)
	_, err = c.Do(context.Background(), Request{URL: "http://127.0.0.1:1/x?token=query-secret-value"})
	require.Error(t, err)
	out := buf.String()
	require.Equal(t, 2, strings.Count(out, "\n"))
	require.Contains(t, out, `"level":"INFO"`)
	require.Contains(t, out, `"method":"GET"`)
	require.Contains(t, out, `"url":"`+srv.URL+`/v2/verify?token=•••"`)
	require.Contains(t, out, `"status":401`)
	require.Contains(t, out, `"latency_ms":`)
	require.Contains(t, out, `"error":"refused"`)
	require.NotContains(t, out, "secret-value")
	require.NotContains(t, out, "Authorization")
}

func TestClassifySyntheticErrors(t *testing.T) {
	t.Parallel()
	now := time.Now()
	wrap := func(err error) error {
		return &url.Error{Op: "Get", URL: "https://api.example.com/v1?key=zzz", Err: err}
	}
	tests := []struct {
		err   error
		phase Phase
		kind  Kind
		words string
	}{
		{wrap(&net.DNSError{Err: "no such host", Name: "api.example.com", IsNotFound: true}), phaseDNS, KindDNS, "could not be found in DNS"},
		{wrap(&net.DNSError{Err: "server misbehaving", Name: "api.example.com", IsTemporary: true}), phaseDNS, KindDNSFailure, "resolver"},
		{wrap(&net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}), phaseConnect, KindRefused, "refused"},
		{wrap(&net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.EHOSTUNREACH)}), phaseConnect, KindUnreachable, "no route"},
		{wrap(context.DeadlineExceeded), phaseConnect, KindTimeout, "firewall"},
		{wrap(context.DeadlineExceeded), phaseDNS, KindTimeout, "looking up"},
		{wrap(context.DeadlineExceeded), phaseTLS, KindTimeout, "handshake"},
		{wrap(context.DeadlineExceeded), phaseBody, KindTimeout, "did not finish"},
		{wrap(io.EOF), phaseWaiting, KindClosed, "without answering"},
		{io.ErrUnexpectedEOF, phaseBody, KindBody, "middle of its answer"},
		{wrap(&net.OpError{Op: "proxyconnect", Net: "tcp", Err: errors.New("refused")}), phaseConnect, KindProxy, "proxy"},
		{wrap(errors.New("something odd")), phaseWaiting, KindUnknown, "something odd"},
	}
	for _, tt := range tests {
		e := classify(tt.err, "api.example.com", "", "https", tt.phase, Timings{Total: time.Second}, now)
		require.Equal(t, tt.kind, e.Kind, tt.err.Error())
		require.Contains(t, e.Error(), tt.words)
		require.NotContains(t, e.Error(), "key=zzz")
		require.NotContains(t, e.Technical(), "key=zzz")
	}
	require.Equal(t, "refused", KindRefused.String())
	require.Equal(t, "kind(99)", Kind(99).String())
	require.Equal(t, "unknown-authority", TLSUnknownAuthority.String())
}

func TestTimingsRendering(t *testing.T) {
	t.Parallel()
	tm := Timings{DNS: time.Millisecond, Connect: 400 * time.Microsecond, TLS: 3 * time.Millisecond,
		Server: 12 * time.Millisecond, Transfer: 200 * time.Microsecond, Total: 16600 * time.Microsecond, HasTLS: true}
	require.Equal(t, "DNS 1.0 ms │ connect 0.40 ms │ TLS 3.0 ms │ server 12 ms │ transfer 0.20 ms", tm.Line())
	bar := tm.Bar(40)
	require.Equal(t, "[░░▒▓▓▓▓▓▓▓█████████████████████████████▄] 17 ms total", bar)
	require.Equal(t, 40, len([]rune(bar[:strings.Index(bar, "]")]))-1)
	require.Equal(t, []string{tm.Line(), bar}, tm.Lines())

	plain := Timings{Server: 5 * time.Millisecond, Total: 5 * time.Millisecond}
	require.Equal(t, "DNS 0 ms │ connect 0 ms │ server 5.0 ms │ transfer 0 ms", plain.Line())
	require.Equal(t, "["+strings.Repeat("█", 10)+"] 5.0 ms total", plain.Bar(3))
	require.Equal(t, "["+strings.Repeat(" ", 10)+"] 0 ms total", Timings{}.Bar(10))

}

func BenchmarkDoLoopback(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{"ok":true}`) }))
	defer srv.Close()
	c, err := NewClient(Options{RootCAs: x509.NewCertPool(), Logger: slog.New(slog.DiscardHandler)})
	require.NoError(b, err)
	for b.Loop() {
		if _, err := c.Do(context.Background(), Request{URL: srv.URL}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSSLCertDirScanFollowsChanges: the scan of SSL_CERT_DIR is kept for
// the clients that follow, until the folder changes: a FIFO added after the
// first client is a finding for the next one, and gone once it is removed.
func TestSSLCertDirScanFollowsChanges(t *testing.T) {
	// Not parallel: it sets SSL_CERT_DIR.
	if !readsCertDir {
		t.Skip("Go asks the system for its roots here, not SSL_CERT_DIR")
	}
	_, caFile := newCA(t)
	dir := t.TempDir()
	pem, err := os.ReadFile(caFile)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "corp.pem"), pem, 0o600))
	t.Setenv("SSL_CERT_FILE", "")
	t.Setenv("SSL_CERT_DIR", dir)
	findings := func() []string {
		trust, err := LoadTrust("", "ca_file")
		require.NoError(t, err)
		return trust.Findings
	}
	require.Empty(t, findings())
	require.Empty(t, findings(), "the same folder, the same answer")
	fifo := filepath.Join(dir, "fifo.pem")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	got := findings()
	require.Len(t, got, 1, "an entry added since is seen")
	require.Contains(t, got[0], fifo+" is a named pipe (FIFO)")
	got[0] = "changed by a caller"
	require.Contains(t, findings()[0], fifo, "a caller's change to its findings is its own")
	require.NoError(t, os.Remove(fifo))
	require.Empty(t, findings(), "an entry removed since is gone")
}
