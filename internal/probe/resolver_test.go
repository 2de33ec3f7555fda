package probe

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/demo"
)

func TestResolverUsesTheConfiguredServer(t *testing.T) {
	t.Parallel()
	srv, err := demo.StartDNS(demo.DNSOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	r := NewResolver(srv.Addr)
	require.Equal(t, srv.Addr, r.Server())
	require.Contains(t, r.Describe(), "domain.dns_server")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	txts, err := r.LookupTXT(ctx, demo.HealthyDomain)
	require.NoError(t, err)
	require.Contains(t, txts, "v=spf1 ip4:127.0.0.1 include:_spf.pitstop-healthy.test -all")

	// A 2048-bit DKIM key spans two TXT strings; they come back joined.
	dkim, err := r.LookupTXT(ctx, "s1._domainkey."+demo.HealthyDomain)
	require.NoError(t, err)
	require.Len(t, dkim, 1)
	require.Greater(t, len(dkim[0]), 400)

	mxs, err := r.LookupMX(ctx, demo.HealthyDomain)
	require.NoError(t, err)
	require.Len(t, mxs, 1)
	require.Equal(t, "mx.pitstop-healthy.test.", mxs[0].Host)

	addrs, err := r.LookupHost(ctx, "2.0.0.127."+demo.BlocklistZone)
	require.NoError(t, err)
	require.Equal(t, []string{"127.0.0.2"}, addrs)

	_, err = r.LookupHost(ctx, "9.9.9.9."+demo.BlocklistZone)
	require.True(t, IsNotFound(err), "NXDOMAIN is not found: %v", err)
	_, err = r.LookupTXT(ctx, "_dmarc."+demo.BrokenDomain)
	require.True(t, IsNotFound(err), "a missing record is not found: %v", err)

	// A name outside the sandbox zones is refused: a failure, not "not found".
	_, err = r.LookupTXT(ctx, "example.com")
	require.Error(t, err)
	require.False(t, IsNotFound(err))
}

func TestResolverOnSilentServerHonoursTheContext(t *testing.T) {
	t.Parallel()
	srv, err := demo.StartDNS(demo.DNSOptions{Fault: demo.DNSFaultSilent})
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = NewResolver(srv.Addr).LookupTXT(ctx, demo.HealthyDomain)
	require.Error(t, err)
	require.Less(t, time.Since(start), 800*time.Millisecond)
	require.False(t, IsNotFound(err))
}

func TestErrorClassification(t *testing.T) {
	t.Parallel()
	nf := &net.DNSError{Err: "no such host", Name: "x", IsNotFound: true}
	tmp := &net.DNSError{Err: "i/o timeout", Name: "x", IsTimeout: true}
	require.True(t, IsNotFound(nf))
	require.True(t, IsNotFound(errors.Join(errors.New("wrapped"), nf)))
	require.False(t, IsNotFound(tmp))
	require.True(t, IsTemporary(tmp))
	require.False(t, IsTemporary(nf))
	require.False(t, IsNotFound(nil))
}

func TestRooted(t *testing.T) {
	t.Parallel()
	require.Equal(t, "example.com.", rooted("example.com"))
	require.Equal(t, "example.com.", rooted("example.com."))
	require.Equal(t, "127.0.0.1", rooted("127.0.0.1"))
	require.Equal(t, "", rooted(""))
	require.Equal(t, "the system resolver", NewResolver("").Describe())
}

// TestResolverErrorsNameTheConfiguredServer: Go's resolver with a custom Dial
// reports the system's server in its errors; the evidence must name the one
// actually asked.
func TestResolverErrorsNameTheConfiguredServer(t *testing.T) {
	t.Parallel()
	for _, fault := range []string{"", demo.DNSFaultSilent} {
		t.Run("fault="+fault, func(t *testing.T) {
			t.Parallel()
			srv, err := demo.StartDNS(demo.DNSOptions{Fault: fault})
			require.NoError(t, err)
			t.Cleanup(func() { _ = srv.Close() })
			r := NewResolver(srv.Addr)
			ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
			defer cancel()
			lookups := map[string]func() error{
				"txt":  func() error { _, err := r.LookupTXT(ctx, "_dmarc."+demo.BrokenDomain); return err },
				"mx":   func() error { _, err := r.LookupMX(ctx, "nothing."+demo.BrokenDomain); return err },
				"host": func() error { _, err := r.LookupHost(ctx, "9.9.9.9."+demo.BlocklistZone); return err },
			}
			for name, lookup := range lookups {
				err := lookup()
				require.Error(t, err, name)
				var de *net.DNSError
				require.True(t, errors.As(err, &de), "%s: %v", name, err)
				require.Equal(t, srv.Addr, de.Server, name)
				require.Contains(t, err.Error(), "on "+srv.Addr, name)
			}
		})
	}
}
