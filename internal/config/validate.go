package config

import (
	"net/url"
	"os"
	"strings"

	"pitstop/internal/i18n"
)

// Providers Pitstop knows, per area.
var (
	APIProviders  = []string{"copycar", "openai", "anthropic", "custom"}
	CRMProviders  = []string{"hubspot", "salesforce", "pipedrive"}
	SMTPSecurity  = []string{"starttls", "tls", "none"}
	defaultAPIURL = map[string]string{
		"copycar":   "https://api.copycarai.com/v2",
		"openai":    "https://api.openai.com/v1",
		"anthropic": "https://api.anthropic.com",
	}
	defaultCRMURL = map[string]string{
		"hubspot":   "https://api.hubapi.com",
		"pipedrive": "https://api.pipedrive.com",
	}
	defaultCRMObject = map[string]string{
		"hubspot":    "contacts",
		"salesforce": "Contact",
		"pipedrive":  "person",
	}
	// apiKeyEnv and crmTokenEnv name the variables read when a secret is not
	// in the file at all ("env-only secrets").
	apiKeyEnv = map[string][]string{
		"copycar":   {"COPYCAR_API_KEY"},
		"openai":    {"OPENAI_API_KEY"},
		"anthropic": {"ANTHROPIC_API_KEY"},
		"custom":    {"PITSTOP_API_KEY"},
		"":          {"COPYCAR_API_KEY", "PITSTOP_API_KEY"},
	}
	crmTokenEnv = map[string][]string{
		"hubspot":    {"HUBSPOT_TOKEN", "HUBSPOT_ACCESS_TOKEN"},
		"salesforce": {"SALESFORCE_TOKEN", "SALESFORCE_ACCESS_TOKEN"},
		"pipedrive":  {"PIPEDRIVE_API_TOKEN", "PIPEDRIVE_TOKEN"},
	}
)

// APIKeyEnvNames returns the environment variables read for the API key of a
// provider when the file does not set one.
func APIKeyEnvNames(provider string) []string { return apiKeyEnv[provider] }

// CRMTokenEnvNames returns the environment variables read for the CRM token.
func CRMTokenEnvNames(provider string) []string { return crmTokenEnv[provider] }

// validate checks every setting by its field's rule, then the rules that
// tie settings together.
func (p *Profile) validate() []pathError {
	var errs []pathError
	for _, f := range fields {
		for _, bad := range f.problems(p) {
			errs = append(errs, perr(bad.File, strings.Split(f.Key, ".")...))
		}
	}
	if p.API.Provider == "custom" && p.API.BaseURL == "" {
		errs = append(errs, perr(msgCustomURL.With(), "api", "provider"))
	}
	if p.CRM.Provider == "salesforce" && p.CRM.BaseURL == "" {
		errs = append(errs, perr(msgSalesforceURL.With(), "crm", "provider"))
	}
	if p.CRM.BaseURL != "" && p.CRM.Provider == "" {
		errs = append(errs, perr(msgCRMProvider.With(strings.Join(CRMProviders, ", ")), "crm", "base_url"))
	}
	return errs
}

// The problems of settings that go together, and of URLs, in
// locales/<lang>/config.yaml.
const (
	msgCustomURL     i18n.Text = "config.rule.custom_url"
	msgSalesforceURL i18n.Text = "config.rule.salesforce_url"
	msgCRMProvider   i18n.Text = "config.rule.crm_provider"

	msgURLInvalid i18n.Text = "config.url.invalid"
	msgURLScheme  i18n.Text = "config.url.scheme"
	msgURLNoHost  i18n.Text = "config.url.no_host"
	msgURLUser    i18n.Text = "config.url.user"
	msgURLQuery   i18n.Text = "config.url.query"
)

// checkHTTPURL returns "" for a usable http(s) URL, else the message (its
// verbs: the key, then the value) that says what is wrong with it.
func checkHTTPURL(v string) i18n.Text {
	u, err := url.Parse(v)
	switch {
	case err != nil:
		return msgURLInvalid
	case u.Scheme != "http" && u.Scheme != "https":
		return msgURLScheme
	case u.Host == "":
		return msgURLNoHost
	case u.User != nil:
		return msgURLUser
	case u.RawQuery != "":
		return msgURLQuery
	}
	return ""
}

// applyDefaults fills provider conventions and env-only secrets.
func (p *Profile) applyDefaults() {
	if p.API.BaseURL == "" {
		if u, ok := defaultAPIURL[p.API.Provider]; ok {
			p.API.BaseURL = u
		}
	}
	if p.API.Provider == "" && p.API.BaseURL != "" {
		p.API.Provider = "custom"
		if strings.Contains(p.API.BaseURL, "copycar") {
			p.API.Provider = "copycar"
		}
	}
	if !p.API.Key.IsSet() && p.API.Key.source == "" {
		p.API.Key = fromEnv(apiKeyEnv[p.API.Provider])
	}
	if p.CRM.BaseURL == "" {
		p.CRM.BaseURL = defaultCRMURL[p.CRM.Provider]
	}
	if p.CRM.Object == "" {
		p.CRM.Object = defaultCRMObject[p.CRM.Provider]
	}
	if !p.CRM.Token.IsSet() && p.CRM.Token.source == "" {
		p.CRM.Token = fromEnv(crmTokenEnv[p.CRM.Provider])
	}
	if p.SMTP.Host != "" {
		if p.SMTP.Security == "" {
			p.SMTP.Security = "starttls"
			if p.SMTP.Port == 465 {
				p.SMTP.Security = "tls"
			}
		}
		if p.SMTP.Port == 0 {
			p.SMTP.Port = map[string]int{"starttls": 587, "tls": 465, "none": 25}[p.SMTP.Security]
		}
		if !p.SMTP.Password.IsSet() && p.SMTP.Password.source == "" {
			p.SMTP.Password = fromEnv([]string{"SMTP_PASSWORD"})
		}
	}
	p.SMTP.Password.password = true
	if p.Domain.Name == "" && p.SMTP.From != "" {
		if at := strings.LastIndexByte(p.SMTP.From, '@'); at >= 0 {
			p.Domain.Name = strings.Trim(p.SMTP.From[at+1:], "> ")
		}
	}
	if p.Domain.DNSBL == nil {
		p.Domain.DNSBL = []string{"zen.spamhaus.org"}
	}
	if p.Content.MaxTokens == 0 {
		p.Content.MaxTokens = 4000
	}
}

func fromEnv(names []string) Secret {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return Secret{value: v, source: "env:" + n}
		}
	}
	return Secret{}
}
