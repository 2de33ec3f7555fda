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
	limit, left := 80, 79
	if s.faults[CRMFaultLowBudget] {
		left = 4
	}
	if s.faults[CRMFaultRateLimited] {
		left = 0
	}
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(left))
	h.Set("X-RateLimit-Reset", "2")
	h.Set("X-Daily-Requests-Left", "9850")
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
	default:
		pipedriveErr(w, http.StatusNotFound, "Unknown method .")
	}
}
