package crm

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/demo"
)

// fakeProvider's list side: crm.data_quality is not what its tests are about.
func (f fakeProvider) cannotList() (check.Result, bool)               { return check.Result{}, false }
func (f fakeProvider) startBudgets(context.Context) ([]budget, error) { return nil, nil }
func (f fakeProvider) listPage(context.Context, []sampleField, string, int) page {
	return page{}
}
func (f fakeProvider) headerBudgets(http.Header) []budget { return nil }
func (f fakeProvider) firstCursor() string                { return "" }
func (f fakeProvider) pageFloor() int                     { return 100 }
func (f fakeProvider) listNotes() []string                { return nil }

// sampleRun runs every CRM check against a sandbox and returns
// crm.data_quality's result and the server.
func sampleRun(t *testing.T, provider string, pageSize int, sample *int, faults ...string) (check.Result, run) {
	t.Helper()
	srv, err := demo.StartCRM(demo.CRMOptions{Provider: provider, Faults: faults, Token: canaries[provider], PageSize: pageSize})
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	p := &config.Profile{}
	srv.Configure(p)
	p.CRM.SampleSize = sample
	got := runProfile(t, p, 10*time.Second, srv)
	r := got.results[IDDataQuality]
	require.Equal(t, IDDataQuality, r.ID)
	return r, got
}

func fact(t *testing.T, r check.Result, key string) any {
	t.Helper()
	v, ok := r.Fact(key)
	require.True(t, ok, "no fact %s in %v", key, r.Facts)
	return v
}

func requireNoPersonalData(t *testing.T, got run, r check.Result) {
	t.Helper()
	b, err := json.Marshal(r)
	require.NoError(t, err)
	text := resultText(r) + "\n" + string(b) + "\n" + got.logs
	for _, pd := range got.srv.PersonalData() {
		require.NotContains(t, text, pd, "a name, address or phone number of a record reached the result or the log")
	}
}

func TestDataQualityCleanRecords(t *testing.T) {
	t.Parallel()
	// 240 clean records: HubSpot pages of 100 (3 requests), Salesforce and
	// Pipedrive in one page each.
	calls := map[string]int{demo.CRMHubSpot: 3, demo.CRMSalesforce: 1, demo.CRMPipedrive: 1}
	for _, provider := range demo.CRMProviders {
		t.Run(provider, func(t *testing.T) {
			t.Parallel()
			r, got := sampleRun(t, provider, 0, nil)
			require.Equal(t, check.Pass, r.Status, "%s %v", r.Summary, r.Details)
			require.Contains(t, r.Summary, "The 240 contacts sampled are ready for personalisation: 100% have every mapped field filled in, with 0 invalid and 0 duplicate email addresses.")
			require.Equal(t, 240, fact(t, r, "records_sampled"))
			require.Equal(t, 500, fact(t, r, "records_requested"))
			require.Equal(t, 0, fact(t, r, "duplicate_emails"))
			require.Equal(t, 0, fact(t, r, "invalid_emails"))
			require.Equal(t, 1.0, fact(t, r, "complete_ratio"))
			require.Equal(t, calls[provider], fact(t, r, "list_calls"))
			require.Equal(t, calls[provider], got.srv.ListCalls())
			for key, v := range r.Facts {
				if strings.HasPrefix(key, "fill_ratio.") {
					require.Equal(t, 1.0, v, key)
				}
			}
			requireNoPersonalData(t, got, r)
		})
	}
}

func TestDataQualityDirtyRecords(t *testing.T) {
	t.Parallel()
	// 600 dirty records (demo.DirtyContact), sample 500, pages of at most
	// 200: HubSpot 5 requests of 100, Salesforce and Pipedrive 200+200+100.
	// In the first 500: 167 without a first name, 50 without a company, 20
	// without a score, 5 without an email, 13 invalid and 10 duplicate
	// addresses, 17 first names in capitals and 17 in lower case, phones
	// written 4 ways (125 each).
	cases := []struct {
		provider string
		calls    int
		complete float64
		fill     map[string]float64
	}{
		{demo.CRMHubSpot, 5, 284.0 / 500, map[string]float64{"email": 495.0 / 500, "company": 450.0 / 500, "firstname": 333.0 / 500,
			"personalization_score": 480.0 / 500, "phone": 1}},
		{demo.CRMSalesforce, 3, 317.0 / 500, map[string]float64{"Email": 495.0 / 500, "FirstName": 333.0 / 500, "LastName": 1,
			"Personalization_Score__c": 480.0 / 500, "Phone": 1}},
		{demo.CRMPipedrive, 3, 317.0 / 500, map[string]float64{"email": 495.0 / 500, "first_name": 333.0 / 500, "name": 1,
			"8f3c1e0b5d2a4c6e9f7b1a3d5c7e9f0b2d4f6a8c": 480.0 / 500, "phone": 1}},
	}
	for _, c := range cases {
		t.Run(c.provider, func(t *testing.T) {
			t.Parallel()
			r, got := sampleRun(t, c.provider, 200, nil, demo.CRMFaultDirtyData)
			require.Equal(t, check.Fail, r.Status, r.Summary)
			require.Contains(t, r.Summary, "a third of your contacts have no First")
			require.Contains(t, r.Summary, "those emails will open with a generic greeting")
			require.Equal(t, 500, fact(t, r, "records_sampled"))
			require.Equal(t, 10, fact(t, r, "duplicate_emails"))
			require.Equal(t, 13, fact(t, r, "invalid_emails"))
			require.InDelta(t, c.complete, fact(t, r, "complete_ratio"), 1e-12)
			for name, want := range c.fill {
				require.InDelta(t, want, fact(t, r, "fill_ratio."+name), 1e-12, name)
			}
			fills := 0
			for key := range r.Facts {
				if strings.HasPrefix(key, "fill_ratio.") {
					fills++
				}
			}
			require.Equal(t, len(c.fill), fills, "one fill ratio per mapped field")
			require.Equal(t, c.calls, fact(t, r, "list_calls"))
			require.Equal(t, c.calls, got.srv.ListCalls())
			text := resultText(r)
			require.Contains(t, text, "written in capitals only: 17")
			require.Contains(t, text, "written in lower case only: 17")
			require.Contains(t, text, "is written 4 ways: 125 international (+…), 125 with brackets, 125 with dashes, 125 digits only")
			require.Contains(t, text, "invalid: 13 (3%) in records ")
			require.Contains(t, text, "duplicates: 10 (2%) in records ")
			requireNoPersonalData(t, got, r)
		})
	}
}

func TestDataQualityListRequests(t *testing.T) {
	t.Parallel()
	srvs := map[string]string{}
	for _, provider := range demo.CRMProviders {
		_, got := sampleRun(t, provider, 0, nil)
		var lists []string
		for _, req := range got.srv.Requests() {
			if strings.Contains(req.URL, "properties=") || strings.Contains(req.URL, "/query") || strings.HasPrefix(req.URL, "/api/v1/persons") {
				require.Equal(t, http.MethodGet, req.Method, "the sample only reads")
				lists = append(lists, req.URL)
			}
		}
		srvs[provider] = strings.Join(lists, "\n")
	}
	require.Equal(t, "/crm/v3/objects/contacts?limit=100&properties=email,company,firstname,personalization_score&archived=false\n"+
		"/crm/v3/objects/contacts?limit=100&properties=email,company,firstname,personalization_score&archived=false&after=100\n"+
		"/crm/v3/objects/contacts?limit=100&properties=email,company,firstname,personalization_score&archived=false&after=200",
		srvs[demo.CRMHubSpot])
	require.Equal(t, "/services/data/v61.0/query?q=SELECT+Id%2C+Email%2C+FirstName%2C+LastName%2C+Personalization_Score__c+FROM+Contact+LIMIT+500",
		srvs[demo.CRMSalesforce])
	require.Equal(t, "/api/v1/persons?start=0&limit=500", srvs[demo.CRMPipedrive])
}

func TestDataQualityBadPages(t *testing.T) {
	t.Parallel()
	// 240 clean records in pages of 100. Each fault leaves an honest,
	// bounded result: how many records, in how many requests, and why it
	// stopped.
	type want struct {
		status  check.Status
		records int
		calls   int
		text    string
	}
	all := func(w want) map[string]want {
		return map[string]want{demo.CRMHubSpot: w, demo.CRMSalesforce: w, demo.CRMPipedrive: w}
	}
	cases := map[string]map[string]want{
		demo.CRMFaultEmptyPage:    all(want{check.Warn, 100, 2, "Sampled 100 of the requested 500: %s sent an empty page but said more would follow."}),
		demo.CRMFaultRepeatCursor: all(want{check.Warn, 200, 2, "Sampled 200 of the requested 500: %s sent the same page twice."}),
		demo.CRMFaultEndlessPages: {
			demo.CRMHubSpot:    {check.Warn, 7, 7, "Sampled 7 of the requested 500: HubSpot sent far fewer records per page than asked, so Pitstop stopped after 7 requests."},
			demo.CRMSalesforce: {check.Warn, 5, 5, "Sampled 5 of the requested 500: Salesforce sent far fewer records per page than asked, so Pitstop stopped after 5 requests."},
			demo.CRMPipedrive:  {check.Warn, 7, 7, "Sampled 7 of the requested 500: Pipedrive sent far fewer records per page than asked, so Pitstop stopped after 7 requests."},
		},
		demo.CRMFaultWrongTypes:     all(want{check.Warn, 100, 2, "Sampled 100 of the requested 500: %s sent records in a shape its API does not use."}),
		demo.CRMFaultFailHalfway:    all(want{check.Warn, 200, 3, "Sampled 200 of the requested 500: %s stopped answering."}),
		demo.CRMFaultBudgetDraining: all(want{check.Pass, 200, 2, "so Pitstop stopped to leave it for your syncs."}),
		demo.CRMFaultSmallBudget: {
			demo.CRMHubSpot:    {check.Pass, 100, 1, "Sampled 100 of the requested 500: Pitstop spends no more than a tenth of what is left of HubSpot's API budget for each 10s window."},
			demo.CRMSalesforce: {check.Pass, 200, 2, "Sampled 200 of the requested 500: Pitstop spends no more than a tenth of what is left of Salesforce's daily API request limit."},
			demo.CRMPipedrive:  {check.Pass, 100, 1, "Sampled 100 of the requested 500: Pitstop spends no more than a tenth of what is left of Pipedrive's short-term API budget (resets in 2 s)."},
		},
		demo.CRMFaultLowBudget: all(want{check.Skip, 0, 0, "Not sampled: only "}),
	}
	labels := map[string]string{demo.CRMHubSpot: "HubSpot", demo.CRMSalesforce: "Salesforce", demo.CRMPipedrive: "Pipedrive"}
	for fault, byProvider := range cases {
		for provider, w := range byProvider {
			t.Run(fault+"/"+provider, func(t *testing.T) {
				t.Parallel()
				r, got := sampleRun(t, provider, 100, nil, fault)
				require.Equal(t, w.status, r.Status, "%s %v", r.Summary, r.Details)
				text := w.text
				if strings.Contains(text, "%s") {
					text = strings.ReplaceAll(text, "%s", labels[provider])
				}
				require.Contains(t, r.Summary, text)
				require.Equal(t, w.calls, got.srv.ListCalls(), "list requests")
				if w.status != check.Skip {
					require.Equal(t, w.records, fact(t, r, "records_sampled"))
					require.Equal(t, w.calls, fact(t, r, "list_calls"))
				}
				requireNoPersonalData(t, got, r)
			})
		}
	}
}

func TestDataQualityWrongTypesCountsNumbersAsInvalidAddresses(t *testing.T) {
	t.Parallel()
	r, _ := sampleRun(t, demo.CRMHubSpot, 100, nil, demo.CRMFaultWrongTypes)
	// Records 0, 20, 40, 60 and 80 of the first page send their email as a number.
	require.Equal(t, 5, fact(t, r, "invalid_emails"))
	require.Contains(t, resultText(r), "invalid: 5 (5%) in records 1001, 1021, 1041, 1061, 1081")
}

func TestDataQualitySampleSize(t *testing.T) {
	t.Parallel()
	zero := 0
	r, got := sampleRun(t, demo.CRMHubSpot, 0, &zero)
	require.Equal(t, check.Skip, r.Status)
	require.Contains(t, r.Summary, "crm.sample_size is 0")
	require.Equal(t, 0, got.srv.ListCalls())

	small := 150
	r, got = sampleRun(t, demo.CRMHubSpot, 0, &small)
	require.Equal(t, check.Pass, r.Status, r.Summary)
	require.Equal(t, 150, fact(t, r, "records_sampled"))
	require.Equal(t, 2, got.srv.ListCalls(), "100, then 50")
	require.NotContains(t, r.Summary, "Sampled", "a full sample says nothing of stopping")
}

func TestDataQualityLeavesOutMissingFields(t *testing.T) {
	t.Parallel()
	r, got := sampleRun(t, demo.CRMHubSpot, 0, nil, demo.CRMFaultFieldMissing)
	require.Equal(t, check.Pass, r.Status, r.Summary)
	require.Contains(t, resultText(r), "pz_score is not a field of contacts")
	_, has := r.Fact("fill_ratio.pz_score")
	require.False(t, has)
	require.Equal(t, check.Fail, got.results[IDFieldMapping].Status)
}

func TestDataQualitySkipsWhenPermissionsFail(t *testing.T) {
	t.Parallel()
	r, got := sampleRun(t, demo.CRMHubSpot, 0, nil, demo.CRMFaultMissingScope)
	require.Equal(t, check.Skip, r.Status)
	require.Equal(t, 0, got.srv.ListCalls())
}

func TestValidAddress(t *testing.T) {
	t.Parallel()
	for addr, want := range map[string]bool{
		"ada@example.com": true, "ada.lovelace+news@mail.example.co.uk": true, "o'brien@example.ie": true,
		"josé@exämple.es": true, "a@b.io": true,
		"name(at)example.com": false, "ada@example": false, "ada@@example.com": false, "@example.com": false,
		"ada@": false, ".ada@example.com": false, "ada.@example.com": false, "a..b@example.com": false,
		"ada lovelace@example.com": false, "ada@exa mple.com": false, "ada@-example.com": false,
		"ada@example.c": false, "ada@127.0.0.1": false, "ada@example..com": false, "ada@example.com.": false,
	} {
		require.Equal(t, want, validAddress([]byte(addr)), addr)
	}
}

func TestValueReading(t *testing.T) {
	t.Parallel()
	tl := newTally(nil, 0)
	for raw, want := range map[string]string{
		`"  Ada "`: "Ada", `null`: "", ``: "", `42`: "42", `true`: "true", `"Jos\u00e9"`: "José",
		`[{"value":"x@example.com","primary":false},{"value":"y@example.com","primary":true}]`: "y@example.com",
		`[{"value":"","primary":true}]`: "", `["", "b"]`: "b", `{"name":"Acme","value":12}`: "12",
	} {
		v, ok := tl.text(json.RawMessage(raw))
		require.True(t, ok, raw)
		require.Equal(t, want, string(v), raw)
	}
	for _, raw := range []string{`{"first":"Ada"}`, `{"value":{"x":1}}`, `"unterminated`, `nope`} {
		_, ok := tl.text(json.RawMessage(raw))
		require.False(t, ok, raw)
	}
}

func TestSafeIDAndFormats(t *testing.T) {
	t.Parallel()
	require.Equal(t, "151", safeID(json.RawMessage(`"151"`)))
	require.Equal(t, "42", safeID(json.RawMessage(`42`)))
	require.Equal(t, "0035g0000000001AAA", safeID(json.RawMessage(`"0035g0000000001AAA"`)))
	for _, bad := range []string{`"ada@example.com"`, `"Ada Lovelace"`, `null`, `{"id":1}`, `"` + strings.Repeat("a", 41) + `"`} {
		require.Empty(t, safeID(json.RawMessage(bad)), bad)
	}
	for v, want := range map[string]nameCase{"ADA": caseUpper, "ada": caseLower, "Ada": caseMixed, "J": caseMixed, "ÉLODIE": caseUpper, "o'brien": caseLower, "McDonald": caseMixed} {
		require.Equal(t, want, letterCase([]byte(v)), v)
	}
	for v, want := range map[string]phoneStyle{"+44 20 7946 0958": styleInternational, "0044 20": styleInternational, "(415) 555-0100": styleBrackets,
		"415-555-0100": styleDashes, "415.555.0100": styleDots, "415 555 0100": styleSpaces, "4155550100": styleDigits, "415 555 0100 ext 2": styleOther} {
		require.Equal(t, want, styleOf([]byte(v)), v)
	}
}

func TestShareWords(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		part, whole int
		want        string
	}{{167, 500, "a third"}, {250, 500, "half"}, {500, 500, "all"}, {3, 4, "three quarters"}, {60, 500, "12%"}, {50, 500, "one in ten"}, {1, 500, "under 1%"}} {
		require.Equal(t, c.want+" of your contacts", shareWords(c.part, c.whole))
	}
}

func TestDataQualitySpeaksPlainly(t *testing.T) {
	t.Parallel()
	// Dirty records, pages of 100, the third page answers 503: 200 records,
	// 114 complete, 67 without a first name.
	r, _ := sampleRun(t, demo.CRMHubSpot, 100, nil, demo.CRMFaultDirtyData, demo.CRMFaultFailHalfway)
	require.Equal(t, check.Fail, r.Status)
	require.Equal(t, "Only 57% of the 200 contacts sampled have every mapped field filled in, below the 70% that personalisation needs; "+
		"a third of your contacts have no First Name: those emails will open with a generic greeting. "+
		"Sampled 200 of the requested 500: HubSpot stopped answering.", r.Summary)
	require.Equal(t, []string{"content-low-personalization", "crm-field-mapping"}, r.Articles)
	es, ok := check.CatalogueFor("es").Text(r.Summary)
	require.True(t, ok)
	require.Equal(t, "Solo 57% de los 200 contactos de la muestra tienen todos los campos asignados completos, por debajo del 70% que necesita la personalización; "+
		"un tercio de tus contactos no tienen First Name: esos correos empezarán con un saludo genérico. "+
		"Muestra de 200 de los 500 pedidos: HubSpot dejó de responder.", es)
}

func TestRoleOf(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		source string
		f      field
		want   role
	}{
		{"email", field{name: "email", kind: kindText}, roleEmail},
		{"address", field{name: "Email", kind: kindEmail}, roleEmail},
		{"opted_out", field{name: "HasOptedOutOfEmail", label: "Email Opt Out", kind: kindBool}, roleOther},
		{"street", field{name: "MailingStreet", label: "Mailing Street", kind: kindText}, roleOther},
		{"first_name", field{name: "firstname", label: "First Name"}, roleName},
		{"name", field{name: "name", label: "Name"}, roleName},
		{"phone", field{name: "Phone", rawType: "phone"}, rolePhone},
		{"mobile", field{name: "mobilephone", rawType: "string/text"}, rolePhone},
		{"company", field{name: "company", label: "Company Name"}, roleCompany},
		{"personalization_score", field{name: "pz", label: "Score", kind: kindNumber}, roleOther},
	} {
		require.Equal(t, c.want, roleOf(c.source, c.f), "%s → %s", c.source, c.f.name)
	}
}
