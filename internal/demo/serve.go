package demo

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// listenLoopback listens on addr, or on 127.0.0.1 on a free port when addr
// is empty; what names the service in the error.
func listenLoopback(what, addr string) (net.Listener, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s sandbox: %w", what, err)
	}
	return ln, nil
}

// httpSandbox is the HTTP plumbing the API and CRM sandboxes share: a
// loopback listener, a server that logs nothing, and a closing channel that
// wakes the handlers that hang on purpose.
type httpSandbox struct {
	srv     *http.Server
	ln      net.Listener
	closing chan struct{}
	once    sync.Once
}

// newHTTPSandbox listens for a sandbox; start serves once TLS (if any) is set.
func newHTTPSandbox(what, addr string, h http.HandlerFunc) (*httpSandbox, error) {
	ln, err := listenLoopback(what, addr)
	if err != nil {
		return nil, err
	}
	return &httpSandbox{
		srv:     &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(io.Discard, "", 0)},
		ln:      ln,
		closing: make(chan struct{}),
	}, nil
}

// start serves in the background, over TLS when srv.TLSConfig is set.
func (h *httpSandbox) start() {
	go func() {
		if h.srv.TLSConfig != nil {
			_ = h.srv.ServeTLS(h.ln, "", "")
		} else {
			_ = h.srv.Serve(h.ln)
		}
	}()
}

// close wakes the hanging handlers and stops the server, ending open
// requests at once. The listener is closed here too: Serve may not have
// taken it yet, and nothing may be accepted after close returns.
func (h *httpSandbox) close() error {
	var err error
	h.once.Do(func() {
		close(h.closing)
		err = h.srv.Close()
		_ = h.ln.Close()
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
	})
	return err
}

// writeGarbage hijacks the connection, writes bytes that are not an HTTP
// response and hangs up.
func writeGarbage(w http.ResponseWriter, garbage string) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		w.WriteHeader(http.StatusTeapot)
		return
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	_, _ = buf.WriteString(garbage)
	_ = buf.Flush()
}

// writeJSON writes v as JSON with a status and a content type.
func writeJSON(w http.ResponseWriter, status int, contentType string, v any) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// randomHex returns n random bytes in hex (2n characters).
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// authToken returns the credential of an Authorization header that uses
// one of the schemes ("Bearer ", "OAuth "), or "".
func authToken(r *http.Request, schemes ...string) string {
	a := r.Header.Get("Authorization")
	for _, scheme := range schemes {
		if len(a) > len(scheme) && strings.EqualFold(a[:len(scheme)], scheme) {
			return strings.TrimSpace(a[len(scheme):])
		}
	}
	return ""
}
