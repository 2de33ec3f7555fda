package kb

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/i18n"
	"pitstop/knowledge"
)

// embedded loads the built-in knowledge base once per language.
var embedded = sync.OnceValue(func() map[string]*Base {
	out := map[string]*Base{}
	for _, lang := range i18n.Languages() {
		b, warnings, err := Load(knowledge.FS, "", lang)
		if err != nil {
			panic(err)
		}
		if len(warnings) > 0 {
			panic(warnings[0].String())
		}
		out[lang] = b
	}
	return out
})

// pastedErrors are real error texts as users paste them, with the article
// that must come first. Each runs against both languages: errors arrive in
// English whatever the reader speaks.
var pastedErrors = []struct {
	name, text, want string
}{
	{"openai 429 rate limit", `HTTP/1.1 429 Too Many Requests
{
    "error": {
        "message": "Rate limit reached for gpt-4o in organization org-Xq8 on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 120ms. Visit https://platform.openai.com/account/rate-limits to learn more.",
        "type": "requests",
        "param": null,
        "code": "rate_limit_exceeded"
    }
}`, "api-rate-limit"},
	{"openai 429 quota", `Error code: 429 - {'error': {'message': 'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.', 'type': 'insufficient_quota', 'param': None, 'code': 'insufficient_quota'}}`, "api-quota-exhausted"},
	{"openai 429 quota json", `{"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}`, "api-quota-exhausted"},
	{"postfix 535", `535 5.7.8 Error: authentication failed: authentication failure`, "smtp-auth-failed"},
	{"gmail app password", `534-5.7.9 Application-specific password required. Learn more at
534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor d9443c01a7336-1e2a5f1b1c2sm123456pld.12 - gsmtp`, "smtp-gmail-app-password"},
	{"gmail bad credentials via python", `smtplib.SMTPAuthenticationError: (535, b'5.7.8 Username and Password not accepted. For more information, go to
5.7.8  https://support.google.com/mail/?p=BadCredentials a640c23a62f3a-a5a1781d5f3sm1234567ejc.42 - gsmtp')`, "smtp-gmail-app-password"},
	{"m365 smtp auth disabled", `535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [MW4PR03CA0123.namprd03.prod.outlook.com 2024-05-01T10:00:00.000Z 08DC6A1B2C3D4E5F]`, "smtp-m365-auth-disabled"},
	{"salesforce invalid session", `[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`, "crm-salesforce-invalid-session"},
	{"hubspot missing scopes", `{"status":"error","message":"This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.","correlationId":"5f2a3c1e-8b7d-4e6f-9a0b-1c2d3e4f5a6b","errors":[{"message":"One or more of the following scopes are required.","context":{"requiredGranularScopes":["crm.objects.contacts.write"]}}],"links":{"scopes":"https://developers.hubspot.com/scopes"},"category":"MISSING_SCOPES"}`, "crm-hubspot-missing-scopes"},
	{"x509 unknown authority", `Get "https://api.copycarai.com/v2/verify": tls: failed to verify certificate: x509: certificate signed by unknown authority`, "api-tls-certificate"},
	{"spf too many lookups", `Authentication-Results: mx.google.com; spf=permerror (google.com: permanent error in processing during lookup of news@example.com: PermError: too many DNS lookups) smtp.mailfrom=news@example.com`, "domain-spf-too-many-lookups"},
	{"copycar invalid key", `HTTP 401 Unauthorized
{"error": "Invalid API Key", "message": "The API key provided is not valid"}`, "api-invalid-key"},
	{"go client timeout", `Post "https://api.copycarai.com/v2/generate": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`, "api-timeouts"},
	{"spamhaus block", `554 5.7.1 Service unavailable; Client host [1.2.3.4] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/1.2.3.4`, "domain-blocklisted"},

	{"anthropic overloaded", `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`, "api-provider-outage"},
	{"anthropic bad key", `{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}`, "api-invalid-key"},
	{"openai context length", `{"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages resulted in 130532 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}`, "content-generation-failed"},
	{"starttls required", `530 5.7.0 Must issue a STARTTLS command first. d2e1a72fcca58-6f4c1f1b2c3sm1234567b3a.12 - gsmtp`, "smtp-tls-mismatch"},
	{"dns no such host", `Get "https://api.copycarai.com/v2/health": dial tcp: lookup api.copycarai.com on 127.0.0.53:53: no such host`, "api-connection-failed"},
	{"salesforce api disabled", `[{"message":"The REST API is not enabled for this Organization.","errorCode":"API_DISABLED_FOR_ORG"}]`, "crm-salesforce-api-disabled"},
	{"hubspot expired token", `{"status":"error","message":"The OAuth token used to make this call expired 2 hour(s) ago.","correlationId":"8d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6","category":"EXPIRED_AUTHENTICATION"}`, "crm-hubspot-auth"},
	{"pipedrive unauthorized", `{"success":false,"error":"unauthorized access","errorCode":401,"error_info":"Please check developers.pipedrive.com for more information about Pipedrive API."}`, "crm-pipedrive-auth"},
	{"hubspot rate limit", `{"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","correlationId":"3c4d5e6f-7a8b-9c0d-1e2f-3a4b5c6d7e8f","policyName":"TEN_SECONDLY_ROLLING"}`, "crm-rate-limit"},
	{"redis noauth", `redis: NOAUTH Authentication required.`, "ops-caching"},
	{"user unknown", `550 5.1.1 <jane@example.org>: Recipient address rejected: User unknown in virtual mailbox table`, "smtp-message-rejected"},
	{"salesforce field", `[{"message":"No such column 'pz_score__c' on entity 'Contact'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.","errorCode":"INVALID_FIELD"}]`, "crm-field-mapping"},
	{"dkim body hash", `Authentication-Results: mx.google.com; dkim=fail header.i=@example.com header.s=s1 header.b=AbCdEf12 body hash did not verify`, "domain-dkim-invalid"},
	{"json html body", `SyntaxError: Unexpected token '<', "<!DOCTYPE html>"... is not valid JSON`, "data-format-errors"},
	{"python connection refused", `requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.copycarai.com', port=443): Max retries exceeded with url: /v2/generate (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x7f3a>: Failed to establish a new connection: [Errno 111] Connection refused'))`, "api-connection-failed"},
	{"python certificate", `requests.exceptions.SSLError: HTTPSConnectionPool(host='api.copycarai.com', port=443): Max retries exceeded with url: /v2/verify (Caused by SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)')))`, "api-tls-certificate"},
	{"openai tokens per minute", `openai.RateLimitError: Error code: 429 - {'error': {'message': 'Rate limit reached for gpt-4o-mini in organization org-xxx on tokens per min (TPM): Limit 200000, Used 199500, Requested 1200. Please try again in 210ms.', 'type': 'tokens', 'param': None, 'code': 'rate_limit_exceeded'}}`, "api-rate-limit"},
	{"anthropic rate limit", `anthropic.RateLimitError: Error code: 429 - {'type': 'error', 'error': {'type': 'rate_limit_error', 'message': 'This request would exceed the rate limit for your organization of 50 requests per minute.'}}`, "api-rate-limit"},
	{"anthropic credit", `Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.`, "api-quota-exhausted"},
	{"wrong tls version", `ssl.SSLError: [SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1000)`, "smtp-tls-mismatch"},
	{"port 25 blocked", `dial tcp 203.0.113.5:25: i/o timeout`, "smtp-connection-failed"},
	{"relay denied", `550 5.7.1 Relaying denied`, "smtp-message-rejected"},
	{"yahoo deferred", `421 4.7.0 [TSS04] Messages from 1.2.3.4 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes`, "domain-reputation"},
	{"gmail unsolicited", `550-5.7.1 [1.2.3.4] Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked.`, "domain-reputation"},
	{"hubspot property", `{"status":"error","message":"Property values were not valid: [{\"isValid\":false,\"message\":\"Property \\\"pz_score\\\" does not exist\",\"error\":\"PROPERTY_DOESNT_EXIST\",\"name\":\"pz_score\"}]","category":"VALIDATION_ERROR"}`, "crm-field-mapping"},
	{"salesforce required field", `[{"message":"Required fields are missing: [LastName]","errorCode":"REQUIRED_FIELD_MISSING","fields":["LastName"]}]`, "crm-field-mapping"},
	{"hubspot conflict", `{"status":"error","message":"Contact already exists. Existing ID: 12345","category":"CONFLICT"}`, "crm-duplicate-records"},
	{"redis refused", `dial tcp 127.0.0.1:6379: connect: connection refused`, "ops-caching"},
	{"certificate expired", `x509: certificate has expired or is not yet valid: current time 2025-01-01T00:00:00Z is after 2024-12-31T23:59:59Z`, "api-tls-certificate"},
	{"spf softfail", `Received-SPF: softfail (google.com: domain of transitioning news@example.com does not designate 1.2.3.4 as permitted sender)`, "domain-spf-invalid"},
	{"dmarc fail", `Authentication-Results: mx.google.com; dmarc=fail (p=REJECT sp=REJECT dis=REJECT) header.from=example.com`, "domain-dmarc-missing"},
	{"name resolution", `socket.gaierror: [Errno -3] Temporary failure in name resolution`, "api-connection-failed"},
	{"hubspot 429", `HubSpot returned 429 Too Many Requests from api.hubapi.com`, "crm-rate-limit"},
	{"daily sending limit", `550 5.4.5 Daily user sending limit exceeded. For more information on Gmail sending limits go to https://support.google.com/a/answer/166852`, "email-sending-limits"},
	{"no mx", `no MX records found for example.com`, "domain-mx-missing"},
	{"spamhaus refused", `zen.spamhaus.org returned 127.255.255.254 for 4.3.2.1.zen.spamhaus.org`, "domain-dnsbl-query-refused"},
}

// freeText is what people type instead of pasting an error.
var freeText = []struct {
	lang, name, text, want string
}{
	{"en", "spam folder", "our newsletters keep landing in the spam folder", "email-spam-score"},
	{"en", "personalization", "low personalization score on every email, the copy feels generic", "content-low-personalization"},
	{"en", "clock", "clock skew: the server says the request timestamp is too old", "api-clock-skew"},
	{"es", "spam", "Los correos llegan a la carpeta de spam", "email-spam-score"},
	{"es", "clave", "La clave de API no es válida: Invalid API Key", "api-invalid-key"},
	{"es", "limite", "Demasiadas peticiones: límite de peticiones excedido", "api-rate-limit"},
	{"es", "personalizacion", "Puntuación de personalización baja, el contenido sale genérico", "content-low-personalization"},
	{"es", "sin acento", "error de autenticacion smtp 535 5.7.8 Error: authentication failed", "smtp-auth-failed"},
	{"es", "rebotan", "no me llegan los correos, rebotan con error 550 5.1.1", "smtp-message-rejected"},
	{"es", "webhook", "El webhook no se dispara y el flujo no arranca", "workflow-execution-failures"},
	{"es", "duplicados", "los contactos se duplican en HubSpot", "crm-duplicate-records"},
	{"es", "prompt corto", "la generación de contenido falla: prompt too short", "content-generation-failed"},
	{"es", "se corta", "la API tarda demasiado y se corta: context deadline exceeded", "api-timeouts"},
	{"es", "no deseado", "los emails caen en la bandeja de correo no deseado", "email-spam-score"},
	{"en", "clock words", "Request has expired: the signature timestamp is outside the allowed window, check your system clock", "api-clock-skew"},
	{"en", "personalization threshold", "Personalization score 52% is below the 70% threshold", "content-low-personalization"},
	{"en", "costs", "our OpenAI bill doubled this month, token usage is way up", "perf-high-costs"},
	{"en", "crm outage", "503 Service Unavailable from api.hubapi.com", "crm-unavailable"},
}

func TestMatchPastedErrors(t *testing.T) {
	t.Parallel()
	for _, lang := range i18n.Languages() {
		for _, tc := range pastedErrors {
			t.Run(lang+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				b := embedded()[lang]
				if _, ok := b.Get(tc.want); !ok {
					t.Fatalf("article %s does not exist: a test that names it must not pass without it", tc.want)
				}
				got := b.Match(Evidence{Text: tc.text})
				require.NotEmpty(t, got)
				require.Equal(t, tc.want, got[0].Article.ID, "ranking: %s", describe(got))
				require.NotEmpty(t, got[0].Reasons)
			})
		}
	}
}

func TestMatchFreeText(t *testing.T) {
	t.Parallel()
	for _, tc := range freeText {
		t.Run(tc.lang+"/"+tc.name, func(t *testing.T) {
			t.Parallel()
			b := embedded()[tc.lang]
			if _, ok := b.Get(tc.want); !ok {
				t.Fatalf("article %s does not exist: a test that names it must not pass without it", tc.want)
			}
			got := b.Match(Evidence{Text: tc.text})
			require.NotEmpty(t, got)
			require.Equal(t, tc.want, got[0].Article.ID, "ranking: %s", describe(got))
		})
	}
}

func describe(ms []Match) string {
	var b strings.Builder
	for i, m := range ms {
		if i == 5 {
			break
		}
		b.WriteString("\n  " + m.Article.ID + " " + strings.Join(m.Reasons, "; "))
		fmt.Fprintf(&b, " (%.1f)", m.Score)
	}
	return b.String()
}
