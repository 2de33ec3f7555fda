package serve

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/check/suite"
	"pitstop/internal/config"
	"pitstop/internal/demo"
	"pitstop/internal/race"
)

func startSandbox(t testing.TB, scenario string) *demo.Sandbox {
	t.Helper()
	sb, err := demo.StartSandbox(scenario, demo.SandboxOptions{Dir: t.TempDir()})
	require.NoError(t, err)
	t.Cleanup(func() { _ = sb.Close() })
	return sb
}

// apiProfile is a profile's api section pointing at the sandbox API.
func apiProfile(sb *demo.Sandbox) string {
	p := sb.Profile.API
	return fmt.Sprintf("    api:\n      provider: %s\n      base_url: %s\n      key: %q\n      ca_file: %s\n",
		p.Provider, p.BaseURL, p.Key.Reveal(), p.CAFile)
}

// providerRequests counts what the sandbox's providers received: both API
// replicas and the CRM.
func providerRequests(sb *demo.Sandbox) int {
	n := len(sb.API.Requests()) + len(sb.Endpoint.Requests())
	if sb.CRM != nil {
		n += len(sb.CRM.Requests())
	}
	return n
}

// TestSandboxConcurrentScrapesCostOneRunPerTTL: fifty scrapes of one
// profile at once, then fifty more within the TTL, cost the sandbox's API
// and CRM exactly the requests of one run; after the TTL, one run more.
func TestSandboxConcurrentScrapesCostOneRunPerTTL(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t, "healthy")
	clk := newClock()
	_, ts := newTestServer(t, Options{SettingsPath: sb.ConfigPath, CacheTTL: 30 * time.Second, Now: clk.Now})
	url := ts.URL + "/probe?profile=" + demo.SandboxProfile
	scrape := func(n int) {
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				code, body := get(t, url, map[string]string{"X-Prometheus-Scrape-Timeout-Seconds": "30"})
				require.Equal(t, http.StatusOK, code, body)
			})
		}
		wg.Wait()
	}
	scrape(1)
	perRun := providerRequests(sb)
	require.Positive(t, perRun)
	t.Logf("one run of the sandbox profile sends %d requests to its API replicas and CRM", perRun)

	clk.Advance(31 * time.Second)
	scrape(50)
	require.Equal(t, 2*perRun, providerRequests(sb), "50 concurrent scrapes after the TTL: one run")
	clk.Advance(20 * time.Second)
	scrape(50)
	require.Equal(t, 2*perRun, providerRequests(sb), "50 more within the TTL: no run")
	clk.Advance(11 * time.Second)
	scrape(50)
	require.Equal(t, 3*perRun, providerRequests(sb), "after the TTL again: one run")
	require.NotEmpty(t, sb.Profile.SMTP.TestRecipient)
	require.Empty(t, sb.SMTP.Messages(), "the exporter never mails test_recipient")
}

// TestSandboxProbeKeepsSecretsOut: the real checks against the sandbox,
// whose provider echoes keys back in error text (bad-key), leave no
// secret in the probe's answer, the landing page or /metrics.
func TestSandboxProbeKeepsSecretsOut(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t, "bad-key")
	_, ts := newTestServer(t, Options{SettingsPath: sb.ConfigPath})
	code, probe := get(t, ts.URL+"/probe?profile="+demo.SandboxProfile, nil)
	require.Equal(t, http.StatusOK, code, probe)
	require.Equal(t, 0.0, value(t, probe, "pitstop_probe_success"))
	require.Equal(t, 1.0, value(t, probe, `pitstop_check_status{category="api",check="api.auth",status="fail"}`))
	_, page := get(t, ts.URL+"/", nil)
	_, metrics := get(t, ts.URL+"/metrics", nil)
	secrets := []string{sb.Profile.API.Key.Reveal(), sb.Profile.SMTP.Password.Reveal(), sb.Redis.Password()}
	if sb.CRM != nil {
		secrets = append(secrets, sb.CRM.Token())
	}
	for _, secret := range secrets {
		require.NotEmpty(t, secret)
		for _, out := range []string{probe, page, metrics} {
			require.NotContains(t, out, secret)
		}
	}
}

// TestSandboxSlowCRM: a CRM that never answers, scraped with a timeout
// shorter than the checks' own: the probe answers in time, the CRM checks
// report error (could not test), the API checks their real result.
func TestSandboxSlowCRM(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t, "healthy")
	crm, err := demo.StartCRM(demo.CRMOptions{Provider: demo.CRMHubSpot, Faults: []string{demo.CRMFaultHang}})
	require.NoError(t, err)
	t.Cleanup(func() { _ = crm.Close() })
	settings := "profiles:\n  slowcrm:\n" + apiProfile(sb) +
		fmt.Sprintf("    crm:\n      provider: hubspot\n      base_url: %s\n      token: %q\n", crm.URL, crm.Token())
	_, ts := newTestServer(t, Options{SettingsPath: writeSettings(t, settings), CheckTimeout: 10 * time.Second, TimeoutOffset: 500 * time.Millisecond})
	start := time.Now()
	code, body := get(t, ts.URL+"/probe?profile=slowcrm", map[string]string{"X-Prometheus-Scrape-Timeout-Seconds": "2"})
	took := time.Since(start)
	require.Equal(t, http.StatusOK, code, body)
	require.Less(t, took, 2*time.Second)
	require.Equal(t, 0.0, value(t, body, "pitstop_probe_success"))
	require.Equal(t, 1.0, value(t, body, `pitstop_check_status{category="crm",check="crm.auth",status="error"}`))
	require.Equal(t, 1.0, value(t, body, `pitstop_check_status{category="api",check="api.auth",status="pass"}`))
	// Whether the CRM checks gave up on their own (their HTTP client honours
	// the same deadline) or the probe cut them short depends on which
	// timer fires first; either way they are counted, never failed.
	require.GreaterOrEqual(t, value(t, body, "pitstop_probe_unfinished_checks"), 0.0)
	require.Equal(t, 0.0, value(t, body, `pitstop_check_status{category="crm",check="crm.auth",status="fail"}`))
}

// memoryBound is the heap the exporter may hold after probing 1,000
// profiles in turn with every result still cached (measured: see the log
// line; the README states the figure).
const memoryBound = 32 << 20

// TestSweepProfilesInTurn probes 1,000 profiles (under -race 100), each
// with every category configured, one after the other through the real
// handler, cache and exposition, and measures the heap still in use with
// every run in the cache. Each profile's checks answer with the results of
// one real run against the sandbox (every check, with its facts), copied
// per profile, so the figure is the exporter's own: no sandbox server
// shares the heap.
func TestSweepProfilesInTurn(t *testing.T) {
	sb := startSandbox(t, "mixed")
	template := (&check.Runner{}).Run(context.Background(), suite.For(lookOnly(sb.Profile), nil))
	require.Greater(t, len(template), 20)
	checks := func(*config.Profile, []string) []check.Check {
		out := make([]check.Check, len(template))
		for i, r := range template {
			out[i] = check.Check{ID: r.ID, Category: r.Category, Title: r.Title, Run: func(context.Context) check.Result {
				c := r
				c.Details = slices.Clone(r.Details)
				c.Facts = maps.Clone(r.Facts)
				return c
			}}
		}
		return out
	}
	data, err := os.ReadFile(sb.ConfigPath)
	require.NoError(t, err)
	_, body, ok := strings.Cut(string(data), "  "+demo.SandboxProfile+":\n")
	require.True(t, ok)
	var b strings.Builder
	b.WriteString("profiles:\n")
	n := race.Pick(1000, 100)
	for i := range n {
		fmt.Fprintf(&b, "  client-%04d:\n%s", i, body)
	}
	path := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o600))

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	s, ts := newTestServer(t, Options{SettingsPath: path, CacheTTL: time.Hour, Checks: checks})
	// Uncompressed answers, and fewer collections while the heap grows (the
	// figure is read after a full collection, so neither changes it): under
	// -race, gzip and the collector were half of this test's time.
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	start := time.Now()
	for i := range n {
		resp, err := client.Get(fmt.Sprintf("%s/probe?profile=client-%04d", ts.URL, i))
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
	}
	elapsed := time.Since(start)
	require.Equal(t, n, s.cache.len())
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	held := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("%d profiles (%d checks each) probed in turn in %s; heap held with the settings and all %d runs cached: %.1f MiB (bound %d MiB)",
		n, len(template), elapsed.Round(time.Millisecond), n, float64(held)/(1<<20), memoryBound>>20)
	require.Less(t, held, int64(memoryBound))
}

// TestSandboxCRMDataQualityWithoutPersonalData: the dirty CRM's data
// quality reaches the probe as gauges (complete ratio under the alert's
// 0.70, a fill ratio per mapped field), and no name, address or phone
// number of its records is in the probe, the page or /metrics.
func TestSandboxCRMDataQualityWithoutPersonalData(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t, "crm-data-quality")
	personal := sb.CRM.PersonalData()
	require.NotEmpty(t, personal)
	_, ts := newTestServer(t, Options{SettingsPath: sb.ConfigPath})
	code, probe := get(t, ts.URL+"/probe?profile="+demo.SandboxProfile+"&only=crm", nil)
	require.Equal(t, http.StatusOK, code, probe)
	require.Equal(t, 1.0, value(t, probe, `pitstop_check_status{category="crm",check="crm.data_quality",status="fail"}`))
	require.Less(t, value(t, probe, `pitstop_crm_complete_ratio{check="crm.data_quality"}`), 0.70)
	require.Positive(t, value(t, probe, `pitstop_crm_records_sampled{check="crm.data_quality"}`))
	require.Contains(t, probe, `pitstop_crm_field_fill_ratio{check="crm.data_quality",field=`)
	_, page := get(t, ts.URL+"/", nil)
	_, metrics := get(t, ts.URL+"/metrics", nil)
	for _, p := range personal {
		for where, out := range map[string]string{"probe": probe, "page": page, "metrics": metrics} {
			require.NotContains(t, out, p, "%s shows record data", where)
		}
	}
}
