package wizard

import (
	"errors"
	"strings"

	"pitstop/internal/config"
	"pitstop/internal/registry"
)

// Fields are the settings step's fields: those of the session's families,
// in registry order. The form and the accessible wizard both ask these.
func (c *Core) Fields() []*config.Field { return registry.FieldsOf(c.Session.Categories) }

// Edit is one setting as the user left it. For a secret, Value is what was
// typed ("" keeps the current secret); for the others, the text in the
// field, and Orig what it held before.
type Edit struct {
	Field *config.Field
	Value string
	Orig  string
}

// Apply writes the edits into the session's profile, fills the defaults,
// and returns what "save to my config" would write: into the file the
// settings came from, only what changed; anywhere else (no file yet,
// settings from the environment), every value set. A secret typed here is
// masked from then on. Values were validated as they were typed; one that
// is not valid is left out and its error returned.
func (c *Core) Apply(edits []Edit) ([]config.Setting, error) {
	p := c.Session.Profile
	if p == nil {
		p = CloneProfile(c.Profile)
		c.Session.Profile = p
	}
	full := c.Config.Path == "" || c.Config.Path != c.ConfigPath
	var changed []config.Setting
	var errs []error
	for _, e := range edits {
		f := e.Field
		v := strings.TrimSpace(e.Value)
		if f.Secret() {
			if v != "" {
				s := config.NewSecret(v, config.SourceTyped)
				c.AddSecret(s)
				f.SetSecret(p, s)
			}
			if s := f.SecretOf(p); s.IsSet() || strings.HasPrefix(s.Source(), "env:") {
				changed = append(changed, config.Setting{Key: f.Key, Value: s})
			}
			continue
		}
		if err := f.Set(p, v); err != nil {
			errs = append(errs, err)
			continue
		}
		if v != e.Orig || (full && v != "") {
			changed = append(changed, config.Setting{Key: f.Key, Value: f.Value(p)})
		}
	}
	config.ApplyDefaults(p)
	return changed, errors.Join(errs...)
}

// SecretEnvHint names the environment variable the first typed secret of
// the edits could live in instead of the file.
func (c *Core) SecretEnvHint(edits []Edit) string {
	p := c.Session.Profile
	if p == nil {
		p = c.Profile
	}
	for _, e := range edits {
		if e.Field.Secret() && strings.TrimSpace(e.Value) != "" {
			if names := e.Field.EnvNames(p); len(names) > 0 {
				return names[0]
			}
		}
	}
	return "SMTP_PASSWORD"
}

// SaveLater reads where and under which profile to save now (in Update)
// and returns the write, mode 0600, to run in a command.
func (c *Core) SaveLater(settings []config.Setting, inlineSecrets bool) func() (config.SaveReport, error) {
	path, name := c.ConfigPath, "default"
	if c.Session.Profile != nil && c.Session.Profile.Name != "" {
		name = c.Session.Profile.Name
	}
	return func() (config.SaveReport, error) {
		return config.SaveProfile(path, name, settings, config.SaveOptions{InlineSecrets: inlineSecrets})
	}
}

// Validator is a setting's rule as a prompt takes it (huh's Validate): the
// hint in lang, so the form, the accessible wizard and the file agree.
func Validator(f *config.Field, lang string) func(string) error {
	return func(v string) error {
		err := f.Validate(v)
		var bad *config.Invalid
		if errors.As(err, &bad) {
			return errors.New(bad.Hint.In(lang))
		}
		return err
	}
}
