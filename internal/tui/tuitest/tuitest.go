// Package tuitest builds deterministic wizards for tests: the real knowledge
// base, a profile holding a canary secret, stub checks with fixed outcomes
// and durations, a fixed clock and no animation.
package tuitest

import (
	"context"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/escalate"
	"pitstop/internal/fix"
	"pitstop/internal/kb"
	"pitstop/internal/tui/common"
	"pitstop/knowledge"
)

// Canary is a fake API key that must never appear on any screen.
const Canary = "sk-canary-7f3d9a1b2c4e6f8091a2b3c4d5e6f708"

// CanaryPassword is a fake SMTP password that must never appear either.
const CanaryPassword = "pw-canary-0a1b2c3d4e5f60718293"

// Clock is the fixed time every test wizard lives at.
var Clock = time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)

// ConfigYAML is the profile of the test wizard.
const ConfigYAML = `default_profile: production
profiles:
  production:
    api:
      provider: copycar
      base_url: https://api.copycarai.test/v2
      key: ` + Canary + `
    crm:
      provider: hubspot
      base_url: https://api.hubapi.test
    smtp:
      host: smtp.example.test
      port: 587
      username: mailer@example.test
      password: ` + CanaryPassword + `
      from: news@example.test
    domain:
      name: example.test
      dkim_selectors: [s1]
`

var (
	basesMu sync.Mutex
	bases   = map[string]*kb.Base{}
)

// KB loads the embedded knowledge base in lang (once per test binary; a
// Base is read-only and safe to share).
func KB(tb testing.TB, lang string) *kb.Base {
	tb.Helper()
	basesMu.Lock()
	defer basesMu.Unlock()
	if b, ok := bases[lang]; ok {
		return b
	}
	b, _, err := kb.Load(knowledge.FS, "", lang)
	if err != nil {
		tb.Fatalf("load knowledge: %v", err)
	}
	bases[lang] = b
	return b
}

// escalation is the built-in escalation policy and checklists, parsed once
// per test binary and shared as the knowledge base is (nothing changes
// them): parsing them for every wizard was a tenth of common.New's time.
var escalation = sync.OnceValues(func() (pair struct {
	policy     *escalate.Policy
	checklists *escalate.Checklists
}, err error) {
	if pair.policy, err = escalate.LoadPolicy(knowledge.FS, ""); err != nil {
		return pair, err
	}
	pair.checklists, err = escalate.LoadChecklists(knowledge.FS, "")
	return pair, err
})

// Common returns a wizard's shared state for tests: ConfigYAML, the
// knowledge base in lang, StubChecks, the fixed clock, no animation, a
// config path inside a temporary directory.
func Common(tb testing.TB, lang string) *common.Common {
	tb.Helper()
	cfg, err := config.Parse("config.yaml", []byte(ConfigYAML))
	if err != nil {
		tb.Fatalf("parse config: %v", err)
	}
	p, err := cfg.Profile("")
	if err != nil {
		tb.Fatalf("profile: %v", err)
	}
	dir := tb.TempDir()
	esc, err := escalation()
	if err != nil {
		tb.Fatalf("escalation policy: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	tb.Cleanup(cancel)
	c, err := common.New(common.Options{Theme: "dark",
		KB:         KB(tb, lang),
		Policy:     esc.policy,
		Checklists: esc.checklists,
		Config:     cfg,
		Profile:    p,
		ConfigPath: filepath.Join(dir, "config.yaml"),
		Lang:       lang,
		Timeout:    2 * time.Second,
		Version:    "test",
		Now:        func() time.Time { return Clock },
		Ctx:        ctx,
	})
	if err != nil {
		tb.Fatalf("common: %v", err)
	}
	c.Animate = false
	c.StatusTTL = 0
	c.Checks = StubChecks
	// No fixes unless a test gives some: proposing real ones looks up DNS.
	c.Propose = func(context.Context, *fix.Input) []fix.Fix { return nil }
	return c
}

// Results are the fixed outcomes the stub checks return, by check ID.
func Results() map[string]check.Result {
	return map[string]check.Result{
		"api.config": check.Passf("The API settings look complete.").With("provider copycar", "base_url https://api.copycarai.test/v2", "key "+config.Mask(Canary)+" (from the config file)"),
		"api.reachability": check.Passf("The API answers in 0.14 s.").With(
			"GET https://api.copycarai.test/v2/health → 200 OK",
			"DNS 1ms │ connect 0ms │ TLS 3ms │ server 12ms │ transfer 0ms",
			"[░░▒▓▓▓▓▓▓▓█████████████████████████████▄] 17ms total"),
		"api.auth": check.Failf("The API key was refused: the provider answered 401 Invalid API Key.").With(
			"GET https://api.copycarai.test/v2/verify → 401 Unauthorized",
			`body: {"error":"Invalid API Key","key":"`+Canary+`"}`).Explain("api-invalid-key"),
		"api.ratelimit": check.Passf("Plenty of room left: 4,980 of 5,000 requests this minute.").With("x-ratelimit-remaining-requests: 4980"),
		"smtp.connect":  check.Passf("The mail server answers on smtp.example.test:587.").With("<- 220 smtp.example.test ESMTP ready"),
		"smtp.tls":      check.Passf("STARTTLS works: TLS 1.3 with a certificate valid for smtp.example.test.").With("-> EHLO pitstop", "<- 250-STARTTLS", "-> STARTTLS", "<- 220 2.0.0 Ready to start TLS", "** TLS 1.3 started"),
		"smtp.auth": check.Failf("The mail server refused the user name and password.").With(
			"-> AUTH PLAIN ••••••", "<- 535 5.7.8 Error: authentication failed: "+CanaryPassword).Explain("smtp-auth-failed"),
		"domain.spf":   check.Warnf("SPF allows any server with ~all: mail from elsewhere is only marked, not refused.").With(`example.test. 300 IN TXT "v=spf1 include:_spf.example.test ~all"`).Explain("domain-spf-invalid"),
		"domain.dmarc": check.Errorf("Could not test: the DNS server did not answer in time."),
		"crm.auth":     check.Skipf("Not run: no CRM token is set."),
	}
}

// durations are the fixed durations shown for the stub results.
var durations = map[string]time.Duration{
	"api.config": 0, "api.reachability": 142 * time.Millisecond, "api.auth": 188 * time.Millisecond,
	"api.ratelimit": 95 * time.Millisecond, "smtp.connect": 61 * time.Millisecond, "smtp.tls": 230 * time.Millisecond,
	"smtp.auth": 412 * time.Millisecond, "domain.spf": 35 * time.Millisecond, "domain.dmarc": 2 * time.Second,
	"crm.auth": 0,
}

var titles = map[string]string{
	"api.config": "API settings", "api.reachability": "API answers", "api.auth": "API key accepted",
	"api.ratelimit": "Rate limit headroom", "smtp.connect": "Mail server answers", "smtp.tls": "Encryption (TLS)",
	"smtp.auth": "Mail login", "domain.spf": "SPF record", "domain.dmarc": "DMARC policy", "crm.auth": "CRM token accepted",
}

// order is the stub checks in display order.
var order = []string{"api.config", "api.reachability", "api.auth", "api.ratelimit", "crm.auth",
	"smtp.connect", "smtp.tls", "smtp.auth", "domain.spf", "domain.dmarc"}

// StubChecks returns checks of the categories that answer at once with
// Results. They leak the canary into their text on purpose: the runner's
// scrubber must mask it.
func StubChecks(_ *config.Profile, categories []string) []check.Check {
	res := Results()
	var out []check.Check
	for _, id := range order {
		cat, _, _ := strings.Cut(id, ".")
		if len(categories) > 0 && !slices.Contains(categories, cat) {
			continue
		}
		r := res[id]
		out = append(out, check.Check{ID: id, Category: cat, Title: titles[id],
			Run: func(context.Context) check.Result { return r }})
	}
	return out
}

// FixedResults returns StubChecks' results as a finished run would hold
// them, with fixed durations and the canary scrubbed.
func FixedResults(c *common.Common, categories []string) []check.Result {
	res := Results()
	var out []check.Result
	for _, ch := range StubChecks(nil, categories) {
		r := res[ch.ID]
		r.ID, r.Category, r.Title, r.Duration = ch.ID, ch.Category, ch.Title, durations[ch.ID]
		r.Summary = c.Scrub(r.Summary)
		r.Details = c.Scrubber.ScrubAll(slices.Clone(r.Details))
		out = append(out, r)
	}
	return out
}

// Finish fills the session as a finished guided run about email would.
func Finish(c *common.Common, categories []string) {
	c.Plan(false)
	s := c.Session
	s.Categories = categories
	s.Results = FixedResults(c, categories)
	s.Started, s.Finished = Clock, Clock.Add(2300*time.Millisecond)
	s.Runs = 1
	s.Matches = c.KB.Match(s.Evidence())
}

// Plain strips styles from a view.
func Plain(s string) string { return ansi.Strip(s) }

// NoSecrets fails the test when a view holds a canary.
func NoSecrets(tb testing.TB, view string) {
	tb.Helper()
	for _, secret := range []string{Canary, CanaryPassword, Canary[10:30], CanaryPassword[3:20]} {
		if strings.Contains(view, secret) {
			tb.Fatalf("a secret is on screen:\n%s", view)
		}
	}
}

// Key turns a key name into the message a terminal sends: "enter", "esc",
// "up", "down", "space", "tab", "shift+tab", "backspace", "ctrl+c",
// "alt+enter", or text ("q", "535").
func Key(name string) tea.KeyPressMsg {
	switch name {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "alt+enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter, Mod: tea.ModAlt}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "home":
		return tea.KeyPressMsg{Code: tea.KeyHome}
	case "end":
		return tea.KeyPressMsg{Code: tea.KeyEnd}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	}
	r := []rune(name)
	return tea.KeyPressMsg{Code: r[0], Text: name}
}

// Driver sends messages to a model and runs the commands that follow,
// synchronously, as the program would, so a test sees the settled screen.
type Driver struct {
	tb    testing.TB
	Model tea.Model
	Quit  bool
}

// NewDriver starts a model: Init, then a window of w×h.
func NewDriver(tb testing.TB, m tea.Model, w, h int) *Driver {
	tb.Helper()
	d := &Driver{tb: tb, Model: m}
	d.run(m.Init())
	d.Send(tea.WindowSizeMsg{Width: w, Height: h})
	return d
}

// Send delivers messages one by one, each with its commands run to the end.
func (d *Driver) Send(msgs ...tea.Msg) *Driver {
	d.tb.Helper()
	for _, msg := range msgs {
		d.deliver(msg, 0)
	}
	return d
}

// Press sends keys by name (see Key); text longer than one rune is typed
// rune by rune unless it is a key name.
func (d *Driver) Press(keys ...string) *Driver {
	d.tb.Helper()
	for _, k := range keys {
		if len([]rune(k)) > 1 && !isKeyName(k) {
			for _, r := range k {
				d.Send(tea.KeyPressMsg{Code: r, Text: string(r)})
			}
			continue
		}
		d.Send(Key(k))
	}
	return d
}

func isKeyName(k string) bool {
	switch k {
	case "enter", "alt+enter", "esc", "up", "down", "left", "right", "pgdown", "home", "end", "space", "tab", "shift+tab", "backspace", "ctrl+c":
		return true
	}
	return false
}

// View returns the current frame without styles.
func (d *Driver) View() string { return Plain(d.Model.View().Content) }

func (d *Driver) deliver(msg tea.Msg, depth int) {
	if depth > 200 {
		d.tb.Fatalf("messages keep coming: last %T", msg)
	}
	if msg == nil {
		return
	}
	if _, ok := msg.(tea.QuitMsg); ok {
		d.Quit = true
		return
	}
	// Cursor blinking is a timer loop: the cursor stays lit in tests.
	if strings.HasSuffix(reflect.TypeOf(msg).PkgPath(), "bubbles/v2/cursor") {
		return
	}
	// tea.Batch and tea.Sequence deliver a list of commands.
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeFor[tea.Cmd]() {
		for i := range v.Len() {
			d.runDepth(v.Index(i).Interface().(tea.Cmd), depth+1)
		}
		return
	}
	m, cmd := d.Model.Update(msg)
	d.Model = m
	d.runDepth(cmd, depth+1)
}

func (d *Driver) run(cmd tea.Cmd) { d.runDepth(cmd, 0) }

// Run runs a command the test held back, and everything that follows it.
func (d *Driver) Run(cmd tea.Cmd) *Driver {
	d.run(cmd)
	return d
}

func (d *Driver) runDepth(cmd tea.Cmd, depth int) {
	if cmd == nil || isTimer(cmd) {
		return
	}
	d.deliver(cmd(), depth)
}

// isTimer spots commands that only wait (cursor blinking, tea.Tick): a
// test does not sit through them.
func isTimer(cmd tea.Cmd) bool {
	name := runtime.FuncForPC(reflect.ValueOf(cmd).Pointer()).Name()
	return strings.HasPrefix(name, "charm.land/bubbles/v2/cursor.") ||
		strings.HasPrefix(name, "charm.land/bubbletea/v2.Tick.") ||
		strings.HasPrefix(name, "charm.land/bubbletea/v2.Every.")
}
