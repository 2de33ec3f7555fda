// Package cache holds the cache check: cache.redis connects to the Redis in
// cache.redis_url, authenticates, times PING and reads INFO
// memory and stats to warn when keys are being evicted. The URL's password
// is masked in every string the check returns or logs.
package cache

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/human"
	"pitstop/internal/probe"
)

// IDRedis is the check's ID.
const IDRedis = "cache.redis"

// articleCaching explains every outcome of this check.
const articleCaching = "ops-caching"

// Thresholds.
const (
	slowPing    = 100 * time.Millisecond // a cache lookup slower than this costs more than it saves
	pingSamples = 5                      // round trips timed; the median is judged
	nearlyFull  = 0.90                   // share of maxmemory that counts as full
	dialTimeout = 5 * time.Second        // when the context has no deadline
)

// Checks returns the cache checks for a profile.
func Checks(p *config.Profile) []check.Check {
	raw := p.Cache.RedisURL
	return []check.Check{
		check.Define(IDRedis, "", func(ctx context.Context) check.Result { return checkRedis(ctx, raw, slog.Default()) }),
	}
}

// checkRedis runs the whole check; every string it returns or logs has the
// password masked.
func checkRedis(ctx context.Context, raw string, log *slog.Logger) check.Result {
	if strings.TrimSpace(raw) == "" {
		return check.Skipf("No cache is set up: cache.redis_url is not set.")
	}
	masked, password := maskURL(raw)
	door := config.NewScrubber(config.NewPassword(password, "cache.redis_url"))
	r := redisResult(ctx, door, raw, masked)
	if w := transportWarnings(raw, password); len(w) > 0 {
		if r.Status == check.Pass {
			// The connection worked, but not safely: that is the finding.
			r = check.Warnf("%s", w[0]).With(w[1:]...).With(r.Summary).With(r.Details...).Explain(articleCaching).WithFacts(r.Facts)
		} else {
			r = r.With(w...)
		}
	}
	r.Summary = door.Untrusted(r.Summary, 0)
	for i := range r.Details {
		r.Details[i] = door.Untrusted(r.Details[i], 0)
	}
	if log != nil {
		log.LogAttrs(ctx, slog.LevelDebug, "redis check", slog.String("url", masked), slog.String("status", r.Status.String()))
	}
	return r
}

func redisResult(ctx context.Context, door *config.Scrubber, raw, masked string) check.Result {
	opt, err := parseRedisURL(raw)
	if err != nil {
		return check.Failf("cache.redis_url could not be read: %s. It should look like redis://:password@host:6379/0 (rediss:// for TLS).", parseProblem(err)).
			With("cache.redis_url: " + masked).Explain(articleCaching)
	}
	details := []string{"cache.redis_url: " + masked}
	var trust *probe.Trust
	if opt.tls {
		// rediss://: the one trust decision every client makes; it names no
		// ca_file, so loading cannot fail. An unusable SSL_CERT_FILE or
		// SSL_CERT_DIR is said in the details.
		if t, err := probe.LoadTrust("", ""); err == nil {
			trust = t
			details = append(details, t.Findings...)
		}
	}
	start := time.Now()
	client, err := dialRedis(ctx, opt, trust)
	if err == nil {
		defer client.Close()
		err = client.handshake(ctx, opt)
	}
	if err == nil {
		err = client.ping(ctx)
	}
	if err != nil {
		return connectProblem(door, err, opt.addr, opt.tls).With(details...).
			With(fmt.Sprintf("first PING failed after %s: %s", human.Duration(time.Since(start)), door.UntrustedError(err, 300))).Explain(articleCaching)
	}
	first := time.Since(start)
	// Latency is judged on the median of several round trips: one PING
	// that met a pause (a loaded machine, a GC) says nothing about the cache.
	rtts := make([]time.Duration, 0, pingSamples)
	for range pingSamples {
		start = time.Now()
		if err := client.ping(ctx); err != nil {
			return connectProblem(door, err, opt.addr, opt.tls).With(details...).Explain(articleCaching)
		}
		rtts = append(rtts, time.Since(start))
	}
	slices.Sort(rtts)
	ping := rtts[len(rtts)/2]
	details = append(details,
		fmt.Sprintf("connect, authenticate and first PING: %s", human.Duration(first)),
		fmt.Sprintf("PING round trip: %s (median of %d; fastest %s, slowest %s)", human.Duration(ping), len(rtts), human.Duration(rtts[0]), human.Duration(rtts[len(rtts)-1])))

	info := map[string]string{}
	for _, section := range []string{"server", "memory", "stats"} {
		text, err := client.info(ctx, section)
		if err != nil {
			if section == "server" && isRedisErr(err) {
				continue // some managed services hide INFO server
			}
			return infoProblem(door, err, section).With(details...).Explain(articleCaching)
		}
		parseInfo(text, info)
	}
	for k, v := range info {
		// INFO's values reach the facts (JSON, metrics) as they are, not
		// only the details: they pass the door here.
		info[k] = door.Untrusted(v, 100)
	}
	return judge(opt.addr, ping, info, details)
}

// judge turns the numbers into a result. The facts are the numbers as
// read; the prose prints the facts.
func judge(addr string, ping time.Duration, info map[string]string, details []string) check.Result {
	used, _ := strconv.ParseInt(info["used_memory"], 10, 64)
	maxmem, _ := strconv.ParseInt(info["maxmemory"], 10, 64)
	evicted, _ := strconv.ParseInt(info["evicted_keys"], 10, 64)
	hits, _ := strconv.ParseInt(info["keyspace_hits"], 10, 64)
	misses, _ := strconv.ParseInt(info["keyspace_misses"], 10, 64)
	policy := orDefault(info["maxmemory_policy"], "unknown")
	facts := map[string]any{"used_memory_bytes": used, "maxmemory_bytes": maxmem, "evicted_keys": evicted,
		"maxmemory_policy": policy, "latency_ms": human.Millis(ping), "keyspace_hits": hits, "keyspace_misses": misses}
	if v := info["redis_version"]; v != "" {
		facts["redis_version"] = v
	}
	usedH := human.Bytes(facts["used_memory_bytes"].(int64))
	limit, usage := "no limit (maxmemory 0)", check.Sentencef("%s used, no memory limit", usedH)
	if maxmem > 0 {
		limit = human.Bytes(facts["maxmemory_bytes"].(int64))
		usage = check.Sentencef("%s used of %s", usedH, limit)
	}
	if v := info["redis_version"]; v != "" {
		details = append(details, "redis_version: "+v)
	}
	details = append(details,
		fmt.Sprintf("used_memory: %d (%s)", used, usedH),
		"maxmemory: "+limit,
		"maxmemory_policy: "+policy,
		fmt.Sprintf("evicted_keys: %d", evicted))
	if hits+misses > 0 {
		details = append(details, fmt.Sprintf("hit rate: %.0f%% (keyspace_hits %d, keyspace_misses %d)", 100*float64(hits)/float64(hits+misses), hits, misses))
	}
	ping = time.Duration(facts["latency_ms"].(float64) * float64(time.Millisecond))
	var res check.Result
	switch {
	case evicted > 0:
		res = check.Warnf("Redis is evicting keys: %d were thrown out to make room (limit %s, policy %s), so cached results disappear early and the work is done again. Give Redis more memory (maxmemory) or cache less, with shorter expiry times.",
			facts["evicted_keys"], limit, policy).With(details...).Explain(articleCaching)
	case maxmem > 0 && float64(used) >= nearlyFull*float64(maxmem) && policy == "noeviction":
		res = check.Warnf("Redis is almost full (%s of %s) and set to refuse new data when full (noeviction): writes will soon fail with OOM errors. Raise maxmemory, or choose an eviction policy such as allkeys-lru for a cache.",
			usedH, limit).With(details...).Explain(articleCaching)
	case ping > slowPing:
		res = check.Warnf("Redis answers, but slowly: PING took %s. A cache this far away adds delay to every lookup.", human.Duration(ping)).
			With(details...).Explain(articleCaching)
	default:
		res = check.Passf("Redis at %s accepted the connection, answered PING in %s and is not evicting keys (%s).",
			addr, human.Duration(ping), usage).With(details...)
	}
	return res.WithFacts(facts)
}

// connectProblem explains a failed connect, AUTH or PING.
// The error's text passes the door: a Redis error may quote what it was sent.
func connectProblem(door *config.Scrubber, err error, addr string, useTLS bool) check.Result {
	msg := door.UntrustedError(err, 300)
	var dnsErr *net.DNSError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var verify *tls.CertificateVerificationError
	switch {
	case strings.Contains(msg, "WRONGPASS") || strings.Contains(msg, "invalid password") || strings.Contains(msg, "invalid username-password"):
		return check.Failf("Redis refused the password in cache.redis_url (WRONGPASS). Copy the current password from your Redis provider; with Redis 6 ACLs, the URL also needs the right user name (redis://user:password@host).")
	case strings.Contains(msg, "NOAUTH"):
		return check.Failf("Redis needs a password, and cache.redis_url has none: use redis://:password@%s/0.", addr)
	case strings.Contains(msg, "without any password configured"):
		return check.Failf("cache.redis_url has a password, but Redis at %s has none configured for this user. Remove it from the URL, or set one on the server.", addr)
	case strings.Contains(msg, "DB index is out of range"):
		return check.Failf("The database number in cache.redis_url does not exist on this Redis (%s). Use 0 unless you know otherwise.", strings.TrimSpace(msg))
	case strings.Contains(msg, "NOPERM"):
		return check.Failf("Redis accepted the user, but it may not run the commands Pitstop needs (NOPERM): the ACL must allow at least PING and INFO.")
	case strings.HasPrefix(msg, "LOADING") || strings.Contains(msg, " LOADING "):
		return check.Errorf("Could not test: Redis is still loading its data from disk (LOADING). Try again in a minute.")
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return check.Errorf("Could not test: Redis at %s did not answer in time. It may be down, overloaded, or a firewall may be dropping the connection.", addr)
	case errors.Is(err, context.Canceled):
		return check.Errorf("Cancelled.")
	case errors.Is(err, syscall.ECONNREFUSED):
		return check.Failf("Nothing is listening at %s: Redis is down, or the host or port in cache.redis_url is wrong.", addr)
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return check.Failf("The host name in cache.redis_url (%s) does not exist.", dnsErr.Name)
	case errors.Is(err, errTooMuch):
		return check.Errorf("Could not test: whatever answers at %s sent more than %d KiB without finishing a reply, which Redis never does for PING or INFO. Check the host and port in cache.redis_url.", addr, maxReplyBytes>>10)
	case errors.As(err, &dnsErr):
		return check.Errorf("Could not test: the name server did not answer the lookup of %s.", dnsErr.Name)
	case errors.As(err, &unknownCA) || errors.As(err, &hostErr) || errors.As(err, &verify):
		return check.Failf("Redis at %s uses a certificate Pitstop does not trust (%s).", addr, msg)
	case errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.ErrUnexpectedEOF):
		hint := ""
		if !useTLS {
			hint = " If the server requires TLS, use rediss:// in cache.redis_url."
		}
		return check.Errorf("Could not test: Redis at %s closed the connection without answering.%s", addr, hint)
	case isProtocolErr(err, msg):
		return check.Errorf("Could not test: whatever answers at %s does not speak the Redis protocol. Check the host and port in cache.redis_url.", addr)
	case isRedisErr(err):
		return check.Failf("Redis refused the connection: %s.", msg)
	}
	return check.Errorf("Could not test: the connection to Redis at %s failed (%s).", addr, msg)
}

func infoProblem(door *config.Scrubber, err error, section string) check.Result {
	r := connectProblem(door, err, "the server", false)
	if isRedisErr(err) {
		return check.Errorf("Could not test: Redis refused INFO %s (%s), so Pitstop cannot tell whether keys are being evicted. Managed services sometimes disable INFO.", section, door.UntrustedError(err, 300))
	}
	return r
}

func isRedisErr(err error) bool {
	var re redisError
	return errors.As(err, &re)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// isProtocolErr: the reply was not RESP, or the server said our command
// was not (a server that is not Redis may answer that way).
func isProtocolErr(err error, msg string) bool {
	var pe errProtocol
	if errors.As(err, &pe) {
		return true
	}
	for _, s := range []string{"Protocol error", "unknown reply"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// parseProblem describes a ParseURL error without repeating the URL (whose
// text holds the password).
func parseProblem(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return "it is not a valid URL (" + ue.Err.Error() + ")"
	}
	return strings.TrimPrefix(err.Error(), "redis: ")
}

// parseInfo reads INFO's "key:value" lines into m.
func parseInfo(text string, m map[string]string) {
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		if k, v, ok := strings.Cut(line, ":"); ok {
			m[k] = v
		}
	}
}

// transportWarnings says what in the URL exposes the password or the
// connection: certificate checks turned off, or a password sent in clear
// to another machine.
func transportWarnings(raw, password string) []string {
	opt, err := parseRedisURL(raw)
	if err != nil {
		return nil
	}
	var out []string
	if opt.skipVerify {
		out = append(out, check.Sentencef("cache.redis_url turns certificate checks off (skip_verify=true): anyone between Pitstop and Redis could pose as it and read the password. Remove skip_verify and trust the server's certificate instead."))
	}
	host := opt.host
	if opt.network == "tcp" && !opt.tls && password != "" && !probe.IsLoopback(host) {
		out = append(out, check.Sentencef("cache.redis_url sends the password over plain redis:// to %s: anyone on the network path could read it. Use rediss:// (TLS).", host))
	}
	return out
}

// maskURL returns the URL as config.RedactURL shows it, and the password
// itself (for the scrubber). An unreadable URL is never echoed.
func maskURL(raw string) (masked, password string) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		// Pull out whatever sits between "://user:" and "@" so the scrubber can mask it.
		if i := strings.Index(raw, "://"); i >= 0 {
			rest := raw[i+3:]
			if at := strings.LastIndex(rest, "@"); at >= 0 {
				if _, pw, ok := strings.Cut(rest[:at], ":"); ok {
					password = pw
				}
			}
		}
		return "(not a valid URL)", password
	}
	if u.User != nil {
		password, _ = u.User.Password()
	}
	return config.RedactURL(strings.TrimSpace(raw)), password
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// maxReplyBytes bounds what the check reads from the server in all: PING
// and INFO answers are a few KiB, and a server that sends without end (or
// claims a reply of gigabytes) must not fill the memory.
const maxReplyBytes = 1 << 20

// errTooMuch is what a read past maxReplyBytes returns.
var errTooMuch = errors.New("the server sent more than Pitstop reads from Redis")

// boundedConn fails reads once left bytes have been read.
type boundedConn struct {
	net.Conn
	left int64
}

func (c *boundedConn) Read(b []byte) (int, error) {
	if c.left <= 0 {
		return 0, errTooMuch
	}
	if int64(len(b)) > c.left {
		b = b[:c.left]
	}
	n, err := c.Conn.Read(b)
	c.left -= int64(n)
	return n, err
}
