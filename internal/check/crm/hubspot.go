package crm

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"pitstop/internal/check"
	"pitstop/internal/config"
)

// hubspot speaks the HubSpot CRM v3 API: the token as a Bearer header,
// GET /crm/v3/objects/{object}?limit=1 to test it, the private-app token
// info for its scopes, GET /crm/v3/properties/{object} for the schema.
type hubspot struct {
	ep     *endpoint
	object string
	token  config.Secret

	authMemo   shared[hubspotAuth]
	schemaMemo shared[hubspotSchema]
}

// hubspotAuth is the answer crm.auth, crm.permissions and crm.availability share.
type hubspotAuth struct {
	probe exchange  // GET /crm/v3/objects/{object}?limit=1
	info  *exchange // POST token info; nil when the token is not a private app token
}

type hubspotSchema struct {
	ex  exchange
	s   *schema
	bad *check.Result
}

// hubspotError is HubSpot's documented error body.
type hubspotError struct {
	Status        string `json:"status"`
	Message       string `json:"message"`
	CorrelationID string `json:"correlationId"`
	Category      string `json:"category"`
	ErrorType     string `json:"errorType"`
	PolicyName    string `json:"policyName"`
	Errors        []struct {
		Message string `json:"message"`
		Context struct {
			RequiredGranularScopes []string `json:"requiredGranularScopes"`
			RequiredScopes         []string `json:"requiredScopes"`
		} `json:"context"`
	} `json:"errors"`
}

// requiredScopes lists the scopes a MISSING_SCOPES answer names.
func (e hubspotError) requiredScopes() []string {
	var out []string
	for _, d := range e.Errors {
		out = append(out, d.Context.RequiredGranularScopes...)
		out = append(out, d.Context.RequiredScopes...)
	}
	return out
}

func newHubSpot(cfg config.CRMConfig, ep *endpoint, now func() time.Time) *hubspot {
	if i := strings.Index(ep.base, "/crm/"); i > 0 {
		ep.base = ep.base[:i] // a pasted endpoint URL; the API host is what comes before it
	}
	h := &hubspot{ep: ep, object: cfg.Object, token: cfg.Token}
	h.authMemo.setClock(now)
	h.schemaMemo.setClock(now)
	ep.authorize = func(hd http.Header) {
		if cfg.Token.IsSet() {
			hd.Set("Authorization", "Bearer "+cfg.Token.Reveal())
		}
	}
	return h
}

func (h *hubspot) label() string { return "HubSpot" }

func (h *hubspot) loadAuth(ctx context.Context) hubspotAuth {
	a := hubspotAuth{probe: h.ep.get(ctx, "/crm/v3/objects/"+url.PathEscape(h.object)+"?limit=1")}
	// Only private app tokens ("pat-...") have token info; the token goes in
	// the body, never in the URL.
	if h.token.IsSet() && strings.HasPrefix(h.token.Reveal(), "pat-") && (a.probe.ok() || a.probe.status == http.StatusForbidden) {
		info := h.ep.postJSON(ctx, "/oauth/v2/private-apps/get/access-token-info", map[string]string{"tokenKey": h.token.Reveal()})
		a.info = &info
	}
	return a
}

func (h *hubspot) auth(ctx context.Context) (res check.Result) {
	a, err := h.authMemo.get(ctx, h.loadAuth)
	if err != nil {
		return cancelled(err)
	}
	ex := a.probe
	defer func() { res = res.WithFacts(exchangeFacts(ex)) }()
	var he hubspotError
	if ex.err == nil && ex.status >= 400 {
		_ = ex.decode(&he)
	}
	details := ex.evidence()
	if he.CorrelationID != "" {
		details = append(details, "correlationId: "+he.CorrelationID)
	}
	switch {
	case ex.ok():
		var body struct {
			Results *[]any `json:"results"`
		}
		if ex.decode(&body) != nil || body.Results == nil {
			return unexpected(h.label(), ex)
		}
		r := check.Passf("HubSpot accepted the token and let Pitstop read %s.", h.object).With(details...)
		return r.With(h.infoLines(a)...)
	case ex.status == http.StatusUnauthorized && he.Category == "EXPIRED_AUTHENTICATION":
		return check.Failf("HubSpot says the token has expired. OAuth access tokens last about 30 minutes and must be refreshed with the refresh token; a private app token must be rotated in HubSpot and pasted again.").
			With(details...).With("category: "+he.Category).Explain(artHubSpotAuth, artIntegration)
	case ex.status == http.StatusUnauthorized:
		return check.Failf("HubSpot rejected the token (%s): it is wrong, was rotated, or the private app was deleted. Copy the access token from Settings → Integrations → Private Apps and paste it into crm.token.", orDefault(he.Category, "401 Unauthorized")).
			With(details...).Explain(artHubSpotAuth, artIntegration)
	case ex.status == http.StatusForbidden && he.Category == "MISSING_SCOPES":
		return check.Passf("HubSpot accepted the token, but it may not read %s: a permission (scope) is missing; crm.permissions lists it.", h.object).
			With(details...).With(h.infoLines(a)...).Explain(artHubSpotScopes)
	case ex.status == http.StatusForbidden:
		return check.Failf("HubSpot refused access (403 %s): %s", orDefault(he.Category, "Forbidden"), orDefault(he.Message, "the account may be locked or the app uninstalled.")).
			With(details...).Explain(artHubSpotAuth, artIntegration)
	case ex.status == http.StatusNotFound || ex.status == http.StatusBadRequest:
		return check.Failf("HubSpot does not know the object %q (%d): check crm.object (contacts, companies, deals ...) and that crm.base_url is https://api.hubapi.com.", h.object, ex.status).
			With(details...).Explain(artIntegration)
	}
	return unexpected(h.label(), ex)
}

// infoLines are the evidence from the token info, when HubSpot gave it.
func (h *hubspot) infoLines(a hubspotAuth) []string {
	info, ok := h.tokenInfo(a)
	if !ok {
		return nil
	}
	var out []string
	if info.HubID != 0 {
		out = append(out, fmt.Sprintf("HubSpot account (hub id): %d", info.HubID))
	}
	if info.AppID != 0 {
		out = append(out, fmt.Sprintf("private app id: %d", info.AppID))
	}
	return out
}

type hubspotTokenInfo struct {
	UserID int64    `json:"userId"`
	HubID  int64    `json:"hubId"`
	AppID  int64    `json:"appId"`
	Scopes []string `json:"scopes"`
}

func (h *hubspot) tokenInfo(a hubspotAuth) (hubspotTokenInfo, bool) {
	var info hubspotTokenInfo
	if a.info == nil || !a.info.ok() || a.info.decode(&info) != nil || info.Scopes == nil {
		return info, false
	}
	return info, true
}

// scopeObject is the object part of HubSpot scope names.
func (h *hubspot) scopeObject() string {
	switch o := strings.ToLower(h.object); o {
	case "contacts", "companies", "deals", "line_items", "quotes", "owners", "products", "leads":
		return o
	}
	return "custom"
}

func (h *hubspot) permissions(ctx context.Context) check.Result {
	a, err := h.authMemo.get(ctx, h.loadAuth)
	if err != nil {
		return cancelled(err)
	}
	probe := a.probe
	var pe hubspotError
	if probe.status == http.StatusForbidden {
		_ = probe.decode(&pe)
	}
	if !probe.ok() && pe.Category != "MISSING_SCOPES" {
		if probe.status == http.StatusUnauthorized {
			return check.Skipf("Not run: HubSpot rejected the token (see crm.auth).").With(probe.evidence()...)
		}
		return unexpected(h.label(), probe)
	}
	obj := h.scopeObject()
	read, write, schemas := "crm.objects."+obj+".read", "crm.objects."+obj+".write", "crm.schemas."+obj+".read"
	var missing, details []string
	add := func(scopes ...string) {
		for _, s := range scopes {
			if !slices.Contains(missing, s) {
				missing = append(missing, s)
			}
		}
	}
	if pe.Category == "MISSING_SCOPES" {
		add(orList(pe.requiredScopes(), read)...)
		details = append(details, probe.evidence()...)
		details = append(details, "required scopes named by HubSpot (403 MISSING_SCOPES): "+strings.Join(orList(pe.requiredScopes(), read), ", "))
	}
	info, haveInfo := h.tokenInfo(a)
	if haveInfo {
		legacy := slices.Contains(info.Scopes, obj) // the old all-in-one scope ("contacts")
		for _, s := range []string{read, write} {
			if !legacy && !slices.Contains(info.Scopes, s) {
				add(s)
			}
		}
		details = append(details, "granted scopes: "+strings.Join(info.Scopes, ", "))
		details = append(details, a.info.line())
	} else if a.info != nil {
		details = append(details, a.info.line(), "the token info was not available, so write permission could not be confirmed")
	} else {
		details = append(details, "not a private app token, so HubSpot does not list its scopes; write permission could not be confirmed")
	}
	sch, err := h.schemaMemo.get(ctx, h.loadSchema)
	if err != nil {
		return cancelled(err)
	}
	if sch.ex.status == http.StatusForbidden {
		var se hubspotError
		_ = sch.ex.decode(&se)
		details = append(details, sch.ex.evidence()...)
		if se.Category == "MISSING_SCOPES" {
			add(orList(se.requiredScopes(), schemas)...)
			details = append(details, "required scopes named by HubSpot (403 MISSING_SCOPES): "+strings.Join(orList(se.requiredScopes(), schemas), ", "))
		}
	} else {
		details = append(details, sch.ex.line())
	}
	facts := map[string]any{"write_confirmed": haveInfo && len(missing) == 0}
	if len(missing) > 0 {
		// The scope names, as HubSpot's app settings list them: a fix names them.
		facts["missing_scopes"] = strings.Join(missing, ", ")
	}
	if haveInfo {
		facts["granted_scopes"] = len(info.Scopes)
	}
	if len(missing) > 0 {
		return check.Failf("The HubSpot token is missing permissions (scopes) CopyCar needs: %s. In HubSpot open Settings → Integrations → Private Apps → your app → Scopes, add them and save.",
			strings.Join(missing, ", ")).With(details...).Explain(artHubSpotScopes, artIntegration).WithFacts(facts)
	}
	if sch.bad != nil && sch.ex.status != http.StatusForbidden {
		return *sch.bad
	}
	if haveInfo {
		return check.Passf("The HubSpot token may read and update %s and read their properties.", h.object).With(details...).WithFacts(facts)
	}
	return check.Passf("The HubSpot token may read %s and their properties (HubSpot does not say whether it may update them).", h.object).With(details...).WithFacts(facts)
}

func orList(list []string, fallback string) []string {
	if len(list) == 0 {
		return []string{fallback}
	}
	return list
}

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

func (h *hubspot) availability(ctx context.Context) check.Result {
	a, err := h.authMemo.get(ctx, h.loadAuth)
	if err != nil {
		return cancelled(err)
	}
	ex := a.probe
	var notes []string
	if ex.status == http.StatusUnauthorized || ex.status == http.StatusForbidden {
		notes = append(notes, "the token was not accepted, so HubSpot did not report the API budget")
	}
	return availabilityResult(h.label(), ex, hubspotBudgets(ex.header), notes...)
}

// hubspotBudgets reads the X-HubSpot-RateLimit-* headers.
func hubspotBudgets(hd http.Header) []budget {
	num := func(name string) (int64, bool) {
		v, err := strconv.ParseInt(strings.TrimSpace(hd.Get(name)), 10, 64)
		return v, err == nil
	}
	var out []budget
	pair := func(limitH, remH, name string) {
		l, ok1 := num(limitH)
		r, ok2 := num(remH)
		if ok1 && ok2 {
			out = append(out, budget{name: name, limit: l, remaining: r, source: remH, perSecond: strings.Contains(limitH, "Secondly")})
		}
	}
	pair("X-HubSpot-RateLimit-Daily", "X-HubSpot-RateLimit-Daily-Remaining", "daily API budget")
	window := "short-term API budget"
	if ms, ok := num("X-HubSpot-RateLimit-Interval-Milliseconds"); ok && ms > 0 {
		window = fmt.Sprintf("API budget for each %s window", (time.Duration(ms) * time.Millisecond).String())
	}
	pair("X-HubSpot-RateLimit-Max", "X-HubSpot-RateLimit-Remaining", window)
	pair("X-HubSpot-RateLimit-Secondly", "X-HubSpot-RateLimit-Secondly-Remaining", "per-second API budget")
	return out
}

func (h *hubspot) loadSchema(ctx context.Context) hubspotSchema {
	ex := h.ep.get(ctx, "/crm/v3/properties/"+url.PathEscape(h.object)+"?archived=false")
	out := hubspotSchema{ex: ex}
	fail := func(r check.Result) hubspotSchema {
		out.bad = &r
		return out
	}
	switch {
	case ex.status == http.StatusForbidden:
		return fail(check.Failf("HubSpot does not let this token read the %s properties: a permission (scope) is missing, see crm.permissions.", h.object).
			With(ex.evidence()...).Explain(artHubSpotScopes))
	case ex.status == http.StatusUnauthorized:
		return fail(check.Skipf("Not run: HubSpot rejected the token (see crm.auth).").With(ex.evidence()...))
	case !ex.ok():
		return fail(unexpected(h.label(), ex))
	}
	var body struct {
		Results *[]struct {
			Name       string `json:"name"`
			Label      string `json:"label"`
			Type       string `json:"type"`
			FieldType  string `json:"fieldType"`
			Calculated bool   `json:"calculated"`
			Meta       struct {
				ReadOnlyValue bool `json:"readOnlyValue"`
			} `json:"modificationMetadata"`
		} `json:"results"`
	}
	if ex.decode(&body) != nil || body.Results == nil {
		return fail(unexpected(h.label(), ex))
	}
	s := &schema{object: h.object, evidence: []string{ex.line()}}
	for _, p := range *body.Results {
		f := field{name: p.Name, label: p.Label, rawType: p.Type + "/" + p.FieldType, kind: hubspotKind(p.Type, p.FieldType)}
		switch {
		case p.Calculated:
			f.readOnly, f.why = true, "calculated by HubSpot"
		case p.Meta.ReadOnlyValue:
			f.readOnly, f.why = true, "set by HubSpot"
		}
		s.fields = append(s.fields, f)
	}
	out.s = s
	return out
}

func hubspotKind(typ, fieldType string) kind {
	switch typ {
	case "string", "phone_number":
		return kindText
	case "number":
		return kindNumber
	case "date", "datetime":
		return kindDate
	case "bool":
		return kindBool
	case "enumeration":
		if fieldType == "booleancheckbox" {
			return kindBool
		}
		return kindChoice
	}
	return kindUnknown
}

func (h *hubspot) schema(ctx context.Context) (*schema, *check.Result) {
	sch, err := h.schemaMemo.get(ctx, h.loadSchema)
	if err != nil {
		r := cancelled(err)
		return nil, &r
	}
	return sch.s, sch.bad
}
