package fix

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/net/publicsuffix"

	"pitstop/internal/check"
	"pitstop/internal/config"
)

// A setting change is proposed only when the checks, run again with the
// changed settings (in memory, nothing written), pass: that is what makes it
// certain. confirm does that run.
func confirm(ctx context.Context, in *Input, candidate *config.Profile, ids ...string) bool {
	if in.Run == nil {
		return false
	}
	results := in.Run(ctx, candidate, ids)
	if len(results) == 0 {
		return false
	}
	for _, r := range results {
		if !slices.Contains(ids, r.ID) {
			continue
		}
		if r.Status != check.Pass {
			return false
		}
	}
	return true
}

// clone copies a profile deeply enough to change one setting.
func clone(p *config.Profile) *config.Profile {
	c := *p
	c.API.Endpoints = slices.Clone(p.API.Endpoints)
	c.CRM.FieldMapping = maps.Clone(p.CRM.FieldMapping)
	c.Domain.DKIMSelectors = slices.Clone(p.Domain.DKIMSelectors)
	c.Domain.DNSBL = slices.Clone(p.Domain.DNSBL)
	return &c
}

// configFix builds a kind-config fix for one change in the settings file.
func configFix(in *Input, id, checkID, title, summary string, ch Change, affects ...string) Fix {
	ch.File = in.ConfigPath
	if len(affects) == 0 {
		affects = []string{checkID}
	}
	return Fix{ID: id, Check: checkID, Kind: KindConfig, Title: title, Summary: summary,
		Changes: []Change{ch}, Affects: affects}
}

// secretAffects are the checks to run again after a secret changes. What
// the secret is called and where it lives come from its config.Field.
var secretAffects = map[string][]string{
	"api.key":       {"api.config", "api.auth", "api.ratelimit"},
	"crm.token":     {"crm.auth", "crm.permissions", "crm.availability", "crm.field_mapping"},
	"smtp.password": {"smtp.auth"},
}

// secretWhitespace trims blank space around a key, token or password. From
// the file, Pitstop may trim it there; from an environment variable, it only
// says which variable to correct, and never writes the value into the file.
func secretWhitespace(key string) builder {
	return func(_ context.Context, in *Input, r check.Result) []Fix {
		field, ok := config.FieldByKey(key)
		if !ok || !field.Secret() {
			return nil
		}
		// The English label: the fix catalogue translates the whole sentence.
		label, affects := field.Label.In("en"), secretAffects[key]
		s := field.SecretOf(in.Profile)
		raw := s.Reveal()
		trimmed := strings.TrimSpace(raw)
		if raw == trimmed || trimmed == "" || strings.ContainsAny(trimmed, " \t\r\n") {
			return nil
		}
		what := whitespaceKind(raw)
		id := "trim-" + strings.ReplaceAll(key, ".", "-")
		src := s.Source()
		if env, ok := strings.CutPrefix(src, "env:"); ok {
			return []Fix{{
				ID: id, Check: r.ID, Kind: KindManual, Affects: affects,
				Title:   say("Remove the %s around the %s in $%s", what, label, env),
				Summary: say("The %s comes from the environment variable %s, which has %s around it; Pitstop never writes a secret from the environment into the settings file.", label, env, what),
				Steps: []string{
					say("Set %s again without the %s, where it is defined (a .env file, the shell profile, the CI or container settings).", env, what),
					say("A common cause: `echo $KEY > file` or a copied line adds a newline; use printf '%%s' or trim the value."),
				},
			}}
		}
		if src != "file" || in.ConfigPath == "" {
			return nil
		}
		// Masked from the trimmed value: blank space would take the place
		// of the characters a mask shows.
		shown := config.NewSecret(trimmed, src).Masked()
		return []Fix{configFix(in, id, r.ID,
			say("Trim the %s around the %s", what, label),
			say("The %s in the settings file has %s around it; every request with it fails.", label, what),
			Change{Key: key, From: say("%s (with %s)", shown, what), To: say("%s (trimmed)", shown), value: trimmed, secret: true},
			affects...)}
	}
}

// whitespaceKind names the blank space around a value.
func whitespaceKind(raw string) string {
	edges := raw[:len(raw)-len(strings.TrimLeft(raw, " \t\r\n"))] + raw[len(strings.TrimRight(raw, " \t\r\n")):]
	switch {
	case strings.ContainsAny(edges, "\r\n"):
		return say("line break")
	case strings.Contains(edges, "\t"):
		return say("tab")
	}
	return say("spaces")
}

// apiVersions are the version paths the providers' base URLs end in.
var apiVersions = map[string]string{"copycar": "/v2", "openai": "/v1"}

// apiVersionPath adds the version path a CopyCar or OpenAI base URL lacks
// (or drops the /v1 an Anthropic one must not have), when the API answers
// at the corrected address.
func apiVersionPath(ctx context.Context, in *Input, r check.Result) []Fix {
	p := in.Profile
	if !bad(r) || in.ConfigPath == "" {
		return nil
	}
	base := strings.TrimSuffix(p.API.BaseURL, "/")
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return nil
	}
	var to string
	switch p.API.Provider {
	case "copycar", "openai":
		v := apiVersions[p.API.Provider]
		if strings.HasSuffix(u.Path, v) {
			return nil
		}
		to = base + v
	case "anthropic":
		if !strings.HasSuffix(u.Path, "/v1") {
			return nil
		}
		to = strings.TrimSuffix(base, "/v1")
	default:
		return nil
	}
	cand := clone(p)
	cand.API.BaseURL = to
	if !confirm(ctx, in, cand, "api.reachability", "api.auth") {
		return nil
	}
	return []Fix{configFix(in, "api-base-url", r.ID, say("Correct the API address's version path"),
		say("The API answers at %s; api.base_url is %s.", to, p.API.BaseURL),
		Change{Key: "api.base_url", From: p.API.BaseURL, To: to, value: to},
		"api.config", "api.reachability", "api.auth", "api.ratelimit", "api.clock")}
}

// smtpModes are the (security, port) pairs tried when the configured pair
// does not work: the configured port with the other modes first, then the
// standard submission ports.
func smtpModes(p config.SMTPConfig) [][2]string {
	port := strconv.Itoa(p.Port)
	var out [][2]string
	for _, sec := range []string{"tls", "starttls"} {
		if sec != p.Security {
			out = append(out, [2]string{sec, port})
		}
	}
	for _, m := range [][2]string{{"tls", "465"}, {"starttls", "587"}} {
		if m[1] != port {
			out = append(out, m)
		}
	}
	return out
}

// smtpSecurity sets the security mode (and port) the server was proved to
// speak, when the configured ones don't match (STARTTLS against an
// implicit-TLS port, the reverse, plain text against a TLS port).
func smtpSecurity(ctx context.Context, in *Input, r check.Result) []Fix {
	p := in.Profile
	if r.Status != check.Fail && r.Status != check.Warn && r.Status != check.Error || in.ConfigPath == "" || p.SMTP.Host == "" {
		return nil
	}
	if !hasArticle(r, "smtp-tls-mismatch") && !hasArticle(r, "smtp-no-starttls") {
		return nil
	}
	for _, m := range smtpModes(p.SMTP) {
		port, _ := strconv.Atoi(m[1])
		cand := clone(p)
		cand.SMTP.Security, cand.SMTP.Port = m[0], port
		if !confirm(ctx, in, cand, "smtp.connect", "smtp.tls") {
			continue
		}
		fx := Fix{ID: "smtp-security", Check: "smtp.tls", Kind: KindConfig,
			Title:   say("Use the encryption the mail server speaks"),
			Summary: say("%s:%d speaks %s; the settings say %s on port %d.", p.SMTP.Host, port, securityWords(m[0]), p.SMTP.Security, p.SMTP.Port),
			Affects: []string{"smtp.connect", "smtp.tls", "smtp.auth", "smtp.send"}}
		if m[0] != p.SMTP.Security {
			fx.Changes = append(fx.Changes, Change{File: in.ConfigPath, Key: "smtp.security", From: p.SMTP.Security, To: m[0], value: m[0]})
		}
		if port != p.SMTP.Port {
			fx.Changes = append(fx.Changes, Change{File: in.ConfigPath, Key: "smtp.port", From: strconv.Itoa(p.SMTP.Port), To: m[1], value: port})
		}
		return []Fix{fx}
	}
	return nil
}

func securityWords(sec string) string {
	if sec == "tls" {
		return say("TLS from the first byte (security: tls)")
	}
	return say("plain text upgraded with STARTTLS (security: starttls)")
}

// fieldMapping renames a mapped CRM field that does not exist to the one
// close, type-compatible field the live schema has (crm.field_mapping's
// suggested_field.<source> facts).
func fieldMapping(ctx context.Context, in *Input, r check.Result) []Fix {
	p := in.Profile
	if !bad(r) || in.ConfigPath == "" {
		return nil
	}
	var out []Fix
	for _, source := range slices.Sorted(maps.Keys(p.CRM.FieldMapping)) {
		to := factString(r, "suggested_field."+source)
		if to == "" {
			continue
		}
		out = append(out, configFix(in, "crm-field-"+source, r.ID,
			say("Map %s to the CRM field %s", source, to),
			say("%s does not exist in the CRM; %s is the one close field that can hold its values.", p.CRM.FieldMapping[source], to),
			Change{Key: "crm.field_mapping." + source, From: p.CRM.FieldMapping[source], To: to, value: to},
			"crm.field_mapping"))
	}
	return out
}

// dkimSelectors adds the selectors under which Pitstop found DKIM keys, when
// none is configured (domain.dkim's selectors_found fact).
func dkimSelectors(ctx context.Context, in *Input, r check.Result) []Fix {
	p := in.Profile
	if len(p.Domain.DKIMSelectors) > 0 || in.ConfigPath == "" {
		return nil
	}
	found := factString(r, "selectors_found")
	if found == "" {
		return nil
	}
	sels := strings.Split(found, ",")
	cand := clone(p)
	cand.Domain.DKIMSelectors = sels
	if !confirm(ctx, in, cand, "domain.dkim") {
		return nil
	}
	return []Fix{configFix(in, "dkim-selectors", r.ID, say("Name the DKIM selectors Pitstop found"),
		say("Keys are published under %s; with them named, domain.dkim checks exactly those instead of guessing.", strings.Join(sels, ", ")),
		Change{Key: "domain.dkim_selectors", From: "[]", To: "[" + strings.Join(sels, ", ") + "]", value: sels})}
}

func parseHTTPS(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("not an https URL")
	}
	return u, nil
}

// registrable is the name a company registers (example.co.uk), for telling
// a provider's own hosts from another company's.
func registrable(host string) string {
	if r, err := publicsuffix.EffectiveTLDPlusOne(strings.ToLower(host)); err == nil {
		return r
	}
	return strings.ToLower(host)
}
