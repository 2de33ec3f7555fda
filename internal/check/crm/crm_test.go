package crm

import (
	"context"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/demo"
	"pitstop/internal/probe"
	"pitstop/internal/testutil"
)

const (
	P = check.Pass
	W = check.Warn
	F = check.Fail
	S = check.Skip
	E = check.Error
)

// canaries are provider-shaped tokens the tests look for everywhere.
var canaries = map[string]string{
	demo.CRMHubSpot:    "pat-na1-c4n4ry00-dead-beef-0000-c4n4ryc4n4ry",
	demo.CRMSalesforce: "00D5g000004Sbx1!AQ0AQc4n4ryc4n4ryc4n4ryc4n4ryc4n4ry",
	demo.CRMPipedrive:  "c4n4ryc4n4ryc4n4ryc4n4ryc4n4ryc4n4ry0000",
}

type run struct {
	results map[string]check.Result
	srv     *demo.CRMServer
	logs    string
	took    time.Duration
}

func runSandbox(t testing.TB, provider string, timeout time.Duration, faults ...string) run {
	t.Helper()
	srv, err := demo.StartCRM(demo.CRMOptions{Provider: provider, Faults: faults, Token: canaries[provider]})
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	p := &config.Profile{}
	srv.Configure(p)
	return runProfile(t, p, timeout, srv)
}

func runProfile(t testing.TB, p *config.Profile, timeout time.Duration, srv *demo.CRMServer) run {
	t.Helper()
	logs := &testutil.SyncBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	client, err := probe.NewClient(probe.Options{Logger: logger})
	require.NoError(t, err)
	checks := newChecks(p, options{client: client, log: logger})
	r := &check.Runner{Timeout: timeout}
	start := time.Now()
	res := r.Run(context.Background(), checks)
	out := run{results: map[string]check.Result{}, srv: srv, took: time.Since(start)}
	for _, x := range res {
		out.results[x.ID] = x
	}
	out.logs = logs.String()
	return out
}

func resultText(r check.Result) string {
	return strings.Join(append([]string{r.Title, r.Summary}, r.Details...), "\n")
}

// requireNoLeak proves the token is in no result, no log line and no URL the
// sandbox received.
func requireNoLeak(t *testing.T, provider string, got run) {
	t.Helper()
	tok := canaries[provider]
	forms := []string{tok, url.QueryEscape(tok), url.PathEscape(tok)}
	for id, r := range got.results {
		for _, f := range forms {
			require.NotContains(t, resultText(r), f, "%s leaks the token", id)
		}
	}
	for _, f := range forms {
		require.NotContains(t, got.logs, f, "the log leaks the token")
	}
	for _, req := range got.srv.Requests() {
		for _, f := range forms {
			require.NotContains(t, req.URL, f, "the sandbox received the token in a URL")
		}
		if provider == demo.CRMPipedrive {
			require.Empty(t, req.Header.Get("Authorization"), "Pipedrive gets the token only in x-api-token")
			if req.Header.Get("x-api-token") != "" {
				require.Equal(t, tok, req.Header.Get("x-api-token"))
			}
		}
	}
}

func TestSandboxFaults(t *testing.T) {
	t.Parallel()
	type want struct {
		auth, perm, avail, fields check.Status
		article                   string // expected among the results' articles
		text                      string // expected in some summary
	}
	cases := map[string]map[string]want{
		demo.CRMHubSpot: {
			"":                         {P, P, P, P, "", "HubSpot accepted the token"},
			demo.CRMFaultBadToken:      {F, S, P, S, "crm-hubspot-auth", "INVALID_AUTHENTICATION"},
			demo.CRMFaultExpiredToken:  {F, S, P, S, "crm-hubspot-auth", "expired"},
			demo.CRMFaultMissingScope:  {P, F, P, S, "crm-hubspot-missing-scopes", "crm.objects.contacts.write, crm.schemas.contacts.read"},
			demo.CRMFaultServerError:   {E, S, F, S, "crm-unavailable", "503"},
			demo.CRMFaultRateLimited:   {E, S, F, S, "crm-rate-limit", "429"},
			demo.CRMFaultLowBudget:     {P, P, W, P, "crm-rate-limit", "daily API budget"},
			demo.CRMFaultFieldMissing:  {P, P, P, F, "crm-field-mapping", "pz_score not found; did you mean personalization_score?"},
			demo.CRMFaultFieldType:     {P, P, P, W, "crm-field-mapping", "stored as words"},
			demo.CRMFaultFieldReadOnly: {P, P, P, W, "crm-field-mapping", "notes_last_contacted cannot be written"},
			demo.CRMFaultHTML:          {E, S, E, S, "crm-integration-failed", "web page"},
			demo.CRMFaultGarbage:       {E, S, E, S, "crm-unavailable", "not HTTP"},
		},
		demo.CRMSalesforce: {
			"":                         {P, P, P, P, "", "Salesforce accepted the token (API version 61.0)"},
			demo.CRMFaultBadToken:      {F, S, P, S, "crm-salesforce-invalid-session", "not the instance"},
			demo.CRMFaultExpiredToken:  {F, S, P, S, "crm-salesforce-invalid-session", "IP restriction"},
			demo.CRMFaultMissingScope:  {P, F, P, S, "crm-salesforce-api-disabled", "no object \"Contact\""},
			demo.CRMFaultServerError:   {E, S, F, S, "crm-unavailable", "503"},
			demo.CRMFaultRateLimited:   {E, S, F, S, "crm-rate-limit", "REQUEST_LIMIT_EXCEEDED"},
			demo.CRMFaultLowBudget:     {P, P, W, P, "crm-rate-limit", "daily API request limit"},
			demo.CRMFaultFieldMissing:  {P, P, P, F, "crm-field-mapping", "PZ_Score__c not found; did you mean Personalization_Score__c?"},
			demo.CRMFaultFieldType:     {P, P, P, W, "crm-field-mapping", "stored as words"},
			demo.CRMFaultFieldReadOnly: {P, P, P, W, "crm-field-mapping", "LastActivityDate cannot be written"},
			demo.CRMFaultAPIDisabled:   {P, F, P, S, "crm-salesforce-api-disabled", "API Enabled"},
			demo.CRMFaultHTML:          {F, S, E, S, "crm-salesforce-invalid-session", "does not look like a Salesforce instance"},
			demo.CRMFaultGarbage:       {E, S, E, S, "crm-unavailable", "not HTTP"},
		},
		demo.CRMPipedrive: {
			"":                         {P, P, P, P, "", "Grace Hopper at Example Ltd"},
			demo.CRMFaultBadToken:      {F, S, P, S, "crm-pipedrive-auth", "unauthorized access"},
			demo.CRMFaultMissingScope:  {P, F, P, S, "crm-pipedrive-auth", "Scope and URL mismatch"},
			demo.CRMFaultServerError:   {E, S, F, S, "crm-unavailable", "503"},
			demo.CRMFaultRateLimited:   {E, S, F, S, "crm-rate-limit", "429"},
			demo.CRMFaultLowBudget:     {P, P, W, P, "crm-rate-limit", "short-term API budget"},
			demo.CRMFaultFieldMissing:  {P, P, P, F, "crm-field-mapping", `pz_score not found; did you mean 8f3c1e0b5d2a4c6e9f7b1a3d5c7e9f0b2d4f6a8c ("Personalization score")?`},
			demo.CRMFaultFieldType:     {P, P, P, W, "crm-field-mapping", "stored as words"},
			demo.CRMFaultFieldReadOnly: {P, P, P, W, "crm-field-mapping", "last_activity_date cannot be written"},
			demo.CRMFaultHTML:          {E, S, E, S, "crm-integration-failed", "web page"},
			demo.CRMFaultGarbage:       {E, S, E, S, "crm-unavailable", "not HTTP"},
		},
	}
	for provider, faults := range cases {
		for fault, w := range faults {
			t.Run(provider+"/"+orDefault(fault, "healthy"), func(t *testing.T) {
				t.Parallel()
				var fs []string
				if fault != "" {
					fs = []string{fault}
				}
				got := runSandbox(t, provider, 5*time.Second, fs...)
				status := func(id string) check.Status { return got.results[id].Status }
				dump := func() string {
					var b strings.Builder
					for _, id := range []string{IDAuth, IDPermissions, IDAvailability, IDFieldMapping} {
						r := got.results[id]
						b.WriteString(id + " " + r.Status.String() + ": " + r.Summary + "\n  " + strings.Join(r.Details, "\n  ") + "\n")
					}
					return b.String()
				}
				require.Equal(t, []check.Status{w.auth, w.perm, w.avail, w.fields},
					[]check.Status{status(IDAuth), status(IDPermissions), status(IDAvailability), status(IDFieldMapping)}, dump())
				var summaries, articles []string
				for _, r := range got.results {
					summaries = append(summaries, r.Summary)
					articles = append(articles, r.Articles...)
					require.NotEmpty(t, r.Summary)
				}
				require.Contains(t, strings.Join(summaries, "\n"), w.text, dump())
				if w.article != "" {
					require.Contains(t, articles, w.article, dump())
				}
				requireNoLeak(t, provider, got)
			})
		}
	}
}

func TestHangingAndGarbageServersGiveErrorInTime(t *testing.T) {
	t.Parallel()
	const timeout = time.Second
	for _, provider := range demo.CRMProviders {
		for _, fault := range []string{demo.CRMFaultHang, demo.CRMFaultGarbage} {
			t.Run(provider+"/"+fault, func(t *testing.T) {
				t.Parallel()
				got := runSandbox(t, provider, timeout, fault)
				require.Less(t, got.took, timeout+500*time.Millisecond)
				for _, id := range []string{IDAuth, IDAvailability} {
					require.Equal(t, check.Error, got.results[id].Status, "%s: %s", id, got.results[id].Summary)
				}
				for _, id := range []string{IDPermissions, IDFieldMapping} {
					require.Equal(t, check.Skip, got.results[id].Status, "%s: %s", id, got.results[id].Summary)
				}
				requireNoLeak(t, provider, got)
			})
		}
	}
}

func TestSalesforceSummariesExplainInvalidSessionAndFLS(t *testing.T) {
	t.Parallel()
	got := runSandbox(t, demo.CRMSalesforce, 5*time.Second, demo.CRMFaultBadToken)
	auth := got.results[IDAuth].Summary
	require.Contains(t, auth, "INVALID_SESSION_ID")
	require.Contains(t, auth, "instance URL")
	require.Contains(t, auth, "IP restriction or session policy")

	got = runSandbox(t, demo.CRMSalesforce, 5*time.Second, demo.CRMFaultFieldMissing)
	fm := got.results[IDFieldMapping]
	require.Contains(t, fm.Summary, "field-level security")
	require.Contains(t, fm.Articles, "crm-field-mapping")
}

func TestNotConfigured(t *testing.T) {
	t.Parallel()
	got := runProfile(t, &config.Profile{}, time.Second, nil)
	for _, id := range []string{IDAuth, IDPermissions, IDAvailability, IDFieldMapping} {
		require.Equal(t, check.Skip, got.results[id].Status, id)
		require.Contains(t, got.results[id].Summary, "crm.provider", id)
	}
}

func TestMissingTokenSkipsButAvailabilityRuns(t *testing.T) {
	t.Parallel()
	srv, err := demo.StartCRM(demo.CRMOptions{Provider: demo.CRMHubSpot})
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	p := &config.Profile{}
	srv.Configure(p)
	p.CRM.Token = config.Secret{}
	got := runProfile(t, p, 5*time.Second, srv)
	require.Equal(t, check.Skip, got.results[IDAuth].Status)
	require.Contains(t, got.results[IDAuth].Summary, "crm.token")
	require.Contains(t, got.results[IDAuth].Summary, "HUBSPOT_TOKEN")
	require.Equal(t, check.Pass, got.results[IDAvailability].Status, got.results[IDAvailability].Summary)
	for _, req := range srv.Requests() {
		require.Empty(t, req.Header.Get("Authorization"))
	}
}

func TestEmptyMappingSkips(t *testing.T) {
	t.Parallel()
	srv, err := demo.StartCRM(demo.CRMOptions{Provider: demo.CRMPipedrive})
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	p := &config.Profile{}
	srv.Configure(p)
	p.CRM.FieldMapping = nil
	got := runProfile(t, p, 5*time.Second, srv)
	require.Equal(t, check.Skip, got.results[IDFieldMapping].Status)
	require.Contains(t, got.results[IDFieldMapping].Summary, "crm.field_mapping")
}

func TestUnreachableCRMFailsAvailability(t *testing.T) {
	t.Parallel()
	srv, err := demo.StartCRM(demo.CRMOptions{Provider: demo.CRMHubSpot, Token: canaries[demo.CRMHubSpot]})
	require.NoError(t, err)
	p := &config.Profile{}
	srv.Configure(p)
	require.NoError(t, srv.Close()) // nothing listens there any more
	got := runProfile(t, p, 5*time.Second, srv)
	require.Equal(t, check.Fail, got.results[IDAvailability].Status, got.results[IDAvailability].Summary)
	require.Equal(t, check.Error, got.results[IDAuth].Status)
	require.Contains(t, got.results[IDAvailability].Articles, "crm-unavailable")
}

func TestAuthIsSharedWithinARun(t *testing.T) {
	t.Parallel()
	got := runSandbox(t, demo.CRMHubSpot, 5*time.Second)
	probes := 0
	for _, r := range got.srv.Requests() {
		if strings.HasPrefix(r.URL, "/crm/v3/objects/") && !strings.Contains(r.URL, "properties=") { // crm.data_quality's pages ask for properties
			probes++
		}
	}
	require.Equal(t, 1, probes, "crm.auth, crm.permissions and crm.availability share one auth probe")
}

func TestPipedrivePaginatesFields(t *testing.T) {
	t.Parallel()
	srv, err := demo.StartCRM(demo.CRMOptions{Provider: demo.CRMPipedrive})
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	p := &config.Profile{}
	srv.Configure(p)
	client, err := probe.NewClient(probe.Options{Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	pd := newPipedrive(withDefaults(p.CRM), &endpoint{base: p.CRM.BaseURL, client: client}, time.Now)
	// Ask for pages of 5 through the same loop the check uses.
	sch := pd.loadSchemaPaged(context.Background(), 5)
	require.Nil(t, sch.bad)
	require.Len(t, sch.s.fields, 16)
	require.Len(t, sch.s.evidence, 4)
}

func TestPastedEndpointURLsStillWork(t *testing.T) {
	t.Parallel()
	for provider, suffix := range map[string]string{
		demo.CRMHubSpot:    "/crm/v3/objects/contacts",
		demo.CRMSalesforce: "/services/data/v60.0",
		demo.CRMPipedrive:  "/v1",
	} {
		t.Run(provider, func(t *testing.T) {
			t.Parallel()
			srv, err := demo.StartCRM(demo.CRMOptions{Provider: provider})
			require.NoError(t, err)
			t.Cleanup(func() { _ = srv.Close() })
			p := &config.Profile{}
			srv.Configure(p)
			p.CRM.BaseURL += suffix
			got := runProfile(t, p, 5*time.Second, srv)
			require.Equal(t, check.Pass, got.results[IDAuth].Status, got.results[IDAuth].Summary)
		})
	}
}
