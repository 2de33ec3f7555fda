// Package monitor is the live monitor screen: it probes the API every
// interval (tea.Tick, never a busy loop) and draws a latency sparkline, the
// percentiles, success and error rates, throughput, each endpoint's health
// and the alerts. The figures come from internal/monitor; this package only
// schedules rounds and draws.
package monitor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"pitstop/internal/config"
	"pitstop/internal/human"
	"pitstop/internal/i18n"
	"pitstop/internal/monitor"
	"pitstop/internal/tui/common"
)

// State is where the monitor is.
type State int

// The states.
const (
	Running State = iota
	Paused
	Finished
	Broken // the profile has no API to monitor
)

var stateNames = [...]string{"running", "paused", "finished", "broken"}

// String names the state.
func (s State) String() string {
	if s >= 0 && int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "state?"
}

// Options configure NewWith.
type Options struct {
	// Monitor does the probing; built from the profile when nil.
	Monitor *monitor.Monitor
	// Duration ends the run; zero runs until the screen is left.
	Duration time.Duration
	// Mailer, when set, emails each new kind of alert once.
	Mailer *monitor.Mailer
}

// Model is the monitor screen.
type Model struct {
	com      *common.Common
	mon      *monitor.Monitor
	mailer   *monitor.Mailer
	duration time.Duration
	keys     KeyMap

	state   State
	err     string
	errv    error // why the screen is Broken
	start   time.Time
	gen     int  // invalidates ticks and rounds from before a pause or reset
	probing bool // a round is in flight
	left    bool // esc was pressed: schedule nothing more
	mailed  map[monitor.AlertKind]string
	// after schedules a message; tea.Tick, replaced in tests so that no
	// test waits for a real timer.
	after func(time.Duration, func(time.Time) tea.Msg) tea.Cmd

	width, height int
}

// roundMsg carries one round's samples. owner and gen tie it to the screen
// and schedule that asked for it: a screen opened again must not take the
// messages of the one before.
type roundMsg struct {
	owner   *Model
	gen     int
	samples []monitor.Sample
}

// tickMsg starts the next round.
type tickMsg struct {
	owner *Model
	gen   int
}

// clockMsg redraws the elapsed time between rounds longer than a second.
type clockMsg struct{ owner *Model }

// mailMsg says how an alert email went.
type mailMsg struct {
	kind monitor.AlertKind
	err  error
}

// DoneMsg is sent once when the run's duration is over; the standalone
// program quits on it.
type DoneMsg struct{ Summary monitor.Summary }

// New returns the screen for the active profile, probing every
// DefaultInterval until it is left.
func New(com *common.Common) *Model { return NewWith(com, Options{}) }

// NewWith returns the screen with a given monitor, duration and mailer.
func NewWith(com *common.Common, o Options) *Model {
	m := &Model{com: com, mon: o.Monitor, mailer: o.Mailer, duration: o.Duration, keys: DefaultKeyMap(com),
		mailed: map[monitor.AlertKind]string{}, after: tea.Tick}
	if m.mon == nil {
		mon, err := monitor.ForProfile(com.Profile, monitor.ProfileOptions{
			Interval: monitor.DefaultInterval, Timeout: com.Timeout, Now: com.Now,
			Door: func() *config.Scrubber { return com.Scrubber },
		})
		if err != nil {
			m.state, m.err, m.errv = Broken, err.Error(), err
			return m
		}
		m.mon = mon
	}
	m.start = com.Now()
	return m
}

// Init starts the first round at once.
func (m *Model) Init() tea.Cmd {
	if m.state == Broken {
		return nil
	}
	return tea.Batch(m.round(), m.clock())
}

// clock ticks once a second so the elapsed time moves between rounds; it
// is not needed when rounds come every second anyway.
func (m *Model) clock() tea.Cmd {
	if m.mon.Interval <= time.Second {
		return nil
	}
	return m.after(time.Second, func(time.Time) tea.Msg { return clockMsg{owner: m} })
}

// State returns where the monitor is (for tests).
func (m *Model) State() State { return m.state }

// Monitor returns the monitor (for tests and the summary).
func (m *Model) Monitor() *monitor.Monitor { return m.mon }

// SetSize sets the drawing area.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// Title names the screen in the header.
func (m *Model) Title() string { return m.t("title") }

// Step is 0: the monitor is not part of the guided flow.
func (m *Model) Step() int { return 0 }

// Capturing is false: the screen takes no text.
func (m *Model) Capturing() bool { return false }

// ShortHelp lists the keys of the help bar.
func (m *Model) ShortHelp() []key.Binding {
	if m.state == Broken { // nothing runs: pausing means nothing
		return []key.Binding{m.keys.Back}
	}
	return []key.Binding{m.keys.Pause, m.keys.Reset, m.keys.Back}
}

// FullHelp lists every key of the screen.
func (m *Model) FullHelp() [][]key.Binding {
	return [][]key.Binding{{m.keys.Pause, m.keys.Reset, m.keys.Back}}
}

// round probes every target in a command; Round touches no monitor state.
func (m *Model) round() tea.Cmd {
	m.probing = true
	gen, mon, ctx := m.gen, m.mon, m.com.Ctx
	return func() tea.Msg { return roundMsg{owner: m, gen: gen, samples: mon.Round(ctx)} }
}

func (m *Model) tick() tea.Cmd {
	gen := m.gen
	return m.after(m.mon.Interval, func(time.Time) tea.Msg { return tickMsg{owner: m, gen: gen} })
}

// Update handles rounds, ticks, mail results and keys.
func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case roundMsg:
		if msg.owner != m {
			return m, nil
		}
		m.probing = false
		if msg.gen != m.gen || m.state != Running {
			return m, nil
		}
		if m.com.Ctx.Err() != nil {
			return m, nil
		}
		fresh := m.mon.Record(msg.samples...)
		cmds := []tea.Cmd{m.mail(fresh)}
		if m.duration > 0 && m.com.Elapsed(m.start) >= m.duration {
			m.state = Finished
			sum := m.mon.Summary()
			cmds = append(cmds, func() tea.Msg { return DoneMsg{Summary: sum} })
		} else {
			cmds = append(cmds, m.tick())
		}
		return m, tea.Batch(cmds...)

	case tickMsg:
		if msg.owner != m || msg.gen != m.gen || m.state != Running || m.probing {
			return m, nil
		}
		return m, m.round()

	case clockMsg:
		if msg.owner != m || m.left || m.state == Finished {
			return m, nil
		}
		return m, m.clock()

	case mailMsg:
		if msg.err != nil {
			m.mailed[msg.kind] = m.com.Scrub(msg.err.Error())
		} else {
			m.mailed[msg.kind] = ""
		}
		return m, nil

	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return m, nil
}

func (m *Model) key(msg tea.KeyPressMsg) (common.Screen, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.Back):
		m.gen++ // stop scheduling
		m.left = true
		return m, common.Back
	case m.state == Broken:
		return m, nil
	case key.Matches(msg, m.keys.Pause):
		switch m.state {
		case Running:
			m.state = Paused
			m.gen++
		case Paused:
			m.state = Running
			m.gen++
			if !m.probing {
				return m, m.round()
			}
			return m, m.tick()
		}
	case key.Matches(msg, m.keys.Reset):
		if m.state == Finished {
			return m, nil
		}
		old := m.mon
		m.mon = monitor.New(monitor.Options{
			Targets: old.Targets, Probe: old.Probe, Interval: old.Interval, Timeout: old.Timeout,
			Thresholds: old.Thresholds, Now: old.Now,
		})
		m.start = m.com.Now()
		m.mailed = map[monitor.AlertKind]string{}
		m.gen++
		if m.state == Running && !m.probing {
			return m, m.round()
		}
		if m.state == Running {
			return m, m.tick()
		}
	}
	return m, nil
}

// mail sends each new alert in its own command.
func (m *Model) mail(fresh []monitor.Alert) tea.Cmd {
	if m.mailer == nil || len(fresh) == 0 {
		return nil
	}
	var cmds []tea.Cmd
	for _, a := range fresh {
		mailer, ctx := m.mailer, m.com.Ctx
		cmds = append(cmds, func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
			defer cancel()
			err := mailer.Send(ctx, a)
			if err != nil {
				slog.Error("alert email failed", "kind", string(a.Kind), "error", err.Error())
			} else {
				slog.Info("alert email sent", "kind", string(a.Kind))
			}
			return mailMsg{kind: a.Kind, err: err}
		})
	}
	return tea.Batch(cmds...)
}

// View draws the figures. When they do not fit the height, alerts keep one
// line each and endpoint errors are left out, so every alert stays visible.
func (m *Model) View() string {
	st := m.com.Styles
	w := max(20, m.width)
	if m.state == Broken {
		why := m.com.Scrub(m.err)
		if errors.Is(m.errv, monitor.ErrNoAPI) {
			why = m.t("noapi") // in the interface language
		}
		return " " + st.ErrorText.Render(m.t("broken")) + "\n\n" +
			common.Indent(st.Paragraph.Render(common.Wrap(why, w-2)), 1)
	}
	stats := m.mon.Stats()
	out := m.render(stats, w, false)
	if m.height > 0 && strings.Count(out, "\n")+1 > m.height {
		out = m.render(stats, w, true)
	}
	return out
}

func (m *Model) render(stats monitor.Stats, w int, compact bool) string {
	st := m.com.Styles
	gap := "\n\n" // compact drops the blank lines between sections
	if compact {
		gap = "\n"
	}
	var b strings.Builder
	b.WriteString(m.headline(stats, w) + gap)
	b.WriteString(m.sparkline(w) + "\n")
	b.WriteString(m.figures(stats, w) + gap)
	b.WriteString(" " + st.Subtitle.Render(m.t("endpoints")) + "\n")
	for _, e := range stats.Endpoints {
		b.WriteString(m.endpointLine(e, w, compact) + "\n")
	}
	if len(stats.Endpoints) == 0 {
		b.WriteString("   " + st.Muted.Render(m.t("waiting")) + "\n")
	}
	b.WriteString(gap[1:] + " " + st.Subtitle.Render(m.t("alerts")) + "\n")
	alerts := m.mon.Alerts()
	if len(alerts) == 0 {
		// The limits say what each number is held to, in words.
		for i, l := range common.WrapMax(m.t("noalerts", m.thresholdsLine(m.mon.Thresholds)), max(10, w-5), 2) {
			mark := "  "
			if i == 0 {
				mark = st.Pass.Render("✓ ")
			}
			b.WriteString("   " + mark + st.Muted.Render(l) + "\n")
		}
	}
	for _, a := range alerts {
		b.WriteString(m.alertLine(a, w, compact) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func (m *Model) headline(st monitor.Stats, w int) string {
	s := m.com.Styles
	var state string
	switch m.state {
	case Running:
		state = s.Running.Render("● " + m.t("running"))
	case Paused:
		state = s.Warn.Render("‖ " + m.t("paused"))
	case Finished:
		state = s.Pass.Render("■ " + m.t("finished"))
	}
	elapsed := fmtClock(st.Elapsed)
	if m.duration > 0 {
		elapsed += " / " + fmtClock(m.duration)
	}
	left := " " + state + s.Muted.Render("  "+m.t("every", m.mon.Interval.String())+" · "+elapsed+" · "+i18n.N(m.com.Lang, "monitor.probes", st.Total))
	return common.Truncate(left, w)
}

// sparkBlocks draw a latency series, low to high.
var sparkBlocks = []rune("▁▂▃▄▅▆▇█")

// Sparkline renders values as one row of block characters scaled to the
// largest; an empty series gives "".
func Sparkline(values []float64, width int) string {
	if width <= 0 || len(values) == 0 {
		return ""
	}
	if len(values) > width {
		values = values[len(values)-width:]
	}
	top := 0.0
	for _, v := range values {
		top = max(top, v)
	}
	var b strings.Builder
	for _, v := range values {
		i := 0
		if top > 0 {
			i = int(v / top * float64(len(sparkBlocks)-1))
		}
		b.WriteRune(sparkBlocks[max(0, min(i, len(sparkBlocks)-1))])
	}
	return b.String()
}

// sparkline draws the API base's latest latencies across the width.
func (m *Model) sparkline(w int) string {
	s := m.com.Styles
	label := " " + s.Bold.Render(m.t("latency")) + " "
	var series []float64
	if len(m.mon.Targets) > 0 {
		series = m.mon.Metrics().RecentLatenciesOf(m.mon.Targets[0].Name, w)
	}
	tail := ""
	if len(series) > 0 {
		tail = " " + s.Muted.Render(m.t("last", human.Latency(series[len(series)-1])))
	}
	room := w - lipgloss.Width(label) - lipgloss.Width(tail) - 1
	line := Sparkline(series, room)
	if line == "" {
		line = s.Faint.Render(strings.Repeat("·", max(0, min(room, 20))))
	} else {
		line = s.Accent.Render(line)
	}
	return label + line + tail
}

func (m *Model) figures(st monitor.Stats, w int) string {
	s := m.com.Styles
	th := m.mon.Thresholds
	val := func(text string, bad bool) string {
		if st.Window == 0 {
			return s.Muted.Render("–")
		}
		if bad {
			return s.Fail.Render(text)
		}
		return s.Bold.Render(text)
	}
	lat := " " + m.t("p50") + " " + val(human.Duration(st.P50), st.P50 > th.ResponseTime) +
		"   " + m.t("p95") + " " + val(human.Duration(st.P95), st.P95 > th.ResponseTime) +
		"   " + m.t("max") + " " + val(human.Duration(st.Max), st.Max > th.ResponseTime) +
		"   " + m.t("mean") + " " + val(human.Duration(st.Mean), st.Mean > th.ResponseTime)
	rates := " " + m.t("success") + " " + val(pct(st.SuccessRate), st.SuccessRate < th.SuccessRate) +
		"   " + m.t("errors") + " " + val(pct(st.ErrorRate), st.ErrorRate > th.ErrorRate) +
		"   " + m.t("throughput") + " " + val(m.t("perminute", st.Throughput), false)
	return common.Truncate(lat, w) + "\n" + common.Truncate(rates, w)
}

// endpointLine is one row: icon, address, recent latencies, last status,
// last latency, successes of total, and down/failing. Columns after the
// address have fixed widths so rows line up.
func (m *Model) endpointLine(e monitor.EndpointStats, w int, compact bool) string {
	s := m.com.Styles
	icon, note := s.Pass.Render("✓"), ""
	switch {
	case e.ConsecutiveFailures >= max(1, m.mon.Thresholds.DownAfter):
		icon, note = s.Fail.Render("✗"), s.Fail.Render(m.t("down"))
	case !e.Healthy():
		icon, note = s.Warn.Render("!"), s.Warn.Render(m.t("failing"))
	}
	status := fmt.Sprint(e.LastStatus)
	if e.LastStatus == 0 {
		status = m.t("noanswer")
	}
	right := fmt.Sprintf(" %9s %8s", status, human.Duration(e.LastLatency))
	if w >= 70 {
		right += fmt.Sprintf(" %7s", fmt.Sprintf("%d/%d", e.Successes, e.Total))
	}
	if w >= 76 {
		spark := fmt.Sprintf("%-8s", Sparkline(m.mon.Metrics().RecentLatenciesOf(e.Endpoint, 8), 8))
		right = " " + s.Accent.Render(spark) + right
	}
	noteW := max(lipgloss.Width(m.t("down")), lipgloss.Width(m.t("failing")))
	right += " " + note + strings.Repeat(" ", noteW-lipgloss.Width(note))
	nameW := max(10, w-lipgloss.Width(right)-6)
	name := common.Truncate(e.Endpoint, nameW)
	line := "   " + icon + " " + name + strings.Repeat(" ", max(1, nameW-lipgloss.Width(name))) + right
	if e.LastError != "" && !e.Healthy() && w > 40 && !compact {
		line += "\n     " + s.Muted.Render(common.Truncate(e.LastError, w-6))
	}
	return line
}

// alertMessage says what crossed which limit, in the interface language.
func (m *Model) alertMessage(a monitor.Alert) string { return a.Text(m.com.Lang) }

// alertLine is the alert's kind and severity, then (unless compact) what
// it means on a line of its own.
func (m *Model) alertLine(a monitor.Alert, w int, compact bool) string {
	s := m.com.Styles
	icon, style := "!", s.Warn
	if a.Severity == monitor.Critical {
		icon, style = "✗", s.Fail
	}
	sev := style.Render(icon + " " + a.Severity.Word(m.com.Lang))
	if !a.Active {
		icon, style = "·", s.Muted
		sev = s.Muted.Render("· " + m.t("cleared"))
	}
	if compact {
		// One line: what is wrong in words, not the alert's code name.
		return common.Truncate("   "+style.Render(icon)+" "+s.Paragraph.Render(m.alertMessage(a)), w)
	}
	line := "   " + sev + " " + s.Bold.Render(string(a.Kind))
	if errText, ok := m.mailed[a.Kind]; ok {
		if errText == "" {
			line += s.Muted.Render("  " + m.t("emailed"))
		} else {
			line += s.Fail.Render("  " + m.t("mailfailed"))
		}
	}
	out := common.Truncate(line, w)
	for _, l := range common.WrapMax(m.alertMessage(a), w-6, 2) {
		out += "\n     " + s.Paragraph.Render(l)
	}
	if errText := m.mailed[a.Kind]; errText != "" {
		out += "\n     " + s.Muted.Render(common.Truncate(errText, w-6))
	}
	return out
}

func (m *Model) thresholdsLine(t monitor.Thresholds) string {
	return fmt.Sprintf("%s ≤ %s · %s ≤ %s · %s ≥ %s", strings.ToLower(m.t("latency")), human.Duration(t.ResponseTime),
		strings.ToLower(m.t("errors")), pct(t.ErrorRate), strings.ToLower(m.t("success")), pct(t.SuccessRate))
}

func fmtClock(d time.Duration) string {
	d = d.Round(time.Second)
	return fmt.Sprintf("%d:%02d", int(d.Minutes()), int(d.Seconds())%60)
}

func pct(f float64) string { return fmt.Sprintf("%.1f%%", f*100) }
