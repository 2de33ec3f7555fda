package probe

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"pitstop/internal/safefile"
)

// Trust is Pitstop's one trust decision, shared by every TLS client (the AI
// API, the CRM, SMTP, Redis, the monitor's alert mail): the system's roots as
// Go finds them (SSL_CERT_FILE, SSL_CERT_DIR, else the system bundle), plus
// the profile's ca_file. An extra file adds to the system roots, never
// replaces them.
type Trust struct {
	Roots *x509.CertPool
	// Findings are problems that did not stop the trust from being built,
	// for a result's details: an unreadable SSL_CERT_FILE.
	Findings []string
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
// SSL_CERT_DIR is only a finding: the system bundle and ca_file are still
// trusted. Every check that makes a TLS connection shows the findings in
// its details.
func LoadTrust(caFile, setting string) (*Trust, error) {
	t := &Trust{}
	certFile, certDir := os.Getenv("SSL_CERT_FILE"), ""
	if readsCertDir {
		certDir = os.Getenv("SSL_CERT_DIR")
	}
	fileProblem := ""
	if certFile != "" {
		fileProblem = unusable(certFile)
	}
	if fileProblem != "" || certDir != "" {
		// Go would read SSL_CERT_FILE whole, and every entry of SSL_CERT_DIR
		// with a plain read (a FIFO there hangs it, /dev/zero eats the
		// memory): Pitstop reads them itself, each file knowing what it is.
		t.Roots = x509.NewCertPool()
		if fileProblem != "" {
			t.Findings = append(t.Findings, fmt.Sprintf("SSL_CERT_FILE %s %s; the system's certificates are trusted instead", certFile, fileProblem))
		}
		if certFile != "" && fileProblem == "" {
			if err := appendPEMFile(t.Roots, certFile, "SSL_CERT_FILE"); err != nil {
				t.Findings = append(t.Findings, err.Error()+"; the system's certificates are trusted instead")
				appendSystemBundle(t.Roots)
			}
		} else {
			appendSystemBundle(t.Roots)
		}
		if certDir != "" {
			t.Findings = append(t.Findings, appendCertDirs(t.Roots, certDir)...)
		}
	} else {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
			if certFile != "" {
				t.Findings = append(t.Findings, "SSL_CERT_FILE holds no certificate Go can read; only ca_file is trusted")
			}
		}
		t.Roots = pool
		if certFile != "" {
			// Go reads it once per process; read it again so a change made
			// since (and a test's) counts, and so a bad one is said.
			if err := appendPEMFile(t.Roots, certFile, "SSL_CERT_FILE"); err != nil {
				t.Findings = append(t.Findings, err.Error()+"; the system's certificates are trusted instead")
			}
		}
	}
	if caFile != "" {
		if err := appendPEMFile(t.Roots, caFile, setting); err != nil {
			return nil, err
		}
	}
	return t, nil
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

// maxCertDirFiles bounds how many entries of SSL_CERT_DIR are read (the
// system's folder holds a few hundred).
const maxCertDirFiles = 10000

// appendCertDirs adds the certificates of every regular file in the
// folders of SSL_CERT_DIR (separated by colons, as Go reads it) and returns
// the findings: a folder that cannot be read, an entry that is a FIFO, a
// device or a socket (skipped, never opened for a blocking read), a file
// too large, or folders that hold no certificate at all.
func appendCertDirs(pool *x509.CertPool, dirs string) []string {
	var findings []string
	found, read := false, 0
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
			if read >= maxCertDirFiles {
				findings = append(findings, fmt.Sprintf("SSL_CERT_DIR holds more than %d files; the rest were not read", maxCertDirFiles))
				return findings
			}
			path := filepath.Join(dir, e.Name())
			st, err := os.Stat(path) // a link counts as what it points to
			if err != nil || st.IsDir() {
				continue // a broken link or a sub-folder: Go skips them too
			}
			read++
			data, err := safefile.Read(path, "SSL_CERT_DIR entry", safefile.MaxCerts)
			if err != nil {
				findings = append(findings, err.Error()+"; it was skipped")
				continue
			}
			if pool.AppendCertsFromPEM(data) {
				found = true
			}
		}
	}
	if !found && len(findings) == 0 {
		findings = append(findings, fmt.Sprintf("SSL_CERT_DIR %s holds no certificate; only the system bundle and ca_file are trusted", dirs))
	}
	return findings
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

// TLSConfig is the client configuration every TLS connection uses.
func (t *Trust) TLSConfig(serverName string) *tls.Config {
	return &tls.Config{RootCAs: t.Roots, ServerName: serverName, MinVersion: tls.VersionTLS12}
}
