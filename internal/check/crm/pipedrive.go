package crm

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"pitstop/internal/check"
	"pitstop/internal/config"
)

// pipedrive speaks the Pipedrive v1 API: the token only in the x-api-token
// header (never the api_token query parameter, which ends up in proxy and
// server logs), GET /v1/users/me for the user and company, and
// GET /v1/{object}Fields for the schema.
type pipedrive struct {
	ep     *endpoint
	object string
	// domain is the company subdomain crm.base_url names ("acme" in
	// https://acme.pipedrive.com/api), or "" for the shared API host.
	domain string

	authMemo   shared[exchange]
	schemaMemo shared[pipedriveSchema]
}

type pipedriveSchema struct {
	ex  exchange // the first page, for permission answers
	s   *schema
	bad *check.Result
}

// pipedriveMe is the part of GET /v1/users/me Pitstop reads.
type pipedriveMe struct {
	Success bool `json:"success"`
	Data    *struct {
		ID            int64  `json:"id"`
		Name          string `json:"name"`
		Email         string `json:"email"`
		ActiveFlag    bool   `json:"active_flag"`
		IsAdmin       any    `json:"is_admin"` // 1 or true, depending on the account
		CompanyID     int64  `json:"company_id"`
		CompanyName   string `json:"company_name"`
		CompanyDomain string `json:"company_domain"`
	} `json:"data"`
}

type pipedriveError struct {
	Success   bool   `json:"success"`
	Error     string `json:"error"`
	ErrorCode int    `json:"errorCode"`
	ErrorInfo string `json:"error_info"`
}

func newPipedrive(cfg config.CRMConfig, ep *endpoint, now func() time.Time) *pipedrive {
	base := strings.TrimSuffix(strings.TrimSuffix(ep.base, "/v1"), "/v2")
	ep.base = base
	p := &pipedrive{ep: ep, object: strings.ToLower(cfg.Object)}
	if u, err := url.Parse(base); err == nil {
		if host := u.Hostname(); strings.HasSuffix(host, ".pipedrive.com") && host != "api.pipedrive.com" {
			p.domain = strings.TrimSuffix(host, ".pipedrive.com")
		}
	}
	p.authMemo.setClock(now)
	p.schemaMemo.setClock(now)
	ep.authorize = func(hd http.Header) {
		if cfg.Token.IsSet() {
			hd.Set("x-api-token", cfg.Token.Reveal())
		}
	}
	return p
}

func (p *pipedrive) label() string { return "Pipedrive" }

func (p *pipedrive) loadAuth(ctx context.Context) exchange {
	return p.ep.get(ctx, "/v1/users/me")
}

func pipedriveErr(ex exchange) pipedriveError {
	var pe pipedriveError
	if ex.err == nil && ex.status >= 400 {
		_ = ex.decode(&pe)
	}
	return pe
}

func (pe pipedriveError) line() string {
	if pe.Error == "" {
		return "error: (none)"
	}
	return fmt.Sprintf("error: %s (errorCode %d)", pe.Error, pe.ErrorCode)
}

func (p *pipedrive) me(ex exchange) (pipedriveMe, bool) {
	var me pipedriveMe
	if !ex.ok() || ex.decode(&me) != nil || !me.Success || me.Data == nil {
		return me, false
	}
	return me, true
}

func (p *pipedrive) auth(ctx context.Context) (res check.Result) {
	ex, err := p.authMemo.get(ctx, p.loadAuth)
	if err != nil {
		return cancelled(err)
	}
	defer func() { res = res.WithFacts(exchangeFacts(ex)) }()
	pe := pipedriveErr(ex)
	switch {
	case ex.ok():
		me, ok := p.me(ex)
		if !ok {
			return unexpected(p.label(), ex)
		}
		return check.Passf("Pipedrive accepted the token for %s at %s.", me.Data.Name, me.Data.CompanyName).
			With(ex.evidence()...).With(meLines(me)...)
	case ex.status == http.StatusUnauthorized:
		return check.Failf("Pipedrive rejected the API token (%s): it is wrong, was regenerated, or belongs to a user who left. Copy it from Pipedrive → Personal preferences → API and paste it into crm.token.", orDefault(pe.Error, "401 Unauthorized")).
			With(ex.evidence()...).With(pe.line()).Explain(artPipedriveAuth, artIntegration)
	case ex.status == http.StatusForbidden:
		return check.Failf("Pipedrive refused access (403 %s): the user may be deactivated or the company account suspended.", orDefault(pe.Error, "Forbidden")).
			With(ex.evidence()...).With(pe.line()).Explain(artPipedriveAuth, artIntegration)
	case ex.status == http.StatusNotFound:
		return check.Failf("Pipedrive does not know this address (404): crm.base_url should be https://yourcompany.pipedrive.com/api or https://api.pipedrive.com.").
			With(ex.evidence()...).Explain(artPipedriveAuth, artIntegration)
	}
	return unexpected(p.label(), ex)
}

func meLines(me pipedriveMe) []string {
	d := me.Data
	return []string{
		fmt.Sprintf("user: %s <%s> (id %d), active: %t, admin: %v", d.Name, d.Email, d.ID, d.ActiveFlag, isTrue(d.IsAdmin)),
		fmt.Sprintf("company: %s (id %d, domain %s)", d.CompanyName, d.CompanyID, d.CompanyDomain),
	}
}

func isTrue(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case float64:
		return x != 0
	case string:
		return x == "1" || strings.EqualFold(x, "true")
	}
	return false
}

func (p *pipedrive) permissions(ctx context.Context) check.Result {
	ex, err := p.authMemo.get(ctx, p.loadAuth)
	if err != nil {
		return cancelled(err)
	}
	me, ok := p.me(ex)
	if !ok {
		if ex.status == http.StatusUnauthorized {
			return check.Skipf("Not run: Pipedrive rejected the token (see crm.auth).").With(ex.evidence()...)
		}
		return unexpected(p.label(), ex)
	}
	d := me.Data
	details := meLines(me)
	facts := map[string]any{"user_active": d.ActiveFlag, "user_admin": isTrue(d.IsAdmin)}
	if !d.ActiveFlag {
		return check.Failf("The token belongs to %s, whose Pipedrive user is deactivated: calls made with it will fail. Use a token of an active user.", d.Name).
			With(details...).Explain(artPipedriveAuth).WithFacts(facts)
	}
	sch, err := p.schemaMemo.get(ctx, p.loadSchema)
	if err != nil {
		return cancelled(err)
	}
	details = append(details, sch.ex.line())
	if sch.bad != nil {
		r := *sch.bad
		return r.With(details...)
	}
	role := "a regular user"
	if facts["user_admin"] == true {
		role = "an admin"
	}
	if p.domain != "" && d.CompanyDomain != "" && !strings.EqualFold(p.domain, d.CompanyDomain) {
		return check.Warnf("The token belongs to %s at %s (domain %q), but crm.base_url names the company domain %q: use https://%s.pipedrive.com/api.",
			d.Name, d.CompanyName, d.CompanyDomain, p.domain, d.CompanyDomain).With(details...).Explain(artPipedriveAuth).WithFacts(facts)
	}
	return check.Passf("The token belongs to %s (%s) at %s and may read %s fields; Pipedrive gives it the same rights as that user.",
		d.Name, role, d.CompanyName, p.object).With(details...).WithFacts(facts)
}

func (p *pipedrive) availability(ctx context.Context) check.Result {
	ex, err := p.authMemo.get(ctx, p.loadAuth)
	if err != nil {
		return cancelled(err)
	}
	var notes []string
	if ex.status == http.StatusUnauthorized {
		notes = append(notes, "the token was not accepted, so Pipedrive may not have reported the API budget")
	}
	return availabilityResult(p.label(), ex, pipedriveBudgets(ex.header), notes...)
}

// pipedriveBudgets reads x-ratelimit-* and x-daily-requests-left when present.
func pipedriveBudgets(hd http.Header) []budget {
	num := func(name string) (int64, bool) {
		v, err := strconv.ParseInt(strings.TrimSpace(hd.Get(name)), 10, 64)
		return v, err == nil
	}
	var out []budget
	l, ok1 := num("X-Ratelimit-Limit")
	r, ok2 := num("X-Ratelimit-Remaining")
	if ok1 && ok2 {
		name := "short-term API budget"
		if reset, ok := num("X-Ratelimit-Reset"); ok {
			name += fmt.Sprintf(" (resets in %d s)", reset)
		}
		out = append(out, budget{name: name, limit: l, remaining: r, source: "x-ratelimit-remaining"})
	}
	if left, ok := num("X-Daily-Requests-Left"); ok {
		out = append(out, budget{name: "daily API requests", remaining: left, source: "x-daily-requests-left"})
	}
	return out
}

// fieldsPath is the fields endpoint of an object: person → personFields.
func (p *pipedrive) fieldsPath() string {
	switch p.object {
	case "organization", "org", "organisation":
		return "/v1/organizationFields"
	case "deal", "lead":
		return "/v1/dealFields"
	case "product":
		return "/v1/productFields"
	case "activity":
		return "/v1/activityFields"
	case "note":
		return "/v1/noteFields"
	}
	return "/v1/personFields"
}

// pipedriveReadOnly are person and organization fields Pipedrive fills itself.
var pipedriveReadOnly = map[string]bool{
	"id": true, "add_time": true, "update_time": true, "next_activity_date": true, "last_activity_date": true,
	"last_incoming_mail_time": true, "last_outgoing_mail_time": true, "picture_id": true, "cc_email": true,
	"owner_name": true, "org_name": true,
}

const pipedrivePageSize = 500

func (p *pipedrive) loadSchema(ctx context.Context) pipedriveSchema {
	return p.loadSchemaPaged(ctx, pipedrivePageSize)
}

// loadSchemaPaged reads every page of the object's fields, size at a time.
func (p *pipedrive) loadSchemaPaged(ctx context.Context, size int) pipedriveSchema {
	var out pipedriveSchema
	fail := func(r check.Result) pipedriveSchema {
		out.bad = &r
		return out
	}
	sch := &schema{object: p.object, byLabel: true}
	for start, page := 0, 0; page < 20; page++ {
		ex := p.ep.get(ctx, fmt.Sprintf("%s?start=%d&limit=%d", p.fieldsPath(), start, size))
		if page == 0 {
			out.ex = ex
		}
		pe := pipedriveErr(ex)
		switch {
		case ex.status == http.StatusUnauthorized:
			return fail(check.Skipf("Not run: Pipedrive rejected the token (see crm.auth).").With(ex.evidence()...))
		case ex.status == http.StatusForbidden:
			return fail(check.Failf("Pipedrive does not let this token read %s fields (403 %s): the user's permission set, or the app's scopes, must allow it.", p.object, orDefault(pe.Error, "Forbidden")).
				With(ex.evidence()...).With(pe.line()).Explain(artPipedriveAuth, artIntegration))
		case !ex.ok():
			return fail(unexpected(p.label(), ex))
		}
		var body struct {
			Success bool `json:"success"`
			Data    *[]struct {
				Key       string `json:"key"`
				Name      string `json:"name"`
				FieldType string `json:"field_type"`
			} `json:"data"`
			Additional struct {
				Pagination struct {
					More      bool `json:"more_items_in_collection"`
					NextStart *int `json:"next_start"`
				} `json:"pagination"`
			} `json:"additional_data"`
		}
		if ex.decode(&body) != nil || !body.Success || body.Data == nil {
			return fail(unexpected(p.label(), ex))
		}
		sch.evidence = append(sch.evidence, ex.line())
		for _, f := range *body.Data {
			fd := field{name: f.Key, label: f.Name, rawType: f.FieldType, kind: pipedriveKind(f.FieldType)}
			if pipedriveReadOnly[f.Key] || strings.HasSuffix(f.Key, "_count") {
				fd.readOnly, fd.why = true, "filled in by Pipedrive"
			}
			sch.fields = append(sch.fields, fd)
		}
		pg := body.Additional.Pagination
		if !pg.More || len(*body.Data) == 0 {
			break
		}
		if pg.NextStart != nil {
			start = *pg.NextStart
		} else {
			start += len(*body.Data)
		}
	}
	out.s = sch
	return out
}

func pipedriveKind(t string) kind {
	switch t {
	case "varchar", "varchar_auto", "text", "phone", "address", "varchar_options":
		return kindText
	case "double", "monetary", "int":
		return kindNumber
	case "date", "daterange", "time", "timerange":
		return kindDate
	case "enum", "set":
		return kindChoice
	case "user", "org", "people", "visible_to":
		return kindLink
	}
	return kindUnknown
}

func (p *pipedrive) schema(ctx context.Context) (*schema, *check.Result) {
	sch, err := p.schemaMemo.get(ctx, p.loadSchema)
	if err != nil {
		r := cancelled(err)
		return nil, &r
	}
	return sch.s, sch.bad
}
