package wizard

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/config"
)

func newCore(t *testing.T) *Core {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	cfg, err := config.Parse(path, []byte("profiles:\n  prod:\n    smtp: {host: smtp.example.test, username: u@example.test}\n"))
	require.NoError(t, err)
	p, err := cfg.Profile("")
	require.NoError(t, err)
	c, err := New(Options{Config: cfg, Profile: p, ConfigPath: path, Lang: "en"})
	require.NoError(t, err)
	require.NotNil(t, c.Policy, "the built-in policy is loaded")
	require.NotNil(t, c.Checklists)
	return c
}

func TestApplyWritesOnlyWhatChanged(t *testing.T) {
	t.Parallel()
	c := newCore(t)
	c.Session.Choose(Problems[3], nil, "", nil, c.Profile) // email: smtp and domain
	require.Equal(t, []string{"smtp", "domain"}, c.Session.Categories)
	require.NotSame(t, c.Profile, c.Session.Profile, "the session edits a copy")

	var edits []Edit
	for _, f := range c.Fields() {
		e := Edit{Field: f, Orig: f.Get(c.Session.Profile)}
		e.Value = e.Orig
		switch f.Key {
		case "smtp.port":
			e.Value = "2525"
		case "smtp.password":
			e.Value = "typed-password-42"
		}
		edits = append(edits, e)
	}
	changed, err := c.Apply(edits)
	require.NoError(t, err)
	var keys []string
	for _, s := range changed {
		keys = append(keys, s.Key)
	}
	require.Equal(t, []string{"smtp.port", "smtp.password"}, keys)
	require.Equal(t, 2525, c.Session.Profile.SMTP.Port)
	require.Equal(t, 587, c.Profile.SMTP.Port, "the loaded profile is untouched")
	require.Equal(t, "typed …", c.Scrub("typed …"))
	require.NotContains(t, c.Scrub("login with typed-password-42"), "typed-password-42", "a typed secret is scrubbed from then on")

	rep, err := c.SaveLater(changed, false)()
	require.NoError(t, err)
	require.Equal(t, []string{"smtp.port"}, rep.Written)
	require.Equal(t, []string{"smtp.password"}, rep.Skipped, "a typed secret needs a second yes")
}

func TestApplyRefusesWhatTheRuleRefuses(t *testing.T) {
	t.Parallel()
	c := newCore(t)
	c.Plan(false)
	f, _ := config.FieldByKey("cache.redis_url")
	_, err := c.Apply([]Edit{{Field: f, Value: "http://cache:6379"}})
	require.Error(t, err)
	require.Empty(t, c.Session.Profile.Cache.RedisURL)
	_, err = c.Apply([]Edit{{Field: f, Value: "unix:///run/redis.sock"}})
	require.NoError(t, err)
	require.EqualError(t, Validator(f, "es")("http://x"), "Escribe una dirección como redis://host:6379/0 (rediss:// para TLS, unix:///ruta para un socket).")
}

func TestPlanAndRunLater(t *testing.T) {
	t.Parallel()
	c := newCore(t)
	p, fams := c.Plan(true)
	require.Equal(t, []string{"smtp"}, fams, "everything: the configured families")
	require.Same(t, p, c.Session.Profile)
	var seen []string
	c.Checks = func(_ *config.Profile, families []string) []check.Check {
		seen = families
		return []check.Check{check.Define("smtp.connect", "", func(context.Context) check.Result { return check.Failf("No answer.") })}
	}
	checks := c.Checks(c.Plan(false))
	require.Equal(t, fams, seen)
	var events int
	run := c.RunLater(checks, func(check.Event) { events++ })
	results, _ := run(context.Background())
	require.Len(t, results, 1)
	require.Equal(t, "SMTP server answers", results[0].Title)
	require.Equal(t, 2, events)
}
