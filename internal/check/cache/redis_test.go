package cache

import (
	"bufio"
	"context"
	"crypto/tls"
	"io"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/demo"
)

func TestParseRedisURL(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want redisOptions
		err  string
	}{
		{in: "redis://:pw@cache.internal:6380/2", want: redisOptions{network: "tcp", addr: "cache.internal:6380", host: "cache.internal", password: "pw", db: 2}},
		{in: "redis://cache.internal", want: redisOptions{network: "tcp", addr: "cache.internal:6379", host: "cache.internal"}},
		{in: "redis://", want: redisOptions{network: "tcp", addr: "localhost:6379", host: "localhost"}},
		{in: "redis://[::1]:7000/0", want: redisOptions{network: "tcp", addr: "[::1]:7000", host: "::1"}},
		{in: "rediss://app:pw@cache.example.com:6380?skip_verify=true", want: redisOptions{network: "tcp", addr: "cache.example.com:6380", host: "cache.example.com", user: "app", password: "pw", tls: true, skipVerify: true}},
		{in: "rediss://cache.example.com/1?db=3", want: redisOptions{network: "tcp", addr: "cache.example.com:6379", host: "cache.example.com", tls: true, db: 3}},
		{in: "unix://user:pw@/var/run/redis.sock?db=4", want: redisOptions{network: "unix", addr: "/var/run/redis.sock", user: "user", password: "pw", db: 4}},
		{in: "redis://h:1/0?dial_timeout=3&pool_size=5&protocol=2&client_name=app", want: redisOptions{network: "tcp", addr: "h:1", host: "h"}},
		{in: "redis://h/abc", err: `invalid database number: "abc"`},
		{in: "redis://h/1/2", err: "invalid URL path: /1/2"},
		{in: "redis://h/0?db=x", err: `invalid database number: "x"`},
		{in: "redis://h/0?skip_verify=true", err: "unexpected option: skip_verify"},
		{in: "rediss://h/0?skip_verify=maybe", err: "invalid skip_verify boolean"},
		{in: "redis://h/0?zeta=1&alpha=2", err: "unexpected option: alpha, zeta"},
		{in: "unix://", err: "empty unix socket path"},
		{in: "http://localhost:6379", err: "invalid URL scheme: http"},
	}
	for _, c := range cases {
		o, err := parseRedisURL(c.in)
		if c.err != "" {
			require.ErrorContains(t, err, c.err, c.in)
			continue
		}
		require.NoError(t, err, c.in)
		require.Equal(t, c.want, *o, c.in)
	}
}

// replyOf reads one reply from raw bytes, as the check reads a server's.
func replyOf(raw string) (any, error) {
	rc := &redisConn{r: bufio.NewReaderSize(&boundedConn{Conn: fakeConn{strings.NewReader(raw)}, left: maxReplyBytes}, 16<<10)}
	return rc.reply(0)
}

// fakeConn is a net.Conn that only reads.
type fakeConn struct{ io.Reader }

func (fakeConn) Write(b []byte) (int, error)      { return len(b), nil }
func (fakeConn) Close() error                     { return nil }
func (fakeConn) LocalAddr() net.Addr              { return nil }
func (fakeConn) RemoteAddr() net.Addr             { return nil }
func (fakeConn) SetDeadline(time.Time) error      { return nil }
func (fakeConn) SetReadDeadline(time.Time) error  { return nil }
func (fakeConn) SetWriteDeadline(time.Time) error { return nil }

func TestRedisReplies(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]any{
		"+PONG\r\n":                       "PONG",
		":42\r\n":                         int64(42),
		"$5\r\nhello\r\n":                 "hello",
		"$-1\r\n":                         nil,
		"_\r\n":                           nil,
		"=15\r\ntxt:used_memory\r\n":      "used_memory",
		"*2\r\n$1\r\na\r\n:1\r\n":         []any{"a", int64(1)},
		"%1\r\n+proto\r\n:3\r\n":          []any{"proto", int64(3)},
		"|1\r\n+ttl\r\n:5\r\n+OK\r\n":     "OK",
		"-WRONGPASS invalid password\r\n": redisError("WRONGPASS invalid password"),
		"!9\r\nERR oops!\r\n":             redisError("ERR oops!"),
		"*1\r\n*1\r\n*0\r\n":              []any{[]any{[]any(nil)}},
		"~2\r\n#t\r\n,1.5\r\n":            []any{"t", "1.5"},
		">1\r\n(12345678901234567890\r\n": []any{"12345678901234567890"},
	} {
		got, err := replyOf(raw)
		require.NoError(t, err, "%q", raw)
		require.Equal(t, want, got, "%q", raw)
	}
}

// TestRedisHostileReplies: what is not RESP is a protocol error, and a
// length is judged before anything is allocated for it.
func TestRedisHostileReplies(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]error{
		"$9000000000000\r\n":                         errTooMuch,
		"!2000000000\r\n":                            errTooMuch,
		strings.Repeat("*1\r\n", 100000) + ":1\r\n":  errProtocol{"replies nested too deep"},
		strings.Repeat("|0\r\n", 200000) + "+OK\r\n": errProtocol{"replies nested too deep"}, // attributes chained
		"\x00\x15garbage\r\n":                        errProtocol{},
		"+PONG\n":                                    errProtocol{},
		"$3\r\nabcde":                                errProtocol{},
		":x\r\n":                                     errProtocol{},
		"*-5\r\n":                                    errProtocol{},
		"+" + strings.Repeat("a", 20<<10) + "\r\n":   errProtocol{},
		"+PONG": io.ErrUnexpectedEOF,
	} {
		_, err := replyOf(raw)
		require.Error(t, err, "%.40q", raw)
		if pe, ok := want.(errProtocol); ok {
			require.ErrorAs(t, err, new(errProtocol), "%.40q", raw)
			if pe.what != "" {
				require.EqualError(t, err, pe.Error(), "%.40q", raw)
			}
			require.True(t, isProtocolErr(err, err.Error()))
			continue
		}
		require.ErrorIs(t, err, want, "%.40q", raw)
	}
	// A bad reply's bytes stay out of the error: cut short, an echoed
	// secret would escape the door's masking.
	for _, raw := range []string{":13junkbytes+pass1234\r\n", "*pass1234\r\n", "$pass1234\r\n", "?pass1234\r\n"} {
		_, err := replyOf(raw)
		require.ErrorAs(t, err, new(errProtocol), "%q", raw)
		require.NotContains(t, err.Error(), "pass", "%q", raw)
	}
	// An endless array of small replies stops at the byte bound.
	_, err := replyOf("*100000000\r\n" + strings.Repeat(":1\r\n", 300000))
	require.ErrorIs(t, err, errTooMuch)
}

// TestRedisACLUser: a user name in the URL goes with HELLO's AUTH (Redis 6
// ACLs) and with AUTH on a server before 6.
func TestRedisACLUser(t *testing.T) {
	t.Parallel()
	for _, resp2 := range []bool{false, true} {
		srv := startRedis(t, demo.RedisOptions{RESP2Only: resp2})
		hostPart := srv.Addr + "/0"
		r, _, _ := runRedis(t, "redis://default:"+canary+"@"+hostPart, 5*time.Second)
		require.Equal(t, check.Pass, r.Status, text(r))
		r, _, _ = runRedis(t, "redis://reporting:"+canary+"@"+hostPart, 5*time.Second)
		require.Equal(t, check.Fail, r.Status, text(r))
		require.Contains(t, r.Summary, "WRONGPASS")
		require.NotContains(t, text(r), canary)
	}
}

// relay accepts on ln and copies each connection to and from the sandbox
// Redis at addr, wrapping it in TLS when conf is set.
func relay(t *testing.T, ln net.Listener, addr string, conf *tls.Config) {
	t.Helper()
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			if conf != nil {
				c = tls.Server(c, conf)
			}
			up, err := net.Dial("tcp", addr)
			if err != nil {
				_ = c.Close()
				continue
			}
			go func() { _, _ = io.Copy(up, c); _ = up.Close() }()
			go func() { _, _ = io.Copy(c, up); _ = c.Close() }()
		}
	}()
}

func TestRedisUnixSocket(t *testing.T) {
	t.Parallel()
	srv := startRedis(t, demo.RedisOptions{})
	sock := filepath.Join(t.TempDir(), "redis.sock")
	ln, err := net.Listen("unix", sock)
	require.NoError(t, err)
	relay(t, ln, srv.Addr, nil)
	r, _, _ := runRedis(t, "unix://:"+canary+"@"+sock+"?db=1", 5*time.Second)
	require.Equal(t, check.Pass, r.Status, text(r))
	require.Contains(t, srv.Commands(), "SELECT")
	require.Empty(t, transportWarnings("unix://:"+canary+"@"+sock, canary), "a socket is not the network")
}

// TestRedisTLS: rediss:// verifies the server against the trusted roots
// (here SSL_CERT_FILE, so not parallel); an untrusted certificate fails.
func TestRedisTLS(t *testing.T) {
	ca, err := demo.NewCA()
	require.NoError(t, err)
	conf, err := ca.ServerTLS(demo.LeafOptions{})
	require.NoError(t, err)
	srv := startRedis(t, demo.RedisOptions{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	relay(t, ln, srv.Addr, conf)
	url := "rediss://:" + canary + "@" + ln.Addr().String() + "/0"

	t.Setenv("SSL_CERT_FILE", filepath.Join(t.TempDir(), "none.pem"))
	r, _, _ := runRedis(t, url, 5*time.Second)
	require.Equal(t, check.Fail, r.Status, text(r))
	require.Contains(t, r.Summary, "does not trust")

	caFile, err := ca.WriteFile(t.TempDir(), "ca.pem")
	require.NoError(t, err)
	t.Setenv("SSL_CERT_FILE", caFile)
	r, _, _ = runRedis(t, url, 5*time.Second)
	require.Equal(t, check.Pass, r.Status, text(r))
	require.Contains(t, srv.Commands(), "HELLO")

	r, _, _ = runRedis(t, url+"?skip_verify=true", 5*time.Second)
	require.Equal(t, check.Warn, r.Status, text(r))
	require.Contains(t, r.Summary, "skip_verify=true")
}

// TestRedisCancel: a cancelled check says so, whatever read it was in.
func TestRedisCancel(t *testing.T) {
	t.Parallel()
	srv := startRedis(t, demo.RedisOptions{Faults: []string{demo.RedisFaultHang}})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	r := checkRedis(ctx, srv.URL(), nil)
	require.Equal(t, check.Error, r.Status, text(r))
	require.Contains(t, r.Summary, "Cancelled")
}
