package registry

import (
	"fmt"
	"strings"

	"pitstop/internal/config"
	"pitstop/internal/i18n"
)

func t(en, es string) i18n.Text { return i18n.Text{"en": en, "es": es} }

// Escalation names used below: issue_types and trigger items of
// knowledge/escalation.yaml (escalate checks that each one exists).
const (
	issueAPI         = "api_issues"
	issueIntegration = "integration_problems"
	trigAPIFailure   = "api_failure"
	trigDataSync     = "data_sync"
	trigPerformance  = "performance"
)

var slower = []string{trigPerformance}

// families is the table. Order is display order everywhere.
var families = []*Family{
	{
		ID:       "api",
		Describe: func(p *config.Profile) string { return strings.TrimSpace(p.API.Provider + " " + hostOf(p.API.BaseURL)) },
		Title:    t("AI API", "API de IA"),
		About:    t("The AI API your platform calls.", "La API de IA que usa tu plataforma."),
		Fields:   []string{"api.provider", "api.base_url", "api.key"},
		Reads:    []string{"api.endpoints", "api.ca_file"},
		Issue:    issueAPI, FailTriggers: []string{trigAPIFailure},
		Checks: []Check{
			{ID: "api.config", Title: t("API settings", "Ajustes de la API"), Articles: []string{"api-invalid-key"}},
			{ID: "api.reachability", Title: t("API reachable", "La API responde"), Articles: []string{"api-timeouts"}, WarnTriggers: slower},
			{ID: "api.auth", Title: t("API key accepted", "Clave de API aceptada"), Requires: []string{"api.config", "api.reachability"},
				Articles: []string{"api-timeouts"}, WarnByArticles: true, Credentials: true},
			{ID: "api.ratelimit", Title: t("Rate limits", "Límites de uso"), Requires: []string{"api.config", "api.reachability"},
				Articles: []string{"api-timeouts"}, WarnTriggers: slower},
			{ID: "api.clock", Title: t("Clock in sync", "Reloj sincronizado"), Requires: []string{"api.reachability"}, Articles: []string{"api-clock-skew"}},
			{ID: "api.endpoints", Title: t("Extra endpoints", "Endpoints adicionales"), Articles: []string{"api-timeouts"}, WarnTriggers: slower},
		},
	},
	{
		ID:       "crm",
		Describe: func(p *config.Profile) string { return p.CRM.Provider },
		Title:    t("CRM", "CRM"),
		About:    t("The CRM your contacts come from.", "El CRM del que vienen tus contactos."),
		Fields:   []string{"crm.provider", "crm.base_url", "crm.token", "crm.object"},
		Reads:    []string{"crm.field_mapping", "crm.sample_size"},
		Issue:    issueIntegration, FailTriggers: []string{trigDataSync},
		Checks: []Check{
			{ID: "crm.auth", Title: t("%s token accepted", "%s acepta el token"), Credentials: true},
			{ID: "crm.permissions", Title: t("%s permissions", "Permisos de %s"), Requires: []string{"crm.auth"}, Credentials: true},
			{ID: "crm.availability", Title: t("%s availability and API budget", "Disponibilidad y cuota de API de %s"), WarnTriggers: slower},
			{ID: "crm.field_mapping", Title: t("%s field mapping", "Mapeo de campos de %s"), Requires: []string{"crm.auth", "crm.permissions"}},
			{ID: "crm.data_quality", Title: t("%s data quality", "Calidad de los datos de %s"), Requires: []string{"crm.auth", "crm.permissions"}},
		},
	},
	{
		ID:       "smtp",
		Describe: func(p *config.Profile) string { return fmt.Sprintf("%s:%d", p.SMTP.Host, p.SMTP.Port) },
		Title:    t("Email (SMTP)", "Correo (SMTP)"),
		About:    t("The server that sends your email.", "El servidor que envía tu correo."),
		Fields:   []string{"smtp.host", "smtp.port", "smtp.security", "smtp.username", "smtp.password", "smtp.from"},
		Reads:    []string{"smtp.test_recipient", "smtp.ca_file"},
		Issue:    issueIntegration,
		Checks: []Check{
			{ID: "smtp.connect", Title: t("SMTP server answers", "El servidor SMTP responde"), Articles: []string{"smtp-connection-failed"}},
			{ID: "smtp.tls", Title: t("SMTP connection is encrypted", "La conexión SMTP está cifrada"), Requires: []string{"smtp.connect"},
				Articles: []string{"smtp-tls-mismatch"}},
			{ID: "smtp.auth", Title: t("SMTP login works", "El inicio de sesión SMTP funciona"), Requires: []string{"smtp.tls"},
				Articles: []string{"smtp-auth-failed"}, Credentials: true},
			// Without a user name there is no login: the mail family then
			// makes the test message wait on smtp.tls instead.
			{ID: "smtp.send", Title: t("SMTP server accepts a test message", "El servidor SMTP acepta un mensaje de prueba"), Requires: []string{"smtp.auth"},
				Articles: []string{"smtp-message-rejected", "email-delivery-failed"}},
		},
	},
	{
		ID:       "domain",
		Describe: func(p *config.Profile) string { return p.Domain.Name },
		Title:    t("Sender domain", "Dominio remitente"),
		About:    t("The domain your email is sent from.", "El dominio desde el que se envía tu correo."),
		Fields:   []string{"domain.name", "domain.dkim_selectors", "domain.dns_server"},
		// SPF, the blocklists and the reverse name are asked about the SMTP
		// server; the domain defaults to the one of smtp.from.
		Reads: []string{"domain.dnsbl", "domain.bimi_selector", "domain.ca_file", "smtp.host", "smtp.from"},
		Checks: []Check{
			{ID: "domain.mx", Title: t("Sender domain can receive replies (MX)", "El dominio remitente puede recibir respuestas (MX)"), Articles: []string{"domain-mx-missing"}},
			{ID: "domain.spf", Title: t("SPF record authorises your mail server", "El registro SPF autoriza tu servidor de correo"), Articles: []string{"domain-spf-invalid"}},
			{ID: "domain.dkim", Title: t("DKIM signing keys are published", "Las claves de firma DKIM están publicadas"), Articles: []string{"domain-dkim-invalid"}},
			{ID: "domain.dmarc", Title: t("DMARC policy is published", "La política DMARC está publicada"), Articles: []string{"domain-dmarc-missing"}},
			{ID: "domain.dnsbl", Title: t("Sending addresses are not on blocklists", "Las direcciones de envío no están en listas de bloqueo"),
				Articles: []string{"domain-blocklisted", "domain-reputation"}},
			{ID: "domain.bimi", Title: t("Brand logo (BIMI) is published and valid", "El logotipo de marca (BIMI) está publicado y es válido"), Articles: []string{"domain-bimi"}},
			{ID: "domain.ptr", Title: t("Sending server has matching reverse DNS (PTR)", "El servidor de envío tiene DNS inverso coherente (PTR)"), Articles: []string{"domain-ptr-mismatch"}},
		},
	},
	{
		ID:       "content",
		Describe: func(p *config.Profile) string { return fmt.Sprintf("max_tokens %d", p.Content.MaxTokens) },
		Title:    t("Content", "Contenido"),
		About:    t("Files with a prompt or an email to test.", "Archivos con un prompt o un correo para probar."),
		Fields:   []string{"content.prompt_file", "content.email_file", "content.max_tokens"},
		Reads:    []string{"content.spamd", "smtp.from", "domain.dns_server"},
		Checks: []Check{
			{ID: "content.prompt", Title: t("Prompt is valid and within the token limit", "El prompt es válido y cabe en el límite de tokens"),
				Articles: []string{"content-generation-failed"}},
			{ID: "content.spam", Title: t("Email content is unlikely to be marked as spam", "Es poco probable que el correo se marque como spam"),
				Articles: []string{"email-spam-score"}},
			{ID: "content.headers", Title: t("Email headers meet the bulk-sender rules", "Los encabezados del correo cumplen las reglas de envío masivo"), Articles: []string{"email-bulk-sender-requirements"}},
		},
	},
	{
		ID:       "cache",
		Describe: func(p *config.Profile) string { return hostOf(p.Cache.RedisURL) },
		Title:    t("Cache", "Caché"),
		About:    t("The Redis cache, if you use one.", "La caché Redis, si usas una."),
		Fields:   []string{"cache.redis_url"},
		Issue:    issueIntegration,
		Checks: []Check{
			{ID: "cache.redis", Title: t("Redis cache", "Caché Redis"), WarnTriggers: slower},
		},
	},
}

// hostOf is the host of a URL, without scheme, path or credentials.
func hostOf(u string) string {
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	u = strings.TrimPrefix(strings.TrimPrefix(u, "rediss://"), "redis://")
	if i := strings.IndexAny(u, "/?"); i >= 0 {
		u = u[:i]
	}
	if at := strings.LastIndexByte(u, '@'); at >= 0 { // redis://user:pass@host
		u = u[at+1:]
	}
	return u
}
