package probe

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestNoCredentialOverPlainHTTP: a key or token is never sent over http://
// to a host that is not this machine. The refusal comes before any
// connection (a non-routable address answers at once), and says to use
// https://; loopback, and requests without a credential, go through.
func TestNoCredentialOverPlainHTTP(t *testing.T) {
	t.Parallel()
	c, err := NewClient(Options{})
	require.NoError(t, err)
	for _, h := range []http.Header{
		{"Authorization": {"Bearer sk-secret"}},
		{"X-Api-Key": {"sk-ant-secret"}},
		{"X-Api-Token": {"pipedrive-secret"}},
	} {
		for _, u := range []string{"http://10.255.255.1/v1/models", "http://api.example.invalid/v1", "http://[fe80::1]:8080/x"} {
			_, err := c.Do(context.Background(), Request{URL: u, Header: h})
			var pe *Error
			require.True(t, errors.As(err, &pe), u)
			require.Equal(t, KindInsecure, pe.Kind, u)
			require.Contains(t, pe.Error(), "Use https://", u)
			require.Contains(t, pe.Error(), "did not send the key", u)
			require.Zero(t, pe.Timings.Total, "nothing was dialled")
		}
	}
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	t.Cleanup(srv.Close)
	_, err = c.Do(context.Background(), Request{URL: srv.URL, Header: http.Header{"Authorization": {"Bearer sk-secret"}}})
	require.NoError(t, err, "loopback over http is allowed")
	_, err = c.Do(context.Background(), Request{URL: "http://localhost:" + srv.URL[len("http://127.0.0.1:"):]})
	require.NoError(t, err)
	require.EqualValues(t, 2, hits.Load())
	for host, want := range map[string]bool{"localhost": true, "127.0.0.1": true, "::1": true, "127.8.9.1": true, "api.localhost": true,
		"10.0.0.1": false, "example.com": false, "fe80::1": false, "localhost.example.com": false} {
		require.Equal(t, want, IsLoopback(host), host)
	}
}
