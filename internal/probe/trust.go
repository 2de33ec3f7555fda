package probe

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"pitstop/internal/safefile"
)

// Trust is Pitstop's one trust decision, shared by every TLS client (the AI
// API, the CRM, SMTP, Redis, the monitor's alert mail): the system's roots as
// Go finds them (SSL_CERT_FILE, SSL_CERT_DIR, else the system bundle), plus
// the profile's ca_file. An extra file adds to the system roots, never
// replaces them.
//
// Parsing the system's roots (about 140 certificates, twice as many files
// with SSL_CERT_DIR) costs 7 to 11 ms of CPU, a quarter of a short check.
// A certificate that ca_file alone vouches for needs none of them: a chain
// that verifies against part of the roots verifies against all of them. So
// with a ca_file, a chain is tried against ca_file first, and the system's
// roots are parsed only when that fails; the verdict is always that of
// both together.
type Trust struct {
	// Findings are problems that did not stop the trust from being built,
	// for a result's details: an unreadable SSL_CERT_FILE.
	Findings []string

	extra *x509.CertPool        // ca_file's certificates; nil without one
	roots func() *x509.CertPool // the system's roots plus extra, parsed once, on first use
}

// systemBundles are where Linux distributions keep the system roots; they
// are read when SSL_CERT_FILE names something unusable, which Go would
// otherwise read whole (a /dev/zero there would eat the memory).
var systemBundles = []string{
	"/etc/ssl/certs/ca-certificates.crt",
	"/etc/pki/tls/certs/ca-bundle.crt",
	"/etc/ssl/ca-bundle.pem",
	"/etc/pki/tls/cacert.pem",
	"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
	"/etc/ssl/cert.pem",
}

// LoadTrust builds the trusted roots. caFile, named by setting in errors
// ("smtp.ca_file"), must be readable and hold a certificate: a check that
// names one cannot go on without it. An unusable SSL_CERT_FILE or
// SSL_CERT_DIR entry is only a finding: the system bundle and ca_file are
// still trusted. Every check that makes a TLS connection shows the findings
// in its details. The system's roots themselves are parsed when first
// needed (Roots, Verify).
func LoadTrust(caFile, setting string) (*Trust, error) {
	t := &Trust{}
	var extraPEM []byte
	if caFile != "" {
		data, err := safefile.Read(caFile, setting, safefile.MaxCerts)
		if err != nil {
			return nil, fmt.Errorf("cannot read %w", err)
		}
		t.extra = x509.NewCertPool()
		if !t.extra.AppendCertsFromPEM(data) {
			return nil, fmt.Errorf("%s %s holds no PEM certificate (expected -----BEGIN CERTIFICATE----- blocks)", setting, caFile)
		}
		extraPEM = data
	}
	env := os.Getenv("SSL_CERT_FILE")
	envUsable := false
	if env != "" {
		var finding string
		if finding, envUsable = certFileVerdict(env); finding != "" {
			t.Findings = append(t.Findings, finding)
		}
	}
	// An SSL_CERT_FILE that cannot be used is left out of Go's hands: Go
	// would read it instead of the system bundle, so the bundle is read
	// here, as the finding says.
	envUnusable := env != "" && !envUsable
	if certDir := os.Getenv("SSL_CERT_DIR"); readsCertDir && certDir != "" {
		// Go would read every entry of SSL_CERT_DIR with a plain read (a
		// FIFO there hangs it, /dev/zero eats the memory): Pitstop reads
		// them itself. What is wrong with the folders is known now from
		// their entries alone, for the details; the certificates are parsed
		// only when ca_file does not vouch for a server, once a process.
		files, findings := scanCertDirsOnce(certDir)
		t.Findings = append(t.Findings, findings...)
		t.roots = sync.OnceValue(func() *x509.CertPool {
			pool := certDirPool(env, envUsable, certDir, files)
			pool.AppendCertsFromPEM(extraPEM)
			return pool
		})
		return t, nil
	}
	t.roots = sync.OnceValue(func() *x509.CertPool {
		var pool *x509.CertPool
		if envUnusable {
			pool = x509.NewCertPool()
			appendSystemBundle(pool)
		} else {
			pool = systemPool(env, envUsable)
		}
		pool.AppendCertsFromPEM(extraPEM)
		return pool
	})
	return t, nil
}

// systemPools holds the system's roots with SSL_CERT_FILE's certificates,
// for SSL_CERT_FILE as last seen: parsed once a process, not once a check
// (`pitstop serve` runs checks all day).
var systemPools lastSeen[*x509.CertPool] // never changed: callers get a clone

// systemPool returns a copy of the system's roots plus SSL_CERT_FILE's
// (env, when usable). Go reads SSL_CERT_FILE once per process; it is read
// again here, so a change made since (and a test's) counts.
func systemPool(env string, usable bool) *x509.CertPool {
	name, state := "", ""
	if usable {
		name, state = env, fileState(env)
	}
	return systemPools.get(name, state, func() *x509.CertPool {
		pool, _ := x509.SystemCertPool()
		if pool == nil {
			pool = x509.NewCertPool()
		}
		if usable {
			if data, err := safefile.Read(env, "SSL_CERT_FILE", safefile.MaxCerts); err == nil {
				pool.AppendCertsFromPEM(data)
			}
		}
		return pool
	}).Clone()
}

// TrustPool is a Trust with exactly these roots (a test's, or a caller's
// that replaces the system's).
func TrustPool(pool *x509.CertPool) *Trust {
	return &Trust{roots: func() *x509.CertPool { return pool }}
}

// holdsCertificate reports whether a PEM bundle has a certificate Go can
// parse; it stops at the first, where loading the pool would parse all.
func holdsCertificate(data []byte) bool {
	for len(data) > 0 {
		var block *pem.Block
		if block, data = pem.Decode(data); block == nil {
			return false
		}
		if block.Type == "CERTIFICATE" && len(block.Headers) == 0 {
			if _, err := x509.ParseCertificate(block.Bytes); err == nil {
				return true
			}
		}
	}
	return false
}

// Roots is every trusted root: the system's plus ca_file. The first call
// parses the system's.
func (t *Trust) Roots() *x509.CertPool { return t.roots() }

// Verify checks a server's chain (leaf first) for host at now, against
// ca_file alone first, then against every root. A failure is the whole
// pool's verdict, as crypto/tls gives it.
func (t *Trust) Verify(chain []*x509.Certificate, host string, now time.Time) error {
	if len(chain) == 0 {
		return errors.New("the server sent no certificate")
	}
	opts := x509.VerifyOptions{DNSName: host, Intermediates: x509.NewCertPool(), CurrentTime: now}
	for _, c := range chain[1:] {
		opts.Intermediates.AddCert(c)
	}
	if t.extra != nil {
		opts.Roots = t.extra
		if _, err := chain[0].Verify(opts); err == nil {
			return nil
		}
	}
	opts.Roots = t.Roots()
	_, err := chain[0].Verify(opts)
	return err
}

// TLSConfig is the client configuration every TLS connection to serverName
// uses (the host name or IP address the certificate must cover). With a
// ca_file, the chain is checked by Verify in VerifyConnection (crypto/tls
// would need every root up front); the handshake fails the same way, with
// a *tls.CertificateVerificationError.
func (t *Trust) TLSConfig(serverName string) *tls.Config {
	if t.extra == nil || serverName == "" {
		return &tls.Config{RootCAs: t.Roots(), ServerName: serverName, MinVersion: tls.VersionTLS12}
	}
	return &tls.Config{
		ServerName:         serverName,
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: true, // verified in VerifyConnection, on every handshake
		VerifyConnection: func(cs tls.ConnectionState) error {
			if err := t.Verify(cs.PeerCertificates, serverName, time.Now()); err != nil {
				return &tls.CertificateVerificationError{UnverifiedCertificates: cs.PeerCertificates, Err: err}
			}
			return nil
		},
	}
}

// VerifiedBy reports whether conf (from TLSConfig) checks certificates in
// VerifyConnection: a handshake that finished was then verified, though
// crypto/tls leaves ConnectionState.VerifiedChains empty.
func VerifiedBy(conf *tls.Config) bool {
	return conf != nil && conf.InsecureSkipVerify && conf.VerifyConnection != nil
}

// appendSystemBundle adds the first system bundle that holds certificates.
func appendSystemBundle(pool *x509.CertPool) {
	for _, f := range systemBundles {
		if data, err := safefile.Read(f, "", safefile.MaxCerts); err == nil && pool.AppendCertsFromPEM(data) {
			return
		}
	}
}

// readsCertDir is whether Go reads SSL_CERT_DIR here: on macOS and Windows
// it asks the system instead, and so does Pitstop.
var readsCertDir = runtime.GOOS != "darwin" && runtime.GOOS != "ios" && runtime.GOOS != "windows"

// certDirPools holds the roots SSL_CERT_DIR's files (and SSL_CERT_FILE's,
// or the system bundle) give, for those files as last seen.
var certDirPools lastSeen[*x509.CertPool] // never changed: callers get a clone

// certDirPool returns a copy of the roots the files of SSL_CERT_DIR (and
// SSL_CERT_FILE when usable, else the system bundle) give.
func certDirPool(env string, envUsable bool, dirs string, files []string) *x509.CertPool {
	name := dirs + "\x00" + strconv.FormatBool(envUsable)
	var state strings.Builder
	if envUsable {
		name += "\x00" + env
		state.WriteString(fileState(env))
	}
	for _, dir := range filepath.SplitList(dirs) {
		state.WriteString("\x00" + fileState(dir))
	}
	return certDirPools.get(name, state.String(), func() *x509.CertPool {
		pool := x509.NewCertPool()
		if envUsable {
			if data, err := safefile.Read(env, "SSL_CERT_FILE", safefile.MaxCerts); err == nil {
				pool.AppendCertsFromPEM(data)
			}
		} else {
			appendSystemBundle(pool)
		}
		for _, f := range files {
			if data, err := safefile.Read(f, "SSL_CERT_DIR entry", safefile.MaxCerts); err == nil {
				pool.AppendCertsFromPEM(data)
			}
		}
		return pool
	}).Clone()
}

// maxCertDirFiles bounds how many entries of SSL_CERT_DIR are read (the
// system's folder holds a few hundred).
const maxCertDirFiles = 10000

// certFileVerdicts holds, for SSL_CERT_FILE as last seen, whether it can
// be used and the finding when not: every client a run makes would
// otherwise read the whole bundle (about 200 KiB) again to find its first
// certificate.
var certFileVerdicts lastSeen[certFileVerdictOf]

type certFileVerdictOf struct {
	finding string
	usable  bool
}

// certFileVerdict says whether SSL_CERT_FILE (env) can be used and, when it
// cannot, the finding that says why.
func certFileVerdict(env string) (finding string, usable bool) {
	v := certFileVerdicts.get(env, fileState(env), func() certFileVerdictOf {
		if problem := unusable(env); problem != "" {
			return certFileVerdictOf{finding: fmt.Sprintf("SSL_CERT_FILE %s %s; the system's certificates are trusted instead", env, problem)}
		}
		data, err := safefile.Read(env, "SSL_CERT_FILE", safefile.MaxCerts)
		if err != nil {
			return certFileVerdictOf{finding: fmt.Sprintf("cannot read %s; the system's certificates are trusted instead", err)}
		}
		if !holdsCertificate(data) {
			return certFileVerdictOf{finding: fmt.Sprintf("SSL_CERT_FILE %s holds no PEM certificate (expected -----BEGIN CERTIFICATE----- blocks); the system's certificates are trusted instead", env)}
		}
		return certFileVerdictOf{usable: true}
	})
	return v.finding, v.usable
}

// lastSeen remembers, per name (a file, a folder, SSL_CERT_DIR's list),
// the value computed for its state as last seen (fileState). A changed
// state replaces the value, so `pitstop serve` keeps one entry per name
// however often the files change. Safe for concurrent use: a run starts
// its clients (API, CRM, SMTP, Redis, BIMI) together, and the first of them
// to ask for a state computes it while the others wait for that answer
// rather than each parsing the same bundle or scanning the same folders.
type lastSeen[T any] struct{ m sync.Map } // name → *seenAs[T]

type seenAs[T any] struct {
	state string
	v     func() T // sync.OnceValue of the computation
}

func (l *lastSeen[T]) get(name, state string, compute func() T) T {
	if cur, ok := l.m.Load(name); ok && cur.(*seenAs[T]).state == state {
		return cur.(*seenAs[T]).v()
	}
	next := &seenAs[T]{state: state, v: sync.OnceValue(compute)}
	for {
		cur, loaded := l.m.LoadOrStore(name, next)
		if !loaded {
			return next.v()
		}
		if e := cur.(*seenAs[T]); e.state == state {
			return e.v()
		}
		if l.m.CompareAndSwap(name, cur, next) {
			return next.v()
		}
	}
}

// fileState is what changes when a file or folder does (mode, size,
// modification time), "-" when it cannot be stated.
func fileState(path string) string {
	st, err := os.Stat(path)
	if err != nil {
		return "-"
	}
	return fmt.Sprintf("%v %d %d", st.Mode(), st.Size(), st.ModTime().UnixNano())
}

// certDirScans holds scanCertDirs' answer for SSL_CERT_DIR as last seen
// (each folder's state changes when an entry is added, removed or
// renamed): every client a run makes (API, CRM, SMTP, Redis, BIMI) would
// otherwise stat and readlink each entry again.
var certDirScans lastSeen[certDirScan]

type certDirScan struct{ files, findings []string }

// scanCertDirsOnce is scanCertDirs, remembered while the folders stay as
// they were. The slices are shared: callers copy before appending.
func scanCertDirsOnce(dirs string) (files, findings []string) {
	var state strings.Builder
	for _, dir := range filepath.SplitList(dirs) {
		state.WriteString("\x00" + fileState(dir))
	}
	scan := certDirScans.get(dirs, state.String(), func() certDirScan {
		files, findings := scanCertDirs(dirs)
		return certDirScan{slices.Clip(files), slices.Clip(findings)}
	})
	return scan.files, scan.findings
}

// scanCertDirs lists the regular files of the folders of SSL_CERT_DIR
// (separated by colons, as Go reads it) without reading them, and returns
// the findings: a folder that cannot be read, an entry that is a FIFO, a
// device or a socket (skipped, never opened for a blocking read), a file
// too large, or folders that hold no file at all.
func scanCertDirs(dirs string) (files, findings []string) {
	for _, dir := range filepath.SplitList(dirs) {
		if dir == "" {
			continue
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			problem := "cannot be read (" + err.Error() + ")"
			if errors.Is(err, fs.ErrNotExist) {
				problem = "does not exist"
			} else if st, serr := os.Stat(dir); serr == nil && !st.IsDir() {
				problem = "is not a folder"
			}
			findings = append(findings, fmt.Sprintf("SSL_CERT_DIR %s %s; its certificates are not trusted", dir, problem))
			continue
		}
		for _, e := range entries {
			if len(files) >= maxCertDirFiles {
				findings = append(findings, fmt.Sprintf("SSL_CERT_DIR holds more than %d files; the rest were not read", maxCertDirFiles))
				return files, findings
			}
			path := filepath.Join(dir, e.Name())
			if sameDirLink(path, e) {
				continue // the hash names c_rehash makes: Go skips them too
			}
			st, err := os.Stat(path) // a link counts as what it points to
			if err != nil || st.IsDir() {
				continue // a broken link or a sub-folder: Go skips them too
			}
			if err := safefile.Refusal(path, "SSL_CERT_DIR entry", st, safefile.MaxCerts); err != nil {
				findings = append(findings, err.Error()+"; it was skipped") // said from the stat: nothing opened
				continue
			}
			files = append(files, path)
		}
	}
	if len(files) == 0 && len(findings) == 0 {
		findings = append(findings, fmt.Sprintf("SSL_CERT_DIR %s holds no certificate file; only the system bundle and ca_file are trusted", dirs))
	}
	return files, findings
}

// sameDirLink reports whether entry is a link to a file of its own folder
// (a target without a slash), as Go's reading of SSL_CERT_DIR skips.
func sameDirLink(path string, e fs.DirEntry) bool {
	if e.Type()&fs.ModeSymlink == 0 {
		return false
	}
	target, err := os.Readlink(path)
	return err == nil && !strings.Contains(target, "/")
}

// unusable says why SSL_CERT_FILE cannot be read safely, or "".
func unusable(path string) string {
	st, err := os.Stat(path)
	switch {
	case err != nil:
		return "cannot be read (" + err.Error() + ")"
	case !st.Mode().IsRegular():
		return "is not a regular file"
	case st.Size() > safefile.MaxCerts:
		return "is too large for a certificate bundle"
	}
	return ""
}
