package mail

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"
)

// longAgo is a deadline in the past: it makes every pending read or write
// return at once.
var longAgo = time.Unix(1, 0)

// deadlineConn keeps every deadline within the current phase's budget. go-smtp
// sets its own deadline before each command and clears it afterwards; here
// those calls are clamped to the phase deadline, and a cancelled context
// turns every deadline into one in the past, so no read outlives its check.
type deadlineConn struct {
	net.Conn
	mu        sync.Mutex
	limit     time.Time
	cancelled bool
	read      int64 // bytes read so far, against maxServerBytes
}

// maxServerBytes bounds what a whole conversation reads from the server: a
// real one sends a few KiB, and one that sends without end (a greeting of
// endless continuation lines) must not fill the memory.
const maxServerBytes = 256 << 10

// errTooMuch is what a read past maxServerBytes returns.
var errTooMuch = errors.New("the server sent more than 256 KiB, far more than any SMTP conversation needs")

// Read implements net.Conn within maxServerBytes.
func (c *deadlineConn) Read(b []byte) (int, error) {
	left := maxServerBytes - c.read
	if left <= 0 {
		return 0, errTooMuch
	}
	if int64(len(b)) > left {
		b = b[:left]
	}
	n, err := c.Conn.Read(b)
	c.read += int64(n)
	return n, err
}

func (c *deadlineConn) clamp(t time.Time) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.cancelled:
		return longAgo
	case c.limit.IsZero():
		return t
	case t.IsZero() || t.After(c.limit):
		return c.limit
	}
	return t
}

// SetDeadline implements net.Conn within the phase budget.
func (c *deadlineConn) SetDeadline(t time.Time) error { return c.Conn.SetDeadline(c.clamp(t)) }

// SetReadDeadline implements net.Conn within the phase budget.
func (c *deadlineConn) SetReadDeadline(t time.Time) error {
	return c.Conn.SetReadDeadline(c.clamp(t))
}

// SetWriteDeadline implements net.Conn within the phase budget.
func (c *deadlineConn) SetWriteDeadline(t time.Time) error {
	return c.Conn.SetWriteDeadline(c.clamp(t))
}

// bind limits the connection to deadline and to ctx until release is called.
func (c *deadlineConn) bind(ctx context.Context, deadline time.Time) (release func()) {
	c.mu.Lock()
	c.limit, c.cancelled = deadline, false
	c.mu.Unlock()
	_ = c.Conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, c.abort)
	return func() {
		stop()
		c.mu.Lock()
		c.limit = time.Time{}
		cancelled := c.cancelled
		c.mu.Unlock()
		if !cancelled {
			_ = c.Conn.SetDeadline(time.Time{})
		}
	}
}

// abort makes every pending and future read or write fail at once.
func (c *deadlineConn) abort() {
	c.mu.Lock()
	c.cancelled = true
	c.mu.Unlock()
	_ = c.Conn.SetDeadline(longAgo)
}

// tapConn feeds the bytes that cross it to a transcript, with their
// direction. It sits below go-smtp and above TLS (or on the plain TCP
// connection before STARTTLS, where the transcript stops listening once TLS
// begins).
type tapConn struct {
	net.Conn
	tr *transcript
}

func (c *tapConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if n > 0 {
		c.tr.tap(Received, b[:n])
	}
	return n, err
}

func (c *tapConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	if n > 0 {
		c.tr.tap(Sent, b[:n])
	}
	return n, err
}

// phaseDeadline is the deadline a phase works to: the check's deadline less a
// small margin, so the check returns its own explanation before the runner
// gives up on it.
func phaseDeadline(ctx context.Context, now time.Time) time.Time {
	d, ok := ctx.Deadline()
	if !ok {
		return now.Add(defaultPhaseTimeout)
	}
	margin := d.Sub(now) / 10
	if margin > 300*time.Millisecond {
		margin = 300 * time.Millisecond
	}
	return d.Add(-margin)
}
