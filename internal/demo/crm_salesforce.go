package demo

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// Salesforce shapes, from the REST API Developer Guide: errors are an array
// [{"message","errorCode"}]; GET /services/data/ lists versions without
// authentication; authenticated answers carry Sforce-Limit-Info:
// api-usage=used/max; /limits has DailyApiRequests {Max, Remaining}.

const sfDailyMax = 15000

var sfVersions = []map[string]string{
	{"label": "Winter '24", "url": "/services/data/v59.0", "version": "59.0"},
	{"label": "Spring '24", "url": "/services/data/v60.0", "version": "60.0"},
	{"label": "Summer '24", "url": "/services/data/v61.0", "version": "61.0"},
}

var sfVersioned = regexp.MustCompile(`^/services/data/v(\d+\.\d)(/.*)?$`)

type sfField struct {
	Name       string `json:"name"`
	Label      string `json:"label"`
	Type       string `json:"type"`
	Length     int    `json:"length"`
	Updateable bool   `json:"updateable"`
	Createable bool   `json:"createable"`
	Calculated bool   `json:"calculated"`
	Nillable   bool   `json:"nillable"`
	Custom     bool   `json:"custom"`
}

func sfF(name, label, typ string, writable bool) sfField {
	f := sfField{Name: name, Label: label, Type: typ, Updateable: writable, Createable: writable, Nillable: true}
	if typ == "string" || typ == "email" || typ == "phone" || typ == "textarea" {
		f.Length = 80
	}
	f.Custom = strings.HasSuffix(name, "__c")
	return f
}

// salesforceObject is the describe of one sObject, or false when the user
// cannot see it.
func (s *CRMServer) salesforceObject(name string) (map[string]any, bool) {
	if s.faults[CRMFaultMissingScope] {
		return nil, false
	}
	var fields []sfField
	label := ""
	switch strings.ToLower(name) {
	case "contact":
		name, label = "Contact", "Contact"
		score := sfF("Personalization_Score__c", "Personalization Score", "double", true)
		if s.faults[CRMFaultFieldType] {
			score = sfF("Personalization_Score__c", "Personalization Score", "string", true)
		}
		fields = []sfField{
			sfF("Id", "Contact ID", "id", false),
			sfF("FirstName", "First Name", "string", true),
			sfF("LastName", "Last Name", "string", true),
			{Name: "Name", Label: "Full Name", Type: "string", Length: 121},
			sfF("Email", "Email", "email", true),
			sfF("Phone", "Business Phone", "phone", true),
			sfF("Title", "Title", "string", true),
			sfF("AccountId", "Account ID", "reference", true),
			sfF("LeadSource", "Lead Source", "picklist", true),
			sfF("HasOptedOutOfEmail", "Email Opt Out", "boolean", true),
			sfF("LastActivityDate", "Last Activity", "date", false),
			sfF("CreatedDate", "Created Date", "datetime", false),
			sfF("LastModifiedDate", "Last Modified Date", "datetime", false),
			score,
		}
	case "lead":
		name, label = "Lead", "Lead"
		fields = []sfField{
			sfF("Id", "Lead ID", "id", false),
			sfF("LastName", "Last Name", "string", true),
			sfF("Company", "Company", "string", true),
			sfF("Email", "Email", "email", true),
			sfF("Status", "Status", "picklist", true),
		}
	default:
		return nil, false
	}
	return map[string]any{
		"name": name, "label": label, "labelPlural": label + "s", "custom": false,
		"queryable": true, "retrieveable": true, "createable": true, "updateable": true, "deletable": true,
		"fields": fields,
	}, true
}

func sfErr(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, crmJSONType, []map[string]string{{"message": message, "errorCode": code}})
}

func (s *CRMServer) serveSalesforce(w http.ResponseWriter, r *http.Request) {
	if s.faults[CRMFaultServerError] {
		sfErr(w, http.StatusServiceUnavailable, "SERVER_UNAVAILABLE", "Salesforce is temporarily unavailable. Try again later.")
		return
	}
	path := r.URL.Path
	if path == "/services/data/" || path == "/services/data" {
		writeJSON(w, http.StatusOK, crmJSONType, sfVersions)
		return
	}
	m := sfVersioned.FindStringSubmatch(path)
	if m == nil || r.Method != http.MethodGet {
		sfErr(w, http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
		return
	}
	version, rest := m[1], strings.TrimSuffix(m[2], "/")
	if tok := bearer(r); tok == "" || tok != s.token || s.faults[CRMFaultBadToken] || s.faults[CRMFaultExpiredToken] {
		w.Header().Set("WWW-Authenticate", `Token`)
		sfErr(w, http.StatusUnauthorized, "INVALID_SESSION_ID", "Session expired or invalid")
		return
	}
	if s.faults[CRMFaultAPIDisabled] {
		sfErr(w, http.StatusForbidden, "API_DISABLED_FOR_ORG", "API is not enabled for this Organization or Partner")
		return
	}
	used := 37
	switch {
	case s.faults[CRMFaultRateLimited]:
		used = sfDailyMax + 12
	case s.faults[CRMFaultLowBudget]:
		used = 14100
	}
	w.Header().Set("Sforce-Limit-Info", fmt.Sprintf("api-usage=%d/%d", used, sfDailyMax))
	if s.faults[CRMFaultRateLimited] {
		sfErr(w, http.StatusForbidden, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
		return
	}
	switch {
	case rest == "":
		base := "/services/data/v" + version
		writeJSON(w, http.StatusOK, crmJSONType, map[string]string{
			"limits": base + "/limits", "sobjects": base + "/sobjects", "query": base + "/query", "search": base + "/search",
		})
	case rest == "/limits":
		writeJSON(w, http.StatusOK, crmJSONType, map[string]any{
			"DailyApiRequests":                  map[string]int{"Max": sfDailyMax, "Remaining": sfDailyMax - used},
			"DailyBulkApiBatches":               map[string]int{"Max": 15000, "Remaining": 15000},
			"DataStorageMB":                     map[string]int{"Max": 5, "Remaining": 4},
			"ConcurrentAsyncGetReportInstances": map[string]int{"Max": 200, "Remaining": 200},
		})
	case strings.HasPrefix(rest, "/sobjects/") && strings.HasSuffix(rest, "/describe"):
		name := strings.TrimSuffix(strings.TrimPrefix(rest, "/sobjects/"), "/describe")
		obj, ok := s.salesforceObject(name)
		if !ok {
			sfErr(w, http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
			return
		}
		writeJSON(w, http.StatusOK, crmJSONType, obj)
	default:
		sfErr(w, http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
	}
}
