package demo

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"

	"pitstop/internal/config"
)

// CRM providers the sandbox can act as.
const (
	CRMHubSpot    = "hubspot"
	CRMSalesforce = "salesforce"
	CRMPipedrive  = "pipedrive"
)

// CRMProviders lists the providers StartCRM accepts.
var CRMProviders = []string{CRMHubSpot, CRMSalesforce, CRMPipedrive}

// CRM faults a sandbox CRM can inject. Several may be combined.
const (
	// CRMFaultBadToken rejects every token (401 INVALID_AUTHENTICATION,
	// INVALID_SESSION_ID, "unauthorized access").
	CRMFaultBadToken = "bad-token"
	// CRMFaultExpiredToken rejects every token as expired (HubSpot
	// EXPIRED_AUTHENTICATION; the others answer as for a bad token).
	CRMFaultExpiredToken = "expired-token"
	// CRMFaultMissingScope leaves the token without a permission: HubSpot
	// lacks crm.objects.contacts.write and crm.schemas.contacts.read (403
	// MISSING_SCOPES on properties), Salesforce hides the object (404 on
	// describe), Pipedrive refuses the fields endpoint (403).
	CRMFaultMissingScope = "missing-scope"
	// CRMFaultServerError answers 503 to everything.
	CRMFaultServerError = "server-error"
	// CRMFaultRateLimited refuses calls as over the limit (429; Salesforce
	// 403 REQUEST_LIMIT_EXCEEDED).
	CRMFaultRateLimited = "rate-limited"
	// CRMFaultLowBudget reports under 10% of the API budget left.
	CRMFaultLowBudget = "low-budget"
	// CRMFaultFieldMissing makes Configure map the personalization score to
	// a field the schema does not have (pz_score), next to the real one.
	CRMFaultFieldMissing = "field-missing"
	// CRMFaultFieldType makes the personalization score field a text field.
	CRMFaultFieldType = "field-type"
	// CRMFaultFieldReadOnly makes Configure map a read-only field.
	CRMFaultFieldReadOnly = "field-readonly"
	// CRMFaultAPIDisabled answers 403 API_DISABLED_FOR_ORG (Salesforce only).
	CRMFaultAPIDisabled = "api-disabled"
	// CRMFaultHTML answers every request with a sign-in web page, as a
	// wrong base URL or a captive proxy does.
	CRMFaultHTML = "html"
	// CRMFaultHang accepts requests and never answers.
	CRMFaultHang = "hang"
	// CRMFaultGarbage answers with bytes that are not HTTP, then hangs up.
	CRMFaultGarbage = "garbage"
)

// CRMFaults lists the CRM fault names.
var CRMFaults = []string{
	CRMFaultBadToken, CRMFaultExpiredToken, CRMFaultMissingScope, CRMFaultServerError, CRMFaultRateLimited,
	CRMFaultLowBudget, CRMFaultFieldMissing, CRMFaultFieldType, CRMFaultFieldReadOnly, CRMFaultAPIDisabled,
	CRMFaultHTML, CRMFaultHang, CRMFaultGarbage,
	CRMFaultDirtyData, CRMFaultEmptyPage, CRMFaultRepeatCursor, CRMFaultEndlessPages, CRMFaultWrongTypes,
	CRMFaultFailHalfway, CRMFaultBudgetDraining, CRMFaultSmallBudget,
}

// CRMOptions shape a sandbox CRM.
type CRMOptions struct {
	// Provider is hubspot, salesforce or pipedrive.
	Provider string
	// Faults are names from CRMFaults; none for a healthy CRM.
	Faults []string
	// Token is the token the server accepts; a random provider-shaped one
	// when empty.
	Token string
	// Addr to listen on; default 127.0.0.1 on a free port.
	Addr string
	// PageSize caps the records one list page holds below the provider's
	// documented maximum (HubSpot 100, Pipedrive 500, Salesforce 2,000),
	// as a busy CRM may; 0 keeps the maximum.
	PageSize int
}

// CRMRequest is one request the sandbox received, for tests that prove the
// token never travelled in a URL.
type CRMRequest struct {
	Method string
	URL    string // the request target as received: path and query
	Header http.Header
	Body   string
}

// CRMServer is a loopback HTTP server shaped like one CRM's documented API.
type CRMServer struct {
	// URL is the value for crm.base_url (Pipedrive's ends in /api).
	URL string
	// Provider is hubspot, salesforce or pipedrive.
	Provider string

	token  string
	faults map[string]bool
	*httpSandbox

	contacts []Contact
	pageSize int

	mu        sync.Mutex
	seen      []CRMRequest
	listCalls int
	sfQueries map[string]sfQuery // Salesforce query locators
}

// StartCRM starts a sandbox CRM. Close it when done.
func StartCRM(opts CRMOptions) (*CRMServer, error) {
	if !slices.Contains(CRMProviders, opts.Provider) {
		return nil, fmt.Errorf("unknown CRM provider %q; expected one of: %s", opts.Provider, strings.Join(CRMProviders, ", "))
	}
	s := &CRMServer{Provider: opts.Provider, token: opts.Token, faults: map[string]bool{}, pageSize: opts.PageSize,
		sfQueries: map[string]sfQuery{}}
	for _, f := range opts.Faults {
		if !slices.Contains(CRMFaults, f) {
			return nil, fmt.Errorf("unknown CRM fault %q; expected some of: %s", f, strings.Join(CRMFaults, ", "))
		}
		if f == CRMFaultAPIDisabled && opts.Provider != CRMSalesforce {
			return nil, fmt.Errorf("the %s fault is Salesforce's; %s has no such answer", f, opts.Provider)
		}
		s.faults[f] = true
	}
	if s.token == "" {
		s.token = crmToken(opts.Provider)
	}
	s.makeContacts()
	var err error
	if s.httpSandbox, err = newHTTPSandbox("crm", opts.Addr, s.serve); err != nil {
		return nil, err
	}
	s.URL = "http://" + s.ln.Addr().String()
	if opts.Provider == CRMPipedrive {
		s.URL += "/api"
	}
	s.start()
	return s, nil
}

// crmToken returns a random token shaped like the provider's.
func crmToken(provider string) string {
	h := randomHex(24)
	switch provider {
	case CRMHubSpot:
		return fmt.Sprintf("pat-na1-%s-%s-%s-%s-%s", h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])
	case CRMSalesforce:
		return "00D5g000004Sbx1!AQ0AQ" + h
	}
	return h[:40]
}

// Token returns the token the server accepts.
func (s *CRMServer) Token() string { return s.token }

// Has reports whether a fault is active.
func (s *CRMServer) Has(fault string) bool { return s.faults[fault] }

// Requests returns every request received so far.
func (s *CRMServer) Requests() []CRMRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.seen)
}

// Configure points a profile's crm settings at the sandbox: provider, base
// URL, token, object and a field mapping shaped by the field faults.
func (s *CRMServer) Configure(p *config.Profile) {
	p.CRM = config.CRMConfig{
		Provider:     s.Provider,
		BaseURL:      s.URL,
		Token:        config.NewSecret(s.token, "demo"),
		Object:       map[string]string{CRMHubSpot: "contacts", CRMSalesforce: "Contact", CRMPipedrive: "person"}[s.Provider],
		FieldMapping: s.mapping(),
	}
}

// mapping is the field_mapping Configure writes.
func (s *CRMServer) mapping() map[string]string {
	var m map[string]string
	score := ""
	switch s.Provider {
	case CRMHubSpot:
		m = map[string]string{"email": "email", "company": "company", "first_name": "firstname"}
		score = "personalization_score"
		if s.faults[CRMFaultFieldReadOnly] {
			m["last_contacted"] = "notes_last_contacted"
		}
	case CRMSalesforce:
		m = map[string]string{"email": "Email", "first_name": "FirstName", "last_name": "LastName"}
		score = "Personalization_Score__c"
		if s.faults[CRMFaultFieldReadOnly] {
			m["last_contacted"] = "LastActivityDate"
		}
	case CRMPipedrive:
		m = map[string]string{"email": "email", "name": "name"}
		score = pipedriveScoreKey
		if s.faults[CRMFaultFieldReadOnly] {
			m["last_contacted"] = "last_activity_date"
		}
	}
	if s.faults[CRMFaultDirtyData] {
		// The dirty records' phone formats and first names are measured too.
		m["phone"] = map[string]string{CRMHubSpot: "phone", CRMSalesforce: "Phone", CRMPipedrive: "phone"}[s.Provider]
		m["first_name"] = map[string]string{CRMHubSpot: "firstname", CRMSalesforce: "FirstName", CRMPipedrive: "first_name"}[s.Provider]
	}
	if s.faults[CRMFaultFieldMissing] {
		score = map[string]string{CRMHubSpot: "pz_score", CRMSalesforce: "PZ_Score__c", CRMPipedrive: "pz_score"}[s.Provider]
	}
	m["personalization_score"] = score
	return m
}

// Close stops the server, ending hanging requests at once.
func (s *CRMServer) Close() error { return s.close() }

func (s *CRMServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	s.mu.Lock()
	s.seen = append(s.seen, CRMRequest{Method: r.Method, URL: r.RequestURI, Header: r.Header.Clone(), Body: string(body)})
	s.mu.Unlock()
	switch {
	case s.faults[CRMFaultHang]:
		select {
		case <-r.Context().Done():
		case <-s.closing:
		}
		// Never answer, even when woken: drop the connection instead.
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
			}
		}
		return
	case s.faults[CRMFaultGarbage]:
		writeGarbage(w, "\x15\x03\x01\x00\x02\x02\x50 this is not HTTP \xff\xfe\r\n\r\n")
		return
	case s.faults[CRMFaultHTML]:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, "<!DOCTYPE html><html><head><title>Sign in</title></head><body><form>Sign in to continue</form></body></html>\n")
		return
	}
	switch s.Provider {
	case CRMHubSpot:
		s.serveHubSpot(w, r, body)
	case CRMSalesforce:
		s.serveSalesforce(w, r)
	default:
		s.servePipedrive(w, r)
	}
}

// crmJSONType is the content type the CRMs answer JSON with.
const crmJSONType = "application/json;charset=utf-8"

// crmRequestID returns a random id for correlation headers.
func crmRequestID() string {
	h := randomHex(16)
	return fmt.Sprintf("%s-%s-%s-%s-%s", h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])
}

// bearer returns the token of an "Authorization: Bearer ..." (or
// Salesforce's "OAuth ...") header.
func bearer(r *http.Request) string { return authToken(r, "Bearer ", "OAuth ") }
