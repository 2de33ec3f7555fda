package demo

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"pitstop/internal/config"
)

// SandboxProfile is the name of the profile the sandbox config holds.
const SandboxProfile = "sandbox"

// Sandbox is every sandbox service of one scenario running on loopback, and
// a config that points at them, written in a private temporary directory.
type Sandbox struct {
	Scenario Scenario
	// Dir holds the config, the CA bundle and the content files; Close
	// removes it.
	Dir string
	// ConfigPath is the sandbox config (mode 0600).
	ConfigPath string
	// CAFile is the bundle of the sandbox's throwaway CAs, used as ca_file.
	CAFile string
	// Profile is the profile the config holds, with its secrets.
	Profile *config.Profile

	API      *APIServer
	Endpoint *APIServer // a second replica of the API, listed in endpoints[]
	CRM      *CRMServer
	SMTP     *SMTPServer
	DNS      *DNSServer
	Redis    *RedisServer
	BIMI     *BIMIServer // brand logos and mark certificates over HTTPS
}

// SandboxOptions tune StartSandbox.
type SandboxOptions struct {
	// Dir is where the sandbox's files go: a new private directory inside
	// it (os.TempDir() when empty), removed by Close.
	Dir string
}

// StartSandbox starts the services of the named scenario and writes the
// config that points at them. Close it when done.
func StartSandbox(name string, opts SandboxOptions) (sb *Sandbox, err error) {
	sc, ok := ScenarioByName(name)
	if !ok {
		return nil, fmt.Errorf("unknown scenario %q; `pitstop demo --list` shows them: %s", name, joinNames())
	}
	dir, err := os.MkdirTemp(opts.Dir, "pitstop-sandbox-")
	if err != nil {
		return nil, fmt.Errorf("sandbox directory: %w", err)
	}
	sb = &Sandbox{Scenario: sc, Dir: dir}
	defer func() {
		if err != nil {
			sb.Close()
			sb = nil
		}
	}()
	p := &config.Profile{Name: SandboxProfile}

	apiOpts := sc.API
	apiOpts.Faults = append([]string{APIFaultTLS}, apiOpts.Faults...)
	if sb.API, err = StartAPI(apiOpts); err != nil {
		return nil, err
	}
	sb.API.Configure(p)
	epOpts := APIOptions{Provider: apiOpts.Provider, Key: sb.API.Key(), Faults: append([]string{APIFaultTLS}, sc.EndpointFaults...)}
	if sb.Endpoint, err = StartAPI(epOpts); err != nil {
		return nil, err
	}
	p.API.Endpoints = []string{sb.Endpoint.URL}

	if sc.CRM.Provider != "" {
		if sb.CRM, err = StartCRM(sc.CRM); err != nil {
			return nil, err
		}
		sb.CRM.Configure(p)
	}

	smtpOpts := sc.SMTP
	smtpOpts.CA, smtpOpts.Dir = sb.API.CA, dir
	if sb.SMTP, err = StartSMTP(smtpOpts); err != nil {
		return nil, err
	}
	if err = sb.SMTP.Configure(p); err != nil {
		return nil, err
	}
	p.SMTP.TestRecipient = "inbox@" + HealthyDomain

	if sb.BIMI, err = StartBIMI(sb.API.CA); err != nil {
		return nil, err
	}
	dnsOpts := sc.DNS
	dnsOpts.ExtraZones += "\n" + sb.BIMI.Zones()
	if sb.DNS, err = StartDNS(dnsOpts); err != nil {
		return nil, err
	}
	sb.DNS.Configure(p)
	p.SMTP.From = "news@" + sb.DNS.Domain()

	redisOpts := sc.Redis
	if redisOpts.TLS && redisOpts.CA == nil {
		redisOpts.CA = sb.API.CA // one CA bundle for every TLS service
	}
	if sb.Redis, err = StartRedis(redisOpts); err != nil {
		return nil, err
	}
	sb.Redis.Configure(p)

	if err = sb.writeContent(p); err != nil {
		return nil, err
	}
	// One CA bundle for every TLS service: the two API replicas each have a
	// CA of their own; the SMTP server shares the first one's.
	sb.CAFile = filepath.Join(dir, "sandbox-ca.pem")
	bundle := append(append([]byte(nil), sb.API.CA.PEM...), sb.Endpoint.CA.PEM...)
	if err = os.WriteFile(sb.CAFile, bundle, 0o600); err != nil {
		return nil, fmt.Errorf("sandbox CA: %w", err)
	}
	p.API.CAFile, p.SMTP.CAFile, p.Domain.CAFile = sb.CAFile, sb.CAFile, sb.CAFile
	if sc.Profile != nil {
		sc.Profile(p)
	}
	sb.Profile = p
	sb.ConfigPath = filepath.Join(dir, "config.yaml")
	if err = WriteConfig(sb.ConfigPath, p); err != nil {
		return nil, err
	}
	return sb, nil
}

// writeContent writes the scenario's prompt and email for the content checks.
func (sb *Sandbox) writeContent(p *config.Profile) error {
	prompt, email := sb.Scenario.Prompt, sb.Scenario.Email
	if prompt == "" {
		prompt = healthyPrompt
	}
	if email == "" {
		// The sound email is written for the scenario's own sender domain,
		// so its From, DKIM d= and smtp.from align.
		email = strings.ReplaceAll(healthyEmail, HealthyDomain, sb.DNS.Domain())
	}
	p.Content.PromptFile = filepath.Join(sb.Dir, "prompt.txt")
	p.Content.EmailFile = filepath.Join(sb.Dir, "email.eml")
	p.Content.MaxTokens = 4000
	if err := os.WriteFile(p.Content.PromptFile, []byte(prompt), 0o600); err != nil {
		return fmt.Errorf("sandbox prompt: %w", err)
	}
	if err := os.WriteFile(p.Content.EmailFile, []byte(email), 0o600); err != nil {
		return fmt.Errorf("sandbox email: %w", err)
	}
	return nil
}

// Close stops every service and removes the sandbox's files.
func (sb *Sandbox) Close() error {
	var errs []error
	for _, c := range []interface{ Close() error }{sb.API, sb.Endpoint, sb.CRM, sb.SMTP, sb.DNS, sb.Redis, sb.BIMI} {
		if c == nil || isNilService(c) {
			continue
		}
		errs = append(errs, c.Close())
	}
	if sb.Dir != "" {
		errs = append(errs, os.RemoveAll(sb.Dir))
	}
	return errors.Join(errs...)
}

// isNilService catches typed nil pointers inside the interface.
func isNilService(c interface{ Close() error }) bool {
	switch s := c.(type) {
	case *APIServer:
		return s == nil
	case *CRMServer:
		return s == nil
	case *SMTPServer:
		return s == nil
	case *DNSServer:
		return s == nil
	case *RedisServer:
		return s == nil
	case *BIMIServer:
		return s == nil
	}
	return false
}

// Services lists what runs, one line each, the addresses in one column,
// for `pitstop demo --serve`.
func (sb *Sandbox) Services() []string {
	var names, addrs []string
	add := func(name, addr string) { names, addrs = append(names, name), append(addrs, addr) }
	add(fmt.Sprintf("AI API (%s)", sb.API.Provider), sb.API.URL)
	add("API replica", sb.Endpoint.URL)
	if sb.CRM != nil {
		add(fmt.Sprintf("CRM (%s)", sb.CRM.Provider), sb.CRM.URL)
	}
	add("SMTP", fmt.Sprintf("%s (%s)", sb.SMTP.Addr, sb.SMTP.Security()))
	add("DNS", fmt.Sprintf("%s (domain %s)", sb.DNS.Addr, sb.DNS.Domain()))
	add("Redis", sb.Redis.Addr)
	add("BIMI logos", sb.BIMI.URL)
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	out := make([]string, len(names))
	for i := range names {
		out[i] = fmt.Sprintf("%-*s  %s", width, names[i], addrs[i])
	}
	return out
}

// WriteConfig writes a config file holding one profile, secrets inline, with
// mode 0600. It is for sandbox profiles only: their secrets are throwaway
// values that exist nowhere else.
func WriteConfig(path string, p *config.Profile) error {
	prof := map[string]any{}
	api := map[string]any{"provider": p.API.Provider, "base_url": p.API.BaseURL, "key": p.API.Key.Reveal()}
	if len(p.API.Endpoints) > 0 {
		api["endpoints"] = p.API.Endpoints
	}
	if p.API.CAFile != "" {
		api["ca_file"] = p.API.CAFile
	}
	prof["api"] = api
	if p.CRM.Provider != "" {
		prof["crm"] = map[string]any{
			"provider": p.CRM.Provider, "base_url": p.CRM.BaseURL, "token": p.CRM.Token.Reveal(),
			"object": p.CRM.Object, "field_mapping": p.CRM.FieldMapping,
		}
	}
	if p.SMTP.Host != "" {
		smtp := map[string]any{
			"host": p.SMTP.Host, "port": p.SMTP.Port, "security": p.SMTP.Security,
			"username": p.SMTP.Username, "password": p.SMTP.Password.Reveal(), "from": p.SMTP.From,
		}
		if p.SMTP.TestRecipient != "" {
			smtp["test_recipient"] = p.SMTP.TestRecipient
		}
		if p.SMTP.CAFile != "" {
			smtp["ca_file"] = p.SMTP.CAFile
		}
		prof["smtp"] = smtp
	}
	if p.Domain.Name != "" {
		domain := map[string]any{
			"name": p.Domain.Name, "dkim_selectors": p.Domain.DKIMSelectors,
			"dns_server": p.Domain.DNSServer, "dnsbl": p.Domain.DNSBL,
		}
		if p.Domain.BIMISelector != "" {
			domain["bimi_selector"] = p.Domain.BIMISelector
		}
		if p.Domain.CAFile != "" {
			domain["ca_file"] = p.Domain.CAFile
		}
		prof["domain"] = domain
	}
	content := map[string]any{}
	if p.Content.MaxTokens > 0 {
		content["max_tokens"] = p.Content.MaxTokens
	}
	if p.Content.PromptFile != "" {
		content["prompt_file"] = p.Content.PromptFile
	}
	if p.Content.EmailFile != "" {
		content["email_file"] = p.Content.EmailFile
	}
	if len(content) > 0 {
		prof["content"] = content
	}
	if p.Cache.RedisURL != "" {
		prof["cache"] = map[string]any{"redis_url": p.Cache.RedisURL}
	}
	name := p.Name
	if name == "" {
		name = SandboxProfile
	}
	var buf bytes.Buffer
	buf.WriteString("# Pitstop sandbox settings: every address is a throwaway loopback service\n" +
		"# and every secret a random sandbox-only value. Removed when the sandbox stops.\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(map[string]any{"default_profile": name, "profiles": map[string]any{name: prof}}); err != nil {
		return fmt.Errorf("sandbox config: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("sandbox config: %w", err)
	}
	// Parse it back: a config the sandbox writes must load.
	if _, err := config.Parse(path, buf.Bytes()); err != nil {
		return fmt.Errorf("sandbox config does not load: %w", err)
	}
	return config.WriteFileAtomic(path, buf.Bytes())
}

func joinNames() string {
	names := ScenarioNames()
	sort.Strings(names)
	out := ""
	for i, n := range names {
		if i > 0 {
			out += ", "
		}
		out += n
	}
	return out
}
