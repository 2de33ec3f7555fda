package quality

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/charmbracelet/x/ansi"
	"github.com/creack/pty"
	"github.com/stretchr/testify/require"

	"pitstop/internal/demo/hostile"
)

// binaryEchoPads place the echoed credential across the cuts the checks
// make (a request id at 80, a provider's words, a CRM answer and the SMTP
// transcript at 300, after the prefixes each adds), and clear of them. The
// in-process TestSecretCanaryHostileEchoes walks every pad 0–320; this test
// proves that every output of the binary keeps what the door did.
var binaryEchoPads = []int{0, 45, 60, 78, 120, 230, 250, 262, 275, 290}

// echoCombos pair each AI API with a CRM, so every provider's answer is
// read at every pad.
var echoCombos = []struct{ api, base, crm string }{
	{"openai", "/v1", "hubspot"}, {"anthropic", "", "salesforce"}, {"copycar", "/v2", "pipedrive"},
}

// secretForms is every encoding of v the scrubber is meant to know, built
// here independently of it: raw, URL query and path escaping, JSON with and
// without HTML escaping, Go %q and %+q, \u escapes in both cases, hex in
// both cases, base64 in both alphabets with and without padding, the
// secret's own characters inside a longer base64 text at each of the three
// alignments, and each of these quoted once more (JSON and Go).
func secretForms(v string) []string {
	unq := func(q string) string { return q[1 : len(q)-1] }
	out := []string{v, url.QueryEscape(v), url.PathEscape(v)}
	j, _ := json.Marshal(v)
	out = append(out, unq(string(j)))
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	out = append(out, unq(strings.TrimSpace(b.String())), unq(strconv.Quote(v)), unq(strconv.QuoteToASCII(v)))
	var lower, upper strings.Builder
	for _, r := range v {
		units := []uint16{uint16(r)}
		if r > 0xffff {
			r1, r2 := utf16.EncodeRune(r)
			units = []uint16{uint16(r1), uint16(r2)}
		}
		for _, u := range units {
			fmt.Fprintf(&lower, `\u%04x`, u)
			fmt.Fprintf(&upper, `\u%04X`, u)
		}
	}
	out = append(out, lower.String(), upper.String(), hex.EncodeToString([]byte(v)), strings.ToUpper(hex.EncodeToString([]byte(v))))
	for _, e := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		whole := e.EncodeToString([]byte(v))
		out = append(out, whole, strings.TrimRight(whole, "="))
		for k := range 3 {
			blob := e.EncodeToString(append(make([]byte, k), v...))
			out = append(out, blob[(8*k+5)/6:8*(k+len(v))/6])
		}
	}
	for _, f := range slices.Clone(out) {
		j, _ := json.Marshal(f)
		out = append(out, unq(string(j)), unq(strconv.Quote(f)))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// controlLeaks are the ways a server's control bytes show in an output: as
// bytes or as XML character references. JSON is decoded first (decodedJSON):
// there a \u001b that stands for ESC is a leak, a spelled-out one is text.
var controlLeaks = regexp.MustCompile(`[\x00\x07\x1b]|&#(?:x0*(?:0|7|1[bB])|0*(?:0|7|27));`)

// decodedJSON returns every string held by text when it is JSON or JSON
// lines (an activity log), one a line, and false otherwise.
func decodedJSON(text string) (string, bool) {
	var b strings.Builder
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			b.WriteString(v + "\n")
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for k, e := range v {
				walk(k)
				walk(e)
			}
		}
	}
	dec := json.NewDecoder(strings.NewReader(text))
	n := 0
	for {
		var v any
		if err := dec.Decode(&v); err == io.EOF {
			return b.String(), n > 0
		} else if err != nil {
			return "", false
		}
		walk(v)
		n++
	}
}

// echoOutput is one thing the binary wrote: an output stream or a file.
type echoOutput struct {
	where string
	text  string
	// terminal output legitimately holds escape sequences of its own.
	terminal bool
}

// TestHostileEchoesThroughTheBinary runs the built binary against servers
// that echo the credential back (the three AI APIs and the three CRMs over
// HTTP, SMTP's AUTH replies, Redis's errors), padded so it sits at every
// cut, in every quoting, wrapped in terminal escape sequences, and reads
// every output a person or a program gets: `check` in each format,
// `report` to a file, `fix` as text and JSON, the activity log with
// --debug, the wizard's screens on a terminal, and the exporter's /probe
// and /metrics. No encoding of a secret the scrubber knows, no run of a
// key past its public prefix (8 characters) or of a password (5), no
// control byte from a server shows anywhere.
func TestHostileEchoesThroughTheBinary(t *testing.T) {
	t.Parallel()
	bin := pitstopBinary(t)
	dir := t.TempDir()
	keys := []string{canaryAPIKey, canaryCRMToken}
	passwords := []string{canarySMTPPass, canaryRedisPW}

	// One profile per pad and provider pair, each on its own servers.
	// The wizard runs every configured family: the sender domain's DNS
	// goes to a server that refuses every query, never to the system's.
	dns, err := hostile.StartHostile(hostile.DialectDNS, hostile.CloseImmediately)
	require.NoError(t, err)
	t.Cleanup(func() { _ = dns.Close() })
	var yaml strings.Builder
	yaml.WriteString("profiles:\n")
	q := func(s string) string { // a YAML double-quoted string
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(s)
		return strings.TrimSpace(b.String())
	}
	var profiles []string
	for _, pad := range binaryEchoPads {
		servers := map[hostile.Dialect]*hostile.EchoServer{}
		for _, d := range []hostile.Dialect{hostile.DialectHTTP, hostile.DialectSMTP, hostile.DialectRESP} {
			s, err := hostile.StartEcho(d, pad)
			require.NoError(t, err)
			t.Cleanup(func() { _ = s.Close() })
			servers[d] = s
		}
		host, port, _ := strings.Cut(servers[hostile.DialectSMTP].Addr(), ":")
		for _, c := range echoCombos {
			name := fmt.Sprintf("pad%d-%s", pad, c.api)
			profiles = append(profiles, name)
			fmt.Fprintf(&yaml, "  %s:\n", name)
			fmt.Fprintf(&yaml, "    api: {provider: %s, base_url: %s, key: %s}\n", c.api, q(servers[hostile.DialectHTTP].URL()+c.base), q(canaryAPIKey))
			fmt.Fprintf(&yaml, "    crm: {provider: %s, base_url: %s, token: %s}\n", c.crm, q(servers[hostile.DialectHTTP].URL()), q(canaryCRMToken))
			fmt.Fprintf(&yaml, "    smtp: {host: %s, port: %s, security: none, username: mailer@echo.test, password: %s, from: news@echo.test}\n", host, port, q(canarySMTPPass))
			fmt.Fprintf(&yaml, "    domain: {name: echo.test, dns_server: %s, dnsbl: []}\n", q(dns.Addr))
			fmt.Fprintf(&yaml, "    cache: {redis_url: %s}\n", q("redis://:"+url.PathEscape(canaryRedisPW)+"@"+servers[hostile.DialectRESP].Addr()+"/0"))
		}
	}
	cfgPath := filepath.Join(dir, "echo.yaml")
	require.NoError(t, os.WriteFile(cfgPath, []byte(yaml.String()), 0o600))

	// The detector itself: it finds every secret in the settings file.
	for _, s := range append(slices.Clone(keys), passwords...) {
		require.True(t, strings.Contains(yaml.String(), s), "the settings file holds %q", s)
	}

	env := append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+dir, "XDG_STATE_HOME="+dir, "PITSTOP_CONFIG=", "NO_COLOR=1")
	only := "api,crm,smtp,cache"
	type run struct {
		name  string
		args  []string
		files []string // written by the run, read afterwards
	}
	// Each profile goes through one format of `check` and one of `report`,
	// `fix` and `fix --format json`, in turn, so every output meets every
	// provider at several pads without running the binary 200 times.
	var runs []run
	formats := []string{"json", "junit", "markdown", "text"}
	for i, p := range profiles {
		logFile := func(what string) string { return filepath.Join(dir, p+"-"+what+".log") }
		common := func(what string, args ...string) []string {
			return append([]string{"--config", cfgPath, "--profile", p, "--log-file", logFile(what), "--debug", "--timeout", "5s"}, args...)
		}
		format := formats[i%len(formats)]
		runs = append(runs, run{p + " check --format " + format, common("check", "check", "--only", only, "--verbose", "--format", format), []string{logFile("check")}})
		report := filepath.Join(dir, p+"-report.md")
		runs = append(runs, []run{
			{p + " report", common("report", "report", "--only", only, "--out", report), []string{report, logFile("report")}},
			{p + " fix", common("fix", "fix", "--only", only), []string{logFile("fix")}},
			{p + " fix --format json", common("fix", "fix", "--only", only, "--format", "json"), []string{logFile("fix")}},
		}[(i+i/len(echoCombos))%3])
	}
	var (
		mu        sync.Mutex
		outputs   []echoOutput
		durations []time.Duration
	)
	collect := func(o ...echoOutput) {
		mu.Lock()
		defer mu.Unlock()
		outputs = append(outputs, o...)
	}
	start := time.Now()
	var wizardRuns atomic.Int32
	var wg sync.WaitGroup
	slots := make(chan struct{}, 8)
	failures := make(chan string, len(runs)+4)
	for _, r := range runs {
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, r.args...)
			cmd.Dir, cmd.Env = dir, env
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			t0 := time.Now()
			err := cmd.Run()
			took := time.Since(t0)
			mu.Lock()
			durations = append(durations, took)
			mu.Unlock()
			if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() > 1 || err != nil && !ok {
				failures <- fmt.Sprintf("pitstop %s: %v\n%s", r.name, err, stderr.String())
				return
			}
			collect(echoOutput{where: r.name + " (stdout)", text: stdout.String()}, echoOutput{where: r.name + " (stderr)", text: stderr.String()})
			for _, f := range r.files {
				b, err := os.ReadFile(f)
				if err != nil {
					failures <- fmt.Sprintf("pitstop %s wrote no %s: %v", r.name, filepath.Base(f), err)
					continue
				}
				collect(echoOutput{where: r.name + " (" + filepath.Base(f) + ")", text: string(b)})
			}
		})
	}
	// The wizard: on a terminal, full screen, every result opened; and in
	// accessible mode, which reads every result and its evidence out.
	for i, p := range profiles {
		if pad, combo := i/len(echoCombos), i%len(echoCombos); pad%3 != 2 || combo != pad/3 {
			continue // three pads (60, 230, 275), each provider pair once
		}
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			out, err := echoWizard(bin, cfgPath, p, dir, env)
			if err != nil {
				seen := ansi.Strip(out)
				failures <- fmt.Sprintf("the wizard on %s: %v\n…%s", p, err, seen[max(0, len(seen)-3000):])
				return
			}
			collect(echoOutput{where: "the wizard on " + p + " (as drawn)", text: out, terminal: true},
				echoOutput{where: "the wizard on " + p, text: ansi.Strip(out), terminal: true})
			wizardRuns.Add(1)
		})
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			cmd := exec.Command(bin, "--config", cfgPath, "--profile", p, "--timeout", "5s", "--accessible")
			cmd.Dir, cmd.Env = dir, env
			cmd.Stdin = strings.NewReader("2\n") // every check; then input ends
			out, err := cmd.CombinedOutput()
			if err != nil {
				failures <- fmt.Sprintf("the accessible wizard on %s: %v\n%s", p, err, out)
				return
			}
			if !strings.Contains(string(out), "WRONGPASS") {
				failures <- fmt.Sprintf("the accessible wizard on %s read no result out:\n%s", p, out)
			}
			collect(echoOutput{where: "the accessible wizard on " + p, text: string(out)})
			wizardRuns.Add(1)
		})
	}
	wg.Go(func() {
		if err := echoServeProbes(bin, cfgPath, dir, env, profiles, only, collect); err != nil {
			failures <- err.Error()
		}
	})
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Error(f)
	}
	require.False(t, t.Failed())
	slices.Sort(durations)
	var sum time.Duration
	for _, d := range durations {
		sum += d
	}
	t.Logf("runs: median %s, slowest %s, total %s", durations[len(durations)/2], durations[len(durations)-1], sum)
	require.EqualValues(t, 6, wizardRuns.Load(), "three wizards on a terminal, three in accessible mode")
	t.Logf("%d runs of the binary over %d profiles (%d pads × %d provider pairs), %d of the wizard, and the exporter: %s",
		len(runs), len(profiles), len(binaryEchoPads), len(echoCombos), wizardRuns.Load(), time.Since(start).Round(time.Millisecond))

	forms := map[string][]string{}
	nForms := 0
	for _, s := range append(slices.Clone(keys), passwords...) {
		forms[s] = secretForms(s)
		nForms += len(forms[s])
	}
	bytesRead, jsonOutputs := 0, 0
	for _, o := range outputs {
		bytesRead += len(o.text)
		for s, fs := range forms {
			for _, f := range fs {
				if i := strings.Index(o.text, f); i >= 0 {
					t.Errorf("%s shows %q (a form of %q):\n…%s…", o.where, f, s, o.text[max(0, i-80):min(len(o.text), i+len(f)+40)])
				}
			}
		}
		requireNoRun(t, o.where, o.text, keys, passwords)
		// A terminal's own output holds escape sequences, but never the
		// server's (spelled out as JSON text, as a CRM's answer is quoted, it
		// is only words).
		require.NotContains(t, o.text, "\x1b]0;"+hostile.EchoTitle, "%s: a server retitled the terminal", o.where)
		if o.terminal {
			continue
		}
		text := o.text
		if decoded, ok := decodedJSON(text); ok {
			text += decoded
			jsonOutputs++
		}
		if loc := controlLeaks.FindStringIndex(text); loc != nil {
			t.Errorf("%s holds a control byte from a server (%q):\n…%q…", o.where, text[loc[0]:loc[1]], text[max(0, loc[0]-80):min(len(text), loc[1]+40)])
		}
	}
	// The servers did echo, and the outputs say what they answered.
	all := func(suffix string) string {
		var b strings.Builder
		for _, o := range outputs {
			if strings.HasSuffix(o.where, suffix) {
				b.WriteString(o.text)
			}
		}
		return b.String()
	}
	require.Contains(t, all("check --format text (stdout)"), "sk-proj-…fXYZ", "the API's echo, masked")
	require.Contains(t, all("check --format json (stdout)"), "WRONGPASS", "Redis's answer is in the results")
	require.Contains(t, all("check.log)"), `"level":"DEBUG"`, "--debug logs the details")
	require.Positive(t, jsonOutputs, "the JSON outputs and logs were decoded")
	t.Logf("%d outputs (%d of them JSON, decoded), %.1f MiB, searched for %d encodings of %d secrets and their runs", len(outputs), jsonOutputs, float64(bytesRead)/(1<<20), nForms, len(forms))
}

// echoWizard opens the wizard on a terminal, runs every check, opens each
// result's evidence in turn and quits; it returns all the terminal was sent.
// Each key waits for the screen to change (the only progress signal a
// full-screen program gives), never for a fixed time.
func echoWizard(bin, cfgPath, profile, dir string, env []string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--config", cfgPath, "--profile", profile, "--timeout", "5s")
	cmd.Dir = dir
	cmd.Env = append(slices.DeleteFunc(slices.Clone(env), func(v string) bool { return v == "NO_COLOR=1" }), "TERM=xterm-256color")
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 100})
	if err != nil {
		return "", err
	}
	defer tty.Close()
	var out lockedOutput
	copied := make(chan struct{})
	go func() { _, _ = io.Copy(&out, tty); close(copied) }()
	wait := func(cond func(string) bool, what string) error {
		for !cond(out.String()) {
			select {
			case <-ctx.Done():
				return fmt.Errorf("waiting for %s: %w", what, ctx.Err())
			case <-out.changed():
			}
		}
		return nil
	}
	press := func(key string) error {
		n := out.Len()
		if _, err := tty.Write([]byte(key)); err != nil {
			return err
		}
		return wait(func(s string) bool { return len(s) > n }, fmt.Sprintf("the screen to answer %q", key))
	}
	fail := func(err error) (string, error) {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return out.String(), err
	}
	if err := wait(func(s string) bool { return strings.Contains(s, "Pitstop") }, "the home screen"); err != nil {
		return fail(err)
	}
	if err := press("2"); err != nil {
		return fail(err)
	}
	if err := wait(func(s string) bool { return strings.Contains(s, "Done.") }, "the checks to end"); err != nil {
		return fail(err)
	}
	if err := press("\r"); err != nil {
		return fail(err)
	}
	if err := wait(func(s string) bool { return strings.Contains(s, "details") }, "the results"); err != nil {
		return fail(err)
	}
	// Every result's evidence, opened and closed. A key that changes
	// nothing (enter on a result without evidence) draws nothing, and keys
	// handled within one frame are drawn together, so each step ends with
	// "t": it changes the theme, which recolours every cell and says so
	// ("Theme: light (t for the next)"). When that is drawn, so is what the
	// keys before it did.
	const themed = "(t for the next)"
	step := func(keys string) error {
		n := strings.Count(out.String(), themed)
		if _, err := tty.Write([]byte(keys + "t")); err != nil {
			return err
		}
		return wait(func(s string) bool { return strings.Count(s, themed) > n }, fmt.Sprintf("the screen to answer %q", keys))
	}
	if err := step("g"); err != nil { // the list opens on the first problem: start at the top
		return fail(err)
	}
	for range 23 { // the results, not the articles listed after them
		if err := step("\r"); err != nil {
			return fail(err)
		}
		if err := step("\r\x1b[B"); err != nil {
			return fail(err)
		}
	}
	if _, err := tty.Write([]byte("q")); err != nil {
		return fail(err)
	}
	if err := cmd.Wait(); err != nil {
		return out.String(), fmt.Errorf("the wizard ended with %v", err)
	}
	_ = tty.Close()
	<-copied
	// The evidence was drawn (the accessible runs read all of it out; a
	// long one here may sit below the fold).
	if !strings.Contains(ansi.Strip(out.String()), "provider said") {
		return out.String(), fmt.Errorf("no result's evidence was shown")
	}
	return out.String(), nil
}

// lockedOutput is a terminal's output, read while it is written, that says
// when it grows.
type lockedOutput struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	wake chan struct{}
}

func (o *lockedOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.wake != nil {
		close(o.wake)
		o.wake = nil
	}
	return o.buf.Write(p)
}

func (o *lockedOutput) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

func (o *lockedOutput) Len() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Len()
}

// changed is closed at the next write.
func (o *lockedOutput) changed() <-chan struct{} {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.wake == nil {
		o.wake = make(chan struct{})
	}
	return o.wake
}

// echoServeProbes runs `pitstop serve` on the settings and collects every
// profile's /probe answer, /metrics and the exporter's logs.
func echoServeProbes(bin, cfgPath, dir string, env, profiles []string, only string, collect func(...echoOutput)) error {
	logFile := filepath.Join(dir, "serve.log")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--config", cfgPath, "--log-file", logFile, "--debug", "--timeout", "5s", "serve", "--listen", "127.0.0.1:0")
	cmd.Dir, cmd.Env = dir, env
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		return err
	}
	// The first line says where it listens; the rest is kept.
	lines := bufio.NewReader(stderr)
	first, err := lines.ReadString('\n')
	if err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return fmt.Errorf("pitstop serve said nothing: %v", err)
	}
	addr := regexp.MustCompile(`127\.0\.0\.1:\d+`).FindString(first)
	var rest bytes.Buffer
	copied := make(chan struct{})
	go func() { _, _ = io.Copy(&rest, lines); close(copied) }()
	defer func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
		<-copied
		collect(echoOutput{where: "serve (stderr)", text: first + rest.String()}, echoOutput{where: "serve (stdout)", text: stdout.String()})
		if b, err := os.ReadFile(logFile); err == nil {
			collect(echoOutput{where: "serve (serve.log)", text: string(b)})
		}
	}()
	if addr == "" {
		return fmt.Errorf("pitstop serve did not say where it listens: %q", first)
	}
	get := func(path string) (string, error) {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			return "", fmt.Errorf("GET %s: %s\n%s", path, resp.Status, b)
		}
		return string(b), err
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(profiles))
	for _, p := range profiles {
		wg.Go(func() {
			body, err := get("/probe?profile=" + url.QueryEscape(p) + "&only=" + only)
			if err != nil {
				errs <- err
				return
			}
			if !strings.Contains(body, "pitstop_check_status") {
				errs <- fmt.Errorf("/probe?profile=%s has no check status:\n%s", p, body)
			}
			collect(echoOutput{where: "serve /probe?profile=" + p, text: body})
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	metrics, err := get("/metrics")
	if err != nil {
		return err
	}
	collect(echoOutput{where: "serve /metrics", text: metrics})
	return nil
}
