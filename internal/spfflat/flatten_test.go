package spfflat

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"blitiri.com.ar/go/spf"
	"github.com/stretchr/testify/require"

	"pitstop/internal/race"
)

// zoneResolver answers from maps, as a DNS server holding one zone would.
type zoneResolver struct {
	txt  map[string][]string
	mx   map[string][]*net.MX
	addr map[string][]net.IPAddr
}

func newZone() *zoneResolver {
	return &zoneResolver{txt: map[string][]string{}, mx: map[string][]*net.MX{}, addr: map[string][]net.IPAddr{}}
}

func notFound(name string) error {
	return &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}

func key(name string) string { return strings.ToLower(strings.TrimSuffix(name, ".")) }

func (z *zoneResolver) LookupTXT(_ context.Context, name string) ([]string, error) {
	if v, ok := z.txt[key(name)]; ok {
		return v, nil
	}
	return nil, notFound(name)
}

func (z *zoneResolver) LookupMX(_ context.Context, name string) ([]*net.MX, error) {
	if v, ok := z.mx[key(name)]; ok {
		return v, nil
	}
	return nil, notFound(name)
}

func (z *zoneResolver) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	if v, ok := z.addr[key(host)]; ok {
		return v, nil
	}
	return nil, notFound(host)
}

func (z *zoneResolver) LookupAddr(_ context.Context, addr string) ([]string, error) {
	return nil, notFound(addr)
}

// randomTree publishes a random SPF include tree under example.test: ranges
// in a small address space so that random addresses hit them, includes that
// point only deeper (no loops), a and mx terms, every qualifier, "all" or a
// redirect at the end. Trees often need far more than 10 lookups.
func randomTree(r *rand.Rand) *zoneResolver {
	z := newZone()
	const levels = 4
	names := func(level int) []string {
		var out []string
		for i := 0; i < 3; i++ {
			out = append(out, fmt.Sprintf("n%d-%d.spf.test", level, i))
		}
		return out
	}
	randIP4 := func() netip.Addr { return netip.AddrFrom4([4]byte{192, 0, 2, byte(r.IntN(256))}) }
	randIP6 := func() netip.Addr {
		return netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 15: byte(r.IntN(256))})
	}
	host := 0
	newHost := func() string {
		host++
		h := fmt.Sprintf("h%d.hosts.test", host)
		for n := r.IntN(3); n >= 0; n-- {
			ip := randIP4()
			if r.IntN(4) == 0 {
				ip = randIP6()
			}
			z.addr[h] = append(z.addr[h], net.IPAddr{IP: ip.AsSlice()})
		}
		return h
	}
	quals := []string{"", "+", "-", "~", "?"}
	record := func(self string, level int) string {
		terms := []string{"v=spf1"}
		for n := 1 + r.IntN(5); n > 0; n-- {
			q := quals[r.IntN(len(quals))]
			switch k := r.IntN(7); {
			case (k == 0 || k == 6 && r.IntN(2) == 0) && level < levels:
				terms = append(terms, q+"include:"+names(level + 1)[r.IntN(3)])
			case k == 1:
				bits := 24 + r.IntN(9)
				terms = append(terms, fmt.Sprintf("%sip4:%s/%d", q, randIP4(), bits))
			case k == 2:
				terms = append(terms, q+"ip6:"+randIP6().String())
			case k == 3:
				h := newHost()
				terms = append(terms, q+"a:"+h)
			case k == 4:
				z.addr[key(self)] = append(z.addr[key(self)], net.IPAddr{IP: randIP4().AsSlice()})
				terms = append(terms, q+"a/30")
			case k == 5:
				mxName := fmt.Sprintf("mx%d.spf.test", host)
				z.mx[mxName] = []*net.MX{{Host: newHost(), Pref: 10}, {Host: newHost(), Pref: 20}}
				terms = append(terms, q+"mx:"+mxName)
			default:
				terms = append(terms, fmt.Sprintf("%sip4:%s", q, randIP4()))
			}
		}
		switch {
		case r.IntN(5) == 0 && level < levels:
			terms = append(terms, "redirect="+names(level + 1)[r.IntN(3)])
		case r.IntN(6) == 0:
			// no all: neutral for the rest
		default:
			terms = append(terms, []string{"-all", "~all", "?all"}[r.IntN(3)])
		}
		return strings.Join(terms, " ")
	}
	for level := levels; level >= 1; level-- {
		for _, n := range names(level) {
			z.txt[n] = []string{record(n, level)}
		}
	}
	z.txt["example.test"] = []string{record("example.test", 0)}
	return z
}

func evaluate(z *zoneResolver, ip netip.Addr, domain string, limit uint) spf.Result {
	res, _ := spf.CheckHostWithSender(net.IP(ip.AsSlice()), domain, "postmaster@"+domain,
		spf.WithResolver(z), spf.OverrideLookupLimit(limit), spf.OverrideVoidLookupLimit(1000))
	return res
}

// TestSweepFlattenSPFAuthorisesTheSameAddresses is the property: for random
// include trees, the flattened record, evaluated by an independent SPF
// implementation within the standard 10-lookup limit, passes exactly the
// addresses the original tree passes (evaluated without a limit): 60 trees,
// under -race the first 12 (a sweep: the SPF library's evaluations are most
// of the time, and -race finds nothing more in the 13th tree). Each tree is
// its own parallel subtest, and the 1,500 evaluations of a tree are
// compared plainly (testify's reflection, under -race, cost more than the
// evaluations).
func TestSweepFlattenSPFAuthorisesTheSameAddresses(t *testing.T) {
	t.Parallel()
	seeds := race.Pick(60, 12)
	var over atomic.Int32
	t.Run("trees", func(t *testing.T) {
		for i := range seeds {
			seed := uint64(i + 1)
			t.Run(fmt.Sprint(seed), func(t *testing.T) {
				t.Parallel()
				if flattenSameAddresses(t, seed) {
					over.Add(1)
				}
			})
		}
	})
	t.Logf("%d of %d trees need more than 10 lookups", over.Load(), seeds)
	require.Greater(t, int(over.Load()), seeds/6, "the generator must produce trees over the limit")
}

// flattenSameAddresses checks the property for one random tree and reports
// whether the tree needed more than 10 lookups.
func flattenSameAddresses(t *testing.T, seed uint64) bool {
	r := rand.New(rand.NewPCG(seed, 7))
	z := randomTree(r)
	published := z.txt["example.test"][0]
	flat, err := Flatten(context.Background(), z, "example.test", published)
	require.NoError(t, err, "seed %d: %s", seed, published)
	require.LessOrEqual(t, flat.Lookups, LookupLimit, "seed %d", seed)
	z.txt["flat.test"] = []string{flat.Record}
	src, hasSource := Source(flat.Record)
	if strings.Contains(flat.Record, FlatModifier) {
		require.True(t, hasSource, "seed %d: %s", seed, flat.Record)
		z.txt["source.test"] = []string{src}
	}
	lasts := everyLastByte()
	if seed > fullSweepSeeds {
		lasts = boundaries(z)
	}
	for i := 0; i < 256; i++ {
		// The addresses the generator's ranges can hold (all of them, or
		// one of each stretch no range boundary cuts), and a few it never
		// uses (which must stay unauthorised).
		var ips []netip.Addr
		if lasts[i] {
			ips = append(ips, netip.AddrFrom4([4]byte{192, 0, 2, byte(i)}),
				netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 15: byte(i)}))
		}
		if i%16 == 0 {
			ips = append(ips, netip.AddrFrom4([4]byte{198, 51, 100, byte(i)}))
		}
		for _, ip := range ips {
			before := evaluate(z, ip, "example.test", 1000) == spf.Pass
			after := evaluate(z, ip, "flat.test", 10)
			if after == spf.PermError {
				t.Fatalf("seed %d: flattened record %q: permerror for %s", seed, flat.Record, ip)
			}
			if before != (after == spf.Pass) {
				t.Fatalf("seed %d, %s: original passes: %v, flattened: %v\noriginal: %s\nflattened: %s", seed, ip, before, after, published, flat.Record)
			}
			if hasSource {
				if back := evaluate(z, ip, "source.test", 1000) == spf.Pass; back != before {
					t.Fatalf("seed %d, %s: the source of the flattened record passes: %v, the original: %v\n%s", seed, ip, back, before, src)
				}
			}
		}
	}
	return flat.Before > LookupLimit
}

// fullSweepSeeds are the trees whose every address is evaluated; the
// others evaluate one address of each stretch of the last byte that no
// range boundary cuts (boundaries), which the full sweeps check.
const fullSweepSeeds = 8

func everyLastByte() *[256]bool {
	var all [256]bool
	for i := range all {
		all[i] = true
	}
	return &all
}

// rangeTerm finds the ip4: and ip6: terms of a record.
var rangeTerm = regexp.MustCompile(`ip[46]:([0-9a-fA-F.:]+)(?:/([0-9]+))?`)

// boundaries returns, for the generator's two address ranges (192.0.2.0/24
// and 2001:db8::/120, which share their last byte), the last bytes where an
// SPF verdict can change: where a block starts and just after it ends, for
// every ip4:/ip6: term of every record in the zone (the original tree, the
// flattened record and its source) and every address the zone's a and mx
// terms can match, at the prefix lengths those terms ask for. No
// mechanism the generator or the flattener writes (ip4, ip6, a, mx, with or
// without a prefix) tells apart two addresses of one stretch between these
// points, so the first address of each stretch stands for the stretch.
func boundaries(z *zoneResolver) *[256]bool {
	var at [256]bool
	at[0] = true
	block := func(a netip.Addr, bits int) {
		var space netip.Prefix
		if a.Is4() {
			space = netip.MustParsePrefix("192.0.2.0/24")
		} else {
			space = netip.MustParsePrefix("2001:db8::/120")
		}
		p, err := a.Prefix(bits)
		if err != nil || p.Bits() < space.Bits() || !space.Contains(p.Addr()) {
			return // outside the space, or the whole of it: no boundary inside
		}
		raw := p.Addr().AsSlice()
		lo := int(raw[len(raw)-1])
		hi := lo + 1<<(a.BitLen()-p.Bits())
		at[lo] = true
		if hi < 256 {
			at[hi] = true
		}
	}
	for _, records := range z.txt {
		for _, r := range records {
			for _, m := range rangeTerm.FindAllStringSubmatch(r, -1) {
				a, err := netip.ParseAddr(m[1])
				if err != nil {
					continue
				}
				bits := a.BitLen()
				if m[2] != "" {
					bits, _ = strconv.Atoi(m[2])
				}
				block(a, bits)
			}
		}
	}
	// The prefix lengths a and mx terms ask for (a/30, mx/28//120), and
	// the whole address for those that ask for none.
	v4, v6 := map[int]bool{32: true}, map[int]bool{128: true}
	for _, records := range z.txt {
		for _, r := range records {
			for _, term := range strings.Fields(r) {
				m := hostTerm.FindStringSubmatch(term)
				if m == nil {
					continue
				}
				if n, err := strconv.Atoi(m[1]); err == nil {
					v4[n] = true
				}
				if n, err := strconv.Atoi(m[2]); err == nil {
					v6[n] = true
				}
			}
		}
	}
	for _, as := range z.addr {
		for _, h := range as {
			a, ok := netip.AddrFromSlice(h.IP)
			if !ok {
				continue
			}
			a = a.Unmap()
			lengths := v4
			if a.Is6() {
				lengths = v6
			}
			for bits := range lengths {
				block(a, bits)
			}
		}
	}
	return &at
}

// hostTerm reads the prefix lengths of an a or mx term: a/30, mx:host//120.
var hostTerm = regexp.MustCompile(`^[-+~?]?(?i:a|mx)(?::[^/]+)?(?:/([0-9]+))?(?://([0-9]+))?$`)

// TestBoundariesStandForEveryAddress checks the argument behind boundaries
// on the full-sweep trees: every address gets the verdict of the first
// address of its stretch, before and after flattening.
func TestBoundariesStandForEveryAddress(t *testing.T) {
	t.Parallel()
	for seed := uint64(1); seed <= fullSweepSeeds; seed++ {
		z := randomTree(rand.New(rand.NewPCG(seed, 7)))
		flat, err := Flatten(context.Background(), z, "example.test", z.txt["example.test"][0])
		require.NoError(t, err)
		z.txt["flat.test"] = []string{flat.Record}
		at := boundaries(z)
		// Every address is evaluated once; the address that stands for a
		// stretch was evaluated when the stretch began.
		addrs := [2]func(byte) netip.Addr{
			func(b byte) netip.Addr { return netip.AddrFrom4([4]byte{192, 0, 2, b}) },
			func(b byte) netip.Addr { return netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 15: b}) },
		}
		var verdict [2][2][256]spf.Result
		first := 0
		for i := range 256 {
			if at[i] {
				first = i
			}
			for f, addr := range addrs {
				for d, domain := range []string{"example.test", "flat.test"} {
					verdict[f][d][i] = evaluate(z, addr(byte(i)), domain, 1000)
					if got, want := verdict[f][d][i], verdict[f][d][first]; got != want {
						t.Fatalf("seed %d, %s: %s gives %v, but %s, which stands for it, gives %v", seed, domain, addr(byte(i)), got, addr(byte(first)), want)
					}
				}
			}
		}
	}
}

func TestFlattenSPFKeepsIncludesWithinBudget(t *testing.T) {
	t.Parallel()
	z := newZone()
	z.txt["example.test"] = []string{"v=spf1 include:small.test include:big.test ip4:203.0.113.5 ~all"}
	z.txt["small.test"] = []string{"v=spf1 ip4:192.0.2.0/28 -all"}
	var inc []string
	for i := 0; i < 12; i++ {
		n := fmt.Sprintf("b%d.test", i)
		z.txt[n] = []string{fmt.Sprintf("v=spf1 ip4:198.51.100.%d -all", i)}
		inc = append(inc, "include:"+n)
	}
	z.txt["big.test"] = []string{"v=spf1 " + strings.Join(inc, " ") + " -all"}

	flat, err := Flatten(context.Background(), z, "example.test", z.txt["example.test"][0])
	require.NoError(t, err)
	require.Equal(t, 14, flat.Before)
	require.Equal(t, 1, flat.Lookups)
	require.Equal(t, []string{"include:small.test"}, flat.Kept)
	require.Equal(t, []string{"include:big.test"}, flat.Inlined)
	require.Equal(t, "v=spf1 include:small.test ip4:198.51.100.0/29 ip4:198.51.100.8/30 ip4:203.0.113.5 ~all pitstop-flat=big.test/1/2", flat.Record)
	src, ok := Source(flat.Record)
	require.True(t, ok)
	require.Equal(t, "v=spf1 include:small.test include:big.test ip4:203.0.113.5 ~all", src)

	// Today the flattened record covers big.test; then one of its
	// includes moves to new addresses, and the record is stale.
	stale, err := Stale(context.Background(), z, "example.test", flat.Record)
	require.NoError(t, err)
	require.Empty(t, stale)
	z.txt["b3.test"] = []string{"v=spf1 ip4:192.0.2.77 -all"}
	stale, err = Stale(context.Background(), z, "example.test", flat.Record)
	require.NoError(t, err)
	require.Equal(t, []string{"big.test"}, stale)
	stale, err = Stale(context.Background(), z, "example.test", "v=spf1 ip4:192.0.2.1 -all")
	require.NoError(t, err)
	require.Empty(t, stale, "a record Pitstop did not flatten is never stale")
}

func TestFlattenSPFRefusesWhatIsNotCertain(t *testing.T) {
	t.Parallel()
	for _, rec := range []string{
		"v=spf1 ptr -all",
		"v=spf1 exists:%{i}.bl.test -all",
		"v=spf1 include:%{d}.test -all",
		"v=spf1 include:missing.test -all",
		"v=spf1 +all",
		"v=spf1 include:loop.test -all",
		"spf2.0/pra",
	} {
		z := newZone()
		z.txt["loop.test"] = []string{"v=spf1 include:loop.test -all"}
		_, err := Flatten(context.Background(), z, "example.test", rec)
		require.ErrorIs(t, err, ErrNotCertain, rec)
	}
}
