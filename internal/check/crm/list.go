package crm

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"pitstop/internal/check"
)

// The providers' list endpoints, as crm.data_quality reads them.

// Page sizes: HubSpot lists at most 100 records a page, Pipedrive 500;
// Salesforce sends batches of up to 2,000 and may send as few as 200.
const (
	hubspotPageSize   = 100
	pipedriveListSize = 500
	pipedriveMinPage  = 100 // Pipedrive's default page
	salesforceMinPage = 200
)

// badShape is why a page whose records Pitstop cannot read is dropped.
func badShape(name string) string {
	return check.Sentencef("%s sent records in a shape its API does not use", name)
}

// HubSpot: GET /crm/v3/objects/{object}?limit=100&properties=a,b&after=…,
// following paging.next.after.

func (h *hubspot) cannotList() (check.Result, bool) { return check.Result{}, false }
func (h *hubspot) firstCursor() string              { return "" }
func (h *hubspot) pageFloor() int                   { return hubspotPageSize }
func (h *hubspot) listNotes() []string              { return nil }
func (h *hubspot) headerBudgets(hd http.Header) []budget {
	return hubspotBudgets(hd)
}

func (h *hubspot) startBudgets(ctx context.Context) ([]budget, error) {
	a, err := h.authMemo.get(ctx, h.loadAuth)
	if err != nil {
		return nil, err
	}
	return hubspotBudgets(a.probe.header), nil
}

func (h *hubspot) listPage(ctx context.Context, fields []sampleField, cursor string, want int) page {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = url.QueryEscape(f.name)
	}
	path := fmt.Sprintf("/crm/v3/objects/%s?limit=%d&properties=%s&archived=false",
		url.PathEscape(h.object), min(want, hubspotPageSize), strings.Join(names, ","))
	pg := page{shown: path}
	if cursor != "" {
		path += "&after=" + url.QueryEscape(cursor)
	}
	pg.ex = h.ep.get(ctx, path)
	if !pg.ex.ok() {
		return pg
	}
	var body struct {
		Results *[]struct {
			ID         json.RawMessage            `json:"id"`
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"results"`
		Paging *struct {
			Next *struct {
				After string `json:"after"`
			} `json:"next"`
		} `json:"paging"`
	}
	if pg.ex.decode(&body) != nil || body.Results == nil {
		pg.bad = badShape(h.label())
		return pg
	}
	for _, rec := range *body.Results {
		if rec.Properties == nil {
			pg.bad, pg.records = badShape(h.label()), nil
			return pg
		}
		r := rawRecord{id: safeID(rec.ID), values: make([]json.RawMessage, len(fields))}
		for i, f := range fields {
			r.values[i] = rec.Properties[f.name]
		}
		pg.records = append(pg.records, r)
	}
	if body.Paging != nil && body.Paging.Next != nil {
		if body.Paging.Next.After == "" {
			pg.bad, pg.records = badShape(h.label()), nil
			return pg
		}
		pg.next = body.Paging.Next.After
	}
	return pg
}

// Salesforce: GET /services/data/vXX.X/query?q=SELECT Id, … FROM {object}
// LIMIT n, following nextRecordsUrl.

var sfName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

func (s *salesforce) cannotList() (check.Result, bool) {
	if !sfName.MatchString(s.object) {
		return check.Skipf("crm.object %q is not a Salesforce object name (like Contact or Lead), so Pitstop cannot query its records.", s.object), true
	}
	return check.Result{}, false
}
func (s *salesforce) firstCursor() string { return "" }
func (s *salesforce) pageFloor() int      { return salesforceMinPage }
func (s *salesforce) listNotes() []string { return nil }
func (s *salesforce) headerBudgets(hd http.Header) []budget {
	return sforceLimitInfo(hd)
}

func (s *salesforce) startBudgets(ctx context.Context) ([]budget, error) {
	a, err := s.authMemo.get(ctx, s.loadAuth)
	if err != nil {
		return nil, err
	}
	if a.limits == nil {
		return nil, nil
	}
	return limitsBudgets(*a.limits), nil
}

func (s *salesforce) listPage(ctx context.Context, fields []sampleField, cursor string, want int) page {
	a, err := s.authMemo.get(ctx, s.loadAuth)
	if err != nil {
		return page{ex: exchange{method: http.MethodGet, err: err}}
	}
	root := sfAPIPath(a.version)
	var pg page
	path := cursor
	if cursor == "" {
		cols := []string{"Id"}
		for _, f := range fields {
			if !sfName.MatchString(f.name) {
				return page{ex: exchange{method: http.MethodGet, status: http.StatusOK}, bad: badShape(s.label())}
			}
			if !strings.EqualFold(f.name, "Id") {
				cols = append(cols, f.name)
			}
		}
		soql := fmt.Sprintf("SELECT %s FROM %s LIMIT %d", strings.Join(cols, ", "), s.object, want)
		path = root + "/query?q=" + url.QueryEscape(soql)
		pg.shown = root + "/query?q=" + soql
	}
	pg.ex = s.ep.get(ctx, path)
	if pg.shown == "" {
		pg.shown = pg.ex.path
	}
	if !pg.ex.ok() {
		return pg
	}
	var body struct {
		Done    *bool             `json:"done"`
		Next    string            `json:"nextRecordsUrl"`
		Records *[]map[string]any `json:"records"`
	}
	var raw struct {
		Records []map[string]json.RawMessage `json:"records"`
	}
	if pg.ex.decode(&body) != nil || body.Done == nil || body.Records == nil || pg.ex.decode(&raw) != nil {
		pg.bad = badShape(s.label())
		return pg
	}
	for _, rec := range raw.Records {
		r := rawRecord{id: safeID(rec["Id"]), values: make([]json.RawMessage, len(fields))}
		for i, f := range fields {
			v, ok := rec[f.name]
			if !ok {
				for k, x := range rec {
					if strings.EqualFold(k, f.name) {
						v = x
						break
					}
				}
			}
			r.values[i] = v
		}
		pg.records = append(pg.records, r)
	}
	if !*body.Done {
		// The next batch is on the same instance, under the same API version.
		if !strings.HasPrefix(body.Next, root+"/query/") || strings.ContainsAny(body.Next, "?#\\ ") || strings.Contains(body.Next, "..") {
			pg.bad, pg.records = check.Sentencef("%s pointed to its next page with an address Pitstop does not follow", s.label()), nil
			return pg
		}
		pg.next = body.Next
	}
	return pg
}

// Pipedrive: GET /v1/persons?start=…&limit=…, following
// additional_data.pagination.

// pipedriveListPath is the list endpoint of the object, "" when
// crm.data_quality does not sample it.
func (p *pipedrive) listPath() string {
	switch p.object {
	case "person", "persons", "people":
		return "/v1/persons"
	case "organization", "organizations", "org", "organisation":
		return "/v1/organizations"
	case "deal", "deals":
		return "/v1/deals"
	}
	return ""
}

func (p *pipedrive) cannotList() (check.Result, bool) {
	if p.listPath() == "" {
		return check.Skipf("Pitstop samples Pipedrive persons, organizations and deals; crm.object is %q.", p.object), true
	}
	return check.Result{}, false
}
func (p *pipedrive) firstCursor() string { return "0" }
func (p *pipedrive) pageFloor() int      { return pipedriveMinPage }
func (p *pipedrive) listNotes() []string {
	return []string{"Pipedrive's v1 list cannot be limited to some fields, so whole records were read; only the mapped fields were counted"}
}
func (p *pipedrive) headerBudgets(hd http.Header) []budget { return pipedriveBudgets(hd) }

func (p *pipedrive) startBudgets(ctx context.Context) ([]budget, error) {
	ex, err := p.authMemo.get(ctx, p.loadAuth)
	if err != nil {
		return nil, err
	}
	return pipedriveBudgets(ex.header), nil
}

func (p *pipedrive) listPage(ctx context.Context, fields []sampleField, cursor string, want int) page {
	start, err := strconv.Atoi(cursor)
	if err != nil || start < 0 {
		return page{ex: exchange{method: http.MethodGet, status: http.StatusOK}, bad: badShape(p.label())}
	}
	path := fmt.Sprintf("%s?start=%d&limit=%d", p.listPath(), start, min(want, pipedriveListSize))
	pg := page{shown: path, ex: p.ep.get(ctx, path)}
	if !pg.ex.ok() {
		return pg
	}
	var body struct {
		Success    bool                          `json:"success"`
		Data       *[]map[string]json.RawMessage `json:"data"`
		Additional struct {
			Pagination struct {
				More      bool `json:"more_items_in_collection"`
				NextStart *int `json:"next_start"`
			} `json:"pagination"`
		} `json:"additional_data"`
	}
	if pg.ex.decode(&body) != nil || !body.Success {
		pg.bad = badShape(p.label())
		return pg
	}
	var data []map[string]json.RawMessage
	if body.Data != nil {
		data = *body.Data
	}
	for _, rec := range data {
		if rec == nil {
			pg.bad, pg.records = badShape(p.label()), nil
			return pg
		}
		r := rawRecord{id: safeID(rec["id"]), values: make([]json.RawMessage, len(fields))}
		for i, f := range fields {
			r.values[i] = rec[f.name]
		}
		pg.records = append(pg.records, r)
	}
	if pg2 := body.Additional.Pagination; pg2.More {
		next := start + len(data)
		if pg2.NextStart != nil {
			next = *pg2.NextStart
		}
		if next <= start {
			next = start // going back or standing still: the same page again
		}
		pg.next = strconv.Itoa(next)
	}
	return pg
}
