// Package connserver is the TCP plumbing the sandbox's Redis and the
// test-only hostile servers share: an accept loop that tracks every
// connection, so that closing the server ends them all and waits for their
// goroutines.
package connserver

import (
	"net"
	"sync"
)

// Server accepts connections on one listener and tracks them.
type Server struct {
	ln      net.Listener
	done    chan struct{} // closed by Shutdown: hanging handlers wake on it
	wg      sync.WaitGroup
	once    sync.Once
	connsMu sync.Mutex
	conns   map[net.Conn]struct{}
}

// New wraps a listener; Serve starts accepting on it.
func New(ln net.Listener) *Server {
	return &Server{ln: ln, done: make(chan struct{}), conns: map[net.Conn]struct{}{}}
}

// Done is closed when the server shuts down.
func (t *Server) Done() <-chan struct{} { return t.done }

// Go runs work in a goroutine that Shutdown waits for.
func (t *Server) Go(work func()) {
	t.wg.Add(1)
	go func() {
		defer t.wg.Done()
		work()
	}()
}

// Serve accepts connections in the background. admit runs in the accept
// loop for each new connection and returns the work to run on it in a
// goroutine of its own, or nil when it has dealt with (and closed) it.
func (t *Server) Serve(admit func(c net.Conn) func()) {
	t.Go(func() {
		for {
			c, err := t.ln.Accept()
			if err != nil {
				return
			}
			work := admit(c)
			if work == nil {
				continue
			}
			t.connsMu.Lock()
			select {
			case <-t.done:
				t.connsMu.Unlock()
				_ = c.Close()
				return
			default:
			}
			t.conns[c] = struct{}{}
			t.connsMu.Unlock()
			t.Go(func() {
				defer func() {
					t.connsMu.Lock()
					delete(t.conns, c)
					t.connsMu.Unlock()
					_ = c.Close()
				}()
				work()
			})
		}
	})
}

// Shutdown stops accepting, runs also (more to stop, or nil), ends every
// connection and waits for their goroutines. Only the first call acts.
func (t *Server) Shutdown(also func()) error {
	var err error
	t.once.Do(func() {
		close(t.done)
		err = t.ln.Close()
		if also != nil {
			also()
		}
		t.connsMu.Lock()
		for c := range t.conns {
			_ = c.Close()
		}
		t.connsMu.Unlock()
		t.wg.Wait()
	})
	return err
}
