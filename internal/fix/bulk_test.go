package fix

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/demo"
	"pitstop/internal/probe"
)

func TestOneClickUnsubscribeFix(t *testing.T) {
	t.Parallel()
	p := &config.Profile{Name: "p"}
	without := check.Failf("No one-click unsubscribe.").WithFact("one_click_unsubscribe", false)
	without.ID = "content.headers"
	fixes := Propose(context.Background(), &Input{Profile: p, Results: []check.Result{without}})
	require.Len(t, fixes, 1)
	require.Equal(t, KindManual, fixes[0].Kind)
	require.Contains(t, fixes[0].Steps, "Add this header exactly as written: List-Unsubscribe-Post: List-Unsubscribe=One-Click")

	with := check.Warnf("Only DKIM aligns.").WithFact("one_click_unsubscribe", true)
	with.ID = "content.headers"
	require.Empty(t, Propose(context.Background(), &Input{Profile: p, Results: []check.Result{with}}))
}

// TestBIMIRecordFix: two BIMI records that name the same https logo become
// one well-formed record; records naming two different logos are not
// certain, and get no fix.
func TestBIMIRecordFix(t *testing.T) {
	t.Parallel()
	zones := `
bimi.test.                 SOA ns.pitstop.test. hostmaster.pitstop.test. 1 3600 600 86400 300
bimi.test.                 NS  ns.pitstop.test.
default._bimi.bimi.test.   TXT "v=BIMI1; l=https://brand.test/logo.svg"
default._bimi.bimi.test.   TXT "v=BIMI1;l=https://brand.test/logo.svg;a=https://brand.test/vmc.pem"
two._bimi.bimi.test.       TXT "v=BIMI1; l=https://brand.test/a.svg"
two._bimi.bimi.test.       TXT "v=BIMI1; l=https://brand.test/b.svg"
`
	srv, err := demo.StartDNS(demo.DNSOptions{ExtraZones: zones})
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	p := &config.Profile{Name: "p"}
	p.Domain.Name, p.Domain.DNSServer = "bimi.test", srv.Addr
	res := check.Failf("bimi.test has 2 BIMI records.")
	res.ID = "domain.bimi"
	in := &Input{Profile: p, Results: []check.Result{res}, Resolver: probe.NewResolver(srv.Addr)}
	fixes := Propose(context.Background(), in)
	require.Len(t, fixes, 1)
	rec := fixes[0].Records[0]
	require.Equal(t, "default._bimi.bimi.test", rec.Name)
	require.Equal(t, "v=BIMI1; l=https://brand.test/logo.svg; a=https://brand.test/vmc.pem;", rec.Value)

	p.Domain.BIMISelector = "two"
	require.Empty(t, Propose(context.Background(), in), "two different logos: not certain")
}
