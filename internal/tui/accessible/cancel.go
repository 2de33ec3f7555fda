package accessible

import (
	"context"
	"io"
	"os"

	xterm "github.com/charmbracelet/x/term"
	"github.com/muesli/cancelreader"
)

// cancelable returns in as a reader whose Read returns, with an error, as
// soon as ctx ends (Ctrl-C), and a function that releases it: a prompt
// waiting for a line does not outlive the session. A terminal or a pipe is
// watched with the same reader Bubble Tea uses; input that cannot be
// watched (a regular file, a reader in a test) never blocks for long and
// is read as is.
//
// release cancels any read still waiting, calls settle (which waits for
// the reader's own background read to give up), and only then closes: a
// read must never be under way on a closed descriptor.
func cancelable(ctx context.Context, in io.Reader) (io.Reader, func(settle func())) {
	f, ok := in.(*os.File)
	if !ok {
		return in, func(func()) {}
	}
	cr, err := cancelreader.NewReader(f)
	if err != nil {
		return in, func(func()) {}
	}
	stop := context.AfterFunc(ctx, func() { cr.Cancel() })
	return cr, func(settle func()) {
		stop()
		// A reader that cannot cancel (a fallback where the descriptor cannot
		// be polled) would keep settle waiting for a line never typed.
		if cr.Cancel() {
			settle()
		}
		_ = cr.Close()
	}
}

// readPassword reads a line from the terminal without echo, and gives up as
// soon as ctx ends, with the terminal put back as it was (echo on).
func readPassword(ctx context.Context, tty *os.File) ([]byte, error) {
	fd := tty.Fd() // read here: the file may be closed while the read waits
	state, err := xterm.GetState(fd)
	if err != nil {
		return nil, err
	}
	type read struct {
		b   []byte
		err error
	}
	done := make(chan read, 1)
	go func() {
		b, err := xterm.ReadPassword(fd)
		done <- read{b, err}
	}()
	select {
	case r := <-done:
		return r.b, r.err
	case <-ctx.Done():
		// The read is left behind (the session is over and the process
		// ends); the echo it turned off is turned back on now.
		_ = xterm.Restore(fd, state)
		return nil, ctx.Err()
	}
}
