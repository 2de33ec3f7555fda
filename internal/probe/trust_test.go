package probe

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/demo"
)

// leafChain is a server chain (leaf only) signed by ca for opts.
func leafChain(t *testing.T, ca *demo.CA, opts demo.LeafOptions) []*x509.Certificate {
	t.Helper()
	leaf, err := ca.Leaf(opts)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(leaf.Certificate[0])
	require.NoError(t, err)
	return []*x509.Certificate{cert}
}

// countRoots makes t count how often it loads every root.
func countRoots(t *Trust) *int {
	n := new(int)
	all := t.roots
	t.roots = func() *x509.CertPool { *n++; return all() }
	return n
}

// TestVerifyTriesCAFileFirst: a chain ca_file vouches for is accepted
// without the system's roots; any other verdict is that of every root.
func TestVerifyTriesCAFileFirst(t *testing.T) {
	t.Parallel()
	ca, caFile := newCA(t)
	other, _ := newCA(t)
	trust, err := LoadTrust(caFile, "ca_file")
	require.NoError(t, err)
	loads := countRoots(trust)

	require.NoError(t, trust.Verify(leafChain(t, ca, demo.LeafOptions{}), "127.0.0.1", time.Now()))
	require.NoError(t, trust.Verify(leafChain(t, ca, demo.LeafOptions{}), "localhost", time.Now()))
	require.Zero(t, *loads, "the system's roots are not needed")

	err = trust.Verify(leafChain(t, other, demo.LeafOptions{}), "127.0.0.1", time.Now())
	require.ErrorAs(t, err, new(x509.UnknownAuthorityError))
	require.Equal(t, 1, *loads, "a chain ca_file does not vouch for is checked against every root")

	err = trust.Verify(leafChain(t, ca, demo.LeafOptions{Hosts: []string{"other.example"}}), "127.0.0.1", time.Now())
	require.ErrorAs(t, err, new(x509.HostnameError))
	err = trust.Verify(leafChain(t, ca, demo.LeafOptions{}), "127.0.0.1", time.Now().Add(72*time.Hour))
	var inv x509.CertificateInvalidError
	require.ErrorAs(t, err, &inv)
	require.Equal(t, x509.Expired, inv.Reason)
	require.Error(t, trust.Verify(nil, "127.0.0.1", time.Now()))

	// Without a ca_file there is nothing to try first.
	plain, err := LoadTrust("", "")
	require.NoError(t, err)
	require.NotNil(t, plain.TLSConfig("example.com").RootCAs)
	require.False(t, VerifiedBy(plain.TLSConfig("example.com")))
}

// TestTrustTLSConfigHandshake: with a ca_file, the handshake is checked in
// VerifyConnection and fails as crypto/tls's own check does.
func TestTrustTLSConfigHandshake(t *testing.T) {
	t.Parallel()
	ca, caFile := newCA(t)
	other, _ := newCA(t)
	trust, err := LoadTrust(caFile, "ca_file")
	require.NoError(t, err)
	for _, c := range []struct {
		name   string
		signer *demo.CA
		want   error
	}{
		{"ca_file's", ca, nil},
		{"another CA's", other, x509.UnknownAuthorityError{}},
	} {
		conf, err := c.signer.ServerTLS(demo.LeafOptions{})
		require.NoError(t, err)
		ln, err := tls.Listen("tcp", "127.0.0.1:0", conf)
		require.NoError(t, err)
		go func() {
			s, err := ln.Accept()
			if err == nil {
				_ = s.(*tls.Conn).Handshake()
				_ = s.Close()
			}
		}()
		raw, err := net.Dial("tcp", ln.Addr().String())
		require.NoError(t, err)
		client := tls.Client(raw, trust.TLSConfig("127.0.0.1"))
		err = client.Handshake()
		_ = client.Close()
		_ = ln.Close()
		if c.want == nil {
			require.NoError(t, err, c.name)
			continue
		}
		var cve *tls.CertificateVerificationError
		require.ErrorAs(t, err, &cve, c.name)
		require.True(t, errors.As(err, new(x509.UnknownAuthorityError)), c.name)
	}
}

// TestSSLCertFileChangeCounts: the parsed system roots are kept per
// SSL_CERT_FILE as last seen, so a file rewritten in place is read again.
func TestSSLCertFileChangeCounts(t *testing.T) {
	// Not parallel: it sets SSL_CERT_FILE.
	first, firstFile := newCA(t)
	second, secondFile := newCA(t)
	path := filepath.Join(t.TempDir(), "bundle.pem")
	copyFile := func(from string) {
		data, err := os.ReadFile(from)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(path, data, 0o600))
	}
	copyFile(firstFile)
	t.Setenv("SSL_CERT_FILE", path)
	for range 2 { // the second time from the kept pool
		trust, err := LoadTrust("", "")
		require.NoError(t, err)
		require.NoError(t, trust.Verify(leafChain(t, first, demo.LeafOptions{}), "127.0.0.1", time.Now()))
		require.Error(t, trust.Verify(leafChain(t, second, demo.LeafOptions{}), "127.0.0.1", time.Now()))
	}
	copyFile(secondFile)
	later := time.Now().Add(time.Minute)
	require.NoError(t, os.Chtimes(path, later, later))
	trust, err := LoadTrust("", "")
	require.NoError(t, err)
	require.NoError(t, trust.Verify(leafChain(t, second, demo.LeafOptions{}), "127.0.0.1", time.Now()))
	require.Error(t, trust.Verify(leafChain(t, first, demo.LeafOptions{}), "127.0.0.1", time.Now()))
}

// TestSSLCertFileVerdictFollowsChanges: whether SSL_CERT_FILE can be used is
// kept per file state, so a bundle fixed (or broken) since the last client
// is judged again.
func TestSSLCertFileVerdictFollowsChanges(t *testing.T) {
	// Not parallel: it sets SSL_CERT_FILE.
	_, caFile := newCA(t)
	path := filepath.Join(t.TempDir(), "bundle.pem")
	require.NoError(t, os.WriteFile(path, []byte("not a certificate\n"), 0o600))
	t.Setenv("SSL_CERT_FILE", path)
	findings := func() []string {
		trust, err := LoadTrust("", "")
		require.NoError(t, err)
		return trust.Findings
	}
	for range 2 { // the second time from the kept verdict
		got := findings()
		require.Len(t, got, 1)
		require.Contains(t, got[0], "SSL_CERT_FILE "+path+" holds no PEM certificate")
	}
	data, err := os.ReadFile(caFile)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, data, 0o600))
	require.Empty(t, findings(), "the bundle fixed since is used")
	require.NoError(t, os.WriteFile(path, []byte("broken again, and longer than before: not PEM at all\n"), 0o600))
	require.Len(t, findings(), 1, "the bundle broken since is refused")
}

// TestLastSeenKeepsOneEntryPerName: a changed state replaces the value
// kept for a name, so a file that changes all day (pitstop serve) holds one
// entry, and the same state is not computed twice.
func TestLastSeenKeepsOneEntryPerName(t *testing.T) {
	t.Parallel()
	var l lastSeen[int]
	computed := 0
	for i := range 100 {
		state := strconv.Itoa(i)
		for range 2 {
			got := l.get("bundle.pem", state, func() int { computed++; return i })
			require.Equal(t, i, got)
		}
	}
	require.Equal(t, 100, computed, "each state once")
	names := 0
	l.m.Range(func(any, any) bool { names++; return true })
	require.Equal(t, 1, names)
}

// TestLastSeenComputesOnceForConcurrentCallers: callers that ask for the
// same name and state at the same moment get one computation's answer;
// a caller with another state meanwhile replaces it, and is not lost.
func TestLastSeenComputesOnceForConcurrentCallers(t *testing.T) {
	t.Parallel()
	var l lastSeen[int]
	var computed atomic.Int32
	start := make(chan struct{})
	var wg sync.WaitGroup
	got := make([]int, 16)
	for i := range got {
		wg.Go(func() {
			<-start
			got[i] = l.get("bundle.pem", "v1", func() int {
				computed.Add(1)
				// A bundle takes a while to parse: long enough for every
				// caller to arrive while the first computes (the answer
				// does not depend on it; a second computation would).
				time.Sleep(50 * time.Millisecond)
				return 1
			})
		})
	}
	close(start)
	wg.Wait()
	require.Equal(t, int32(1), computed.Load(), "one computation for one state")
	require.Equal(t, slices.Repeat([]int{1}, len(got)), got)

	// Two states asked for together (a file changing while a run starts):
	// every caller gets its own state's value, never the other's.
	computed.Store(0)
	start = make(chan struct{})
	for i := range got {
		state, want := "v2", 2
		if i%2 == 1 {
			state, want = "v3", 3
		}
		wg.Go(func() {
			<-start
			v := l.get("bundle.pem", state, func() int { computed.Add(1); return want })
			if v != want {
				t.Errorf("state %s: got %d", state, v)
			}
		})
	}
	close(start)
	wg.Wait()
	require.GreaterOrEqual(t, int(computed.Load()), 2, "each state computed")
}
