// Package quality holds the tests that cut across the product: every check
// family against hostile servers, one secret canary through every output,
// and every screen at every size.
package quality

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/check/api"
	"pitstop/internal/check/cache"
	"pitstop/internal/check/crm"
	"pitstop/internal/check/domain"
	"pitstop/internal/check/mail"
	"pitstop/internal/config"
	"pitstop/internal/demo/hostile"
)

// hostileTimeout is each check's timeout against a hostile server, the
// runner's Timeout: every pairing runs at once, so on a loaded machine
// under -race a connection, an EHLO and a TLS handshake can take most of a
// second before the certificate is even seen.
const hostileTimeout = 1500 * time.Millisecond

// timeoutFor is the runner's timeout against h. A server with the wrong
// host's certificate answers at once: the client's verdict comes from the
// certificate, and only a starved machine could run a handshake past
// hostileTimeout (it did, at load 10), turning the verdict into a timeout.
// The bound on its time stays: this timeout plus slack.
func timeoutFor(h hostile.Hostility) time.Duration {
	if h == hostile.WrongHostCert {
		return 10 * time.Second
	}
	return hostileTimeout
}

// slack is how far past its timeout a check may return (the bound).
const slack = 500 * time.Millisecond

// family is one network check family, pointed at a hostile server.
type family struct {
	name      string
	dialect   hostile.Dialect
	checks    func(*config.Profile) []check.Check
	configure func(p *config.Profile, srv *hostile.HostileServer, caFile string)
	// network are the checks that talk to the server.
	network []string
	// tls says whether the family's client meets WrongHostCert's
	// certificate (and so must name it).
	tls bool
	// beforeTLS are checks done before the certificate is seen (the SMTP
	// greeting precedes STARTTLS): they may pass against WrongHostCert.
	beforeTLS []string
}

var families = []family{
	{
		name: "api", dialect: hostile.DialectHTTP, checks: api.Checks, tls: true,
		configure: func(p *config.Profile, srv *hostile.HostileServer, caFile string) {
			p.API = config.APIConfig{Provider: "openai", BaseURL: srv.URL + "/v1", Key: config.NewSecret("sk-hostile-0123456789abcdef0123", "file"),
				Endpoints: []string{srv.URL + "/v1"}, CAFile: caFile}
		},
		network: []string{"api.reachability", "api.auth", "api.ratelimit", "api.clock", "api.endpoints"},
	},
	{
		name: "crm", dialect: hostile.DialectHTTP, checks: crm.Checks, tls: true,
		configure: func(p *config.Profile, srv *hostile.HostileServer, _ string) {
			p.CRM = config.CRMConfig{Provider: "hubspot", BaseURL: srv.URL, Token: config.NewSecret("pat-na1-hostile-0123456789", "file"),
				Object: "contacts", FieldMapping: map[string]string{"email": "email"}}
		},
		network: []string{"crm.auth", "crm.permissions", "crm.availability", "crm.field_mapping"},
	},
	{
		name: "smtp", dialect: hostile.DialectSMTP, checks: mail.Checks, tls: true,
		configure: func(p *config.Profile, srv *hostile.HostileServer, caFile string) {
			p.SMTP = config.SMTPConfig{Host: srv.Host, Port: srv.Port, Security: "starttls", Username: "mailer@pitstop-hostile.test",
				Password: config.NewSecret("hostile-smtp-password-0123", "file"), From: "news@pitstop-hostile.test",
				TestRecipient: "inbox@pitstop-hostile.test", CAFile: caFile}
		},
		network:   []string{"smtp.connect", "smtp.tls", "smtp.auth", "smtp.send"},
		beforeTLS: []string{"smtp.connect"},
	},
	{
		name: "domain", dialect: hostile.DialectDNS, checks: domain.Checks,
		configure: func(p *config.Profile, srv *hostile.HostileServer, _ string) {
			p.Domain = config.DomainConfig{Name: "pitstop-hostile.test", DKIMSelectors: []string{"s1"}, DNSServer: srv.Addr,
				DNSBL: []string{"bl.pitstop-hostile.test"}}
		},
		network: []string{"domain.mx", "domain.spf", "domain.dkim", "domain.dmarc", "domain.dnsbl"},
	},
	{
		name: "cache", dialect: hostile.DialectRESP, checks: cache.Checks, tls: true,
		configure: func(p *config.Profile, srv *hostile.HostileServer, _ string) {
			scheme := "redis"
			if srv.Hostility == hostile.WrongHostCert {
				scheme = "rediss"
			}
			p.Cache.RedisURL = scheme + "://:hostile-redis-password@" + srv.Addr + "/0"
		},
		network: []string{"cache.redis"},
	},
}

// timedRun is one check's own return time, measured around its Run (the
// runner gives up on a check at its timeout; this sees whether the check
// itself honours its context).
type timedRun struct {
	mu      sync.Mutex
	took    map[string]time.Duration
	start   map[string]time.Time
	changed chan struct{} // a check returned; wait looks again
}

func (tr *timedRun) wrap(checks []check.Check) []check.Check {
	tr.took, tr.start = map[string]time.Duration{}, map[string]time.Time{}
	tr.changed = make(chan struct{}, 1)
	out := slices.Clone(checks)
	for i := range out {
		c := out[i]
		run := c.Run
		out[i].Run = func(ctx context.Context) check.Result {
			t0 := time.Now()
			tr.mu.Lock()
			tr.start[c.ID] = t0
			tr.mu.Unlock()
			defer func() {
				tr.mu.Lock()
				tr.took[c.ID] = time.Since(t0)
				tr.mu.Unlock()
				select {
				case tr.changed <- struct{}{}:
				default:
				}
			}()
			return run(ctx)
		}
	}
	return out
}

// wait gives checks still running at most slack more, then reports the
// ones that have not returned. (A WaitGroup would race here: the runner may
// give up on a check before its goroutine has even started.)
func (tr *timedRun) wait() []string {
	limit := time.After(slack)
	for {
		stuck := tr.running()
		if len(stuck) == 0 {
			return nil
		}
		select {
		case <-tr.changed:
		case <-limit:
			return tr.running()
		}
	}
}

// tookFor is how long a check's own Run took (zero if it never returned).
func (tr *timedRun) tookFor(id string) time.Duration {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.took[id]
}

// running lists the checks that started and have not returned.
func (tr *timedRun) running() (ids []string) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	for id := range tr.start {
		if _, ok := tr.took[id]; !ok {
			ids = append(ids, id)
		}
	}
	return ids
}

// runHostile runs a family's checks against srv the way `pitstop check`
// does (the runner, its timeout, its scrubber); dir takes the server's CA.
func runHostile(dir string, fam family, srv *hostile.HostileServer, timeout time.Duration) ([]check.Result, *timedRun, error) {
	caFile := ""
	if srv.CA != nil {
		var err error
		if caFile, err = srv.CA.WriteFile(dir, "hostile-ca.pem"); err != nil {
			return nil, nil, err
		}
	}
	p := &config.Profile{Name: "hostile"}
	fam.configure(p, srv, caFile)
	sc := config.NewScrubber(p.Secrets()...)
	tr := &timedRun{}
	r := &check.Runner{Timeout: timeout, Scrub: sc.Scrub}
	results := r.Run(context.Background(), tr.wrap(fam.checks(p)))
	return results, tr, nil
}

// hostileRun is one family against one hostile server, run ahead of the
// assertions.
type hostileRun struct {
	fam     family
	h       hostile.Hostility
	dir     string
	results []check.Result
	tr      *timedRun
	stuck   []string // checks that had not returned at timeout + slack
	err     error
}

func (hr *hostileRun) run() {
	srv, err := hostile.StartHostile(hr.fam.dialect, hr.h)
	if err != nil {
		hr.err = err
		return
	}
	defer srv.Close()
	if hr.results, hr.tr, hr.err = runHostile(hr.dir, hr.fam, srv, timeoutFor(hr.h)); hr.err == nil {
		hr.stuck = hr.tr.wait()
	}
}

// TestHostileServers runs every network check family against every hostile
// server: each check returns within its timeout plus half a second, with
// Error or Fail and a reason (or a skip that names the step that failed
// first), and nothing panics.
//
// The servers mostly make checks wait out their timeout, so every pairing
// runs at once (go test's -parallel, the number of CPUs, would queue them
// two by two on a small machine); each is then judged in its own subtest.
// It is not parallel with the package's other tests: its bound is on time,
// and the binary-level tests beside it start dozens of processes, which on
// a small machine under -race starve the checks it times.
func TestHostileServers(t *testing.T) {
	var runs []*hostileRun
	for _, fam := range families {
		for _, h := range hostile.Hostilities {
			if fam.dialect.Applies(h) {
				runs = append(runs, &hostileRun{fam: fam, h: h, dir: t.TempDir()})
			}
		}
	}
	var wg sync.WaitGroup
	for _, hr := range runs {
		wg.Go(hr.run)
	}
	wg.Wait()
	for _, hr := range runs {
		fam, h := hr.fam, hr.h
		t.Run(fam.name+"/"+h.String(), func(t *testing.T) {
			require.NoError(t, hr.err)
			results, tr := hr.results, hr.tr
			require.Empty(t, hr.stuck, "checks that ignored their context and never returned")
			byID := map[string]check.Result{}
			for _, res := range results {
				byID[res.ID] = res
				require.NotContains(t, res.Summary, "internal error", "%s panicked: %s", res.ID, strings.Join(res.Details, "\n"))
			}
			for _, id := range fam.network {
				res, ok := byID[id]
				require.True(t, ok, "%s did not run", id)
				took := tr.tookFor(id)
				require.LessOrEqual(t, took, timeoutFor(h)+slack, "%s took %s", id, took)
				require.NotEmpty(t, strings.TrimSpace(res.Summary), "%s gave no reason", id)
				switch {
				case res.Status == check.Error, res.Status == check.Fail:
				case h == hostile.WrongHostCert && slices.Contains(fam.beforeTLS, id):
				case res.Status == check.Skip:
					require.True(t, slices.ContainsFunc(res.Details, func(d string) bool { return strings.HasPrefix(d, "requires ") }) ||
						strings.Contains(res.Summary, "earlier step") || strings.Contains(res.Summary, "did not succeed"),
						"%s skipped without naming the step that failed first: %s", id, res.Summary)
				default:
					require.Failf(t, "a hostile server passed", "%s ended %s: %s\n%s", id, res.Status, res.Summary, strings.Join(res.Details, "\n"))
				}
			}
			if h == hostile.WrongHostCert && fam.tls {
				all := strings.ToLower(everything(results))
				require.Contains(t, all, "certificate", "the reason names the certificate")
				// Its longer timeout only shelters the verdict: a client that
				// waited it out instead of refusing the certificate fails.
				for _, id := range fam.network {
					require.NotContains(t, byID[id].Summary, "no answer within", "%s timed out on a server that answers at once", id)
				}
			}
		})
	}
}

// TestHostileMemoryBounded runs each family against the servers that send
// without end (an endless body, a header of megabytes) and samples the heap
// while the checks run: it must stay within a few MiB of where it started.
// It runs alone (not in parallel) so the numbers are this test's own.
func TestHostileMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("samples the heap for several seconds")
	}
	const limit = 8 << 20
	for _, fam := range families {
		for _, h := range []hostile.Hostility{hostile.EndlessBody, hostile.HugeHeader} {
			if !fam.dialect.Applies(h) {
				continue
			}
			t.Run(fam.name+"/"+h.String(), func(t *testing.T) {
				srv, err := hostile.StartHostile(fam.dialect, h)
				require.NoError(t, err)
				defer srv.Close()
				runtime.GC()
				var base runtime.MemStats
				runtime.ReadMemStats(&base)
				peak := base.HeapAlloc
				stop := make(chan struct{})
				sampled := make(chan struct{})
				go func() {
					defer close(sampled)
					var m runtime.MemStats
					for {
						select {
						case <-stop:
							return
						case <-time.After(5 * time.Millisecond):
						}
						runtime.ReadMemStats(&m)
						peak = max(peak, m.HeapAlloc)
					}
				}()
				_, tr, err := runHostile(t.TempDir(), fam, srv, timeoutFor(h))
				require.NoError(t, err)
				tr.wait()
				close(stop)
				<-sampled
				growth := int64(peak) - int64(base.HeapAlloc)
				t.Logf("%s/%s: peak heap growth %.1f MiB while the server sent %.1f MiB", fam.name, h, float64(growth)/(1<<20), float64(srv.Sent())/(1<<20))
				require.Less(t, growth, int64(limit), "heap grew by %.1f MiB", float64(growth)/(1<<20))
			})
		}
	}
}

// everything joins every string of the results.
func everything(results []check.Result) string {
	var b strings.Builder
	for _, r := range results {
		fmt.Fprintf(&b, "%s %s: %s\n%s\n", r.ID, r.Status, r.Summary, strings.Join(r.Details, "\n"))
	}
	return b.String()
}
