package demo

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// HubSpot shapes, from developers.hubspot.com: errors are
// {"status":"error","message","correlationId","category"}; MISSING_SCOPES
// lists errors[].context.requiredGranularScopes; every answer carries
// X-HubSpot-Correlation-Id, authenticated ones the X-HubSpot-RateLimit-*
// headers.

type hubspotProperty struct {
	Name       string `json:"name"`
	Label      string `json:"label"`
	Type       string `json:"type"`
	FieldType  string `json:"fieldType"`
	GroupName  string `json:"groupName"`
	Calculated bool   `json:"calculated"`
	Hidden     bool   `json:"hidden"`
	Meta       struct {
		Archivable         bool `json:"archivable"`
		ReadOnlyDefinition bool `json:"readOnlyDefinition"`
		ReadOnlyValue      bool `json:"readOnlyValue"`
	} `json:"modificationMetadata"`
}

func hsProp(name, label, typ, fieldType string, readOnly bool) hubspotProperty {
	p := hubspotProperty{Name: name, Label: label, Type: typ, FieldType: fieldType, GroupName: "contactinformation"}
	p.Meta.ReadOnlyValue = readOnly
	p.Meta.ReadOnlyDefinition = true
	p.Meta.Archivable = !readOnly
	return p
}

// hubspotProperties is each object's property list.
func (s *CRMServer) hubspotProperties(object string) ([]hubspotProperty, bool) {
	switch object {
	case "contacts":
		score := hsProp("personalization_score", "Personalization Score", "number", "number", false)
		if s.faults[CRMFaultFieldType] {
			score.Type, score.FieldType = "string", "text"
		}
		score.GroupName = "copycar"
		score.Meta.ReadOnlyDefinition = false
		return []hubspotProperty{
			hsProp("email", "Email", "string", "text", false),
			hsProp("firstname", "First Name", "string", "text", false),
			hsProp("lastname", "Last Name", "string", "text", false),
			hsProp("company", "Company Name", "string", "text", false),
			hsProp("jobtitle", "Job Title", "string", "text", false),
			hsProp("phone", "Phone Number", "string", "phonenumber", false),
			hsProp("website", "Website URL", "string", "text", false),
			hsProp("lifecyclestage", "Lifecycle Stage", "enumeration", "radio", false),
			hsProp("hs_lead_status", "Lead Status", "enumeration", "radio", false),
			hsProp("hs_email_optout", "Unsubscribed from all email", "enumeration", "booleancheckbox", true),
			hsProp("createdate", "Create Date", "datetime", "date", true),
			hsProp("lastmodifieddate", "Last Modified Date", "datetime", "date", true),
			hsProp("notes_last_contacted", "Last Contacted", "datetime", "date", true),
			hsProp("hs_object_id", "Record ID", "number", "number", true),
			hsProp("hubspotscore", "HubSpot Score", "number", "number", true),
			score,
		}, true
	case "companies":
		return []hubspotProperty{
			hsProp("name", "Company name", "string", "text", false),
			hsProp("domain", "Company Domain Name", "string", "text", false),
			hsProp("industry", "Industry", "enumeration", "select", false),
			hsProp("hs_object_id", "Record ID", "number", "number", true),
		}, true
	case "deals":
		return []hubspotProperty{
			hsProp("dealname", "Deal Name", "string", "text", false),
			hsProp("amount", "Amount", "number", "number", false),
			hsProp("dealstage", "Deal Stage", "enumeration", "radio", false),
			hsProp("hs_object_id", "Record ID", "number", "number", true),
		}, true
	}
	return nil, false
}

func hubspotErr(w http.ResponseWriter, status int, category, message string, extra map[string]any) {
	body := map[string]any{"status": "error", "message": message, "correlationId": w.Header().Get("X-HubSpot-Correlation-Id"), "category": category}
	for k, v := range extra {
		body[k] = v
	}
	writeJSON(w, status, crmJSONType, body)
}

func (s *CRMServer) hubspotRateHeaders(w http.ResponseWriter, exhausted bool) {
	daily, dailyLeft, window, windowLeft := 250000, 249812, 190, 189
	if s.faults[CRMFaultLowBudget] {
		dailyLeft = 11250 // 4.5%
	}
	if s.faults[CRMFaultSmallBudget] {
		window, windowLeft = 20, 19
	}
	windowLeft = max(0, windowLeft-90*s.budgetUsed())
	if exhausted {
		windowLeft = 0
	}
	h := w.Header()
	h.Set("X-HubSpot-RateLimit-Daily", strconv.Itoa(daily))
	h.Set("X-HubSpot-RateLimit-Daily-Remaining", strconv.Itoa(dailyLeft))
	h.Set("X-HubSpot-RateLimit-Interval-Milliseconds", "10000")
	h.Set("X-HubSpot-RateLimit-Max", strconv.Itoa(window))
	h.Set("X-HubSpot-RateLimit-Remaining", strconv.Itoa(windowLeft))
	h.Set("X-HubSpot-RateLimit-Secondly", "19")
	h.Set("X-HubSpot-RateLimit-Secondly-Remaining", "18")
}

func (s *CRMServer) serveHubSpot(w http.ResponseWriter, r *http.Request, body []byte) {
	w.Header().Set("X-HubSpot-Correlation-Id", crmRequestID())
	if s.faults[CRMFaultServerError] {
		hubspotErr(w, http.StatusServiceUnavailable, "INTERNAL_ERROR", "The service is temporarily unavailable. Please try again later.", nil)
		return
	}
	path := r.URL.Path
	if r.Method == http.MethodPost && path == "/oauth/v2/private-apps/get/access-token-info" {
		s.hubspotTokenInfo(w, body)
		return
	}
	if !s.hubspotAuthorized(w, r) {
		return
	}
	if s.faults[CRMFaultRateLimited] {
		s.hubspotRateHeaders(w, true)
		hubspotErr(w, http.StatusTooManyRequests, "RATE_LIMITS", "You have reached your ten_secondly_rolling limit.",
			map[string]any{"errorType": "RATE_LIMIT", "policyName": "TEN_SECONDLY_ROLLING"})
		return
	}
	s.hubspotRateHeaders(w, false)
	switch {
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/crm/v3/objects/"):
		object := strings.Trim(strings.TrimPrefix(path, "/crm/v3/objects/"), "/")
		if _, ok := s.hubspotProperties(object); !ok {
			hubspotErr(w, http.StatusBadRequest, "VALIDATION_ERROR", "Unable to infer object type from: "+object, nil)
			return
		}
		if r.URL.Query().Has("properties") {
			s.hubspotList(w, r)
			return
		}
		writeJSON(w, http.StatusOK, crmJSONType, map[string]any{
			"results": []any{map[string]any{
				"id": "151", "archived": false, "createdAt": "2024-03-04T10:12:45.123Z", "updatedAt": "2024-06-01T08:00:00.000Z",
				"properties": map[string]any{"email": "ada@example.com", "firstname": "Ada", "lastname": "Lovelace", "hs_object_id": "151"},
			}},
			"paging": map[string]any{"next": map[string]any{"after": "152", "link": "?after=152"}},
		})
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/crm/v3/properties/"):
		object := strings.Trim(strings.TrimPrefix(path, "/crm/v3/properties/"), "/")
		props, ok := s.hubspotProperties(object)
		if !ok {
			hubspotErr(w, http.StatusBadRequest, "VALIDATION_ERROR", "Unable to infer object type from: "+object, nil)
			return
		}
		if s.faults[CRMFaultMissingScope] {
			hubspotErr(w, http.StatusForbidden, "MISSING_SCOPES",
				"This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
				map[string]any{
					"errors": []any{map[string]any{
						"message": "One or more of the following scopes are required.",
						"context": map[string]any{"requiredGranularScopes": []string{"crm.schemas." + object + ".read"}},
					}},
					"links": map[string]string{"scopes": "https://developers.hubspot.com/scopes"},
				})
			return
		}
		writeJSON(w, http.StatusOK, crmJSONType, map[string]any{"results": props})
	default:
		hubspotErr(w, http.StatusNotFound, "OBJECT_NOT_FOUND", "Resource not found", nil)
	}
}

// hubspotAuthorized answers 401 unless the Bearer token is the accepted one.
func (s *CRMServer) hubspotAuthorized(w http.ResponseWriter, r *http.Request) bool {
	tok := bearer(r)
	switch {
	case s.faults[CRMFaultExpiredToken]:
		hubspotErr(w, http.StatusUnauthorized, "EXPIRED_AUTHENTICATION", "The OAuth token used to make this call expired 2 hour(s) ago.", nil)
	case tok == "" || tok != s.token || s.faults[CRMFaultBadToken]:
		hubspotErr(w, http.StatusUnauthorized, "INVALID_AUTHENTICATION",
			"Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview", nil)
	default:
		return true
	}
	return false
}

// hubspotTokenInfo answers the private-app token info: the token travels in
// the body, as {"tokenKey": ...}.
func (s *CRMServer) hubspotTokenInfo(w http.ResponseWriter, body []byte) {
	var req struct {
		TokenKey string `json:"tokenKey"`
	}
	if json.Unmarshal(body, &req) != nil || req.TokenKey == "" {
		hubspotErr(w, http.StatusBadRequest, "VALIDATION_ERROR", "tokenKey is required", nil)
		return
	}
	if req.TokenKey != s.token || s.faults[CRMFaultBadToken] || s.faults[CRMFaultExpiredToken] {
		hubspotErr(w, http.StatusUnauthorized, "INVALID_AUTHENTICATION", "The access token is invalid or has expired", nil)
		return
	}
	scopes := []string{"crm.objects.contacts.read", "crm.objects.contacts.write", "crm.schemas.contacts.read",
		"crm.objects.companies.read", "crm.objects.companies.write", "crm.schemas.companies.read"}
	if s.faults[CRMFaultMissingScope] {
		scopes = []string{"crm.objects.contacts.read", "crm.objects.companies.read"}
	}
	writeJSON(w, http.StatusOK, crmJSONType, map[string]any{"userId": 4012345, "hubId": 24681357, "appId": 3012345, "scopes": scopes})
}

// hubspotList answers a page of GET /crm/v3/objects/{object}?limit=…
// &properties=…&after=…: the requested properties (null when empty) plus the
// three HubSpot always sends, as strings; paging.next.after while more
// follow. The cursor is the next record's place in the set.
func (s *CRMServer) hubspotList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, err := strconv.Atoi(q.Get("limit"))
	if err != nil || limit <= 0 {
		limit = 10 // HubSpot's default page
	}
	offset := 0
	if a := q.Get("after"); a != "" {
		if offset, err = strconv.Atoi(a); err != nil || offset < 0 {
			hubspotErr(w, http.StatusBadRequest, "VALIDATION_ERROR", "Invalid input (details will vary based on the error)", nil)
			return
		}
	}
	var props []string
	for _, v := range q["properties"] {
		props = append(props, strings.Split(v, ",")...)
	}
	pg := s.listPage(offset, limit)
	s.hubspotRateHeaders(w, false) // this page's use of the budget counts
	if s.failsNow(pg) {
		hubspotErr(w, http.StatusServiceUnavailable, "INTERNAL_ERROR", "The service is temporarily unavailable. Please try again later.", nil)
		return
	}
	results := []any{}
	for _, i := range pg.index {
		c := s.contacts[i]
		id := strconv.Itoa(1001 + i)
		values := map[string]any{"email": c.Email, "firstname": c.First, "lastname": c.Last, "company": c.Company,
			"phone": c.Phone, "personalization_score": "", "jobtitle": "", "website": ""}
		if c.Score > 0 {
			values["personalization_score"] = strconv.Itoa(c.Score)
		}
		p := map[string]any{"hs_object_id": id, "createdate": "2024-03-04T10:12:45.123Z", "lastmodifieddate": "2024-06-01T08:00:00.000Z"}
		for _, name := range props {
			v, ok := values[name]
			switch {
			case !ok:
				continue // HubSpot leaves out properties it does not know
			case v == "":
				p[name] = nil
			case name == "email" && s.numericEmail(pg, i):
				p[name] = 4155550100 + i
			default:
				p[name] = v
			}
		}
		rec := map[string]any{"id": id, "properties": p, "archived": false,
			"createdAt": "2024-03-04T10:12:45.123Z", "updatedAt": "2024-06-01T08:00:00.000Z"}
		if s.misshapen(pg) {
			rec["properties"] = "email=" + c.Email
		}
		results = append(results, rec)
	}
	body := map[string]any{"results": results}
	if pg.next >= 0 {
		after := strconv.Itoa(pg.next)
		body["paging"] = map[string]any{"next": map[string]any{"after": after, "link": "?after=" + after}}
	}
	writeJSON(w, http.StatusOK, crmJSONType, body)
}
