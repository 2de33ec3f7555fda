package cache

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"pitstop/internal/probe"
)

// The check needs five Redis commands (HELLO or AUTH, SELECT, PING, INFO),
// so it speaks RESP itself over one connection instead of linking a full
// client library: go-redis made up 8 MB of the binary (its clients' hundreds
// of exported methods are all kept by the linker, because text/template, which
// the binary links, looks methods up by name), and a general client allocates
// whatever length a reply announces before reading it. Here every length is
// bounded by maxReplyBytes before anything is allocated.

// redisOptions is what cache.redis_url says, read the way go-redis's ParseURL
// reads it, so a URL that works in an application works here.
type redisOptions struct {
	network    string // "tcp" or "unix"
	addr       string // host:port, or the socket's path
	host       string // the host name, for TLS (empty for unix)
	user       string
	password   string
	db         int
	tls        bool // rediss://
	skipVerify bool // rediss://…?skip_verify=true
}

// clientOnlyOptions are the query options go-redis accepts that tune a
// client's pool, retries and timeouts. They say nothing about the server,
// and the check sets its own timeouts, so they are accepted and not used.
var clientOnlyOptions = []string{
	"protocol", "client_name", "max_retries", "min_retry_backoff", "max_retry_backoff",
	"dial_timeout", "read_timeout", "write_timeout", "pool_fifo", "pool_size", "pool_timeout",
	"min_idle_conns", "max_idle_conns", "max_active_conns", "max_concurrent_dials",
	"pipeline_pool_size", "pipeline_read_buffer_size", "pipeline_write_buffer_size",
	"conn_max_idle_time", "idle_timeout", "conn_max_lifetime", "max_conn_age", "conn_max_lifetime_jitter",
}

// parseRedisURL reads redis://[user:password@]host[:port][/db][?db=N&skip_verify=…],
// rediss:// (TLS) and unix://[user:password@]/path[?db=N]. Errors start with
// "redis: " and never quote the URL (it holds the password).
func parseRedisURL(raw string) (*redisOptions, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	o := &redisOptions{}
	if u.User != nil {
		o.user = u.User.Username()
		o.password, _ = u.User.Password()
	}
	switch u.Scheme {
	case "redis", "rediss":
		o.network, o.tls = "tcp", u.Scheme == "rediss"
		o.host = u.Hostname()
		if o.host == "" {
			o.host = "localhost"
		}
		port := u.Port()
		if port == "" {
			port = "6379"
		}
		o.addr = net.JoinHostPort(o.host, port)
		switch f := strings.FieldsFunc(u.Path, func(r rune) bool { return r == '/' }); len(f) {
		case 0:
		case 1:
			if o.db, err = strconv.Atoi(f[0]); err != nil {
				return nil, fmt.Errorf("redis: invalid database number: %q", f[0])
			}
		default:
			return nil, fmt.Errorf("redis: invalid URL path: %s", u.Path)
		}
	case "unix":
		if strings.TrimSpace(u.Path) == "" {
			return nil, errors.New("redis: empty unix socket path")
		}
		o.network, o.addr = "unix", u.Path
	default:
		return nil, fmt.Errorf("redis: invalid URL scheme: %s", u.Scheme)
	}
	q := u.Query()
	if v := q.Get("db"); v != "" {
		if o.db, err = strconv.Atoi(v); err != nil {
			return nil, fmt.Errorf("redis: invalid database number: %q", v)
		}
	}
	delete(q, "db")
	if o.tls && q.Has("skip_verify") {
		switch v := q.Get("skip_verify"); v {
		case "true", "1":
			o.skipVerify = true
		case "false", "0", "":
		default:
			return nil, fmt.Errorf("redis: invalid skip_verify boolean: expected true/false/1/0 or an empty string, got %q", v)
		}
		delete(q, "skip_verify")
	}
	for _, name := range clientOnlyOptions {
		delete(q, name)
	}
	if len(q) > 0 {
		left := make([]string, 0, len(q))
		for k := range q {
			left = append(left, k)
		}
		slices.Sort(left)
		return nil, fmt.Errorf("redis: unexpected option: %s", strings.Join(left, ", "))
	}
	return o, nil
}

// redisError is an error reply from the server ("-WRONGPASS …").
type redisError string

func (e redisError) Error() string { return string(e) }

// errProtocol is a reply that is not RESP. It names what was wrong, never
// the bytes: a hostile server may echo a secret there, and a piece of one
// cut short escapes the door's masking.
type errProtocol struct{ what string }

func (e errProtocol) Error() string { return "redis: invalid reply: " + e.what }

// maxNesting bounds how deep arrays and maps nest in a reply (HELLO's is
// two levels deep), so a reply of nested headers cannot grow the stack.
const maxNesting = 8

// redisConn is one connection to Redis. Every call honours its context:
// the deadline becomes the connection's, and a cancel stops a read at once.
type redisConn struct {
	c net.Conn
	r *bufio.Reader
	w *bufio.Writer
}

// dialRedis connects (with TLS for rediss://, trusted the one way every
// client of Pitstop trusts), then bounds what the server may send.
// dialRedis connects to o's server; over rediss:// it checks the server's
// certificate against trust (nil for plain redis:// and unix sockets).
func dialRedis(ctx context.Context, o *redisOptions, trust *probe.Trust) (*redisConn, error) {
	d := net.Dialer{Timeout: dialTimeout}
	c, err := d.DialContext(ctx, o.network, o.addr)
	if err != nil {
		return nil, err
	}
	if o.tls {
		if trust == nil {
			_ = c.Close()
			return nil, errors.New("rediss:// needs the trusted roots")
		}
		conf := trust.TLSConfig(o.host)
		if o.skipVerify {
			conf.InsecureSkipVerify, conf.VerifyConnection = true, nil
		}
		tc := tls.Client(c, conf)
		if err := tc.HandshakeContext(ctx); err != nil {
			_ = c.Close()
			return nil, err
		}
		c = tc
	}
	b := &boundedConn{Conn: c, left: maxReplyBytes}
	return &redisConn{c: c, r: bufio.NewReaderSize(b, 16<<10), w: bufio.NewWriter(c)}, nil
}

func (rc *redisConn) Close() error { return rc.c.Close() }

// do sends one command and reads its reply; an error reply is returned as a
// redisError. When the context ends first, its error is what is returned.
func (rc *redisConn) do(ctx context.Context, args ...string) (any, error) {
	dl, ok := ctx.Deadline()
	if !ok {
		dl = time.Now().Add(dialTimeout) // no reply is waited for without end
	}
	_ = rc.c.SetDeadline(dl)
	stop := context.AfterFunc(ctx, func() { _ = rc.c.SetDeadline(time.Now()) })
	defer stop()
	reply, err := rc.roundTrip(args)
	if err != nil {
		if cerr := ctx.Err(); cerr != nil && isTimeout(err) {
			return nil, cerr
		}
		return nil, err
	}
	if e, ok := reply.(redisError); ok {
		return nil, e
	}
	return reply, nil
}

func (rc *redisConn) roundTrip(args []string) (any, error) {
	fmt.Fprintf(rc.w, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(rc.w, "$%d\r\n%s\r\n", len(a), a)
	}
	if err := rc.w.Flush(); err != nil {
		return nil, err
	}
	return rc.reply(0)
}

// reply reads one RESP2 or RESP3 value: a string, an int64, nil, a
// redisError, or a []any (maps and sets as flat lists).
func (rc *redisConn) reply(depth int) (any, error) {
	line, err := rc.line()
	if err != nil {
		return nil, err
	}
	if line == "" {
		return nil, errProtocol{"an empty line"}
	}
	kind, rest := line[0], line[1:]
	switch kind {
	case '+', '#', ',', '(':
		return rest, nil
	case '-', '!':
		if kind == '!' { // RESP3 blob error: the text follows
			s, err := rc.blob(rest)
			if err != nil {
				return nil, err
			}
			rest, _ = s.(string)
		}
		return redisError(rest), nil
	case ':':
		n, err := strconv.ParseInt(rest, 10, 64)
		if err != nil {
			return nil, errProtocol{"an integer that is not a number"}
		}
		return n, nil
	case '_':
		return nil, nil
	case '$':
		return rc.blob(rest)
	case '=': // RESP3 verbatim string: "txt:" then the text
		s, err := rc.blob(rest)
		if str, ok := s.(string); ok && len(str) >= 4 && str[3] == ':' {
			s = str[4:]
		}
		return s, err
	case '*', '~', '>', '%', '|':
		n, err := strconv.Atoi(rest)
		if err != nil || n < -1 {
			return nil, errProtocol{"a count that is not a number"}
		}
		if n == -1 {
			return nil, nil
		}
		if depth >= maxNesting {
			return nil, errProtocol{"replies nested too deep"}
		}
		if kind == '%' || kind == '|' {
			n *= 2
		}
		var items []any // grown as read: the count is only a claim
		for range n {
			v, err := rc.reply(depth + 1)
			if err != nil {
				return nil, err
			}
			items = append(items, v)
		}
		if kind == '|' { // attributes come before the reply they describe,
			// one level deeper, so a chain of them is bounded like nesting
			return rc.reply(depth + 1)
		}
		return items, nil
	}
	return nil, errProtocol{"a reply of no RESP type"}
}

// blob reads a length-prefixed string; the length is checked before
// anything is allocated.
func (rc *redisConn) blob(length string) (any, error) {
	n, err := strconv.Atoi(length)
	switch {
	case err != nil || n < -1:
		return nil, errProtocol{"a length that is not a number"}
	case n == -1:
		return nil, nil
	case n > maxReplyBytes:
		return nil, errTooMuch
	}
	buf := make([]byte, n+2)
	if _, err := io.ReadFull(rc.r, buf); err != nil {
		return nil, err
	}
	if string(buf[n:]) != "\r\n" {
		return nil, errProtocol{"a string not ended by CRLF"}
	}
	return string(buf[:n]), nil
}

// line reads one CRLF-ended line; the reader's buffer bounds its length.
func (rc *redisConn) line() (string, error) {
	b, err := rc.r.ReadSlice('\n')
	switch {
	case errors.Is(err, bufio.ErrBufferFull):
		return "", errProtocol{"a line longer than 16 KiB"}
	case errors.Is(err, io.EOF) && len(b) > 0:
		return "", io.ErrUnexpectedEOF
	case err != nil:
		return "", err
	case len(b) < 2 || b[len(b)-2] != '\r':
		return "", errProtocol{"a line not ended by CRLF"}
	}
	return string(b[:len(b)-2]), nil
}

// handshake authenticates and selects the database the way go-redis does:
// HELLO 3 with AUTH (Redis 6 and later); when the server refuses HELLO
// (before Redis 6), AUTH alone; then SELECT when the URL names a database.
func (rc *redisConn) handshake(ctx context.Context, o *redisOptions) error {
	hello := []string{"HELLO", "3"}
	if o.password != "" {
		hello = append(hello, "AUTH", orDefault(o.user, "default"), o.password)
	}
	_, err := rc.do(ctx, hello...)
	if err != nil && !isRedisErr(err) {
		return err
	}
	if err != nil && o.password != "" {
		auth := []string{"AUTH", o.password}
		if o.user != "" {
			auth = []string{"AUTH", o.user, o.password}
		}
		if _, err := rc.do(ctx, auth...); err != nil {
			return err
		}
	}
	if o.db != 0 {
		if _, err := rc.do(ctx, "SELECT", strconv.Itoa(o.db)); err != nil {
			return err
		}
	}
	return nil
}

// ping sends PING and expects PONG.
func (rc *redisConn) ping(ctx context.Context) error {
	v, err := rc.do(ctx, "PING")
	if err != nil {
		return err
	}
	if s, ok := v.(string); !ok || s != "PONG" {
		return errProtocol{"PING was not answered with PONG"}
	}
	return nil
}

// info returns the text of INFO section.
func (rc *redisConn) info(ctx context.Context, section string) (string, error) {
	v, err := rc.do(ctx, "INFO", section)
	if err != nil {
		return "", err
	}
	s, ok := v.(string)
	if !ok {
		return "", errProtocol{"INFO was not answered with text"}
	}
	return s, nil
}
