package fix

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/demo"
	"pitstop/internal/probe"
)

// TestCheckPublished plays the domain's name server and a resolver with two
// sandbox DNS servers: a record only the name server serves is "published,
// but your resolver still serves the old record for up to N s".
func TestCheckPublished(t *testing.T) {
	t.Parallel()
	auth, err := demo.StartDNS(demo.DNSOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { auth.Close() })
	cache, err := demo.StartDNS(demo.DNSOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { cache.Close() })
	ctx := context.Background()
	name := "_dmarc." + demo.HealthyDomain
	value := "v=DMARC1; p=quarantine; rua=mailto:dmarc@" + demo.HealthyDomain

	st := compareAt(ctx, []string{auth.Addr}, cache.Addr, name, value)
	require.Equal(t, NotPublished, st.State)

	require.NoError(t, auth.Publish(name, "TXT", value))
	st = compareAt(ctx, []string{auth.Addr}, cache.Addr, name, value)
	require.Equal(t, Propagating, st.State)
	require.Equal(t, 300*time.Second, st.Wait)
	require.Contains(t, st.Sentence(), "still serves the old record for up to 300 s")

	require.NoError(t, cache.Publish(name, "TXT", value))
	st = compareAt(ctx, []string{auth.Addr}, cache.Addr, name, value)
	require.Equal(t, Published, st.State)

	// With domain.dns_server set, that server is the one asked.
	st = CheckPublished(ctx, auth.Addr, name, value)
	require.Equal(t, Published, st.State)
	require.Equal(t, []string{auth.Addr, auth.Addr}, st.Asked)

	// A server that does not answer: unknown, within the timeout.
	silent, err := demo.StartDNS(demo.DNSOptions{Fault: demo.DNSFaultSilent})
	require.NoError(t, err)
	t.Cleanup(func() { silent.Close() })
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	st = compareAt(short, []string{silent.Addr}, silent.Addr, name, value)
	require.Equal(t, Unknown, st.State, "no answer: neither published nor not")
}

func compareAt(ctx context.Context, auth []string, resolver, name, value string) PublishState {
	src, err := probe.CompareTXTAt(ctx, auth, resolver, name)
	return publication(src, err, value)
}
