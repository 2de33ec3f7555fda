package probe

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"

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
// names one cannot go on without it. An unusable SSL_CERT_FILE is only a
// finding: the system bundle and ca_file are still trusted.
func LoadTrust(caFile, setting string) (*Trust, error) {
	t := &Trust{}
	if env := os.Getenv("SSL_CERT_FILE"); env != "" {
		if problem := unusable(env); problem != "" {
			t.Findings = append(t.Findings, fmt.Sprintf("SSL_CERT_FILE %s %s; the system's certificates are trusted instead", env, problem))
			t.Roots = x509.NewCertPool()
			for _, f := range systemBundles {
				if data, err := safefile.Read(f, "", safefile.MaxCerts); err == nil && t.Roots.AppendCertsFromPEM(data) {
					break
				}
			}
		}
	}
	if t.Roots == nil {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
			if os.Getenv("SSL_CERT_FILE") != "" {
				t.Findings = append(t.Findings, "SSL_CERT_FILE holds no certificate Go can read; only ca_file is trusted")
			}
		}
		t.Roots = pool
		if env := os.Getenv("SSL_CERT_FILE"); env != "" {
			// Go reads it once per process; read it again so a change made
			// since (and a test's) counts, and so a bad one is said.
			if err := appendPEMFile(t.Roots, env, "SSL_CERT_FILE"); err != nil {
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
