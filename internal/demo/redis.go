package demo

import (
	"bufio"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"pitstop/internal/config"
	"pitstop/internal/demo/connserver"
)

// Redis faults a sandbox Redis can inject. Several may be combined.
const (
	// RedisFaultBadPassword rejects every password (WRONGPASS).
	RedisFaultBadPassword = "bad-password"
	// RedisFaultNoPassword makes Configure write a URL without the
	// password, so the server answers NOAUTH.
	RedisFaultNoPassword = "no-password"
	// RedisFaultEvicting reports a full cache that is evicting keys
	// (maxmemory 100mb, allkeys-lru, evicted_keys > 0).
	RedisFaultEvicting = "evicting"
	// RedisFaultFull reports a cache at its memory limit with the
	// noeviction policy: writes fail with OOM.
	RedisFaultFull = "full"
	// RedisFaultHang accepts connections and never answers.
	RedisFaultHang = "hang"
	// RedisFaultGarbage answers with bytes that are not RESP, then hangs up.
	RedisFaultGarbage = "garbage"
	// RedisFaultSlowOnce answers one PING in 150 ms, as a loaded machine
	// or a pause sometimes does; the others at once.
	RedisFaultSlowOnce = "slow-once"
	// RedisFaultSlow answers every PING in 150 ms: a cache far away.
	RedisFaultSlow = "slow"
)

// RedisFaults lists the Redis fault names.
var RedisFaults = []string{RedisFaultBadPassword, RedisFaultNoPassword, RedisFaultEvicting, RedisFaultFull, RedisFaultHang, RedisFaultGarbage, RedisFaultSlowOnce, RedisFaultSlow}

// RedisOptions shape a sandbox Redis.
type RedisOptions struct {
	// Addr to listen on; default 127.0.0.1 on a free port.
	Addr string
	// Password the server requires; a random one when empty.
	Password string
	// Faults are names from RedisFaults; none for a healthy cache.
	Faults []string
	// RESP2Only answers HELLO with "unknown command", as Redis before 6
	// does, so clients fall back to AUTH and RESP2.
	RESP2Only bool
	// TLS serves rediss:// with a certificate for localhost and 127.0.0.1
	// signed by CA (a new CA when nil).
	TLS bool
	CA  *CA
	// SkipVerify makes the URL Configure writes turn certificate checks off
	// (rediss://…?skip_verify=true), as a hurried setup does.
	SkipVerify bool
}

// RedisServer is a small loopback Redis: enough RESP2 and RESP3 for a
// client (Pitstop's cache check, go-redis, redis-cli) to connect,
// authenticate (HELLO or AUTH), PING, SELECT, CLIENT SETINFO and read INFO
// server/clients/memory/stats/keyspace.
type RedisServer struct {
	// Addr is host:port.
	Addr string
	// CA signed the server's certificate (TLS only).
	CA *CA

	password  string
	faults    map[string]bool
	resp2Only bool
	tls       bool
	skipCheck bool
	conns     *connserver.Server

	mu       sync.Mutex
	commands []string
	nextID   int
	pings    int
}

// StartRedis starts a sandbox Redis. Close it when done.
func StartRedis(opts RedisOptions) (*RedisServer, error) {
	s := &RedisServer{password: opts.Password, faults: map[string]bool{}, resp2Only: opts.RESP2Only,
		tls: opts.TLS, skipCheck: opts.SkipVerify}
	for _, f := range opts.Faults {
		if !slices.Contains(RedisFaults, f) {
			return nil, fmt.Errorf("unknown Redis fault %q; expected some of: %s", f, strings.Join(RedisFaults, ", "))
		}
		s.faults[f] = true
	}
	if s.password == "" {
		b := make([]byte, 12)
		_, _ = rand.Read(b)
		s.password = "rds-" + hex.EncodeToString(b)
	}
	ln, err := listenLoopback("redis", opts.Addr)
	if err != nil {
		return nil, err
	}
	if opts.TLS {
		if s.CA = opts.CA; s.CA == nil {
			if s.CA, err = NewCA(); err != nil {
				_ = ln.Close()
				return nil, err
			}
		}
		conf, err := s.CA.ServerTLS(LeafOptions{})
		if err != nil {
			_ = ln.Close()
			return nil, err
		}
		ln = tls.NewListener(ln, conf)
	}
	s.conns, s.Addr = connserver.New(ln), ln.Addr().String()
	s.conns.Serve(func(c net.Conn) func() {
		s.mu.Lock()
		s.nextID++
		id := s.nextID
		s.mu.Unlock()
		return func() { s.session(c, id) }
	})
	return s, nil
}

// Password returns the password the server requires.
func (s *RedisServer) Password() string { return s.password }

// URL returns the redis:// (rediss:// over TLS) URL Configure writes.
func (s *RedisServer) URL() string {
	scheme, query := "redis://", ""
	if s.tls {
		scheme = "rediss://"
	}
	if s.skipCheck {
		query = "?skip_verify=true"
	}
	if s.faults[RedisFaultNoPassword] {
		return scheme + s.Addr + "/0" + query
	}
	return scheme + ":" + s.password + "@" + s.Addr + "/0" + query
}

// Configure points cache.redis_url at the sandbox.
func (s *RedisServer) Configure(p *config.Profile) { p.Cache.RedisURL = s.URL() }

// Commands returns the command names received so far, upper-case, without
// their arguments (AUTH's carry the password).
func (s *RedisServer) Commands() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.commands)
}

// Close stops the server and drops every connection.
func (s *RedisServer) Close() error { return s.conns.Shutdown(nil) }

// redisConn is one client's state.
type redisConn struct {
	w      *bufio.Writer
	proto  int
	authed bool
	db     int
	name   string
	id     int
}

func (s *RedisServer) session(c net.Conn, id int) {
	r := bufio.NewReader(c)
	rc := &redisConn{w: bufio.NewWriter(c), proto: 2, id: id}
	for {
		args, err := readRESPCommand(r)
		if err != nil {
			if !errors.Is(err, io.EOF) {
				rc.err("ERR Protocol error: " + err.Error())
				_ = rc.w.Flush()
			}
			return
		}
		if len(args) == 0 {
			continue
		}
		cmd := strings.ToUpper(args[0])
		s.mu.Lock()
		s.commands = append(s.commands, cmd)
		s.mu.Unlock()
		switch {
		case s.faults[RedisFaultHang]:
			<-s.conns.Done()
			return
		case s.faults[RedisFaultGarbage]:
			_, _ = rc.w.WriteString("\x00\x15garbage, not RESP\xff\r\n")
			_ = rc.w.Flush()
			return
		}
		if quit := s.dispatch(rc, cmd, args[1:]); quit {
			_ = rc.w.Flush()
			return
		}
		if r.Buffered() == 0 {
			if err := rc.w.Flush(); err != nil {
				return
			}
		}
	}
}

// dispatch answers one command; it reports whether the connection ends.
func (s *RedisServer) dispatch(rc *redisConn, cmd string, args []string) bool {
	if !rc.authed && cmd != "HELLO" && cmd != "AUTH" && cmd != "QUIT" {
		rc.err("NOAUTH Authentication required.")
		return false
	}
	switch cmd {
	case "HELLO":
		s.hello(rc, args)
	case "AUTH":
		switch len(args) {
		case 1:
			s.auth(rc, "default", args[0])
		case 2:
			s.auth(rc, args[0], args[1])
		default:
			rc.err("ERR wrong number of arguments for 'auth' command")
		}
	case "PING":
		s.mu.Lock()
		s.pings++
		slow := s.faults[RedisFaultSlow] || (s.faults[RedisFaultSlowOnce] && s.pings == 2)
		s.mu.Unlock()
		if slow {
			time.Sleep(150 * time.Millisecond)
		}
		if len(args) > 0 {
			rc.bulk(args[0])
		} else {
			rc.simple("PONG")
		}
	case "ECHO":
		if len(args) != 1 {
			rc.err("ERR wrong number of arguments for 'echo' command")
		} else {
			rc.bulk(args[0])
		}
	case "SELECT":
		n, err := strconv.Atoi(strings.Join(args, ""))
		switch {
		case len(args) != 1 || err != nil:
			rc.err("ERR value is not an integer or out of range")
		case n < 0 || n > 15:
			rc.err("ERR DB index is out of range")
		default:
			rc.db = n
			rc.simple("OK")
		}
	case "CLIENT":
		s.client(rc, args)
	case "INFO":
		rc.verbatim(s.info(args))
	case "DBSIZE":
		rc.integer(42)
	case "QUIT":
		rc.simple("OK")
		return true
	default:
		rc.err(fmt.Sprintf("ERR unknown command '%s', with args beginning with: %s", strings.ToLower(cmd), quoteArgs(args)))
	}
	return false
}

func quoteArgs(args []string) string {
	var b strings.Builder
	for _, a := range args {
		fmt.Fprintf(&b, "'%s' ", a)
	}
	return b.String()
}

func (s *RedisServer) checkPassword(user, pass string) bool {
	return !s.faults[RedisFaultBadPassword] && (user == "" || user == "default") && pass == s.password
}

func (s *RedisServer) auth(rc *redisConn, user, pass string) {
	if !s.checkPassword(user, pass) {
		rc.err("WRONGPASS invalid username-password pair or user is disabled.")
		return
	}
	rc.authed = true
	rc.simple("OK")
}

// hello answers HELLO [protover [AUTH user pass] [SETNAME name]].
func (s *RedisServer) hello(rc *redisConn, args []string) {
	if s.resp2Only {
		rc.err(fmt.Sprintf("ERR unknown command 'hello', with args beginning with: %s", quoteArgs(args)))
		return
	}
	proto := rc.proto
	if len(args) > 0 {
		n, err := strconv.Atoi(args[0])
		if err != nil {
			rc.err("ERR Protocol version is not an integer or out of range")
			return
		}
		if n != 2 && n != 3 {
			rc.err("NOPROTO unsupported protocol version")
			return
		}
		proto = n
	}
	authed := rc.authed
	name := rc.name
	for i := 1; i < len(args); i++ {
		switch strings.ToUpper(args[i]) {
		case "AUTH":
			if i+2 >= len(args) {
				rc.err("ERR Syntax error in HELLO option 'auth'")
				return
			}
			if !s.checkPassword(args[i+1], args[i+2]) {
				rc.err("WRONGPASS invalid username-password pair or user is disabled.")
				return
			}
			authed = true
			i += 2
		case "SETNAME":
			if i+1 >= len(args) {
				rc.err("ERR Syntax error in HELLO option 'setname'")
				return
			}
			name = args[i+1]
			i++
		default:
			rc.err(fmt.Sprintf("ERR Syntax error in HELLO option '%s'", args[i]))
			return
		}
	}
	if !authed {
		rc.err("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time")
		return
	}
	rc.authed, rc.proto, rc.name = true, proto, name
	pairs := []any{
		"server", "redis", "version", redisVersion, "proto", proto, "id", rc.id,
		"mode", "standalone", "role", "master", "modules", []any{},
	}
	rc.mapReply(pairs)
}

func (s *RedisServer) client(rc *redisConn, args []string) {
	if len(args) == 0 {
		rc.err("ERR wrong number of arguments for 'client' command")
		return
	}
	switch strings.ToUpper(args[0]) {
	case "SETINFO":
		if len(args) != 3 {
			rc.err("ERR wrong number of arguments for 'client|setinfo' command")
			return
		}
		switch strings.ToUpper(args[1]) {
		case "LIB-NAME", "LIB-VER":
			rc.simple("OK")
		default:
			rc.err("ERR Unrecognized option '" + args[1] + "'")
		}
	case "SETNAME":
		if len(args) != 2 {
			rc.err("ERR wrong number of arguments for 'client|setname' command")
			return
		}
		rc.name = args[1]
		rc.simple("OK")
	case "GETNAME":
		if rc.name == "" {
			rc.null()
		} else {
			rc.bulk(rc.name)
		}
	case "ID":
		rc.integer(int64(rc.id))
	default:
		rc.err(fmt.Sprintf("ERR unknown subcommand '%s'. Try CLIENT HELP.", args[0]))
	}
}

const redisVersion = "7.2.4"

// info renders the INFO sections asked for.
func (s *RedisServer) info(args []string) string {
	used, maxmem, policy, evicted := int64(1258291), int64(0), "noeviction", 0
	switch {
	case s.faults[RedisFaultEvicting]:
		used, maxmem, policy, evicted = 104651776, 104857600, "allkeys-lru", 18342
	case s.faults[RedisFaultFull]:
		used, maxmem, policy = 104788992, 104857600, "noeviction"
	}
	sections := map[string]string{
		"server": fmt.Sprintf("# Server\r\nredis_version:%s\r\nredis_mode:standalone\r\nos:Linux 6.1.0 x86_64\r\narch_bits:64\r\ntcp_port:%s\r\nuptime_in_seconds:86400\r\nuptime_in_days:1\r\n",
			redisVersion, portOf(s.Addr)),
		"clients": "# Clients\r\nconnected_clients:3\r\nblocked_clients:0\r\nmaxclients:10000\r\n",
		"memory": fmt.Sprintf("# Memory\r\nused_memory:%d\r\nused_memory_human:%s\r\nused_memory_peak:%d\r\nused_memory_peak_human:%s\r\nmaxmemory:%d\r\nmaxmemory_human:%s\r\nmaxmemory_policy:%s\r\nmem_fragmentation_ratio:1.08\r\n",
			used, humanBytes(used), used, humanBytes(used), maxmem, humanBytes(maxmem), policy),
		"stats": fmt.Sprintf("# Stats\r\ntotal_connections_received:128\r\ntotal_commands_processed:40960\r\nrejected_connections:0\r\nexpired_keys:311\r\nevicted_keys:%d\r\nkeyspace_hits:36210\r\nkeyspace_misses:4020\r\n",
			evicted),
		"keyspace": "# Keyspace\r\ndb0:keys=42,expires=40,avg_ttl=3580000\r\n",
	}
	order := []string{"server", "clients", "memory", "stats", "keyspace"}
	want := order
	if len(args) > 0 {
		want = nil
		for _, a := range args {
			a = strings.ToLower(a)
			if a == "all" || a == "default" || a == "everything" {
				want = order
				break
			}
			want = append(want, a)
		}
	}
	var parts []string
	for _, name := range want {
		if text, ok := sections[name]; ok {
			parts = append(parts, text)
		}
	}
	return strings.Join(parts, "\r\n")
}

func portOf(addr string) string {
	_, port, _ := net.SplitHostPort(addr)
	return port
}

// humanBytes formats like Redis' *_human fields: "1.20M", "100.00M", "0B".
func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2fG", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.2fM", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.2fK", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%dB", n)
}

// readRESPCommand reads one command: a RESP array of bulk strings, or an
// inline command line.
func readRESPCommand(r *bufio.Reader) ([]string, error) {
	line, err := readRESPLine(r)
	if err != nil {
		return nil, err
	}
	if line == "" {
		return nil, nil
	}
	if line[0] != '*' {
		return strings.Fields(line), nil
	}
	n, err := strconv.Atoi(line[1:])
	if err != nil || n < 0 || n > 1024 {
		return nil, fmt.Errorf("invalid multibulk length")
	}
	args := make([]string, 0, n)
	for range n {
		hdr, err := readRESPLine(r)
		if err != nil {
			return nil, err
		}
		if hdr == "" || hdr[0] != '$' {
			return nil, fmt.Errorf("expected '$', got '%s'", hdr[:min(len(hdr), 1)])
		}
		size, err := strconv.Atoi(hdr[1:])
		if err != nil || size < 0 || size > 1<<20 {
			return nil, fmt.Errorf("invalid bulk length")
		}
		buf := make([]byte, size+2)
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, err
		}
		args = append(args, string(buf[:size]))
	}
	return args, nil
}

func readRESPLine(r *bufio.Reader) (string, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		if line != "" && errors.Is(err, io.EOF) {
			return "", io.ErrUnexpectedEOF
		}
		return "", err
	}
	if len(line) > 64<<10 {
		return "", fmt.Errorf("line too long")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func (rc *redisConn) simple(s string) { fmt.Fprintf(rc.w, "+%s\r\n", s) }
func (rc *redisConn) err(s string)    { fmt.Fprintf(rc.w, "-%s\r\n", s) }
func (rc *redisConn) integer(n int64) { fmt.Fprintf(rc.w, ":%d\r\n", n) }
func (rc *redisConn) bulk(s string)   { fmt.Fprintf(rc.w, "$%d\r\n%s\r\n", len(s), s) }

func (rc *redisConn) null() {
	if rc.proto == 3 {
		_, _ = rc.w.WriteString("_\r\n")
		return
	}
	_, _ = rc.w.WriteString("$-1\r\n")
}

// verbatim is RESP3's verbatim string (what INFO returns), a bulk string in RESP2.
func (rc *redisConn) verbatim(s string) {
	if rc.proto == 3 {
		fmt.Fprintf(rc.w, "=%d\r\ntxt:%s\r\n", len(s)+4, s)
		return
	}
	rc.bulk(s)
}

// mapReply writes key/value pairs: a RESP3 map, or a flat RESP2 array.
func (rc *redisConn) mapReply(pairs []any) {
	if rc.proto == 3 {
		fmt.Fprintf(rc.w, "%%%d\r\n", len(pairs)/2)
	} else {
		fmt.Fprintf(rc.w, "*%d\r\n", len(pairs))
	}
	for _, v := range pairs {
		rc.value(v)
	}
}

func (rc *redisConn) value(v any) {
	switch x := v.(type) {
	case string:
		rc.bulk(x)
	case int:
		rc.integer(int64(x))
	case []any:
		fmt.Fprintf(rc.w, "*%d\r\n", len(x))
		for _, e := range x {
			rc.value(e)
		}
	default:
		rc.bulk(fmt.Sprint(x))
	}
}
