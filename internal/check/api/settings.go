package api

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/probe"
)

// finding is one thing api.config noticed.
type finding struct {
	status  check.Status
	summary string
	article string
}

// placeholderRe matches values people leave in place of a key.
var placeholderRe = regexp.MustCompile(`(?i)^(` +
	`(sk-|sk-ant-|sk-proj-)?(x{3,}|\.{3}|…|\*{3,}|0{6,})` +
	`|<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|%[a-z_]+%` +
	`|(your|my|insert|enter|put|paste|replace)[-_ ]?(your[-_ ]?)?(api[-_ ]?)?(key|token|secret)([-_ ]?here)?` +
	`|(api[-_ ]?)?key[-_ ]?here|changeme|change[-_]me|replace[-_]?me|placeholder|todo|tbd|none|null|test|dummy|example` +
	`)$`)

// runConfig is api.config: is there a key, does it look like one, and do
// the address and CA file follow the provider's conventions.
func (f *family) runConfig(context.Context) check.Result {
	var fs []finding
	add := func(st check.Status, article, format string, a ...any) {
		fs = append(fs, finding{st, fmt.Sprintf(format, a...), article})
	}
	envNames := config.APIKeyEnvNames(f.provider)
	raw := f.key.Reveal()
	trimmed := strings.TrimSpace(raw)
	switch {
	case !f.key.IsSet():
		if src := f.key.Source(); strings.HasPrefix(src, "env:") {
			add(check.Fail, artInvalidKey, "No API key: the settings take it from %s, but that variable is not set in this shell.", strings.Join(envVars(src), " or "))
		} else {
			add(check.Fail, artInvalidKey, "No key configured: set %s or api.key.", strings.Join(envNames, " or "))
		}
	case trimmed == "":
		add(check.Fail, artInvalidKey, "The API key is only blank space: paste the real key.")
	default:
		if raw != trimmed {
			add(check.Fail, artInvalidKey, "The API key has %s: remove it, it makes every request fail.", whitespaceWords(raw))
		}
		unquoted := strings.Trim(trimmed, `"'`+"`")
		if unquoted != trimmed {
			add(check.Fail, artInvalidKey, "The API key is wrapped in quotes: remove them, they are not part of the key.")
		}
		switch {
		case placeholderRe.MatchString(unquoted):
			add(check.Fail, artInvalidKey, "The API key is a placeholder, not a real key: paste the key from your %s dashboard.", providerName(f.provider))
		case strings.ContainsAny(unquoted, " \t\r\n"):
			add(check.Fail, artInvalidKey, "The API key contains spaces or line breaks: it was probably copied with extra text.")
		default:
			if msg := prefixProblem(f.provider, unquoted); msg != "" {
				add(check.Warn, artInvalidKey, "%s", msg)
			} else if len(unquoted) < 20 {
				add(check.Warn, artInvalidKey, "The API key is unusually short (%d characters): it may have been cut off when copied.", len(unquoted))
			}
		}
	}
	if msg := baseURLProblem(f.provider, f.base); msg != "" {
		add(check.Warn, artConnection, "%s", msg)
	}
	if u, err := url.Parse(f.base); err == nil && u.Scheme == "http" && !probe.IsLoopback(u.Hostname()) {
		add(check.Fail, artConnection, "api.base_url uses plain http://, so Pitstop will not send the key to it (anyone on the network path could read it): use https://.")
	}
	if f.caFile != "" {
		if err := probe.CheckCAFile(f.caFile); err != nil {
			add(check.Fail, artTLS, "The CA file cannot be used: %s.", err)
		}
	}

	details := []string{
		"provider: " + f.provider,
		"base_url: " + config.RedactURL(f.base),
		"key: " + keyDescription(f.key),
	}
	if f.caFile != "" {
		details = append(details, "ca_file: "+f.caFile)
	}
	if len(f.api.Endpoints) > 0 {
		details = append(details, fmt.Sprintf("endpoints: %d extra", len(f.api.Endpoints)))
	}

	facts := map[string]any{"provider": f.provider, "key_set": f.key.IsSet(), "endpoints": len(f.api.Endpoints), "problems": len(fs)}
	if len(fs) == 0 {
		res := check.Passf("The key is set (%s) and looks like %s key.", sourceWords(f.key.Source()), withArticle(providerName(f.provider)))
		if f.provider == "custom" {
			res = check.Passf("The key is set (%s) and has no obvious mistakes.", sourceWords(f.key.Source()))
		}
		return res.With(details...).Explain(artInvalidKey).WithFacts(facts)
	}
	worst := fs[0]
	for _, x := range fs[1:] {
		if x.status == check.Fail && worst.status != check.Fail {
			worst = x
		}
	}
	res := check.Result{Status: worst.status, Summary: worst.summary}
	var articles []string
	for _, x := range fs {
		if x != worst {
			details = append(details, "also: "+x.summary)
		}
		if !contains(articles, x.article) {
			articles = append(articles, x.article)
		}
	}
	return res.With(details...).Explain(articles...).WithFacts(facts)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func envVars(source string) []string {
	return strings.Split(strings.TrimPrefix(source, "env:"), ",")
}

func whitespaceWords(raw string) string {
	lead := raw[:len(raw)-len(strings.TrimLeft(raw, " \t\r\n"))]
	trail := raw[len(strings.TrimRight(raw, " \t\r\n")):]
	what := func(s string) string {
		if strings.ContainsAny(s, "\r\n") {
			return "a line break"
		}
		if strings.Contains(s, "\t") {
			return "a tab"
		}
		return "a space"
	}
	switch {
	case lead != "" && trail != "":
		return what(lead) + " at the start and " + what(trail) + " at the end"
	case lead != "":
		return what(lead) + " at the start"
	}
	return what(trail) + " at the end"
}

// withArticle puts "a" or "an" before a name.
func withArticle(name string) string {
	if name != "" && strings.ContainsRune("AEIOUaeiou", rune(name[0])) {
		return "an " + name
	}
	return "a " + name
}

func providerName(p string) string {
	switch p {
	case "copycar":
		return "CopyCar"
	case "openai":
		return "OpenAI"
	case "anthropic":
		return "Anthropic"
	}
	return "API provider's"
}

// prefixProblem says when a key looks like another provider's.
func prefixProblem(provider, key string) string {
	other := ""
	switch {
	case strings.HasPrefix(key, "sk-ant-"):
		other = "anthropic"
	case strings.HasPrefix(key, "sk-proj-"), strings.HasPrefix(key, "sk-svcacct-"), strings.HasPrefix(key, "sk-admin-"):
		other = "openai"
	case strings.HasPrefix(key, "pat-na") || strings.HasPrefix(key, "pat-eu"):
		return "This looks like a HubSpot token, not an AI API key: it belongs in crm.token."
	}
	switch provider {
	case "openai":
		if other == "anthropic" {
			return "This looks like an Anthropic key (sk-ant-…), but the provider is openai."
		}
		if !strings.HasPrefix(key, "sk-") {
			return "OpenAI keys start with sk- and this one does not: check that you copied the right key."
		}
	case "anthropic":
		if other == "openai" || (other == "" && strings.HasPrefix(key, "sk-")) {
			return "This looks like an OpenAI key, but the provider is anthropic."
		}
		if !strings.HasPrefix(key, "sk-ant-") {
			return "Anthropic keys start with sk-ant- and this one does not: check that you copied the right key."
		}
	case "copycar":
		if other != "" {
			return check.Sentencef("This looks like %s key, but the provider is copycar.", withArticle(providerName(other)))
		}
	}
	return ""
}

// baseURLProblem checks the path against the provider's convention.
func baseURLProblem(provider, base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return ""
	}
	path := strings.TrimRight(u.Path, "/")
	switch provider {
	case "copycar":
		if !strings.HasSuffix(path, "/v2") {
			return check.Sentencef("CopyCar's api.base_url should end in /v2 (https://api.copycarai.com/v2).")
		}
	case "openai":
		if !strings.HasSuffix(path, "/v1") {
			return check.Sentencef("OpenAI's api.base_url should end in /v1 (https://api.openai.com/v1).")
		}
	case "anthropic":
		if strings.HasSuffix(path, "/v1") {
			return check.Sentencef("Anthropic's api.base_url should have no version (https://api.anthropic.com): Pitstop adds /v1 itself.")
		}
	}
	return ""
}

func sourceWords(src string) string {
	switch {
	case src == "file":
		return "in the settings file"
	case strings.HasPrefix(src, "env:"):
		return "from " + strings.TrimPrefix(src, "env:")
	case src == config.SourceTyped:
		return "typed in this session"
	case src == "":
		return "source unknown"
	}
	return "from " + src
}

func keyDescription(k config.Secret) string {
	if !k.IsSet() {
		return "(not set)"
	}
	return check.Sentencef("%s (%s, %d characters)", k.Masked(), sourceWords(k.Source()), len(k.Reveal()))
}
