package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"pitstop/internal/config"
	"pitstop/internal/human"
	"pitstop/internal/i18n"
	"pitstop/internal/monitor"
	"pitstop/internal/tui/common"
	tuimonitor "pitstop/internal/tui/monitor"
)

// monitorOptions are the flags of `pitstop monitor`.
type monitorOptions struct {
	Duration       time.Duration
	Interval       time.Duration
	AlertEmail     string
	MaxLatency     time.Duration
	MaxErrorRate   float64 // percent
	MinSuccessRate float64 // percent
	MinThroughput  float64 // per minute
	Format         string  // "" (live on a terminal, json otherwise), live, json
	// TestAlert sends one test alert email first; alone (no --duration
	// given) it is all the command does.
	TestAlert   bool
	durationSet bool
}

func newMonitorCmd(app *App) *cobra.Command {
	def := monitor.DefaultThresholds()
	o := monitorOptions{
		Duration: time.Minute, Interval: monitor.DefaultInterval,
		MaxLatency: def.ResponseTime, MaxErrorRate: def.ErrorRate * 100,
		MinSuccessRate: def.SuccessRate * 100, MinThroughput: def.Throughput,
	}
	cmd := &cobra.Command{
		Use:  "monitor",
		Args: app.args().none,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.durationSet = cmd.Flags().Changed("duration")
			return runMonitor(cmd.Context(), app, o)
		},
	}
	f := cmd.Flags()
	f.DurationVar(&o.Duration, "duration", o.Duration, "")
	f.DurationVar(&o.Interval, "interval", o.Interval, "")
	f.StringVar(&o.AlertEmail, "alert-email", "", "")
	f.DurationVar(&o.MaxLatency, "max-latency", o.MaxLatency, "")
	f.Float64Var(&o.MaxErrorRate, "max-error-rate", o.MaxErrorRate, "")
	f.Float64Var(&o.MinSuccessRate, "min-success-rate", o.MinSuccessRate, "")
	f.Float64Var(&o.MinThroughput, "min-throughput", o.MinThroughput, "")
	f.StringVar(&o.Format, "format", "", "")
	f.BoolVar(&o.TestAlert, "test-alert", false, "")
	return cmd
}

func (o monitorOptions) thresholds() monitor.Thresholds {
	t := monitor.DefaultThresholds()
	t.ResponseTime = o.MaxLatency
	t.ErrorRate = o.MaxErrorRate / 100
	t.SuccessRate = o.MinSuccessRate / 100
	t.Throughput = o.MinThroughput
	return t
}

func (o monitorOptions) validate(app *App) error {
	switch {
	case o.Interval < 100*time.Millisecond:
		return usageErrf("%s", app.T("monitor.err.interval"))
	case o.Duration < 0:
		return usageErrf("%s", app.T("monitor.err.duration"))
	case o.Format != "" && o.Format != "live" && o.Format != "json":
		return app.formatErr(o.Format, "live", "json")
	case o.TestAlert && o.AlertEmail == "":
		return usageErrf("%s", app.T("monitor.err.test_alert"))
	}
	if err := o.thresholds().Validate(); err != nil {
		return usageErr(err)
	}
	return nil
}

// isTerminal reports whether v (stdin or stdout) is a terminal.
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

func runMonitor(ctx context.Context, app *App, o monitorOptions) error {
	if err := o.validate(app); err != nil {
		return err
	}
	_, p, err := app.LoadProfile()
	if err != nil {
		return err
	}
	mon, err := newProfileMonitor(app, p, o)
	if err != nil {
		return err
	}
	var mailer *monitor.Mailer
	if o.AlertEmail != "" {
		if mailer, err = newAlertMailer(app, p, o.AlertEmail, mon); err != nil {
			return usageErr(err)
		}
	}
	if o.TestAlert {
		if err := sendTestAlert(ctx, app, mailer, o.Format == "json" || (o.Format == "" && !isTerminal(app.Stdout))); err != nil {
			return err
		}
		if !o.durationSet {
			return nil
		}
	}
	slog.Info("monitor started", "targets", len(mon.Targets), "interval", o.Interval.String(), "duration", o.Duration.String(),
		"alert_email", o.AlertEmail != "")
	var sum monitor.Summary
	if o.Format == "live" || (o.Format == "" && isTerminal(app.Stdout)) {
		sum, err = runMonitorLive(ctx, app, mon, mailer, o)
		if err != nil {
			return &ExitError{Code: ExitInternal, Err: err}
		}
	} else {
		sum = runMonitorJSON(ctx, app, mon, mailer, o.Duration)
	}
	logPerformance(sum, mon.Thresholds)
	if len(sum.Alerts) > 0 {
		return &ExitError{Code: ExitFailed}
	}
	return nil
}

func newProfileMonitor(app *App, p *config.Profile, o monitorOptions) (*monitor.Monitor, error) {
	mon, err := monitor.ForProfile(p, monitor.ProfileOptions{
		Interval: o.Interval, Timeout: app.Opts.Timeout, Thresholds: o.thresholds(),
		Door: app.Scrubber,
	})
	if err != nil {
		return nil, usageErr(err)
	}
	return mon, nil
}

func newAlertMailer(app *App, p *config.Profile, to string, mon *monitor.Monitor) (*monitor.Mailer, error) {
	m, err := monitor.NewMailer(p.SMTP, to)
	if err != nil {
		return nil, err
	}
	m.Scrub, m.Lang = app.Scrubber().Scrub, app.Opts.Lang
	for _, t := range mon.Targets {
		m.Targets = append(m.Targets, t.Name)
	}
	return m, nil
}

// monitorLine is one JSON line of `pitstop monitor` without a terminal.
type monitorLine struct {
	Type string `json:"type"` // sample | alert | alert_email | summary
	*monitor.Sample
	Alert   *monitor.Alert   `json:"alert,omitempty"`
	Email   *alertEmail      `json:"email,omitempty"`
	Summary *monitor.Summary `json:"summary,omitempty"`
}

// alertEmail says whether an alert's email went out.
type alertEmail struct {
	Kind  monitor.AlertKind `json:"kind"`
	To    string            `json:"to"`
	Sent  bool              `json:"sent"`
	Error string            `json:"error,omitempty"`
}

// MarshalJSON flattens the sample's fields next to "type".
func (l monitorLine) MarshalJSON() ([]byte, error) {
	if l.Sample != nil {
		b, err := json.Marshal(l.Sample)
		if err != nil {
			return nil, err
		}
		return append([]byte(`{"type":"sample",`), b[1:]...), nil
	}
	type plain struct {
		Type    string           `json:"type"`
		Alert   *monitor.Alert   `json:"alert,omitempty"`
		Email   *alertEmail      `json:"email,omitempty"`
		Summary *monitor.Summary `json:"summary,omitempty"`
	}
	return json.Marshal(plain{l.Type, l.Alert, l.Email, l.Summary})
}

// runMonitorJSON prints one JSON line per sample, one per alert (and per
// alert email), then the summary line.
func runMonitorJSON(ctx context.Context, app *App, mon *monitor.Monitor, mailer *monitor.Mailer, duration time.Duration) monitor.Summary {
	var mu sync.Mutex
	enc := json.NewEncoder(app.Stdout)
	emit := func(l monitorLine) {
		mu.Lock()
		defer mu.Unlock()
		_ = enc.Encode(l)
	}
	var mails sync.WaitGroup
	sum := mon.Run(ctx, duration, monitor.Hooks{
		Sample: func(s monitor.Sample) { emit(monitorLine{Sample: &s}) },
		Alert: func(a monitor.Alert) {
			logAlert(a)
			emit(monitorLine{Type: "alert", Alert: &a})
			if mailer == nil {
				return
			}
			mails.Add(1)
			go func() {
				defer mails.Done()
				emit(monitorLine{Type: "alert_email", Email: sendAlert(context.WithoutCancel(ctx), mailer, a)})
			}()
		},
	})
	mails.Wait()
	emit(monitorLine{Type: "summary", Summary: &sum})
	return sum
}

// sendTestAlert emails one test alert and says so: a line on a terminal, an
// alert_email JSON line otherwise. A test alert that cannot be sent is a
// failure (exit 1) whose message says why.
func sendTestAlert(ctx context.Context, app *App, m *monitor.Mailer, asJSON bool) error {
	res := sendAlert(ctx, m, monitor.NewTestAlert(time.Now()))
	if asJSON {
		b, err := json.Marshal(monitorLine{Type: "alert_email", Email: res})
		if err != nil {
			return &ExitError{Code: ExitInternal, Err: err}
		}
		fmt.Fprintln(app.Stdout, app.Scrubber().Scrub(string(b)))
	} else if res.Sent {
		fmt.Fprintln(app.Stdout, app.T("monitor.test_sent", res.To, m.SMTP.Host, m.SMTP.Port))
	}
	if !res.Sent {
		return &ExitError{Code: ExitFailed, Err: errors.New(app.T("monitor.err.test_failed", res.Error))}
	}
	return nil
}

// sendAlert emails one alert within a bounded time and says how it went.
func sendAlert(ctx context.Context, m *monitor.Mailer, a monitor.Alert) *alertEmail {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	res := &alertEmail{Kind: a.Kind, To: m.To, Sent: true}
	if err := m.Send(ctx, a); err != nil {
		res.Sent, res.Error = false, err.Error()
		if m.Scrub != nil {
			res.Error = m.Scrub(res.Error)
		}
		slog.Error("alert email failed", "kind", string(a.Kind), "error", res.Error)
	} else {
		slog.Info("alert email sent", "kind", string(a.Kind))
	}
	return res
}

func logAlert(a monitor.Alert) {
	slog.Warn("monitor alert", "kind", string(a.Kind), "severity", string(a.Severity), "message", a.Message)
}

// logPerformance writes the run's figures to the activity log, each with its
// threshold and OK or WARNING, so the log alone tells a good run from a bad one.
func logPerformance(sum monitor.Summary, t monitor.Thresholds) {
	st := sum.Stats
	status := func(bad bool) string {
		if bad {
			return "WARNING"
		}
		return "OK"
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	figures := []struct {
		name             string
		value, threshold float64
		bad              bool
	}{
		{"mean_response_ms", ms(st.Mean), ms(t.ResponseTime), st.Mean > t.ResponseTime},
		{"p50_response_ms", ms(st.P50), ms(t.ResponseTime), st.P50 > t.ResponseTime},
		{"p95_response_ms", ms(st.P95), ms(t.ResponseTime), st.P95 > t.ResponseTime},
		{"max_response_ms", ms(st.Max), ms(t.ResponseTime), st.Max > t.ResponseTime},
		{"error_rate", st.ErrorRate, t.ErrorRate, st.ErrorRate > t.ErrorRate},
		{"success_rate", st.SuccessRate, t.SuccessRate, st.Total > 0 && st.SuccessRate < t.SuccessRate},
		{"throughput_per_min", st.Throughput, t.Throughput, false},
	}
	for _, f := range figures {
		slog.Info("performance", "metric", f.name, "value", f.value, "threshold", f.threshold, "status", status(f.bad))
	}
	slog.Info("monitor finished", "probes", st.Total, "alerts", len(sum.Alerts), "elapsed_s", st.Elapsed.Seconds())
}

// printMonitorSummary writes the end of a live run as plain text in lang,
// wrapped to width (0: no wrapping).
func printMonitorSummary(w io.Writer, sum monitor.Summary, lang string, width int) {
	t := func(key string, args ...any) string { return i18n.T(lang, "cli.monitor."+key, args...) }
	var b strings.Builder
	line := func(pad, text string) { b.WriteString(hangingWrap(pad, text, width)) }
	st := sum.Stats
	line("", t("summary", human.Duration(st.Elapsed.Round(time.Second)), i18n.N(lang, "monitor.probes", st.Total), st.SuccessRate*100, st.ErrorRate*100))
	line("", st.LatencyLine(lang))
	line("", t("throughput", st.Throughput))
	for _, e := range st.Endpoints {
		state := t("healthy")
		if !e.Healthy() {
			state = t("unhealthy")
		}
		line("  ", t("endpoint", e.Endpoint, state, e.Successes, e.Total))
	}
	if len(sum.Alerts) == 0 {
		line("", i18n.T(lang, "monitor.no_alerts"))
	} else {
		line("", i18n.N(lang, "cli.monitor.alerts", len(sum.Alerts)))
		for _, a := range sum.Alerts {
			line("  ", fmt.Sprintf("%s %s: %s", a.Severity.Word(lang), a.Kind, a.Text(lang)))
		}
	}
	_, _ = io.WriteString(w, b.String())
}

// runMonitorLive draws the live screen until the duration is over or the
// user quits, then prints the summary as plain text.
func runMonitorLive(ctx context.Context, app *App, mon *monitor.Monitor, mailer *monitor.Mailer, o monitorOptions) (monitor.Summary, error) {
	cfg, p, _ := app.LoadProfile()
	com, err := common.New(common.Options{Theme: app.Opts.Theme,
		Config: cfg, Profile: p, ConfigPath: cfg.Path, Lang: app.Opts.Lang,
		Timeout: app.Opts.Timeout, Version: app.Version, Ctx: ctx, Sandbox: app.Sandbox,
	})
	if err != nil {
		return monitor.Summary{}, err
	}
	prog := tuimonitor.NewProgram(com, tuimonitor.Options{Monitor: mon, Duration: o.Duration, Mailer: mailer})
	opts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithOutput(app.Stdout), tea.WithInput(app.Stdin)}
	if app.Opts.NoColor {
		opts = append(opts, tea.WithColorProfile(colorprofile.Ascii))
	}
	if _, err := tea.NewProgram(prog, opts...).Run(); err != nil && ctx.Err() == nil {
		return monitor.Summary{}, fmt.Errorf("%s: %w", app.T("monitor.err.screen"), err)
	}
	if prog.Interrupted() {
		app.interrupted = true // the summary of what was measured still prints; the exit is 130
	}
	sum := prog.Summary()
	for _, a := range sum.Alerts {
		logAlert(a)
	}
	printMonitorSummary(app.Stdout, sum, app.Opts.Lang, ttyWidth(app.Stdout))
	return sum, nil
}
