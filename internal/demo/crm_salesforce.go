package demo

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
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
	daily, used := s.salesforceLimitInfo(w)
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
			"DailyApiRequests":                  map[string]int{"Max": daily, "Remaining": daily - used},
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
	case rest == "/query":
		s.salesforceQuery(w, version, r.URL.Query().Get("q"))
	case strings.HasPrefix(rest, "/query/"):
		s.salesforceQueryMore(w, version, strings.TrimPrefix(rest, "/query/"))
	default:
		sfErr(w, http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
	}
}

// sfQuery is a query whose results are still being read in batches.
type sfQuery struct {
	object string
	fields []string // as the describe spells them
	limit  int
}

var soqlRe = regexp.MustCompile(`(?is)^\s*SELECT\s+(.+?)\s+FROM\s+([A-Za-z][A-Za-z0-9_]*)(?:\s+LIMIT\s+(\d+))?\s*$`)

// salesforceQuery answers GET /query?q=SELECT … FROM … [LIMIT n]: the
// first batch, and a nextRecordsUrl with a query locator while more remain.
func (s *CRMServer) salesforceQuery(w http.ResponseWriter, version, soql string) {
	m := soqlRe.FindStringSubmatch(soql)
	if m == nil {
		sfErr(w, http.StatusBadRequest, "MALFORMED_QUERY", "unexpected token: "+strconv.Quote(soql))
		return
	}
	obj, ok := s.salesforceObject(m[2])
	if !ok {
		sfErr(w, http.StatusBadRequest, "INVALID_TYPE", "sObject type '"+m[2]+"' is not supported.")
		return
	}
	described := obj["fields"].([]sfField)
	q := sfQuery{object: obj["name"].(string), limit: len(s.contacts)}
	for _, col := range strings.Split(m[1], ",") {
		col = strings.TrimSpace(col)
		found := ""
		for _, f := range described {
			if strings.EqualFold(f.Name, col) {
				found = f.Name
			}
		}
		if found == "" {
			sfErr(w, http.StatusBadRequest, "INVALID_FIELD", fmt.Sprintf("No such column '%s' on entity '%s'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.", col, q.object))
			return
		}
		q.fields = append(q.fields, found)
	}
	if m[3] != "" {
		q.limit, _ = strconv.Atoi(m[3])
	}
	if q.object != "Contact" {
		q.limit = 0 // the sandbox holds contacts only
	}
	locator := "01gD0000002HU6K" + strings.ToUpper(randomHex(2))
	s.mu.Lock()
	s.sfQueries[locator] = q
	s.mu.Unlock()
	s.salesforceBatch(w, version, locator, q, 0)
}

// salesforceQueryMore answers GET /query/{locator}-{offset}.
func (s *CRMServer) salesforceQueryMore(w http.ResponseWriter, version, loc string) {
	locator, off, _ := strings.Cut(loc, "-")
	offset, err := strconv.Atoi(off)
	s.mu.Lock()
	q, ok := s.sfQueries[locator]
	s.mu.Unlock()
	if !ok || err != nil {
		sfErr(w, http.StatusBadRequest, "INVALID_QUERY_LOCATOR", "invalid query locator")
		return
	}
	s.salesforceBatch(w, version, locator, q, offset)
}

func (s *CRMServer) salesforceBatch(w http.ResponseWriter, version, locator string, q sfQuery, offset int) {
	total := min(q.limit, len(s.contacts))
	pg := s.listPage(offset, min(s.pageMax(), total-offset))
	s.salesforceLimitInfo(w) // this batch's use of the budget counts
	if s.failsNow(pg) {
		sfErr(w, http.StatusServiceUnavailable, "SERVER_UNAVAILABLE", "Salesforce is temporarily unavailable. Try again later.")
		return
	}
	records := []any{}
	for _, i := range pg.index {
		if i >= total {
			break
		}
		c := s.contacts[i]
		id := fmt.Sprintf("0035g0000%06dAAA", i)
		values := map[string]any{"Id": id, "FirstName": c.First, "LastName": c.Last, "Email": c.Email, "Phone": c.Phone,
			"Name": strings.TrimSpace(c.First + " " + c.Last), "Title": "", "LeadSource": "Web"}
		if c.Score > 0 {
			values["Personalization_Score__c"] = float64(c.Score)
		}
		rec := map[string]any{"attributes": map[string]string{"type": "Contact", "url": "/services/data/v" + version + "/sobjects/Contact/" + id}}
		for _, f := range q.fields {
			v, ok := values[f]
			switch {
			case !ok || v == "":
				rec[f] = nil
			case f == "Email" && s.numericEmail(pg, i):
				rec[f] = 4155550100 + i
			default:
				rec[f] = v
			}
		}
		if s.misshapen(pg) {
			records = append(records, "Contact "+c.Email)
			continue
		}
		records = append(records, rec)
	}
	body := map[string]any{"totalSize": total, "done": true, "records": records}
	next := pg.next
	if next >= total {
		next = -1
	}
	if next >= 0 {
		body["done"] = false
		body["nextRecordsUrl"] = fmt.Sprintf("/services/data/v%s/query/%s-%d", version, locator, next)
	}
	writeJSON(w, http.StatusOK, crmJSONType, body)
}

// salesforceLimitInfo sets Sforce-Limit-Info and returns the org's daily
// limit and what is used of it.
func (s *CRMServer) salesforceLimitInfo(w http.ResponseWriter) (daily, used int) {
	daily, used = sfDailyMax, 37
	switch {
	case s.faults[CRMFaultRateLimited]:
		used = sfDailyMax + 12
	case s.faults[CRMFaultLowBudget]:
		used = 14100
	case s.faults[CRMFaultSmallBudget]:
		daily, used = 30, 5
	}
	used = min(daily, used+7000*s.budgetUsed())
	w.Header().Set("Sforce-Limit-Info", fmt.Sprintf("api-usage=%d/%d", used, daily))
	return daily, used
}
