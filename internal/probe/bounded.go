package probe

import (
	"errors"
	"fmt"
	"io"
)

// MaxBody is how much of a response body Pitstop reads: enough for any error
// message or model list, small enough that an endless body cannot grow memory.
const MaxBody = 1 << 20

// ErrTooLarge is returned by a LimitReader when the stream is longer than
// its bound.
var ErrTooLarge = errors.New("the answer is larger than the limit Pitstop reads")

// ReadBounded reads at most limit bytes from r. truncated reports that r had
// more; the rest is not read. Memory stays under about twice the limit
// whatever r produces.
func ReadBounded(r io.Reader, limit int64) (data []byte, truncated bool, err error) {
	if limit <= 0 {
		limit = MaxBody
	}
	buf := make([]byte, 0, min(limit+1, 4096))
	lr := io.LimitReader(r, limit+1)
	for {
		if len(buf) == cap(buf) {
			next := int64(cap(buf)) * 2
			if next >= limit {
				next = limit + 1
			}
			grown := make([]byte, len(buf), next)
			copy(grown, buf)
			buf = grown
		}
		n, rerr := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return buf, false, rerr
		}
	}
	if int64(len(buf)) > limit {
		return buf[:limit], true, nil
	}
	return buf, false, nil
}

// LimitReader returns a reader that yields at most n bytes of r and then
// fails with ErrTooLarge if r had more, so a caller that streams (a JSON
// decoder) learns the body was cut rather than seeing a clean end.
func LimitReader(r io.Reader, n int64) io.Reader { return &limitReader{r: r, left: n, limit: n} }

type limitReader struct {
	r     io.Reader
	left  int64
	limit int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// Probe one byte to tell a clean end from an overflow.
		var one [1]byte
		n, err := l.r.Read(one[:])
		if n > 0 {
			return 0, fmt.Errorf("%w (%d bytes)", ErrTooLarge, l.limit)
		}
		if err == nil {
			err = io.EOF
		}
		return 0, err
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}
