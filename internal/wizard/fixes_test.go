package wizard

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/demo"
	"pitstop/internal/fix"
)

// TestFixInTheWizard walks the wizard core through detect → fix → verify on
// the sandbox whose SMTP security does not match its port: the run fails,
// the fix is proposed, applying it writes the settings file and runs the
// affected checks again, and the session and the report see the outcome.
func TestFixInTheWizard(t *testing.T) {
	t.Parallel()
	sb, err := demo.StartSandbox("smtp-wrong-security", demo.SandboxOptions{Dir: t.TempDir()})
	require.NoError(t, err)
	t.Cleanup(func() { sb.Close() })
	cfg, err := config.Load(sb.ConfigPath)
	require.NoError(t, err)
	p, err := cfg.Profile("")
	require.NoError(t, err)
	c, err := New(Options{Config: cfg, Profile: p, ConfigPath: sb.ConfigPath, Lang: "en", Timeout: 10 * time.Second})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	c.Session.Choose(Problems[3], nil, "", nil, c.Profile)
	prof, families := c.Plan(false)
	results, matches := c.RunLater(c.Checks(prof, families), nil)(ctx)
	c.Session.Record(results, matches, time.Now(), false)

	c.Session.RecordFixes(c.FixesLater()(ctx))
	fixes := c.Session.FixesFor("smtp.tls")
	require.Len(t, fixes, 1)
	require.Equal(t, fix.KindConfig, fixes[0].Kind)
	require.Equal(t, "proposed", c.Session.FixInfos()[0].State)

	applied := c.ApplyLater(fixes[0])(ctx)
	require.NoError(t, applied.Err)
	c.RecordApplied(applied)
	require.Equal(t, "tls", c.Session.Profile.SMTP.Security, "the session's settings follow the file")
	for _, r := range c.Session.Results {
		if r.ID == "smtp.tls" || r.ID == "smtp.auth" {
			require.Equal(t, check.Pass, r.Status, "%s after the fix: %s", r.ID, r.Summary)
		}
	}
	var states []string
	for _, fi := range c.Session.FixInfos() {
		states = append(states, fi.State)
	}
	require.Contains(t, states, "verified")

	// Applying again with the file changed since is refused.
	again := c.ApplyLater(fixes[0])(ctx)
	require.NoError(t, again.Err, "the file as written is what the next apply expects")
	stale := c.ApplyLater(fixes[0])
	require.NoError(t, writeFile(sb.ConfigPath, "# edited by hand\n"))
	require.ErrorIs(t, stale(ctx).Err, fix.ErrChanged)
}

func writeFile(path, extra string) error {
	data, err := fix.ReadSettings(path)
	if err != nil {
		return err
	}
	return config.WriteFileAtomic(path, append(data, extra...))
}

// TestStaleProposalIsDropped: fixes worked out for a run that a newer run
// has replaced never reach the session.
func TestStaleProposalIsDropped(t *testing.T) {
	t.Parallel()
	s := &Session{}
	s.Record(nil, nil, time.Now(), false)
	s.Record(nil, nil, time.Now(), false)
	s.RecordFixes(Proposal{Fixes: []fix.Fix{{ID: "old"}}, Run: 1})
	require.Empty(t, s.Fixes)
	s.RecordFixes(Proposal{Fixes: []fix.Fix{{ID: "new"}}, Run: 2})
	require.Equal(t, "new", s.Fixes[0].ID)
}

// TestApplyRefusalSpeaksTheLanguage: what the core says when a fix cannot
// be applied here is in the session's language.
func TestApplyRefusalSpeaksTheLanguage(t *testing.T) {
	t.Parallel()
	for lang, want := range map[string][2]string{
		"en": {"only setting changes can be applied here", "the settings come from the environment, not a file: make the change by hand"},
		"es": {"aquí solo se pueden aplicar cambios de ajustes", "la configuración viene del entorno, no de un archivo: haz el cambio a mano"},
	} {
		c, err := New(Options{Config: &config.Config{}, Profile: &config.Profile{Name: "default"}, Lang: lang})
		require.NoError(t, err)
		ctx := context.Background()
		require.EqualError(t, c.ApplyLater(fix.Fix{Kind: fix.KindDNS})(ctx).Err, want[0])
		require.EqualError(t, c.ApplyLater(fix.Fix{Kind: fix.KindConfig})(ctx).Err, want[1])
	}
}
