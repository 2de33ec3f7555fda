// Package config loads Pitstop's YAML settings: profiles, ${VAR} expansion,
// secrets that may live only in the environment, strict keys and validation
// errors that name the file and line.
package config

import (
	"net/url"
	"os"
	"path/filepath"
	"sort"
)

// Config is the whole settings file.
type Config struct {
	DefaultProfile string              `yaml:"default_profile,omitempty"`
	Profiles       map[string]*Profile `yaml:"profiles"`

	// Path is the file the config was read from ("" when built from the
	// environment alone).
	Path string `yaml:"-"`
}

// Profile is one environment's settings (production, staging ...).
type Profile struct {
	Name    string        `yaml:"-"`
	API     APIConfig     `yaml:"api,omitempty"`
	CRM     CRMConfig     `yaml:"crm,omitempty"`
	SMTP    SMTPConfig    `yaml:"smtp,omitempty"`
	Domain  DomainConfig  `yaml:"domain,omitempty"`
	Content ContentConfig `yaml:"content,omitempty"`
	Cache   CacheConfig   `yaml:"cache,omitempty"`
}

// APIConfig describes the AI API.
type APIConfig struct {
	Provider  string   `yaml:"provider,omitempty"` // copycar | openai | anthropic | custom
	BaseURL   string   `yaml:"base_url,omitempty"`
	Key       Secret   `yaml:"key,omitempty"`
	Endpoints []string `yaml:"endpoints,omitempty"`
	CAFile    string   `yaml:"ca_file,omitempty"`
}

// CRMConfig describes the CRM.
type CRMConfig struct {
	Provider     string            `yaml:"provider,omitempty"` // hubspot | salesforce | pipedrive
	BaseURL      string            `yaml:"base_url,omitempty"`
	Token        Secret            `yaml:"token,omitempty"`
	Object       string            `yaml:"object,omitempty"`
	FieldMapping map[string]string `yaml:"field_mapping,omitempty"`
	// SampleSize is how many records crm.data_quality reads; nil means
	// DefaultCRMSampleSize, 0 skips that check.
	SampleSize *int `yaml:"sample_size,omitempty"`
}

// DefaultCRMSampleSize is crm.sample_size when the file does not set it.
const DefaultCRMSampleSize = 500

// MaxCRMSampleSize bounds crm.sample_size: crm.data_quality samples, it
// does not export.
const MaxCRMSampleSize = 10000

// Sample returns the number of records crm.data_quality reads.
func (c CRMConfig) Sample() int {
	if c.SampleSize == nil {
		return DefaultCRMSampleSize
	}
	return *c.SampleSize
}

// SMTPConfig describes the email sender.
type SMTPConfig struct {
	Host          string `yaml:"host,omitempty"`
	Port          int    `yaml:"port,omitempty"`
	Security      string `yaml:"security,omitempty"` // starttls | tls | none
	Username      string `yaml:"username,omitempty"`
	Password      Secret `yaml:"password,omitempty"`
	From          string `yaml:"from,omitempty"`
	TestRecipient string `yaml:"test_recipient,omitempty"`
	CAFile        string `yaml:"ca_file,omitempty"`
}

// DomainConfig describes the sender domain.
type DomainConfig struct {
	Name          string   `yaml:"name,omitempty"`
	DKIMSelectors []string `yaml:"dkim_selectors,omitempty"`
	DNSServer     string   `yaml:"dns_server,omitempty"`
	DNSBL         []string `yaml:"dnsbl,omitempty"`
	// BIMISelector names the BIMI record domain.bimi reads:
	// {selector}._bimi.{name} ("default" when empty).
	BIMISelector string `yaml:"bimi_selector,omitempty"`
	// CAFile is an extra CA bundle trusted when the domain checks fetch over
	// HTTPS (the BIMI logo and mark certificate); SSL_CERT_FILE works too.
	CAFile string `yaml:"ca_file,omitempty"`
}

// ContentConfig describes the content checks.
type ContentConfig struct {
	MaxTokens  int    `yaml:"max_tokens,omitempty"`
	PromptFile string `yaml:"prompt_file,omitempty"`
	EmailFile  string `yaml:"email_file,omitempty"`
	Spamd      string `yaml:"spamd,omitempty"`
}

// CacheConfig describes the cache.
type CacheConfig struct {
	RedisURL string `yaml:"redis_url,omitempty"`
}

// Configured reports whether the profile has enough settings for the
// checks of a family (a section of the settings: "smtp") to run: one of the
// section's fields that enable it is set (Field.Enables).
func (p *Profile) Configured(section string) bool {
	for _, f := range fields {
		if f.Enables && f.Section() == section && f.IsSet(p) {
			return true
		}
	}
	return false
}

// Secrets returns every secret of the profile.
// The password inside cache.redis_url counts as one, so the scrubber masks
// it wherever the URL or the password shows up.
func (p *Profile) Secrets() []Secret {
	var out []Secret
	for _, f := range fields {
		if f.Secret() {
			out = append(out, f.SecretOf(p))
		}
	}
	if u, err := url.Parse(p.Cache.RedisURL); err == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok && pw != "" {
			out = append(out, NewPassword(pw, "cache.redis_url"))
		}
	}
	return out
}

// Secrets returns every secret of every profile, for the scrubber.
func (c *Config) Secrets() []Secret {
	var out []Secret
	for _, name := range c.ProfileNames() {
		out = append(out, c.Profiles[name].Secrets()...)
	}
	return out
}

// Scrubber returns a scrubber that knows every secret of every profile.
func (c *Config) Scrubber() *Scrubber { return NewScrubber(c.Secrets()...) }

// ProfileNames returns the profile names, sorted.
func (c *Config) ProfileNames() []string {
	names := make([]string, 0, len(c.Profiles))
	for n := range c.Profiles {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// DefaultPath returns where the config is looked for when no --config is
// given: $PITSTOP_CONFIG, else $XDG_CONFIG_HOME/pitstop/config.yaml (with the
// usual ~/.config fallback).
func DefaultPath() string {
	if p := os.Getenv("PITSTOP_CONFIG"); p != "" {
		return p
	}
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "pitstop", "config.yaml")
}
