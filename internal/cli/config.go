package cli

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"pitstop/internal/config"
	"pitstop/internal/escalate"
	"pitstop/internal/i18n"
	"pitstop/internal/registry"
)

// exampleConfig is what `pitstop config --example` prints: every setting,
// commented, secrets taken from the environment. Each «key» is the setting's
// own help (config.Field.Help, the settings form's line), in the run's
// language; «header» is cli.example.header.
const exampleConfig = `«header»
default_profile: production
profiles:
  production:
    api:
      provider: copycar          # copycar | openai | anthropic | custom
      base_url: https://api.copycarai.com/v2
      key: ${COPYCAR_API_KEY}
      endpoints: []              # «api.endpoints»
      ca_file: ""                # «api.ca_file»
    crm:
      provider: hubspot          # hubspot | salesforce | pipedrive
      base_url: https://api.hubapi.com
      token: ${HUBSPOT_TOKEN}
      object: contacts           # hubspot: contacts; salesforce: Contact; pipedrive: person
      field_mapping: {email: email, company: company, personalization_score: pz_score}
      sample_size: 500           # «crm.sample_size»
    smtp:
      host: smtp.example.com
      port: 587
      security: starttls         # starttls | tls | none
      username: mailer@example.com
      password: ${SMTP_PASSWORD}
      from: news@example.com
      test_recipient: ""         # «smtp.test_recipient»
    domain:
      name: example.com
      dkim_selectors: [s1]
      dns_server: ""             # «domain.dns_server»
      dnsbl: [zen.spamhaus.org]
      bimi_selector: default     # «domain.bimi_selector»
    content:
      max_tokens: 4000
      prompt_file: ""            # «content.prompt_file»
      email_file: ""             # «content.email_file»
      spamd: ""                  # «content.spamd»
    cache:
      redis_url: ""              # «cache.redis_url»
  staging:
    api:
      provider: openai
      key: ${OPENAI_API_KEY}
`

func newConfigCmd(app *App) *cobra.Command {
	var example bool
	cmd := &cobra.Command{
		Use:  "config",
		Args: app.args().none,
		RunE: func(*cobra.Command, []string) error {
			if example {
				_, err := fmt.Fprint(app.Stdout, app.exampleConfig())
				return err
			}
			return showConfig(app)
		},
	}
	cmd.Flags().BoolVar(&example, "example", false, "")
	return cmd
}

// showConfig prints where the settings come from and what they configure.
func showConfig(app *App) error {
	cfg, err := config.Load(app.Opts.ConfigPath)
	if err != nil {
		return usageErr(err)
	}
	app.scrubber.Store(cfg.Scrubber())
	w := app.Stdout
	if cfg.Path != "" {
		fmt.Fprintln(w, app.T("config.file", cfg.Path))
	} else {
		where := config.DefaultPath()
		fmt.Fprintln(w, app.T("config.no_file", where))
		fmt.Fprintln(w, app.T("config.start", escalate.ShellQuote(filepath.Dir(where)), escalate.ShellQuote(where)))
	}
	// The default is found once: asking per profile sorted every name
	// for each (10,000 profiles took 23 s).
	def, _ := cfg.Profile("")
	for _, name := range cfg.ProfileNames() {
		p := cfg.Profiles[name]
		label := name
		if def != nil && def == p {
			label = app.T("config.default", name)
		}
		fmt.Fprintf(w, "\n%s\n", app.T("config.profile", label))
		cats := registry.Configured(p)
		if len(cats) == 0 {
			fmt.Fprintf(w, "  %s\n", app.T("config.nothing"))
		} else {
			fmt.Fprintf(w, "  %s\n", app.T("config.checks", strings.Join(cats, ", ")))
		}
		for _, f := range config.Fields() {
			if !f.Secret() || !p.Configured(f.Section()) {
				continue
			}
			fmt.Fprintf(w, "  %s: %s\n", f.Key, secretOrigin(app, f.SecretOf(p), f.EnvNames(p)))
		}
	}
	return nil
}

// secretOrigin is a secret masked with where it came from, or what would set it.
func secretOrigin(app *App, s config.Secret, envVars []string) string {
	src := s.Source()
	switch {
	case s.IsSet() && strings.HasPrefix(src, "env:"):
		return app.T("config.secret.env", s.MaskedIn(app.Opts.Lang), strings.TrimPrefix(src, "env:"))
	case s.IsSet():
		return app.T("config.secret.file", s.MaskedIn(app.Opts.Lang))
	case strings.HasPrefix(src, "env:"):
		return app.T("config.secret.env_unset", strings.TrimPrefix(src, "env:"))
	case len(envVars) > 0:
		return app.T("config.secret.unset_either", i18n.JoinOr(app.Opts.Lang, envVars))
	}
	return app.T("config.secret.unset")
}

// noSettingsError is the usage error for a run with nothing to check and
// no settings file: where the file was looked for and how to start one.
func (app *App) noSettingsError() error {
	where := config.DefaultPath()
	return usageErrf("%s", app.T("err.no_settings", where, escalate.ShellQuote(filepath.Dir(where)), escalate.ShellQuote(where)))
}

var exampleComment = regexp.MustCompile(`«([a-z_.]+)»`)

// exampleConfig is the example settings file with its comments in the run's
// language.
func (app *App) exampleConfig() string {
	return exampleComment.ReplaceAllStringFunc(exampleConfig, func(m string) string {
		name := m[len("«") : len(m)-len("»")]
		if name == "header" {
			return "# " + strings.ReplaceAll(wrapText(app.T("example.header"), 76), "\n", "\n# ")
		}
		if f, ok := config.FieldByKey(name); ok {
			return f.Help.In(app.Opts.Lang)
		}
		return m // a key the settings do not have: TestExampleConfig fails
	})
}
