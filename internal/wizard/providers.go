package wizard

import (
	"pitstop/internal/check"
	"pitstop/internal/check/mail"
	"pitstop/internal/config"
	"pitstop/internal/kb"
)

// Providers returns the services a profile uses, as the knowledge
// articles name them (hubspot, gmail, openai): matching leaves out the
// articles about other providers unless the pasted text names them. A nil
// profile gives nil: nothing is left out.
func Providers(p *config.Profile) []string {
	if p == nil {
		return nil
	}
	out := []string{}
	for _, name := range []string{p.API.Provider, p.CRM.Provider, mail.HostProvider(p.SMTP.Host)} {
		if name != "" {
			out = append(out, name)
		}
	}
	return out
}

// Evidence is what matching works from for a profile: the pasted text, the
// picked symptoms and the check results, and the profile's providers.
func Evidence(p *config.Profile, text string, symptoms []string, results []check.Result) kb.Evidence {
	return kb.Evidence{Text: text, Symptoms: symptoms, Results: results, Providers: Providers(p)}
}
