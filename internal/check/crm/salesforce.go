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

// salesforce speaks the Salesforce REST API on the org's instance URL: the
// versions from GET /services/data/, the token (a session id or OAuth access
// token) as a Bearer header on /services/data/vXX.X/limits, and the object
// describe for permissions and fields.
type salesforce struct {
	ep     *endpoint
	object string

	authMemo   shared[salesforceAuth]
	schemaMemo shared[salesforceSchema]
}

// salesforceAuth is the answer crm.auth, crm.permissions and crm.availability share.
type salesforceAuth struct {
	versions exchange
	version  string // "60.0"
	release  string // "Spring '24"
	limits   *exchange
}

type salesforceSchema struct {
	ex  exchange
	s   *schema
	obj sfDescribe
	bad *check.Result
}

type sfDescribe struct {
	Name       string `json:"name"`
	Label      string `json:"label"`
	Queryable  bool   `json:"queryable"`
	Createable bool   `json:"createable"`
	Updateable bool   `json:"updateable"`
	Fields     *[]struct {
		Name       string `json:"name"`
		Label      string `json:"label"`
		Type       string `json:"type"`
		Updateable bool   `json:"updateable"`
		Createable bool   `json:"createable"`
		Calculated bool   `json:"calculated"`
	} `json:"fields"`
}

// sfError is one entry of Salesforce's error array.
type sfError struct {
	Message   string `json:"message"`
	ErrorCode string `json:"errorCode"`
}

// sfErrorCode returns the first errorCode of an error answer.
func sfErrorCode(ex exchange) (code, msg string) {
	var errs []sfError
	if ex.err != nil || ex.status < 400 || ex.decode(&errs) != nil || len(errs) == 0 {
		return "", ""
	}
	return errs[0].ErrorCode, errs[0].Message
}

func newSalesforce(cfg config.CRMConfig, ep *endpoint, now func() time.Time) *salesforce {
	// People paste a REST URL from the docs; the instance is what comes before it.
	if i := strings.Index(ep.base, "/services/"); i > 0 {
		ep.base = ep.base[:i]
	}
	s := &salesforce{ep: ep, object: cfg.Object}
	s.authMemo.setClock(now)
	s.schemaMemo.setClock(now)
	ep.authorize = func(hd http.Header) {
		if cfg.Token.IsSet() {
			hd.Set("Authorization", "Bearer "+cfg.Token.Reveal())
		}
	}
	return s
}

func (s *salesforce) label() string { return "Salesforce" }

func (s *salesforce) loadAuth(ctx context.Context) salesforceAuth {
	a := salesforceAuth{versions: s.ep.get(ctx, "/services/data/")}
	if !a.versions.ok() {
		return a
	}
	var versions []struct {
		Label   string `json:"label"`
		URL     string `json:"url"`
		Version string `json:"version"`
	}
	if a.versions.decode(&versions) != nil {
		return a
	}
	best := -1.0
	for _, v := range versions {
		if f, err := strconv.ParseFloat(v.Version, 64); err == nil && f > best {
			best, a.version, a.release = f, v.Version, v.Label
		}
	}
	if a.version == "" {
		return a
	}
	l := s.ep.get(ctx, sfAPIPath(a.version)+"/limits")
	a.limits = &l
	return a
}

// sfAPIPath is the REST root of one API version: "/services/data/v60.0".
func sfAPIPath(version string) string { return "/services/data/v" + version }

// invalidSession explains INVALID_SESSION_ID: it is not only an expired token.
const invalidSession = "Salesforce refused the token (INVALID_SESSION_ID). The session may have expired or been revoked; " +
	"or crm.base_url is not the instance the token was issued for (it must be your instance URL, like https://yourcompany.my.salesforce.com, not login.salesforce.com); " +
	"or an IP restriction or session policy on the user's profile or connected app blocks this computer."

func (s *salesforce) auth(ctx context.Context) (res check.Result) {
	a, err := s.authMemo.get(ctx, s.loadAuth)
	if err != nil {
		return cancelled(err)
	}
	if r, done := s.versionsProblem(a); done {
		return r
	}
	ex := *a.limits
	defer func() { res = res.WithFacts(exchangeFacts(ex)) }()
	code, msg := sfErrorCode(ex)
	details := append(a.versions.evidence(), ex.evidence()...)
	details = append(details, fmt.Sprintf("API version: v%s (%s)", a.version, a.release))
	switch {
	case ex.ok():
		return check.Passf("Salesforce accepted the token (API version %s).", a.version).With(details...)
	case ex.status == http.StatusUnauthorized:
		return check.Failf("%s", invalidSession).With(details...).With(errLine(code, msg)).
			Explain(artSFInvalidSession, artIntegration)
	case code == "API_DISABLED_FOR_ORG":
		return check.Passf("Salesforce accepted the token, but API access is turned off for this user or org (see crm.permissions).").
			With(details...).With(errLine(code, msg)).Explain(artSFAPIDisabled)
	case code == "REQUEST_LIMIT_EXCEEDED":
		return check.Errorf("Could not test: Salesforce is refusing API calls because the org's daily API limit was reached (REQUEST_LIMIT_EXCEEDED).").
			With(details...).With(errLine(code, msg)).Explain(artRateLimit)
	case ex.status == http.StatusForbidden:
		// The token works; this user may just not read the org's limits.
		return check.Passf("Salesforce accepted the token (API version %s); this user may not read the org's API limits.", a.version).
			With(details...).With(errLine(code, msg))
	}
	return unexpected(s.label(), ex)
}

// versionsProblem explains a failed GET /services/data/, which means the
// instance URL is wrong or Salesforce is not answering.
func (s *salesforce) versionsProblem(a salesforceAuth) (check.Result, bool) {
	ex := a.versions
	switch {
	case ex.err != nil || ex.status >= 500 || ex.status == http.StatusTooManyRequests || (ex.status >= 300 && ex.status < 400):
		return unexpected(s.label(), ex), true
	case ex.status == http.StatusUnauthorized:
		code, msg := sfErrorCode(ex)
		return check.Failf("%s", invalidSession).With(ex.evidence()...).With(errLine(code, msg)).
			Explain(artSFInvalidSession, artIntegration), true
	case !ex.ok() || a.version == "":
		return check.Failf("crm.base_url does not look like a Salesforce instance: GET /services/data/ answered %d with %s, not the list of API versions. Use your instance URL, like https://yourcompany.my.salesforce.com.",
			ex.status, describeBody(ex)).With(ex.evidence()...).Explain(artSFInvalidSession, artIntegration), true
	case a.limits == nil:
		return unexpected(s.label(), ex), true
	}
	return check.Result{}, false
}

func errLine(code, msg string) string {
	if code == "" {
		return "errorCode: (none)"
	}
	return fmt.Sprintf("errorCode: %s: %s", code, msg)
}

func (s *salesforce) permissions(ctx context.Context) check.Result {
	a, err := s.authMemo.get(ctx, s.loadAuth)
	if err != nil {
		return cancelled(err)
	}
	if r, done := s.versionsProblem(a); done {
		return r
	}
	if code, msg := sfErrorCode(*a.limits); code == "API_DISABLED_FOR_ORG" {
		return apiDisabled(*a.limits, code, msg)
	} else if a.limits.status == http.StatusUnauthorized {
		return check.Skipf("Not run: Salesforce refused the token (see crm.auth).").With(a.limits.evidence()...)
	}
	sch, err := s.schemaMemo.get(ctx, s.loadSchema)
	if err != nil {
		return cancelled(err)
	}
	if sch.bad != nil {
		return *sch.bad
	}
	o := sch.obj
	details := append([]string{sch.ex.line(),
		fmt.Sprintf("%s (%s): queryable=%t createable=%t updateable=%t", o.Name, o.Label, o.Queryable, o.Createable, o.Updateable)},
		"Salesforce shows each user only the fields their field-level security allows; crm.field_mapping checks the mapped ones")
	var cannot []string
	if !o.Queryable {
		cannot = append(cannot, "read (query)")
	}
	if !o.Createable {
		cannot = append(cannot, "create")
	}
	if !o.Updateable {
		cannot = append(cannot, "update")
	}
	facts := map[string]any{"queryable": o.Queryable, "createable": o.Createable, "updateable": o.Updateable}
	if len(cannot) > 0 {
		return check.Warnf("The Salesforce user may see %s records but may not %s them: syncs that need it will fail with INSUFFICIENT_ACCESS. Give the user's profile or a permission set those object permissions.",
			o.Name, strings.Join(cannot, " or ")).With(details...).Explain(artSFAPIDisabled).WithFacts(facts)
	}
	return check.Passf("The Salesforce user may use the API and read, create and update %s records.", o.Name).With(details...).WithFacts(facts)
}

func apiDisabled(ex exchange, code, msg string) check.Result {
	return check.Failf("Salesforce has API access turned off for this user or org (API_DISABLED_FOR_ORG). The user's profile or a permission set needs \"API Enabled\", and the Salesforce edition must include API access.").
		With(ex.evidence()...).With(errLine(code, msg)).Explain(artSFAPIDisabled, artIntegration)
}

func (s *salesforce) availability(ctx context.Context) check.Result {
	a, err := s.authMemo.get(ctx, s.loadAuth)
	if err != nil {
		return cancelled(err)
	}
	if a.limits == nil {
		return availabilityResult(s.label(), a.versions, nil)
	}
	ex := *a.limits
	budgets := limitsBudgets(ex)
	var notes []string
	code, msg := sfErrorCode(ex)
	switch {
	case ex.ok():
	case code == "REQUEST_LIMIT_EXCEEDED":
		return check.Failf("Salesforce is refusing API calls: the org's daily API request limit is used up (REQUEST_LIMIT_EXCEEDED). Syncs stop until the 24-hour window frees requests.").
			With(ex.evidence()...).With(errLine(code, msg)).With(budgetLines(budgets)...).Explain(artRateLimit, artSyncFailures)
	case ex.status == http.StatusUnauthorized:
		notes = append(notes, "the token was not accepted, so Salesforce did not report the API limits")
	case code == "API_DISABLED_FOR_ORG":
		notes = append(notes, "API access is turned off, so Salesforce did not report the API limits")
	case ex.status == http.StatusForbidden:
		notes = append(notes, "this user may not read /limits ("+orDefault(code, "403")+")")
	}
	r := availabilityResult(s.label(), ex, budgets, notes...)
	r.Details = append([]string{a.versions.line()}, r.Details...)
	return r
}

// limitsBudgets reads the daily API budget from an answer of /limits: the
// body's DailyApiRequests, else the Sforce-Limit-Info header.
func limitsBudgets(ex exchange) []budget {
	if ex.ok() {
		var limits struct {
			Daily *struct {
				Max       int64 `json:"Max"`
				Remaining int64 `json:"Remaining"`
			} `json:"DailyApiRequests"`
		}
		if ex.decode(&limits) == nil && limits.Daily != nil {
			// The same allowance as Sforce-Limit-Info, read at the source.
			return []budget{{name: "daily API request limit", limit: limits.Daily.Max, remaining: limits.Daily.Remaining, source: "/limits DailyApiRequests"}}
		}
	}
	return sforceLimitInfo(ex.header)
}

// sforceLimitInfo reads "Sforce-Limit-Info: api-usage=25/15000".
func sforceLimitInfo(hd http.Header) []budget {
	v := hd.Get("Sforce-Limit-Info")
	for _, part := range strings.Split(v, ",") {
		k, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || k != "api-usage" {
			continue
		}
		used, limit, ok := strings.Cut(val, "/")
		u, err1 := strconv.ParseInt(strings.TrimSpace(used), 10, 64)
		l, err2 := strconv.ParseInt(strings.TrimSpace(limit), 10, 64)
		if ok && err1 == nil && err2 == nil {
			return []budget{{name: "daily API request limit", limit: l, remaining: max(l-u, 0), source: "Sforce-Limit-Info header"}}
		}
	}
	return nil
}

// flsNote is the field-level security warning every Salesforce field result carries.
const flsNote = "Salesforce hides fields the user cannot see (field-level security), so a missing field may exist but not be permitted for this user."

func (s *salesforce) loadSchema(ctx context.Context) salesforceSchema {
	a, err := s.authMemo.get(ctx, s.loadAuth)
	if err != nil {
		r := cancelled(err)
		return salesforceSchema{bad: &r}
	}
	if r, done := s.versionsProblem(a); done {
		return salesforceSchema{bad: &r}
	}
	ex := s.ep.get(ctx, sfAPIPath(a.version)+"/sobjects/"+url.PathEscape(s.object)+"/describe")
	out := salesforceSchema{ex: ex}
	fail := func(r check.Result) salesforceSchema {
		out.bad = &r
		return out
	}
	code, msg := sfErrorCode(ex)
	switch {
	case code == "API_DISABLED_FOR_ORG":
		return fail(apiDisabled(ex, code, msg))
	case ex.status == http.StatusNotFound:
		return fail(check.Failf("Salesforce says there is no object %q that this user can see: check crm.object (Contact, Lead, Account ...) and the object permissions on the user's profile.", s.object).
			With(ex.evidence()...).With(errLine(code, msg)).Explain(artSFAPIDisabled, artIntegration))
	case ex.status == http.StatusUnauthorized:
		return fail(check.Skipf("Not run: Salesforce refused the token (see crm.auth).").With(ex.evidence()...))
	case ex.status == http.StatusForbidden && code != "REQUEST_LIMIT_EXCEEDED":
		return fail(check.Failf("Salesforce does not let this user describe %s (%s): give the user's profile or a permission set Read access to the object.", s.object, orDefault(code, "403 Forbidden")).
			With(ex.evidence()...).With(errLine(code, msg)).Explain(artSFAPIDisabled))
	case !ex.ok():
		return fail(unexpected(s.label(), ex))
	}
	if ex.decode(&out.obj) != nil || out.obj.Fields == nil {
		return fail(unexpected(s.label(), ex))
	}
	sch := &schema{
		object:          out.obj.Name,
		caseInsensitive: true,
		evidence:        []string{ex.line()},
		notes:           []string{flsNote},
		missingNote:     flsNote,
	}
	for _, f := range *out.obj.Fields {
		fd := field{name: f.Name, label: f.Label, rawType: f.Type, kind: salesforceKind(f.Type)}
		switch {
		case f.Calculated:
			fd.readOnly, fd.why = true, "a formula field"
		case !f.Updateable && !f.Createable:
			fd.readOnly, fd.why = true, "set by Salesforce"
		case !f.Updateable:
			fd.readOnly, fd.why = true, "it can be set only when a record is created"
		}
		sch.fields = append(sch.fields, fd)
	}
	out.s = sch
	return out
}

func salesforceKind(t string) kind {
	switch strings.ToLower(t) {
	case "string", "textarea", "phone", "url", "encryptedstring", "combobox":
		return kindText
	case "email":
		return kindEmail
	case "double", "int", "long", "currency", "percent":
		return kindNumber
	case "date", "datetime", "time":
		return kindDate
	case "boolean":
		return kindBool
	case "picklist", "multipicklist":
		return kindChoice
	case "id", "reference":
		return kindLink
	}
	return kindUnknown
}

func (s *salesforce) schema(ctx context.Context) (*schema, *check.Result) {
	sch, err := s.schemaMemo.get(ctx, s.loadSchema)
	if err != nil {
		r := cancelled(err)
		return nil, &r
	}
	return sch.s, sch.bad
}
