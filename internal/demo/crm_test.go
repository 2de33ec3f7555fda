package demo

import (
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/config"
)

func TestStartCRMRejectsUnknownNames(t *testing.T) {
	t.Parallel()
	_, err := StartCRM(CRMOptions{Provider: "zoho"})
	require.ErrorContains(t, err, "unknown CRM provider")
	_, err = StartCRM(CRMOptions{Provider: CRMHubSpot, Faults: []string{"melted"}})
	require.ErrorContains(t, err, "unknown CRM fault")
	_, err = StartCRM(CRMOptions{Provider: CRMPipedrive, Faults: []string{CRMFaultAPIDisabled}})
	require.ErrorContains(t, err, "Salesforce")
	_, err = StartRedis(RedisOptions{Faults: []string{"melted"}})
	require.ErrorContains(t, err, "unknown Redis fault")
}

func TestCRMConfigureAndDocumentedShapes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		provider, path, header, prefix, want string
	}{
		{CRMHubSpot, "/crm/v3/objects/contacts?limit=1", "Authorization", "Bearer ", `"results"`},
		{CRMSalesforce, "/services/data/v60.0/limits", "Authorization", "Bearer ", `"DailyApiRequests"`},
		{CRMPipedrive, "/v1/users/me", "x-api-token", "", `"company_name"`},
	}
	for _, c := range cases {
		t.Run(c.provider, func(t *testing.T) {
			t.Parallel()
			srv, err := StartCRM(CRMOptions{Provider: c.provider})
			require.NoError(t, err)
			t.Cleanup(func() { _ = srv.Close() })
			p := &config.Profile{}
			srv.Configure(p)
			require.Equal(t, c.provider, p.CRM.Provider)
			require.Equal(t, srv.Token(), p.CRM.Token.Reveal())
			require.NotEmpty(t, p.CRM.FieldMapping["personalization_score"])

			req, err := http.NewRequest(http.MethodGet, p.CRM.BaseURL+c.path, nil)
			require.NoError(t, err)
			req.Header.Set(c.header, c.prefix+srv.Token())
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			body, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
			require.Contains(t, string(body), c.want)
			require.Len(t, srv.Requests(), 1)
			require.False(t, strings.Contains(srv.Requests()[0].URL, srv.Token()))
		})
	}
}

func TestCRMCloseEndsHangingRequests(t *testing.T) {
	t.Parallel()
	srv, err := StartCRM(CRMOptions{Provider: CRMHubSpot, Faults: []string{CRMFaultHang}})
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() {
		resp, err := http.Get(srv.URL + "/crm/v3/objects/contacts")
		if err == nil {
			_ = resp.Body.Close()
		}
		done <- err
	}()
	for len(srv.Requests()) == 0 {
		// The request is on its way; Close must end it rather than wait.
		select {
		case err := <-done:
			t.Fatalf("the hanging request ended early: %v", err)
		default:
		}
		runtime.Gosched()
	}
	require.NoError(t, srv.Close())
	require.Error(t, <-done)
}
