package quality

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/check/suite"
	"pitstop/internal/config"
	"pitstop/internal/demo"
	"pitstop/internal/demo/hostile"
	"pitstop/internal/race"
	"pitstop/internal/tui"
	"pitstop/internal/tui/common"
	"pitstop/internal/tui/tuitest"
	"pitstop/internal/wizard"
)

// Planted canaries: one unique value per secret field, shaped like the
// real thing, with characters that URL and base64 encodings change.
const (
	canaryAPIKey   = "sk-proj-QUALITYcanaryAPI0123456789abcdefXYZ"
	canaryCRMToken = "pat-na1-QUALITYcanaryCRM-0123-4567-89ab-cdef"
	canarySMTPPass = "QUALITY canary+SMTP/pass=0123456789&x"
	canaryRedisPW  = "QUALITYcanaryREDIS0123456789abcdef"
)

// forms are the ways a secret can leak: as is, URL- and JSON-encoded,
// base64 (whole, or inside a longer base64 text at any alignment), and the
// middle of it (a masked form shows only a short prefix and the last four).
func forms(secret string) []string {
	out := []string{secret, url.QueryEscape(secret), url.PathEscape(secret),
		base64.StdEncoding.EncodeToString([]byte(secret)), base64.URLEncoding.EncodeToString([]byte(secret))}
	if b, err := json.Marshal(secret); err == nil {
		out = append(out, strings.Trim(string(b), `"`))
	}
	for k := range 3 {
		enc := base64.StdEncoding.EncodeToString(append(make([]byte, k), secret...))
		start, end := (8*k+5)/6, 8*(k+len(secret))/6
		out = append(out, enc[start:end])
	}
	if len(secret) >= 20 {
		out = append(out, secret[8:len(secret)-4])
	}
	return out
}

// leaks returns the first form of a secret found in text.
func leaks(text string, secrets []string) (form string, at int, found bool) {
	for _, s := range secrets {
		for _, f := range forms(s) {
			if i := strings.Index(text, f); i >= 0 {
				return f, i, true
			}
		}
	}
	return "", 0, false
}

// requireNoCanary fails when any form of any secret is in text.
func requireNoCanary(t *testing.T, where, text string, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		for _, f := range forms(s) {
			if i := strings.Index(text, f); i >= 0 {
				lo, hi := max(0, i-120), min(len(text), i+len(f)+40)
				t.Errorf("%s shows a secret (as %q):\n…%s…", where, f, text[lo:hi])
			}
		}
	}
}

// canarySetup is a sandbox with its config and the secrets it holds.
type canarySetup struct {
	sb      *demo.Sandbox
	config  string
	profile *config.Profile
	secrets []string
}

// setups are the two ways secrets meet the product: the sandbox's own random
// secrets, which its services accept (transcripts, logins, sent mail), and
// planted canaries, which they reject (providers echo rejected keys back).
var setups = []struct {
	name  string
	plant bool
}{{"accepted", false}, {"rejected", true}}

func startCanarySandbox(t *testing.T, plant bool) canarySetup {
	t.Helper()
	sb, err := demo.StartSandbox("healthy", demo.SandboxOptions{Dir: t.TempDir()})
	require.NoError(t, err)
	t.Cleanup(func() { _ = sb.Close() })
	cs := canarySetup{sb: sb, config: sb.ConfigPath, profile: sb.Profile}
	if plant {
		p := *sb.Profile
		p.API.Key = config.NewSecret(canaryAPIKey, "file")
		p.CRM.Token = config.NewSecret(canaryCRMToken, "file")
		p.SMTP.Password = config.NewSecret(canarySMTPPass, "file")
		u, err := url.Parse(p.Cache.RedisURL)
		require.NoError(t, err)
		u.User = url.UserPassword("", canaryRedisPW)
		p.Cache.RedisURL = u.String()
		cs.config = filepath.Join(t.TempDir(), "planted.yaml")
		require.NoError(t, demo.WriteConfig(cs.config, &p))
		cs.profile = &p
	}
	for _, s := range cs.profile.Secrets() {
		require.True(t, s.IsSet())
		cs.secrets = append(cs.secrets, s.Reveal())
	}
	require.Len(t, cs.secrets, 4, "api key, crm token, smtp password, redis password")
	// The detector itself: the config file holds every secret in clear.
	text, err := os.ReadFile(cs.config)
	require.NoError(t, err)
	for _, s := range cs.secrets {
		_, _, found := leaks(string(text), []string{s})
		require.True(t, found, "the canary detector finds a secret in the config file")
	}
	return cs
}

// TestSecretCanaryChecks runs every check against the sandbox through the
// runner, as `pitstop check` and the wizard do, and looks for the secrets
// in every string of every result.
func TestSecretCanaryChecks(t *testing.T) {
	t.Parallel()
	for _, setup := range setups {
		t.Run(setup.name, func(t *testing.T) {
			t.Parallel()
			cs := startCanarySandbox(t, setup.plant)
			cfg, err := config.Load(cs.config)
			require.NoError(t, err)
			p, err := cfg.Profile("")
			require.NoError(t, err)
			r := &check.Runner{Timeout: 10 * time.Second, Scrub: cfg.Scrubber().Scrub}
			results := r.Run(context.Background(), suite.For(p, nil))
			require.NotEmpty(t, results)
			cats := map[string]bool{}
			for _, res := range results {
				cats[res.Category] = true
			}
			for _, c := range []string{"api", "crm", "smtp", "domain", "content", "cache"} {
				require.True(t, cats[c], "the %s checks ran", c)
			}
			requireNoCanary(t, "the check results", everything(results), cs.secrets)
			b, err := json.Marshal(results)
			require.NoError(t, err)
			requireNoCanary(t, "the results as JSON", string(b), cs.secrets)
		})
	}
}

// TestSecretCanaryCommands runs the product's binary the way a person and
// CI do: every `pitstop check` format, `pitstop report` in both formats
// (to standard output and to a file), `pitstop diagnose` on an error that
// holds the key, a short `pitstop monitor`, all with --debug into one
// activity log; no output, file or log line shows a secret.
func TestSecretCanaryCommands(t *testing.T) {
	t.Parallel()
	bin := pitstopBinary(t)
	for _, setup := range setups {
		t.Run(setup.name, func(t *testing.T) {
			t.Parallel()
			cs := startCanarySandbox(t, setup.plant)
			dir := t.TempDir()
			logFile := filepath.Join(dir, "activity.log")
			reportFile := filepath.Join(dir, "report.json")
			apiKey := cs.secrets[0]
			pasted := "Error: 401 Incorrect API key provided: " + apiKey + " (invalid_api_key)\nAuthorization: Bearer " + apiKey
			runs := [][]string{
				{"check", "--format", "text"},
				{"check", "--format", "text", "--verbose"},
				{"check", "--format", "json"},
				{"check", "--format", "junit"},
				{"check", "--format", "markdown", "--strict"},
				{"report", "--format", "markdown", "--out", "-", "--error", pasted, "--step", "login with " + cs.secrets[2],
					"--expected", "works", "--actual", "rejects " + cs.secrets[1], "--impact", "high"},
				{"report", "--format", "json", "--out", reportFile, "--error", pasted},
				{"diagnose", pasted},
				{"diagnose", "--format", "json", pasted},
				{"monitor", "--duration", "1500ms", "--interval", "500ms", "--format", "json"},
			}
			var mu sync.Mutex
			var wg sync.WaitGroup
			for _, args := range runs {
				wg.Go(func() {
					full := append([]string{"--config", cs.config, "--log-file", logFile, "--debug", "--timeout", "10s"}, args...)
					ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
					defer cancel()
					cmd := exec.CommandContext(ctx, bin, full...)
					cmd.Dir = dir
					cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+dir, "XDG_STATE_HOME="+dir, "PITSTOP_CONFIG=")
					var stdout, stderr bytes.Buffer
					cmd.Stdout, cmd.Stderr = &stdout, &stderr
					err := cmd.Run()
					name := args[0]
					if i := slices.Index(args, "--format"); i >= 0 {
						name += " --format " + args[i+1]
					}
					mu.Lock()
					defer mu.Unlock()
					if ee, ok := err.(*exec.ExitError); ok {
						// 0 all pass, 1 a check failed: both are answers.
						require.LessOrEqual(t, ee.ExitCode(), 1, "pitstop %s: %s", name, stderr.String())
					} else {
						require.NoError(t, err, "pitstop %s", name)
					}
					require.NotEmpty(t, stdout.String()+stderr.String(), "pitstop %s said nothing", name)
					t.Logf("pitstop %s: exit %v, %d bytes out, %d bytes err", name, err, stdout.Len(), stderr.Len())
					requireNoCanary(t, "pitstop "+name+" (stdout)", stdout.String(), cs.secrets)
					requireNoCanary(t, "pitstop "+name+" (stderr)", stderr.String(), cs.secrets)
				})
			}
			wg.Wait()
			report, err := os.ReadFile(reportFile)
			require.NoError(t, err)
			require.True(t, json.Valid(report))
			requireNoCanary(t, "the report file", string(report), cs.secrets)
			log, err := os.ReadFile(logFile)
			require.NoError(t, err)
			require.Contains(t, string(log), `"level":"DEBUG"`, "--debug logs the details")
			t.Logf("report file %d bytes, activity log %d bytes", len(report), len(log))
			requireNoCanary(t, "the activity log", string(log), cs.secrets)
		})
	}
}

// TestSecretCanaryScreens opens the wizard on the sandbox with real checks
// and walks every screen: the whole health check run live, every result
// opened, the settings form, articles, the escalation report, the
// checklists, the monitor; no frame shows a secret, styled or plain.
func TestSecretCanaryScreens(t *testing.T) {
	t.Parallel()
	for _, setup := range setups {
		t.Run(setup.name, func(t *testing.T) {
			t.Parallel()
			cs := startCanarySandbox(t, setup.plant)
			cfg, err := config.Load(cs.config)
			require.NoError(t, err)
			p, err := cfg.Profile("")
			require.NoError(t, err)
			ctx, cancel := context.WithCancel(context.Background())
			t.Cleanup(cancel)
			newCommon := func() *common.Common {
				c := common.Must(common.New(common.Options{KB: tuitest.KB(t, "en"), Config: cfg, Profile: p,
					ConfigPath: filepath.Join(t.TempDir(), "config.yaml"), Lang: "en", Theme: "dark",
					Timeout: 10 * time.Second, Version: "test", Ctx: ctx, Sandbox: "healthy"}))
				c.Animate, c.StatusTTL = false, 0
				return c
			}
			frames := 0
			look := func(what string, d *tuitest.Driver) {
				t.Helper()
				frames++
				raw := d.Model.View().Content
				requireNoCanary(t, what+" (styled)", raw, cs.secrets)
				requireNoCanary(t, what, ansi.Strip(raw), cs.secrets)
				// The frame as the screens drew it, before the root's last
				// scrub: that scrub is a second wall, not the only one.
				if m, ok := d.Model.(interface{ Unscrubbed() string }); ok {
					requireNoCanary(t, what+" (before the root's scrub)", ansi.Strip(m.Unscrubbed()), cs.secrets)
				} else {
					t.Fatal("the wizard's root model no longer exposes Unscrubbed")
				}
			}

			// The live health check: every check against the sandbox, then
			// every result opened in turn.
			c := newCommon()
			d := tuitest.NewDriver(t, tui.New(c), 100, 40)
			d.Press("2")
			look("the health check", d)
			require.NotEmpty(t, c.Session.Results, "the checks ran")
			for i := range c.Session.Results {
				d.Press("enter")
				look(fmt.Sprintf("result %d opened", i+1), d)
				d.Press("enter", "down")
			}
			results := c.Session.Results

			// Every other screen, after a run like that one.
			for _, wk := range walks {
				c := newCommon()
				if wk.finished {
					s := c.Session
					s.Profile = wizard.CloneProfile(c.Profile)
					s.Categories = []string{"api", "crm", "smtp", "domain", "content", "cache"}
					s.Results = slices.Clone(results)
					s.Pasted = "401 Incorrect API key provided: " + cs.secrets[0] + "\n535 login failed for " + cs.secrets[2]
					s.Matches = c.KB.Match(s.Evidence())
				}
				d := tuitest.NewDriver(t, tui.New(c), 100, 40)
				wk.keys(d)
				look("the "+wk.name+" screen", d)
				if !race.Enabled { // a narrow window cuts texts in other places
					d.Send(tea.WindowSizeMsg{Width: 60, Height: 15})
					look("the "+wk.name+" screen at 60x15", d)
				}
			}
			t.Logf("%d frames looked at", frames)
		})
	}
}

// echoPads place the echoed secret where the checks cut outside text (60,
// 80, 120 and 300 characters, after the prefixes they add) and around it.
func echoPads() []int {
	var pads []int
	for p := 0; p <= 320; p++ {
		if p%10 == 0 || (p >= 50 && p <= 90) || (p >= 105 && p <= 125) || (p >= 270 && p <= 305) {
			pads = append(pads, p)
		}
	}
	return pads
}

// requireNoRun fails when out holds 8 characters in a row of a key past its
// public prefix, or 5 of a password (runs of digits alone aside: timings
// and ports are made of them).
func requireNoRun(t *testing.T, where, out string, keys, passwords []string) {
	t.Helper()
	check := func(v string, n int) {
		for i := 0; i+n <= len(v); i++ {
			run := v[i : i+n]
			if strings.Trim(run, "0123456789") == "" {
				continue
			}
			if j := strings.Index(out, run); j >= 0 {
				lo, hi := max(0, j-80), min(len(out), j+n+40)
				t.Fatalf("%s shows %q of a secret:\n…%s…", where, run, out[lo:hi])
			}
		}
	}
	for _, k := range keys {
		check(k[len(config.PublicPrefix(k)):], 8)
	}
	for _, p := range passwords {
		check(p, 5)
	}
}

// TestSecretCanaryHostileEchoes points every protocol at servers that echo
// the credential back, padded so it sits at every place the checks cut
// text, and in every quoting (Go, JSON, base64, \u escapes, an AUTH PLAIN
// blob): the three AI APIs and the three CRMs over HTTP (bodies and
// headers), SMTP's AUTH replies and Redis's errors. No result, in text or
// JSON, shows a run of a secret.
func TestSecretCanaryHostileEchoes(t *testing.T) {
	t.Parallel()
	keys := []string{canaryAPIKey, canaryCRMToken}
	passwords := []string{canarySMTPPass, canaryRedisPW}
	for _, pad := range echoPads() {
		h, err := hostile.StartEcho(hostile.DialectHTTP, pad)
		require.NoError(t, err)
		sm, err := hostile.StartEcho(hostile.DialectSMTP, pad)
		require.NoError(t, err)
		rd, err := hostile.StartEcho(hostile.DialectRESP, pad)
		require.NoError(t, err)
		host, port, _ := strings.Cut(sm.Addr(), ":")
		portN := 0
		_, _ = fmt.Sscan(port, &portN)
		var profiles []*config.Profile
		for i, prov := range []struct{ api, base, crm string }{
			{"openai", "/v1", "hubspot"}, {"anthropic", "", "salesforce"}, {"copycar", "/v2", "pipedrive"},
		} {
			p := &config.Profile{Name: "echo"}
			p.API = config.APIConfig{Provider: prov.api, BaseURL: h.URL() + prov.base, Key: config.NewSecret(canaryAPIKey, "file")}
			p.CRM = config.CRMConfig{Provider: prov.crm, BaseURL: h.URL(), Token: config.NewSecret(canaryCRMToken, "file")}
			if i == 0 {
				p.SMTP = config.SMTPConfig{Host: host, Port: portN, Security: "none", Username: "mailer@echo.test",
					Password: config.NewPassword(canarySMTPPass, "file")}
				p.Cache = config.CacheConfig{RedisURL: "redis://:" + url.PathEscape(canaryRedisPW) + "@" + rd.Addr() + "/0"}
			}
			profiles = append(profiles, p)
		}
		for _, p := range profiles {
			cfg := &config.Config{Profiles: map[string]*config.Profile{"echo": p}}
			r := &check.Runner{Timeout: 5 * time.Second, Scrub: cfg.Scrubber().Scrub}
			results := r.Run(context.Background(), suite.For(p, []string{"api", "crm", "smtp", "cache"}))
			where := fmt.Sprintf("pad %d, %s and %s", pad, p.API.Provider, p.CRM.Provider)
			text := everything(results)
			requireNoRun(t, where+" (text)", text, keys, passwords)
			b, err := json.Marshal(results)
			require.NoError(t, err)
			requireNoRun(t, where+" (JSON)", string(b), keys, passwords)
			requireNoCanary(t, where, text+string(b), append(keys, passwords...))
			if pad == 80 && p.API.Provider == "openai" {
				// The servers did echo: the masked forms are there.
				require.Contains(t, text, "sk-proj-…fXYZ", "the API's echo, masked")
				require.Contains(t, text, "failed: "+strings.Repeat("x", pad)+"•••• quoted", "the SMTP echo, masked")
				require.Contains(t, text, "pair: "+strings.Repeat("x", pad)+"•••• quoted", "the Redis echo, masked")
			}
		}
		require.NoError(t, h.Close())
		require.NoError(t, sm.Close())
		require.NoError(t, rd.Close())
	}
}
