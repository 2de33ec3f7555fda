package demo

import (
	"net/http"
	"strconv"
	"strings"
)

// Pipedrive shapes, from developers.pipedrive.com: answers are
// {"success", "data", "additional_data"}; errors {"success":false,"error",
// "errorCode","error_info"}; the token comes in the x-api-token header (the
// api_token query parameter is accepted too, as Pipedrive does, so tests can
// prove Pitstop never uses it); x-ratelimit-* headers on every answer.

// pipedriveScoreKey is the 40-character key of the custom "Personalization
// score" field.
const pipedriveScoreKey = "8f3c1e0b5d2a4c6e9f7b1a3d5c7e9f0b2d4f6a8c"

type pipedriveField struct {
	ID              int    `json:"id"`
	Key             string `json:"key"`
	Name            string `json:"name"`
	OrderNr         int    `json:"order_nr"`
	FieldType       string `json:"field_type"`
	ActiveFlag      bool   `json:"active_flag"`
	EditFlag        bool   `json:"edit_flag"`
	BulkEditAllowed bool   `json:"bulk_edit_allowed"`
	MandatoryFlag   bool   `json:"mandatory_flag"`
}

func (s *CRMServer) pipedrivePersonFields() []pipedriveField {
	scoreType := "double"
	if s.faults[CRMFaultFieldType] {
		scoreType = "varchar"
	}
	list := []struct{ key, name, typ string }{
		{"id", "ID", "int"},
		{"name", "Name", "varchar"},
		{"first_name", "First name", "varchar"},
		{"last_name", "Last name", "varchar"},
		{"email", "Email", "varchar"},
		{"phone", "Phone", "phone"},
		{"org_id", "Organization", "org"},
		{"owner_id", "Owner", "user"},
		{"label", "Label", "enum"},
		{"visible_to", "Visible to", "visible_to"},
		{"add_time", "Person created", "date"},
		{"update_time", "Update time", "date"},
		{"last_activity_date", "Last activity date", "date"},
		{"open_deals_count", "Open deals", "int"},
		{pipedriveScoreKey, "Personalization score", scoreType},
		{"a41b7c2d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b", "Lead source", "varchar"},
	}
	out := make([]pipedriveField, len(list))
	for i, f := range list {
		custom := len(f.key) == 40
		out[i] = pipedriveField{ID: 9000 + i, Key: f.key, Name: f.name, OrderNr: i, FieldType: f.typ,
			ActiveFlag: true, EditFlag: custom, BulkEditAllowed: !strings.HasSuffix(f.key, "_time"), MandatoryFlag: f.key == "name"}
	}
	return out
}

func pipedriveErr(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, crmJSONType, map[string]any{
		"success": false, "error": message, "errorCode": status,
		"error_info": "Please check developers.pipedrive.com for more information about Pipedrive API.",
	})
}

func (s *CRMServer) servePipedrive(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Request-Id", crmRequestID())
	if s.faults[CRMFaultServerError] {
		pipedriveErr(w, http.StatusServiceUnavailable, "Service Unavailable")
		return
	}
	path := strings.TrimPrefix(r.URL.Path, "/api")
	tok := r.Header.Get("x-api-token")
	if tok == "" {
		tok = r.URL.Query().Get("api_token")
	}
	if tok == "" || tok != s.token || s.faults[CRMFaultBadToken] || s.faults[CRMFaultExpiredToken] {
		pipedriveErr(w, http.StatusUnauthorized, "unauthorized access")
		return
	}
	s.pipedriveRateHeaders(w)
	if s.faults[CRMFaultRateLimited] {
		pipedriveErr(w, http.StatusTooManyRequests, "Request over limit")
		return
	}
	switch {
	case r.Method == http.MethodGet && path == "/v1/users/me":
		writeJSON(w, http.StatusOK, crmJSONType, map[string]any{"success": true, "data": map[string]any{
			"id": 13053621, "name": "Grace Hopper", "email": "grace@example.com", "default_currency": "EUR",
			"locale": "en_US", "lang": 1, "activated": true, "active_flag": true, "is_admin": 1, "role_id": 1,
			"timezone_name": "Europe/Berlin", "is_you": true, "is_deleted": false,
			"company_id": 7712345, "company_name": "Example Ltd", "company_domain": "example", "company_country": "DE",
			"language": map[string]string{"language_code": "en", "country_code": "US"},
		}})
	case r.Method == http.MethodGet && path == "/v1/personFields":
		if s.faults[CRMFaultMissingScope] {
			pipedriveErr(w, http.StatusForbidden, "Scope and URL mismatch")
			return
		}
		fields := s.pipedrivePersonFields()
		start, _ := strconv.Atoi(r.URL.Query().Get("start"))
		size, err := strconv.Atoi(r.URL.Query().Get("limit"))
		if err != nil || size <= 0 || size > 500 {
			size = 100
		}
		start = min(max(start, 0), len(fields))
		end := min(start+size, len(fields))
		pagination := map[string]any{"start": start, "limit": size, "more_items_in_collection": end < len(fields)}
		if end < len(fields) {
			pagination["next_start"] = end
		}
		writeJSON(w, http.StatusOK, crmJSONType, map[string]any{"success": true, "data": fields[start:end],
			"additional_data": map[string]any{"pagination": pagination}})
	case r.Method == http.MethodGet && path == "/v1/persons":
		s.pipedrivePersons(w, r)
	default:
		pipedriveErr(w, http.StatusNotFound, "Unknown method .")
	}
}

// pipedrivePersons answers GET /v1/persons?start=…&limit=…: whole persons
// (the v1 list has no field selection), email and phone as lists of
// {value, primary, label}, custom fields under their hash keys, and
// additional_data.pagination.
func (s *CRMServer) pipedrivePersons(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	start, _ := strconv.Atoi(q.Get("start"))
	limit, err := strconv.Atoi(q.Get("limit"))
	if err != nil || limit <= 0 {
		limit = 100 // Pipedrive's default page
	}
	pg := s.listPage(start, limit)
	s.pipedriveRateHeaders(w) // this page's use of the budget counts
	if s.failsNow(pg) {
		pipedriveErr(w, http.StatusServiceUnavailable, "Service Unavailable")
		return
	}
	data := []any{}
	for _, i := range pg.index {
		c := s.contacts[i]
		email := []map[string]any{{"label": "work", "value": c.Email, "primary": true}}
		if s.numericEmail(pg, i) {
			email[0]["value"] = 4155550100 + i
		}
		person := map[string]any{
			"id": i + 1, "company_id": 7712345, "active_flag": true,
			"name": strings.TrimSpace(c.First + " " + c.Last), "first_name": nullable(c.First), "last_name": c.Last,
			"email": email, "phone": []map[string]any{{"label": "work", "value": c.Phone, "primary": true}},
			"primary_email": nullable(strings.TrimSpace(c.Email)),
			"org_id":        map[string]any{"name": c.Company, "value": 500 + i%7, "people_count": 12, "active_flag": true},
			"owner_id":      map[string]any{"id": 13053621, "name": "Grace Hopper", "value": 13053621},
			"add_time":      "2024-03-04 10:12:45", "update_time": "2024-06-01 08:00:00", "visible_to": "3",
			pipedriveScoreKey: nil, "a41b7c2d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b": "Web",
		}
		if c.Score > 0 {
			person[pipedriveScoreKey] = c.Score
		}
		if c.Company == "" {
			person["org_id"] = nil
		}
		if s.misshapen(pg) {
			data = append(data, []string{c.First, c.Last, c.Email})
			continue
		}
		data = append(data, person)
	}
	pagination := map[string]any{"start": start, "limit": limit, "more_items_in_collection": pg.next >= 0}
	if pg.next >= 0 {
		pagination["next_start"] = pg.next
	}
	body := map[string]any{"success": true, "data": data, "additional_data": map[string]any{"pagination": pagination}}
	if len(data) == 0 {
		body["data"] = nil // Pipedrive sends null, not [], for an empty list
	}
	writeJSON(w, http.StatusOK, crmJSONType, body)
}

// nullable is nil for an empty string, as Pipedrive sends it.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// pipedriveRateHeaders sets the x-ratelimit-* and x-daily-requests-left
// headers Pipedrive sends on every answer.
func (s *CRMServer) pipedriveRateHeaders(w http.ResponseWriter) {
	limit, left := 80, 79
	switch {
	case s.faults[CRMFaultRateLimited]:
		left = 0
	case s.faults[CRMFaultLowBudget]:
		left = 4
	case s.faults[CRMFaultSmallBudget]:
		limit, left = 20, 19
	}
	left = max(0, left-36*s.budgetUsed())
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(left))
	h.Set("X-RateLimit-Reset", "2")
	h.Set("X-Daily-Requests-Left", "9850")
}
