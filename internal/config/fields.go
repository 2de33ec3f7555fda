package config

import (
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"pitstop/internal/i18n"
)

// Kind is how a setting is written and edited.
type Kind int

// The kinds of setting.
const (
	KindText   Kind = iota // one line of text
	KindNumber             // a whole number; 0 means "use the default"
	KindSecret             // a key, token or password (a Secret)
	KindChoice             // one of Field.Options
	KindList               // several values, comma separated when typed
	KindMap                // a mapping (crm.field_mapping); not edited in the wizard
)

func (k Kind) String() string {
	return [...]string{"text", "number", "secret", "choice", "list", "map"}[k]
}

// Field describes one setting of a profile: the one place its key, its
// words (message ids of the catalogue), how it is read and written and what
// makes a value valid are kept. Validation of the file, the settings form, the
// accessible wizard and saving all go through it.
type Field struct {
	Key  string // dotted path under the profile: "smtp.port"
	Kind Kind
	// Label (short name: "SMTP server") and Help (one line under the
	// input; none for secrets, which say where they come from) are the
	// catalogue's settings.<key>.label and settings.<key>.help
	// (locales/<lang>/settings.yaml), set from Key.
	Label       i18n.Text
	Help        i18n.Message
	Placeholder string   // an example value shown in an empty input
	Options     []string // KindChoice: the allowed values, the first one the default
	// Enables is true when this setting alone is enough for its family's
	// checks to run (smtp.host; not smtp.port, which has a default).
	Enables bool

	// Exactly one accessor is set, by kind.
	text   func(*Profile) *string
	number func(*Profile) *int
	// optional is a number that may be left out (nil: the default applies).
	optional func(*Profile) **int
	list     func(*Profile) *[]string
	secret   func(*Profile) *Secret
	// rule checks one (non-empty) value; nil accepts anything.
	rule func(key, v string) *Invalid
	// env names the variables a secret is read from when the file has none.
	env func(*Profile) []string
	// helpArgs fill in the verbs of the field's help.
	helpArgs []any
}

// Invalid is a value a field does not accept: the same rule speaks to
// someone editing the file (File, with the key and the value) and to
// someone typing it in the wizard (Hint), both in every language.
type Invalid struct {
	Key  string
	File i18n.Message // `domain.dns_server "x" should be host:port, for example 1.1.1.1:53`
	Hint i18n.Message // "Type host:port, like 1.1.1.1:53."
}

func (e *Invalid) Error() string { return e.In(i18n.English) }

// In says what is wrong with the value as the file's problem, in lang.
func (e *Invalid) In(lang string) string { return e.File.In(lang) }

// Secret reports whether the field holds a secret.
func (f *Field) Secret() bool { return f.Kind == KindSecret }

// Get returns the field's value as text: lists comma separated, numbers
// empty when zero, secrets masked.
func (f *Field) Get(p *Profile) string {
	switch {
	case f.text != nil:
		return *f.text(p)
	case f.number != nil:
		if n := *f.number(p); n != 0 {
			return strconv.Itoa(n)
		}
		return ""
	case f.optional != nil:
		if n := *f.optional(p); n != nil {
			return strconv.Itoa(*n)
		}
		return ""
	case f.list != nil:
		return strings.Join(*f.list(p), ", ")
	case f.secret != nil:
		return f.secret(p).Masked()
	}
	return ""
}

// IsSet reports whether the profile has a value for the field.
func (f *Field) IsSet(p *Profile) bool {
	if f.secret != nil {
		return f.secret(p).IsSet()
	}
	return f.Get(p) != ""
}

// Set writes a typed value into the profile after checking it; an empty
// value clears the setting. A secret typed here is marked as typed.
func (f *Field) Set(p *Profile, v string) error {
	v = strings.TrimSpace(v)
	if err := f.Validate(v); err != nil {
		return err
	}
	switch {
	case f.text != nil:
		*f.text(p) = v
	case f.number != nil:
		n, _ := strconv.Atoi(v) // Validate accepted it
		*f.number(p) = n
	case f.optional != nil:
		*f.optional(p) = nil
		if v != "" {
			n, _ := strconv.Atoi(v)
			*f.optional(p) = &n
		}
	case f.list != nil:
		*f.list(p) = splitList(v)
	case f.secret != nil:
		*f.secret(p) = f.secret(p).WithValue(v, SourceTyped) // a password stays a password
	}
	return nil
}

// SecretOf returns the secret a KindSecret field holds.
func (f *Field) SecretOf(p *Profile) Secret {
	if f.secret == nil {
		return Secret{}
	}
	return *f.secret(p)
}

// SetSecret replaces the secret a KindSecret field holds, keeping its kind
// (a password masks to none of its characters).
func (f *Field) SetSecret(p *Profile, s Secret) {
	if f.secret != nil {
		*f.secret(p) = s.withKindOf(*f.secret(p))
	}
}

// EnvNames returns the environment variables a secret is read from when
// the file does not set it (nil for other fields).
func (f *Field) EnvNames(p *Profile) []string {
	if f.env == nil {
		return nil
	}
	return f.env(p)
}

// Value returns the field's value as SaveProfile takes it: an int, a
// []string, a Secret or a string.
func (f *Field) Value(p *Profile) any {
	switch {
	case f.number != nil:
		return *f.number(p)
	case f.optional != nil:
		if n := *f.optional(p); n != nil {
			return *n
		}
		return nil
	case f.list != nil:
		return slices.Clone(*f.list(p))
	case f.secret != nil:
		return *f.secret(p)
	case f.text != nil:
		return *f.text(p)
	}
	return nil
}

// Validate checks a value as typed (a list: comma separated); empty is
// always accepted (the default applies).
func (f *Field) Validate(v string) error {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil
	}
	if f.Kind == KindNumber {
		if _, err := strconv.Atoi(v); err != nil {
			return &Invalid{Key: f.Key, File: msgNumber.With(f.Key, v),
				Hint: hintNumber.With()}
		}
	}
	values := []string{v}
	if f.Kind == KindList {
		values = splitList(v)
	}
	for _, one := range values {
		if bad := f.check(one); bad != nil {
			return bad
		}
	}
	return nil
}

func (f *Field) check(v string) *Invalid {
	if f.Kind == KindChoice && !slices.Contains(f.Options, v) {
		return &Invalid{Key: f.Key,
			File: msgChoice.With(f.Key, v, strings.Join(f.Options, ", ")),
			Hint: hintChoice.With(strings.Join(f.Options, ", "))}
	}
	if f.rule == nil {
		return nil
	}
	return f.rule(f.Key, v)
}

// problems validates the field's value in p (each item of a list).
func (f *Field) problems(p *Profile) []*Invalid {
	var values []string
	switch {
	case f.text != nil:
		values = []string{*f.text(p)}
	case f.number != nil:
		if n := *f.number(p); n != 0 {
			values = []string{strconv.Itoa(n)}
		}
	case f.optional != nil:
		if n := *f.optional(p); n != nil {
			values = []string{strconv.Itoa(*n)}
		}
	case f.list != nil:
		values = *f.list(p)
	}
	var out []*Invalid
	for _, v := range values {
		if v == "" {
			continue
		}
		if bad := f.check(v); bad != nil {
			out = append(out, bad)
		}
	}
	return out
}

// expandable returns pointers to the field's plain strings, for ${VAR}.
func (f *Field) expandable(p *Profile) []*string {
	switch {
	case f.text != nil:
		return []*string{f.text(p)}
	case f.list != nil:
		l := *f.list(p)
		out := make([]*string, len(l))
		for i := range l {
			out[i] = &l[i]
		}
		return out
	}
	return nil
}

// Fields returns every setting of a profile, in the order of the file.
func Fields() []*Field { return fields }

// FieldByKey returns the setting with this dotted key.
func FieldByKey(key string) (*Field, bool) {
	i := slices.IndexFunc(fields, func(f *Field) bool { return f.Key == key })
	if i < 0 {
		return nil, false
	}
	return fields[i], true
}

// Section returns the part of the key before the dot: the family ("smtp").
func (f *Field) Section() string {
	s, _, _ := strings.Cut(f.Key, ".")
	return s
}

// fields is the table of settings. A new setting is one entry here, its
// YAML field in the struct of its section, and its label and help in
// locales/<lang>/settings.yaml.
var fields = worded([]*Field{
	{Key: "api.provider", Enables: true, Kind: KindChoice, Options: APIProviders,
		text: func(p *Profile) *string { return &p.API.Provider }},
	{Key: "api.base_url", Enables: true, Kind: KindText, rule: httpURL,
		Placeholder: "https://api.copycarai.com/v2",
		text:        func(p *Profile) *string { return &p.API.BaseURL }},
	{Key: "api.key", Enables: true, Kind: KindSecret,
		secret: func(p *Profile) *Secret { return &p.API.Key },
		env:    func(p *Profile) []string { return APIKeyEnvNames(p.API.Provider) }},
	{Key: "api.endpoints", Kind: KindList, rule: httpURL,
		list: func(p *Profile) *[]string { return &p.API.Endpoints }},
	{Key: "api.ca_file", Kind: KindText,
		text: func(p *Profile) *string { return &p.API.CAFile }},

	{Key: "crm.provider", Enables: true, Kind: KindChoice, Options: CRMProviders,
		text: func(p *Profile) *string { return &p.CRM.Provider }},
	{Key: "crm.base_url", Enables: true, Kind: KindText, rule: httpURL,
		text: func(p *Profile) *string { return &p.CRM.BaseURL }},
	{Key: "crm.token", Kind: KindSecret,
		secret: func(p *Profile) *Secret { return &p.CRM.Token },
		env:    func(p *Profile) []string { return CRMTokenEnvNames(p.CRM.Provider) }},
	{Key: "crm.object", Kind: KindText,
		text: func(p *Profile) *string { return &p.CRM.Object }},
	{Key: "crm.sample_size", Kind: KindNumber, rule: sampleSize, helpArgs: []any{DefaultCRMSampleSize},
		optional: func(p *Profile) **int { return &p.CRM.SampleSize }},
	{Key: "crm.field_mapping", Kind: KindMap},

	{Key: "smtp.host", Enables: true, Kind: KindText, rule: hostOnly,
		Placeholder: "smtp.example.com",
		text:        func(p *Profile) *string { return &p.SMTP.Host }},
	{Key: "smtp.port", Kind: KindNumber, rule: port,
		number: func(p *Profile) *int { return &p.SMTP.Port }},
	{Key: "smtp.security", Kind: KindChoice, Options: SMTPSecurity,
		text: func(p *Profile) *string { return &p.SMTP.Security }},
	{Key: "smtp.username", Kind: KindText,
		text: func(p *Profile) *string { return &p.SMTP.Username }},
	{Key: "smtp.password", Kind: KindSecret,
		secret: func(p *Profile) *Secret { return &p.SMTP.Password },
		env:    func(*Profile) []string { return []string{"SMTP_PASSWORD"} }},
	{Key: "smtp.from", Kind: KindText,
		text: func(p *Profile) *string { return &p.SMTP.From }},
	{Key: "smtp.test_recipient", Kind: KindText,
		text: func(p *Profile) *string { return &p.SMTP.TestRecipient }},
	{Key: "smtp.ca_file", Kind: KindText,
		text: func(p *Profile) *string { return &p.SMTP.CAFile }},

	{Key: "domain.name", Enables: true, Kind: KindText,
		text: func(p *Profile) *string { return &p.Domain.Name }},
	{Key: "domain.dkim_selectors", Kind: KindList,
		list: func(p *Profile) *[]string { return &p.Domain.DKIMSelectors }},
	{Key: "domain.dns_server", Kind: KindText, rule: hostPort("1.1.1.1:53"),
		text: func(p *Profile) *string { return &p.Domain.DNSServer }},
	{Key: "domain.dnsbl", Kind: KindList,
		list: func(p *Profile) *[]string { return &p.Domain.DNSBL }},

	{Key: "domain.bimi_selector", Kind: KindText,
		text: func(p *Profile) *string { return &p.Domain.BIMISelector }},
	{Key: "domain.ca_file", Kind: KindText,
		text: func(p *Profile) *string { return &p.Domain.CAFile }},

	{Key: "content.max_tokens", Kind: KindNumber, rule: notNegative,
		number: func(p *Profile) *int { return &p.Content.MaxTokens }},
	{Key: "content.prompt_file", Enables: true, Kind: KindText,
		text: func(p *Profile) *string { return &p.Content.PromptFile }},
	{Key: "content.email_file", Enables: true, Kind: KindText,
		text: func(p *Profile) *string { return &p.Content.EmailFile }},
	{Key: "content.spamd", Enables: true, Kind: KindText, rule: hostPort("127.0.0.1:783"),
		text: func(p *Profile) *string { return &p.Content.Spamd }},

	{Key: "cache.redis_url", Enables: true, Kind: KindText, rule: redisURL,
		Placeholder: "redis://localhost:6379/0",
		text:        func(p *Profile) *string { return &p.Cache.RedisURL }},
})

// worded gives each field its words: the catalogue ids that follow from
// its key.
func worded(fields []*Field) []*Field {
	for _, f := range fields {
		f.Label = i18n.Text("settings." + f.Key + ".label")
		if !f.Secret() {
			f.Help = i18n.Text("settings." + f.Key + ".help").With(f.helpArgs...)
		}
	}
	return fields
}

// The hints of the rules, in locales/<lang>/settings.yaml.
const (
	hintNumber      i18n.Text = "settings.hint.number"
	hintChoice      i18n.Text = "settings.hint.choice"
	hintURL         i18n.Text = "settings.hint.url"
	hintURLSecret   i18n.Text = "settings.hint.url_secret"
	hintHost        i18n.Text = "settings.hint.host"
	hintHostPort    i18n.Text = "settings.hint.host_port"
	hintPort        i18n.Text = "settings.hint.port"
	hintSampleSize  i18n.Text = "settings.hint.sample_size"
	hintNotNegative i18n.Text = "settings.hint.not_negative"
	hintRedis       i18n.Text = "settings.hint.redis"
)

// What the rules say to someone editing the file, in
// locales/<lang>/config.yaml.
const (
	msgNumber      i18n.Text = "config.field.number"
	msgChoice      i18n.Text = "config.field.choice"
	msgHost        i18n.Text = "config.field.host"
	msgHostPort    i18n.Text = "config.field.host_port"
	msgPort        i18n.Text = "config.field.port"
	msgSampleSize  i18n.Text = "config.field.sample_size"
	msgNotNegative i18n.Text = "config.field.not_negative"
	msgRedis       i18n.Text = "config.field.redis"
)

// The rules of the fields. Each says what is wrong in both voices.

func httpURL(key, v string) *Invalid {
	msg := checkHTTPURL(v)
	if msg == "" {
		return nil
	}
	hint := hintURL
	if u, err := url.Parse(v); err == nil && (u.User != nil || u.RawQuery != "") {
		hint = hintURLSecret
	}
	return &Invalid{Key: key, File: msg.With(key, RedactURL(v)), Hint: hint.With()}
}

func hostOnly(key, v string) *Invalid {
	if _, err := netip.ParseAddr(v); !strings.ContainsAny(v, "/: ") || err == nil {
		return nil // an IP address is a host, IPv6 with a zone too (fe80::1%eth0)
	}
	return &Invalid{Key: key,
		File: msgHost.With(key, v),
		Hint: hintHost.With()}
}

func hostPort(example string) func(key, v string) *Invalid {
	return func(key, v string) *Invalid {
		if _, p, err := net.SplitHostPort(v); err == nil && p != "" {
			return nil
		}
		return &Invalid{Key: key,
			File: msgHostPort.With(key, v, example),
			Hint: hintHostPort.With(example)}
	}
}

func port(key, v string) *Invalid {
	if n, err := strconv.Atoi(v); err == nil && n >= 0 && n <= 65535 {
		return nil
	}
	return &Invalid{Key: key,
		File: msgPort.With(key, v),
		Hint: hintPort.With()}
}

func sampleSize(key, v string) *Invalid {
	if n, err := strconv.Atoi(v); err == nil && n >= 0 && n <= MaxCRMSampleSize {
		return nil
	}
	return &Invalid{Key: key,
		File: msgSampleSize.With(key, v, MaxCRMSampleSize),
		Hint: hintSampleSize.With(MaxCRMSampleSize)}
}

func notNegative(key, v string) *Invalid {
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return nil
	}
	return &Invalid{Key: key, File: msgNotNegative.With(key),
		Hint: hintNotNegative.With()}
}

func redisURL(key, v string) *Invalid {
	u, err := url.Parse(v)
	if err == nil && (u.Scheme == "redis" || u.Scheme == "rediss") && u.Host != "" ||
		err == nil && u.Scheme == "unix" && u.Path != "" {
		return nil
	}
	return &Invalid{Key: key,
		File: msgRedis.With(key),
		Hint: hintRedis.With()}
}

func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
