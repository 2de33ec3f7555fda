package demo

import (
	"crypto/tls"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/config"
)

func startAPI(t *testing.T, opts APIOptions) *APIServer {
	t.Helper()
	s, err := StartAPI(opts)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func get(t *testing.T, s *APIServer, path string, h http.Header) (*http.Response, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.Origin+path, nil)
	require.NoError(t, err)
	req.Header = h
	client := &http.Client{Timeout: 5 * time.Second}
	if s.CA != nil {
		client.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: s.CA.Pool()}}
	}
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var v map[string]any
	require.NoError(t, json.Unmarshal(body, &v), string(body))
	return resp, v
}

func TestAPIShapes(t *testing.T) {
	t.Parallel()
	cc := startAPI(t, APIOptions{})
	require.Equal(t, APICopyCar, cc.Provider)
	require.True(t, strings.HasSuffix(cc.URL, "/v2"))
	resp, v := get(t, cc, "/v2/health", nil)
	require.Equal(t, 200, resp.StatusCode)
	require.Equal(t, "ok", v["status"])
	resp, v = get(t, cc, "/v2/verify", http.Header{"Authorization": {"Bearer " + cc.Key()}})
	require.Equal(t, 200, resp.StatusCode)
	require.Equal(t, true, v["valid"])
	require.NotEmpty(t, resp.Header.Get("X-RateLimit-Remaining"))
	resp, v = get(t, cc, "/v2/verify", http.Header{"Authorization": {"Bearer wrong"}})
	require.Equal(t, 401, resp.StatusCode)
	require.Equal(t, "Invalid API Key", v["error"].(map[string]any)["message"])

	oa := startAPI(t, APIOptions{Provider: APIOpenAI})
	require.True(t, strings.HasSuffix(oa.URL, "/v1"))
	require.True(t, strings.HasPrefix(oa.Key(), "sk-proj-"))
	resp, v = get(t, oa, "/v1/models", http.Header{"Authorization": {"Bearer " + oa.Key()}})
	require.Equal(t, 200, resp.StatusCode)
	require.Equal(t, "list", v["object"])
	require.Equal(t, "9999", resp.Header.Get("X-Ratelimit-Remaining-Requests"))
	require.True(t, strings.HasPrefix(resp.Header.Get("X-Request-Id"), "req_"))

	an := startAPI(t, APIOptions{Provider: APIAnthropic})
	require.Equal(t, an.Origin, an.URL, "no version in Anthropic's base URL")
	require.True(t, strings.HasPrefix(an.Key(), "sk-ant-"))
	resp, v = get(t, an, "/v1/models", http.Header{"X-Api-Key": {an.Key()}})
	require.Equal(t, 400, resp.StatusCode, "anthropic-version is required")
	require.Equal(t, "invalid_request_error", v["error"].(map[string]any)["type"])
	resp, v = get(t, an, "/v1/models", http.Header{"X-Api-Key": {an.Key()}, "Anthropic-Version": {"2023-06-01"}})
	require.Equal(t, 200, resp.StatusCode)
	require.Equal(t, false, v["has_more"])
	require.Equal(t, "49", resp.Header.Get("Anthropic-Ratelimit-Requests-Remaining"))
	require.NotEmpty(t, resp.Header.Get("Request-Id"))
}

func TestAPIFaultAnswers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		provider, fault string
		status          int
		header, value   string
		errField        string // the provider's error code or type
	}{
		{APIOpenAI, APIFaultRateLimited, 429, "Retry-After", "20", "rate_limit_exceeded"},
		{APIOpenAI, APIFaultQuotaExhausted, 429, "", "", "insufficient_quota"},
		{APIOpenAI, APIFaultForbidden, 403, "", "", ""},
		{APIOpenAI, APIFaultServerError, 500, "X-Request-Id", "", ""},
		{APICopyCar, APIFaultRateLimited, 429, "X-RateLimit-Remaining", "0", "rate_limit_exceeded"},
		{APICopyCar, APIFaultQuotaExhausted, 429, "", "", "insufficient_quota"},
		{APIAnthropic, APIFaultRateLimited, 429, "Anthropic-Ratelimit-Requests-Remaining", "0", "rate_limit_error"},
		{APIAnthropic, APIFaultServerError, 529, "Request-Id", "", "overloaded_error"},
		{APIAnthropic, APIFaultQuotaExhausted, 400, "", "", "invalid_request_error"},
	}
	for _, tt := range tests {
		t.Run(tt.provider+"/"+tt.fault, func(t *testing.T) {
			t.Parallel()
			s := startAPI(t, APIOptions{Provider: tt.provider, Faults: []string{tt.fault}})
			path := map[string]string{APICopyCar: "/v2/verify", APIOpenAI: "/v1/models", APIAnthropic: "/v1/models"}[tt.provider]
			h := http.Header{"Authorization": {"Bearer " + s.Key()}, "X-Api-Key": {s.Key()}, "Anthropic-Version": {"2023-06-01"}}
			resp, v := get(t, s, path, h)
			require.Equal(t, tt.status, resp.StatusCode)
			if tt.header != "" {
				require.NotEmpty(t, resp.Header.Get(tt.header))
				if tt.value != "" {
					require.Equal(t, tt.value, resp.Header.Get(tt.header))
				}
			}
			if tt.errField != "" {
				e := v["error"].(map[string]any)
				require.Contains(t, []any{e["code"], e["type"]}, tt.errField)
			}
		})
	}
}

func TestAPISkewedDate(t *testing.T) {
	t.Parallel()
	s := startAPI(t, APIOptions{Faults: []string{APIFaultSkewedDate}, Skew: -time.Hour})
	resp, _ := get(t, s, "/v2/health", nil)
	d, err := http.ParseTime(resp.Header.Get("Date"))
	require.NoError(t, err)
	require.InDelta(t, -time.Hour.Seconds(), time.Until(d).Seconds(), 5)
}

func TestAPIOptionsAndFaults(t *testing.T) {
	t.Parallel()
	_, err := StartAPI(APIOptions{Provider: "gemini"})
	require.ErrorContains(t, err, "copycar, openai, anthropic, custom")
	_, err = StartAPI(APIOptions{Faults: []string{"on-fire"}})
	require.ErrorContains(t, err, "bad-key")

	s := startAPI(t, APIOptions{Key: "ccai_live_fixed_key_for_the_test_0001"})
	require.Equal(t, "ccai_live_fixed_key_for_the_test_0001", s.Key())
	require.NoError(t, s.SetFaults(APIFaultBadKey))
	require.True(t, s.Has(APIFaultBadKey))
	resp, _ := get(t, s, "/v2/verify", http.Header{"Authorization": {"Bearer " + s.Key()}})
	require.Equal(t, 401, resp.StatusCode)
	require.NoError(t, s.SetFaults())
	resp, _ = get(t, s, "/v2/verify", http.Header{"Authorization": {"Bearer " + s.Key()}})
	require.Equal(t, 200, resp.StatusCode)
	require.ErrorContains(t, s.SetFaults(APIFaultTLS), "fixed when the server starts")
	require.Len(t, s.Requests(), 2)
}

func TestAPIConfigureAndTLS(t *testing.T) {
	t.Parallel()
	s := startAPI(t, APIOptions{Provider: APIOpenAI, Faults: []string{APIFaultTLS}})
	require.True(t, strings.HasPrefix(s.URL, "https://"))
	require.FileExists(t, s.CAFile)
	p := &config.Profile{}
	s.Configure(p)
	require.Equal(t, "openai", p.API.Provider)
	require.Equal(t, s.URL, p.API.BaseURL)
	require.Equal(t, s.Key(), p.API.Key.Reveal())
	require.Equal(t, s.CAFile, p.API.CAFile)
	resp, _ := get(t, s, "/v1/models", http.Header{"Authorization": {"Bearer " + s.Key()}})
	require.Equal(t, 200, resp.StatusCode)

	untrusted := startAPI(t, APIOptions{Faults: []string{APIFaultUntrustedCert}})
	untrusted.Configure(p)
	require.Empty(t, p.API.CAFile)

	caFile := s.CAFile
	require.NoError(t, s.Close())
	require.NoFileExists(t, caFile, "Close removes the temporary CA")
	require.NoError(t, s.Close(), "Close twice is fine")
}

func TestAPIHangEndsOnClose(t *testing.T) {
	t.Parallel()
	s := startAPI(t, APIOptions{Faults: []string{APIFaultHang}})
	done := make(chan error, 1)
	go func() {
		resp, err := http.Get(s.URL + "/health")
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	for len(s.Requests()) == 0 {
		time.Sleep(time.Millisecond)
	}
	require.NoError(t, s.Close())
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a hanging request outlived Close")
	}
}
