package config

import (
	"fmt"
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
// words in every language, how it is read and written and what makes a
// value valid are kept. Validation of the file, the settings form, the
// accessible wizard and saving all go through it.
type Field struct {
	Key         string // dotted path under the profile: "smtp.port"
	Kind        Kind
	Label       i18n.Text // short name: "SMTP server"
	Help        i18n.Text // one line under the input; empty for secrets (they say where they come from)
	Placeholder string    // an example value shown in an empty input
	Options     []string  // KindChoice: the allowed values, the first one the default
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
}

// Invalid is a value a field does not accept: the same rule speaks to
// someone editing the file (File, with the key and the value) and to
// someone typing it in the wizard (Hint, in every language).
type Invalid struct {
	Key  string
	File string    // `domain.dns_server "x" should be host:port, for example 1.1.1.1:53`
	Hint i18n.Text // "Type host:port, like 1.1.1.1:53."
}

func (e *Invalid) Error() string { return e.File }

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
			return &Invalid{Key: f.Key, File: fmt.Sprintf("%s is %q; expected a whole number", f.Key, v),
				Hint: i18n.Text{"en": "Type a whole number.", "es": "Escribe un número entero."}}
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
			File: fmt.Sprintf("%s is %q; expected one of: %s", f.Key, v, strings.Join(f.Options, ", ")),
			Hint: i18n.Text{"en": "Pick one of: " + strings.Join(f.Options, ", ") + ".", "es": "Elige uno de: " + strings.Join(f.Options, ", ") + "."}}
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

func t(en, es string) i18n.Text { return i18n.Text{"en": en, "es": es} }

// fields is the table of settings. A new setting is one entry here (and its
// YAML field in the struct of its section).
var fields = []*Field{
	{Key: "api.provider", Enables: true, Kind: KindChoice, Options: APIProviders,
		Label: t("Provider", "Proveedor"), Help: t("Who serves the AI API.", "Quién ofrece la API de IA."),
		text: func(p *Profile) *string { return &p.API.Provider }},
	{Key: "api.base_url", Enables: true, Kind: KindText, rule: httpURL,
		Label: t("Base URL", "URL base"), Help: t("Copy it from the provider's documentation.", "Cópiala de la documentación del proveedor."),
		Placeholder: "https://api.copycarai.com/v2",
		text:        func(p *Profile) *string { return &p.API.BaseURL }},
	{Key: "api.key", Enables: true, Kind: KindSecret, Label: t("API key", "Clave de la API"),
		secret: func(p *Profile) *Secret { return &p.API.Key },
		env:    func(p *Profile) []string { return APIKeyEnvNames(p.API.Provider) }},
	{Key: "api.endpoints", Kind: KindList, rule: httpURL,
		Label: t("Extra endpoints", "Endpoints adicionales"), Help: t("Other base URLs behind a load balancer, comma separated.", "Otras URL base detrás de un balanceador, separadas por comas."),
		list: func(p *Profile) *[]string { return &p.API.Endpoints }},
	{Key: "api.ca_file", Kind: KindText,
		Label: t("CA bundle", "Paquete de CA"), Help: t("Extra certificates to trust (a corporate proxy).", "Certificados adicionales de confianza (un proxy corporativo)."),
		text: func(p *Profile) *string { return &p.API.CAFile }},

	{Key: "crm.provider", Enables: true, Kind: KindChoice, Options: CRMProviders,
		Label: t("CRM", "CRM"), Help: t("Which CRM holds your contacts.", "Qué CRM guarda tus contactos."),
		text: func(p *Profile) *string { return &p.CRM.Provider }},
	{Key: "crm.base_url", Enables: true, Kind: KindText, rule: httpURL,
		Label: t("CRM address", "Dirección del CRM"),
		Help: t("HubSpot: api.hubapi.com · Salesforce: your instance URL · Pipedrive: company.pipedrive.com/api",
			"HubSpot: api.hubapi.com · Salesforce: la URL de tu instancia · Pipedrive: empresa.pipedrive.com/api"),
		text: func(p *Profile) *string { return &p.CRM.BaseURL }},
	{Key: "crm.token", Kind: KindSecret, Label: t("CRM token", "Token del CRM"),
		secret: func(p *Profile) *Secret { return &p.CRM.Token },
		env:    func(p *Profile) []string { return CRMTokenEnvNames(p.CRM.Provider) }},
	{Key: "crm.object", Kind: KindText,
		Label: t("Object", "Objeto"), Help: t("hubspot: contacts · salesforce: Contact · pipedrive: person", "hubspot: contacts · salesforce: Contact · pipedrive: person"),
		text: func(p *Profile) *string { return &p.CRM.Object }},
	{Key: "crm.sample_size", Kind: KindNumber, rule: sampleSize,
		Label: t("Records to sample", "Registros de muestra"),
		Help: t(fmt.Sprintf("How many records crm.data_quality reads (default %d; 0 skips it).", DefaultCRMSampleSize),
			fmt.Sprintf("Cuántos registros lee crm.data_quality (por defecto %d; 0 la omite).", DefaultCRMSampleSize)),
		optional: func(p *Profile) **int { return &p.CRM.SampleSize }},
	{Key: "crm.field_mapping", Kind: KindMap,
		Label: t("Field mapping", "Mapeo de campos"), Help: t("Your names for the CRM's fields.", "Tus nombres para los campos del CRM.")},

	{Key: "smtp.host", Enables: true, Kind: KindText, rule: hostOnly,
		Label: t("SMTP server", "Servidor SMTP"), Help: t("Host name only, like smtp.example.com.", "Solo el nombre, como smtp.example.com."),
		Placeholder: "smtp.example.com",
		text:        func(p *Profile) *string { return &p.SMTP.Host }},
	{Key: "smtp.port", Kind: KindNumber, rule: port,
		Label: t("Port", "Puerto"), Help: t("587 for STARTTLS, 465 for TLS.", "587 para STARTTLS, 465 para TLS."),
		number: func(p *Profile) *int { return &p.SMTP.Port }},
	{Key: "smtp.security", Kind: KindChoice, Options: SMTPSecurity,
		Label: t("Security", "Seguridad"), Help: t("How the connection is encrypted.", "Cómo se cifra la conexión."),
		text: func(p *Profile) *string { return &p.SMTP.Security }},
	{Key: "smtp.username", Kind: KindText,
		Label: t("User name", "Usuario"), Help: t("Usually the full email address.", "Normalmente la dirección de correo completa."),
		text: func(p *Profile) *string { return &p.SMTP.Username }},
	{Key: "smtp.password", Kind: KindSecret, Label: t("SMTP password", "Contraseña SMTP"),
		secret: func(p *Profile) *Secret { return &p.SMTP.Password },
		env:    func(*Profile) []string { return []string{"SMTP_PASSWORD"} }},
	{Key: "smtp.from", Kind: KindText,
		Label: t("From address", "Dirección remitente"), Help: t("The address your emails are sent from.", "La dirección desde la que se envían tus correos."),
		text: func(p *Profile) *string { return &p.SMTP.From }},
	{Key: "smtp.test_recipient", Kind: KindText,
		Label: t("Test recipient", "Destinatario de prueba"), Help: t("Where a test message goes; empty sends none.", "Adónde va un mensaje de prueba; vacío no envía ninguno."),
		text: func(p *Profile) *string { return &p.SMTP.TestRecipient }},
	{Key: "smtp.ca_file", Kind: KindText,
		Label: t("CA bundle", "Paquete de CA"), Help: t("Extra certificates to trust for the SMTP server.", "Certificados adicionales de confianza para el servidor SMTP."),
		text: func(p *Profile) *string { return &p.SMTP.CAFile }},

	{Key: "domain.name", Enables: true, Kind: KindText,
		Label: t("Domain", "Dominio"), Help: t("The domain after the @ of your From address.", "El dominio después de la @ de tu remitente."),
		text: func(p *Profile) *string { return &p.Domain.Name }},
	{Key: "domain.dkim_selectors", Kind: KindList,
		Label: t("DKIM selectors", "Selectores DKIM"), Help: t("Comma separated, like s1, google.", "Separados por comas, como s1, google."),
		list: func(p *Profile) *[]string { return &p.Domain.DKIMSelectors }},
	{Key: "domain.dns_server", Kind: KindText, rule: hostPort("1.1.1.1:53"),
		Label: t("DNS server", "Servidor DNS"), Help: t("host:port; empty uses the system resolver.", "host:puerto; vacío usa el de tu sistema."),
		text: func(p *Profile) *string { return &p.Domain.DNSServer }},
	{Key: "domain.dnsbl", Kind: KindList,
		Label: t("Blocklists", "Listas de bloqueo"), Help: t("DNS blocklist zones to ask, comma separated.", "Zonas de listas de bloqueo DNS a consultar, separadas por comas."),
		list: func(p *Profile) *[]string { return &p.Domain.DNSBL }},

	{Key: "domain.bimi_selector", Kind: KindText,
		Label: t("BIMI selector", "Selector BIMI"), Help: t("domain.bimi reads {selector}._bimi.{domain}; empty is default.", "domain.bimi lee {selector}._bimi.{dominio}; vacío es default."),
		text: func(p *Profile) *string { return &p.Domain.BIMISelector }},
	{Key: "domain.ca_file", Kind: KindText,
		Label: t("CA bundle", "Paquete de CA"), Help: t("Extra certificates to trust when fetching the BIMI logo and certificate.", "Certificados adicionales de confianza al descargar el logo y el certificado BIMI."),
		text: func(p *Profile) *string { return &p.Domain.CAFile }},

	{Key: "content.max_tokens", Kind: KindNumber, rule: notNegative,
		Label: t("Max tokens", "Máximo de tokens"), Help: t("The token budget your prompts must fit in.", "El presupuesto de tokens en el que deben caber tus prompts."),
		number: func(p *Profile) *int { return &p.Content.MaxTokens }},
	{Key: "content.prompt_file", Enables: true, Kind: KindText,
		Label: t("Prompt file", "Archivo de prompt"), Help: t("A prompt to check for size and problems.", "Un prompt para revisar su tamaño y problemas."),
		text: func(p *Profile) *string { return &p.Content.PromptFile }},
	{Key: "content.email_file", Enables: true, Kind: KindText,
		Label: t("Email file", "Archivo de correo"), Help: t("An .eml or text email to score for spam.", "Un correo .eml o de texto para medir su puntaje de spam."),
		text: func(p *Profile) *string { return &p.Content.EmailFile }},
	{Key: "content.spamd", Enables: true, Kind: KindText, rule: hostPort("127.0.0.1:783"),
		Label: t("SpamAssassin (spamd)", "SpamAssassin (spamd)"), Help: t("host:port of a spamd; empty uses the built-in rules.", "host:puerto de un spamd; vacío usa las reglas integradas."),
		text: func(p *Profile) *string { return &p.Content.Spamd }},

	{Key: "cache.redis_url", Enables: true, Kind: KindText, rule: redisURL,
		Label: t("Redis URL", "URL de Redis"), Help: t("Like redis://host:6379/0; empty skips the cache check.", "Como redis://host:6379/0; vacío omite la prueba de caché."),
		Placeholder: "redis://localhost:6379/0",
		text:        func(p *Profile) *string { return &p.Cache.RedisURL }},
}

// The rules of the fields. Each says what is wrong in both voices.

func httpURL(key, v string) *Invalid {
	msg := checkHTTPURL(v)
	if msg == "" {
		return nil
	}
	hint := t("Type a full address starting with https://", "Escribe una dirección completa que empiece por https://")
	if u, err := url.Parse(v); err == nil && (u.User != nil || u.RawQuery != "") {
		hint = t("No user, password or ?query in the address: secrets go in their own field.",
			"Sin usuario, contraseña ni ?consulta en la dirección: los secretos van en su propio campo.")
	}
	return &Invalid{Key: key, File: fmt.Sprintf("%s %q %s", key, RedactURL(v), msg), Hint: hint}
}

func hostOnly(key, v string) *Invalid {
	if _, err := netip.ParseAddr(v); !strings.ContainsAny(v, "/: ") || err == nil {
		return nil // an IP address is a host, IPv6 with a zone too (fe80::1%eth0)
	}
	return &Invalid{Key: key,
		File: fmt.Sprintf("%s %q should be a host name only (no scheme, port or path); put the port in smtp.port", key, v),
		Hint: t("Only the host name, like smtp.example.com (the port has its own field).",
			"Solo el nombre del servidor, como smtp.example.com (el puerto tiene su propio campo).")}
}

func hostPort(example string) func(key, v string) *Invalid {
	return func(key, v string) *Invalid {
		if _, p, err := net.SplitHostPort(v); err == nil && p != "" {
			return nil
		}
		return &Invalid{Key: key,
			File: fmt.Sprintf("%s %q should be host:port, for example %s", key, v, example),
			Hint: t("Type host:port, like "+example+".", "Escribe host:puerto, como "+example+".")}
	}
}

func port(key, v string) *Invalid {
	if n, err := strconv.Atoi(v); err == nil && n >= 0 && n <= 65535 {
		return nil
	}
	return &Invalid{Key: key,
		File: fmt.Sprintf("%s is %s; expected a port between 1 and 65535 (usually 587, 465 or 25)", key, v),
		Hint: t("Type a port between 1 and 65535 (usually 587, 465 or 25).", "Escribe un puerto entre 1 y 65535 (normalmente 587, 465 o 25).")}
}

func sampleSize(key, v string) *Invalid {
	if n, err := strconv.Atoi(v); err == nil && n >= 0 && n <= MaxCRMSampleSize {
		return nil
	}
	return &Invalid{Key: key,
		File: fmt.Sprintf("%s is %s; expected 0 (skip crm.data_quality) to %d records", key, v, MaxCRMSampleSize),
		Hint: t(fmt.Sprintf("Type 0 (skip the check) to %d.", MaxCRMSampleSize), fmt.Sprintf("Escribe de 0 (omitir la prueba) a %d.", MaxCRMSampleSize))}
}

func notNegative(key, v string) *Invalid {
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return nil
	}
	return &Invalid{Key: key, File: key + " must be zero or more",
		Hint: t("Type zero or a larger whole number.", "Escribe cero o un número entero mayor.")}
}

func redisURL(key, v string) *Invalid {
	u, err := url.Parse(v)
	if err == nil && (u.Scheme == "redis" || u.Scheme == "rediss") && u.Host != "" ||
		err == nil && u.Scheme == "unix" && u.Path != "" {
		return nil
	}
	return &Invalid{Key: key,
		File: key + " should look like redis://host:6379/0 (or rediss:// for TLS, unix:///path/to/redis.sock for a socket)",
		Hint: t("Type an address like redis://host:6379/0 (rediss:// for TLS, unix:///path for a socket).",
			"Escribe una dirección como redis://host:6379/0 (rediss:// para TLS, unix:///ruta para un socket).")}
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
