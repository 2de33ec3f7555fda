package quality

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/check/suite"
	"pitstop/internal/config"
	"pitstop/internal/demo"
	"pitstop/internal/tui"
	"pitstop/internal/tui/common"
	"pitstop/internal/tui/tuitest"
	"pitstop/internal/wizard"
)

// requireNoPersonalData fails when a name, address or phone number of a
// sandbox CRM record is in text.
func requireNoPersonalData(t *testing.T, where, text string, personal []string) {
	t.Helper()
	for _, p := range personal {
		if i := strings.Index(text, p); i >= 0 {
			lo, hi := max(0, i-120), min(len(text), i+len(p)+40)
			t.Errorf("%s shows record data %q:\n…%s…", where, p, text[lo:hi])
		}
	}
}

// TestPersonalDataCanary runs crm.data_quality against the sandbox CRM
// whose 600 contacts hold names, addresses and phone numbers, the way a
// person and CI do: every `pitstop check` format, the report in both
// formats, with --debug into one activity log, and the wizard's results
// with every row opened. The check counts the records; no value of one
// reaches any of them.
func TestPersonalDataCanary(t *testing.T) {
	t.Parallel()
	sb, err := demo.StartSandbox("crm-data-quality", demo.SandboxOptions{Dir: t.TempDir()})
	require.NoError(t, err)
	t.Cleanup(func() { _ = sb.Close() })
	personal := sb.CRM.PersonalData()
	require.Greater(t, len(personal), 1000, "the sandbox records hold personal data")

	bin := pitstopBinary(t)
	dir := t.TempDir()
	logFile := filepath.Join(dir, "activity.log")
	reportFile := filepath.Join(dir, "report.json")
	for _, args := range [][]string{
		{"check", "--format", "text"},
		{"check", "--format", "text", "--verbose"},
		{"check", "--format", "json"},
		{"check", "--format", "junit"},
		{"check", "--format", "markdown", "--verbose"},
		{"report", "--format", "markdown", "--out", "-"},
		{"report", "--format", "json", "--out", reportFile},
	} {
		full := append([]string{"--config", sb.ConfigPath, "--log-file", logFile, "--debug", "--timeout", "20s"}, args...)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		cmd := exec.CommandContext(ctx, bin, full...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+dir, "XDG_STATE_HOME="+dir, "PITSTOP_CONFIG=")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		cancel()
		name := strings.Join(args[:3], " ")
		if ee, ok := err.(*exec.ExitError); ok {
			require.LessOrEqual(t, ee.ExitCode(), 1, "pitstop %s: %s", name, stderr.String())
		} else {
			require.NoError(t, err, "pitstop %s", name)
		}
		if args[0] == "check" {
			require.Contains(t, stdout.String(), "crm.data_quality", "pitstop %s shows the check", name)
		}
		requireNoPersonalData(t, "pitstop "+name+" (stdout)", stdout.String(), personal)
		requireNoPersonalData(t, "pitstop "+name+" (stderr)", stderr.String(), personal)
	}
	report, err := os.ReadFile(reportFile)
	require.NoError(t, err)
	requireNoPersonalData(t, "the report file", string(report), personal)
	log, err := os.ReadFile(logFile)
	require.NoError(t, err)
	requireNoPersonalData(t, "the activity log", string(log), personal)

	// The wizard: the results of a real run, every row opened.
	cfg, err := config.Load(sb.ConfigPath)
	require.NoError(t, err)
	p, err := cfg.Profile("")
	require.NoError(t, err)
	results := (&check.Runner{Timeout: 20 * time.Second, Scrub: cfg.Scrubber().Scrub}).Run(context.Background(), suite.For(p, []string{"crm"}))
	var dq check.Result
	for _, r := range results {
		if r.ID == "crm.data_quality" {
			dq = r
		}
	}
	require.Equal(t, check.Fail, dq.Status, dq.Summary)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	c := common.Must(common.New(common.Options{KB: tuitest.KB(t, "en"), Config: cfg, Profile: p,
		ConfigPath: filepath.Join(t.TempDir(), "config.yaml"), Lang: "en", Theme: "dark",
		Timeout: 20 * time.Second, Version: "test", Ctx: ctx, Sandbox: "crm-data-quality"}))
	c.Animate, c.StatusTTL = false, 0
	s := c.Session
	s.Profile = wizard.CloneProfile(c.Profile)
	s.Categories = []string{"crm"}
	s.Results = results
	s.Matches = c.KB.Match(s.Evidence())
	d := tuitest.NewDriver(t, tui.New(c), 100, 60)
	d.Press("2")
	for i := range c.Session.Results {
		d.Press("enter")
		requireNoPersonalData(t, "the wizard's results, row "+results[min(i, len(results)-1)].ID+" open", ansi.Strip(d.Model.View().Content), personal)
		d.Press("enter", "down")
	}
}
