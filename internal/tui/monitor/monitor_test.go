package monitor

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/stretchr/testify/require"

	"pitstop/internal/config"
	"pitstop/internal/demo"
	"pitstop/internal/i18n/i18ntest"
	"pitstop/internal/monitor"
	"pitstop/internal/tui/common"
	"pitstop/internal/tui/tuitest"
)

const canary = "ccai_live_canary0000000000000000000000000000feed"

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// clock is a settable clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// fixture is a screen over a fake API: the base answers with the next of
// statuses and latencies each round, the replica always fails.
type fixture struct {
	com   *common.Common
	clock *clock
	m     *Model
	mu    sync.Mutex
	round int
}

var (
	baseStatuses  = []int{200, 200, 200, 429, 200, 200, 500, 200}
	baseLatencies = []time.Duration{40, 55, 48, 120, 60, 42, 900, 51}
)

func newFixture(t *testing.T, lang string, duration time.Duration, mailer *monitor.Mailer) *fixture {
	t.Helper()
	f := &fixture{clock: &clock{now: t0}}
	p := &config.Profile{Name: "sandbox", API: config.APIConfig{Provider: "copycar", BaseURL: "https://127.0.0.1:8443/v2",
		Key: config.NewSecret(canary, "file")}}
	cfg := &config.Config{DefaultProfile: "sandbox", Profiles: map[string]*config.Profile{"sandbox": p}}
	f.com = common.Must(common.New(common.Options{Config: cfg, Profile: p, Lang: lang, Theme: "dark", Now: f.clock.Now,
		Ctx: context.Background(), Sandbox: "mixed"}))
	f.com.Animate = false
	mon := monitor.New(monitor.Options{
		Targets:  []monitor.Target{{Name: "https://127.0.0.1:8443/v2"}, {Name: "https://127.0.0.1:9443/v2"}},
		Interval: 5 * time.Second,
		Now:      f.clock.Now,
		Probe: func(ctx context.Context, tg monitor.Target) monitor.Sample {
			f.mu.Lock()
			i := f.round % len(baseStatuses)
			f.mu.Unlock()
			if strings.Contains(tg.Name, "9443") {
				return monitor.Sample{Latency: 3 * time.Second, Error: "No answer in time (key " + canary + ")."}
			}
			return monitor.Sample{Status: baseStatuses[i], Latency: baseLatencies[i] * time.Millisecond}
		},
	})
	f.m = NewWith(f.com, Options{Monitor: mon, Duration: duration, Mailer: mailer})
	f.m.after = scheduled
	return f
}

// step runs one round: the pending round command, then its message, and
// returns the command Update gave back. The clock moves 5 s.
func (f *fixture) step(t *testing.T, cmd tea.Cmd) tea.Cmd {
	t.Helper()
	require.NotNil(t, cmd)
	msg := cmd()
	rm, ok := msg.(roundMsg)
	require.True(t, ok, "got %T", msg)
	f.clock.Add(5 * time.Second)
	_, next := f.m.Update(rm)
	f.mu.Lock()
	f.round++
	f.mu.Unlock()
	return next
}

// run does n rounds, delivering the tick between them directly (a test never
// waits for a real timer).
func (f *fixture) run(t *testing.T, n int) {
	t.Helper()
	require.NotNil(t, f.m.Init())
	cmd := f.m.round()
	for i := range n {
		cmd = f.step(t, cmd)
		if i < n-1 {
			_, cmd = f.m.Update(tickMsg{owner: f.m, gen: f.m.gen})
		}
	}
}

func view(m *Model, w, h int) string {
	m.SetSize(w, h)
	return ansi.Strip(m.View())
}

func TestRoundsRecordAndReschedule(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "en", 0, nil)
	require.Equal(t, Running, f.m.State())
	f.run(t, 4)
	st := f.m.Monitor().Stats()
	require.Equal(t, 8, st.Total)
	require.Equal(t, 3, st.Successes)
	require.Len(t, st.Endpoints, 2)

	v := view(f.m, 100, 30)
	require.Contains(t, v, "monitoring")
	require.Contains(t, v, "8 probes")
	require.Contains(t, v, "https://127.0.0.1:8443/v2")
	require.Contains(t, v, "down")
	require.Contains(t, v, "HIGH_ERROR_RATE")
	require.Contains(t, v, "ENDPOINT_DOWN")
	require.Contains(t, v, "p95")

	// A stale tick (before a pause) starts nothing, nor one of another screen.
	_, cmd := f.m.Update(tickMsg{owner: f.m, gen: f.m.gen - 1})
	require.Nil(t, cmd)
	_, cmd = f.m.Update(tickMsg{owner: &Model{}, gen: f.m.gen})
	require.Nil(t, cmd)
}

func TestPauseResumeAndReset(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "en", 0, nil)
	f.run(t, 2)
	space := tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	_, cmd := f.m.Update(space)
	require.Nil(t, cmd)
	require.Equal(t, Paused, f.m.State())
	require.Contains(t, view(f.m, 80, 24), "paused")
	_, cmd = f.m.Update(tickMsg{owner: f.m, gen: f.m.gen})
	require.Nil(t, cmd, "no rounds while paused")

	_, cmd = f.m.Update(space)
	require.Equal(t, Running, f.m.State())
	next := f.step(t, cmd)
	require.NotNil(t, next)
	require.Equal(t, 6, f.m.Monitor().Stats().Total)

	_, cmd = f.m.Update(tea.KeyPressMsg{Code: 'r', Text: "r"})
	require.Zero(t, f.m.Monitor().Stats().Total, "start over")
	require.Empty(t, f.m.Monitor().Alerts())
	f.step(t, cmd)
	require.Equal(t, 2, f.m.Monitor().Stats().Total)

	_, cmd = f.m.Update(tea.KeyPressMsg{Code: tea.KeyEscape})
	require.Equal(t, common.BackMsg{}, cmd())
	_, cmd = f.m.Update(clockMsg{owner: f.m})
	require.Nil(t, cmd, "the clock stops once the screen is left")
}

func TestClockTicksWhileRunning(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "en", 0, nil)
	_, cmd := f.m.Update(clockMsg{owner: f.m})
	require.Equal(t, scheduledMsg{time.Second}, cmd(), "re-armed every second")
	_, cmd = f.m.Update(clockMsg{owner: &Model{}})
	require.Nil(t, cmd, "another screen's clock")
}

func TestFinishesAfterDuration(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "en", 12*time.Second, nil)
	cmd := f.m.round()
	cmd = f.step(t, cmd) // 5 s
	_, cmd = f.m.Update(tickMsg{owner: f.m, gen: f.m.gen})
	cmd = f.step(t, cmd) // 10 s
	_, cmd = f.m.Update(tickMsg{owner: f.m, gen: f.m.gen})
	cmd = f.step(t, cmd) // 15 s: over
	require.Equal(t, Finished, f.m.State())
	var done *DoneMsg
	for _, msg := range collect(cmd) {
		if d, ok := msg.(DoneMsg); ok {
			done = &d
		}
	}
	require.NotNil(t, done)
	require.Equal(t, 6, done.Summary.Stats.Total)
	require.Contains(t, view(f.m, 80, 24), "finished")
}

// scheduledMsg stands for a timer the screen set: tests never wait for one.
type scheduledMsg struct{ d time.Duration }

func scheduled(d time.Duration, _ func(time.Time) tea.Msg) tea.Cmd {
	return func() tea.Msg { return scheduledMsg{d} }
}

// collect runs a command and the commands of its batches and returns the
// messages, timers left out.
func collect(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, collect(c)...)
		}
		return out
	case scheduledMsg:
		return nil
	default:
		return []tea.Msg{msg}
	}
}

func TestBrokenWithoutAPI(t *testing.T) {
	t.Parallel()
	com := common.Must(common.New(common.Options{Profile: &config.Profile{Name: "empty"}, Lang: "en", Theme: "dark"}))
	m := New(com)
	require.Equal(t, Broken, m.State())
	require.Nil(t, m.Init())
	v := view(m, 80, 24)
	require.Contains(t, v, "Nothing to monitor")
	require.Contains(t, v, "api.base_url")
	_, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
	require.Nil(t, cmd)
}

func TestSpanishStrings(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "es", 0, nil)
	f.run(t, 1)
	v := view(f.m, 100, 30)
	require.Contains(t, v, "monitoreando")
	require.Contains(t, v, "Latencia")
	require.Contains(t, v, "Alertas")
	require.Contains(t, v, "La API está fallando: el 50.0% de las solicitudes")
	require.Contains(t, v, "Solo el 50.0% de las solicitudes tuvo éxito")
}

func TestSparkline(t *testing.T) {
	t.Parallel()
	tests := []struct {
		values []float64
		width  int
		want   string
	}{
		{nil, 10, ""},
		{[]float64{1, 2, 3}, 0, ""},
		{[]float64{0, 0}, 5, "▁▁"},
		{[]float64{1, 8}, 5, "▁█"},
		{[]float64{0, 4, 8}, 5, "▁▄█"},
		{[]float64{8, 1, 2, 3, 4, 5, 6, 7, 8}, 3, "▆▇█"},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.values, tc.width), func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, Sparkline(tc.values, tc.width))
		})
	}
}

func TestGoldenViews(t *testing.T) {
	t.Parallel()
	for _, size := range [][2]int{{60, 15}, {80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, "en", time.Minute, nil)
			f.run(t, 8)
			p := NewProgram(f.com, Options{})
			p.screen = f.m
			p.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			out := ansi.Strip(p.View().Content)
			require.NotContains(t, out, canary)
			for i, line := range strings.Split(out, "\n") {
				require.LessOrEqual(t, ansi.StringWidth(line), size[0], "line %d too wide: %q", i, line)
			}
			require.Len(t, strings.Split(out, "\n"), size[1])
			golden.RequireEqual(t, []byte(out))
		})
	}
}

func TestCanaryNeverOnScreen(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "en", 0, nil)
	f.run(t, 3)
	p := NewProgram(f.com, Options{})
	p.screen = f.m
	p.Update(tea.WindowSizeMsg{Width: 200, Height: 50})
	raw := f.m.View()
	require.Contains(t, raw, "ccai_", "the screen shows the probe's error text")
	out := p.View().Content
	require.NotContains(t, out, canary)
	require.Contains(t, ansi.Strip(out), "ccai_live_…feed")
}

// TestProgramEndToEnd runs the standalone program for a short duration
// against a fake API: it quits by itself and keeps the summary.
func TestProgramEndToEnd(t *testing.T) {
	t.Parallel()
	com := common.Must(common.New(common.Options{Profile: &config.Profile{Name: "p"}, Lang: "en", Theme: "dark", Ctx: context.Background()}))
	mon := monitor.New(monitor.Options{
		Targets:  []monitor.Target{{Name: "https://api.test/v2"}},
		Interval: 10 * time.Millisecond,
		Probe: func(ctx context.Context, tg monitor.Target) monitor.Sample {
			return monitor.Sample{Status: 200, Latency: time.Millisecond}
		},
	})
	prog := NewProgram(com, Options{Monitor: mon, Duration: 50 * time.Millisecond})
	tm := teatest.NewTestModel(t, prog, teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	final := tm.FinalModel(t).(*Program)
	sum := final.Summary()
	require.GreaterOrEqual(t, sum.Stats.Total, 1)
	require.Equal(t, Finished, final.Screen().State())
	require.Empty(t, sum.Alerts)
}

func TestProgramQuitsOnQ(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "en", 0, nil)
	p := NewProgram(f.com, Options{})
	p.screen = f.m
	f.run(t, 2)
	_, cmd := p.Update(tea.KeyPressMsg{Code: 't', Text: "t"})
	require.Nil(t, cmd)
	require.Equal(t, "light", f.com.Theme, "t cycles the theme")
	_, cmd = p.Update(tea.KeyPressMsg{Code: 'q', Text: "q"})
	require.Equal(t, tea.Quit(), cmd())
	require.Equal(t, 4, p.Summary().Stats.Total)
}

func BenchmarkRoundUpdateView(b *testing.B) {
	f := &fixture{clock: &clock{now: t0}}
	p := &config.Profile{Name: "b", API: config.APIConfig{Provider: "copycar", BaseURL: "https://a/v2"}}
	f.com = common.Must(common.New(common.Options{Profile: p, Lang: "en", Theme: "dark", Now: f.clock.Now, Ctx: context.Background()}))
	mon := monitor.New(monitor.Options{
		Targets: []monitor.Target{{Name: "https://a/v2"}, {Name: "https://b/v2"}}, Interval: 5 * time.Second, Now: f.clock.Now,
		Probe: func(context.Context, monitor.Target) monitor.Sample {
			return monitor.Sample{Status: 200, Latency: 40 * time.Millisecond}
		},
	})
	m := NewWith(f.com, Options{Monitor: mon})
	m.SetSize(120, 40)
	samples := mon.Round(context.Background())
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		f.clock.Add(5 * time.Second)
		m.Update(roundMsg{owner: m, gen: m.gen, samples: samples})
		_ = m.View()
	}
}

// TestAlertsEmailedOnceFromTheScreen: each new alert kind is mailed once
// through the sandbox SMTP server and the screen says so.
func TestAlertsEmailedOnceFromTheScreen(t *testing.T) {
	t.Parallel()
	srv, err := demo.StartSMTP(demo.SMTPOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	p := &config.Profile{}
	require.NoError(t, srv.Configure(p))
	mailer, err := monitor.NewMailer(p.SMTP, "oncall@example.com")
	require.NoError(t, err)

	f := newFixture(t, "en", 0, mailer)
	require.NotNil(t, f.m.Init())
	cmd := f.m.round()
	for i := range 4 {
		next := f.step(t, cmd)

		for _, msg := range collect(next) {
			if mm, ok := msg.(mailMsg); ok {
				require.NoError(t, mm.err)
				f.m.Update(mm)
			}
		}

		if i < 3 {
			_, cmd = f.m.Update(tickMsg{owner: f.m, gen: f.m.gen})
		}
	}
	kinds := map[string]int{}
	for _, msg := range srv.Messages() {
		for _, line := range strings.Split(string(msg.Data), "\r\n") {
			if k, ok := strings.CutPrefix(line, "Subject: Pitstop alert: "); ok {
				kinds[k]++
			}
		}
	}
	require.Equal(t, map[string]int{"HIGH_ERROR_RATE": 1, "LOW_SUCCESS_RATE": 1, "ENDPOINT_DOWN": 1}, kinds)
	require.Contains(t, view(f.m, 100, 40), "emailed")
}

// TestEndpointDownAlertCountsEndpoints: one endpoint down reads in the
// singular, several in one plural sentence naming each, in both languages.
func TestEndpointDownAlertCountsEndpoints(t *testing.T) {
	t.Parallel()
	const a, b = "https://api.example.test/v2", "https://replica.example.test/v2"
	alert := func(failures ...int) monitor.Alert {
		st := monitor.Stats{Window: 10, SuccessRate: 1}
		for i, n := range failures {
			st.Endpoints = append(st.Endpoints, monitor.EndpointStats{Endpoint: []string{a, b}[i], ConsecutiveFailures: n})
		}
		alerts := monitor.Thresholds{DownAfter: 3}.Evaluate(st, 0, t0)
		require.Len(t, alerts, 1)
		require.Equal(t, monitor.EndpointDown, alerts[0].Kind)
		return alerts[0]
	}
	tests := []struct {
		name string
		lang string
		a    monitor.Alert
		want string
	}{
		{"one, English", "en", alert(4), a + " failed its last 4 checks in a row."},
		{"one, Spanish", "es", alert(4), a + " falló sus últimas 4 pruebas seguidas."},
		{"two, English", "en", alert(5, 3), "2 endpoints are down: " + a + ", " + b + "; each failed at least its last 3 checks in a row."},
		{"two, Spanish", "es", alert(5, 3), "Hay 2 endpoints caídos: " + a + ", " + b + "; cada uno falló al menos sus últimas 3 pruebas seguidas."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := New(common.Must(common.New(common.Options{Profile: &config.Profile{Name: "empty"}, Lang: tt.lang, Theme: "dark"})))
			require.Equal(t, tt.want, m.alertMessage(tt.a))
		})
	}
}

// TestPseudoLocale draws the monitor with probes, alerts and a failing
// replica in the pseudo-locale: every word on it comes from the catalogue.
func TestPseudoLocale(t *testing.T) {
	require.NoError(t, i18ntest.Install())
	f := newFixture(t, i18ntest.Code, time.Minute, nil)
	f.run(t, 8)
	// The replica's last error is the probe's own text (a Go network error
	// in real use): data, shown as it is.
	lastErr := "No answer in time (key " + canary + ")." // the fixture probe's, unscrubbed
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		tuitest.RequirePseudo(t, "monitor", view(f.m, size[0], size[1]), lastErr)
	}
	broken := common.Must(common.New(common.Options{Profile: &config.Profile{Name: "empty"}, Lang: i18ntest.Code, Theme: "dark"}))
	tuitest.RequirePseudo(t, "broken monitor", view(New(broken), 80, 24))
}
