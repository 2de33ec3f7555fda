package domain

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/demo"
	"pitstop/internal/probe"
)

// TestPropagationNote plays the domain's name server and a resolver with two
// sandbox DNS servers: a failing DMARC check says the name servers already
// serve a new record the resolver has not seen yet, and for how long; when
// both agree, or domain.dns_server is set, it says nothing more.
func TestPropagationNote(t *testing.T) {
	t.Parallel()
	auth, err := demo.StartDNS(demo.DNSOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { auth.Close() })
	cache, err := demo.StartDNS(demo.DNSOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { cache.Close() })
	name := "_dmarc." + demo.HealthyDomain
	record := "v=DMARC1; p=quarantine; rua=mailto:dmarc@" + demo.HealthyDomain
	require.NoError(t, auth.Publish(name, "TXT", record))

	failing := func(context.Context) check.Result { return check.Failf("DMARC is not as it should be.") }
	c := &checker{name: demo.HealthyDomain, res: probe.NewResolver(""),
		compareTXT: func(ctx context.Context, at string) (probe.TXTSources, error) {
			return probe.CompareTXTAt(ctx, []string{auth.Addr}, cache.Addr, at)
		}}
	r := c.propagation(recordAt["domain.dmarc"], failing)(context.Background())
	require.Equal(t, check.Fail, r.Status, "the status stays: receivers still see the old record")
	require.Contains(t, r.Details[len(r.Details)-1], "Published, but your resolver still serves the old record for up to 300 s")
	require.Contains(t, r.Details[len(r.Details)-1], record)
	require.Equal(t, 300, r.Facts["resolver_stale_seconds"])

	require.NoError(t, cache.Publish(name, "TXT", record))
	r = c.propagation(recordAt["domain.dmarc"], failing)(context.Background())
	require.Empty(t, r.Details, "both serve the same record: nothing to add")

	c.res = probe.NewResolver(auth.Addr)
	require.NoError(t, cache.Publish(name, "TXT", "v=DMARC1; p=none"))
	r = c.propagation(recordAt["domain.dmarc"], failing)(context.Background())
	require.Empty(t, r.Details, "with domain.dns_server set, that server is the one asked")
}
