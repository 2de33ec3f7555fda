package check

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"time"
)

// PanicError is a panic recovered from work a check started on another
// goroutine, where the runner's own recover cannot reach.
type PanicError struct {
	Value any
	Stack string
}

func (e *PanicError) Error() string { return fmt.Sprintf("internal error: %v", e.Value) }

// PanicResult is the result of a check that panicked, or whose work did: an
// Error naming the value (the runner scrubs it, like every summary) with the
// first lines of the stack as details.
func PanicResult(value any, stack string) Result {
	return Errorf("Pitstop hit an internal error while running this check: %v", value).
		With(firstLines(stack, 8)...)
}

// ResultOf turns an error from Go or a Memo into the result a check returns
// when it has nothing better: a panic, the run's cancellation, or a timeout.
// ok is false for any other error, which the check explains itself.
func ResultOf(err error) (Result, bool) {
	var pe *PanicError
	switch {
	case err == nil:
		return Result{}, false
	case asPanic(err, &pe):
		return PanicResult(pe.Value, pe.Stack), true
	case err == context.Canceled:
		return Errorf("Cancelled."), true
	}
	return Result{}, false
}

func asPanic(err error, target **PanicError) bool {
	pe, ok := err.(*PanicError)
	if ok {
		*target = pe
	}
	return ok
}

// Go runs fn on its own goroutine, the one safe way to start work inside a
// check: the returned channel receives nil when fn returns, or a
// *PanicError when it panics, and is then closed. A panic there would
// otherwise end the whole program, outside the runner's recover.
func Go(fn func()) <-chan error {
	done := make(chan error, 1)
	go func() {
		defer close(done)
		defer func() {
			if p := recover(); p != nil {
				done <- &PanicError{Value: p, Stack: string(debug.Stack())}
			}
		}()
		fn()
		done <- nil
	}()
	return done
}

// WorkContext is the one cancellation rule for work shared by several checks
// or started inside one: it does not end when the first caller gives up (a
// check still waiting may need the answer) but never outlives that caller's
// deadline, less a small margin so the check can still explain how far it
// got before the runner's timeout cuts it off. Each caller stops waiting as
// soon as its own context ends.
func WorkContext(ctx context.Context) (context.Context, context.CancelFunc) {
	work := context.WithoutCancel(ctx)
	dl, ok := ctx.Deadline()
	if !ok {
		return context.WithTimeout(work, DefaultTimeout)
	}
	return context.WithDeadline(work, dl.Add(-Margin(time.Until(dl))))
}

// Margin is how much earlier than its caller's deadline shared work gives
// up, given the time left: room for the check to explain how far it got. A
// run that ends within Margin of its deadline was cut short by it.
func Margin(left time.Duration) time.Duration { return min(100*time.Millisecond, left/10) }

// Memo runs one piece of work for every check of a run that needs its
// answer: the first caller starts it (through Go, under WorkContext), the
// others wait for the same answer, and the answer is reused for TTL (for
// ever when zero). A caller whose context ends stops waiting at once and
// gets its context's error; a panic reaches every caller as a *PanicError.
type Memo[T any] struct {
	TTL time.Duration
	Now func() time.Time // time.Now when nil

	mu   sync.Mutex
	call *memoCall[T]
}

type memoCall[T any] struct {
	done chan struct{}
	val  T
	err  error
	at   time.Time
}

// Get returns the memoised answer of fn, running it when there is none (or
// it is older than TTL).
func (m *Memo[T]) Get(ctx context.Context, fn func(context.Context) T) (T, error) {
	now := m.Now
	if now == nil {
		now = time.Now
	}
	m.mu.Lock()
	c := m.call
	if c == nil || (m.TTL > 0 && closed(c.done) && now().Sub(c.at) > m.TTL) {
		c = &memoCall[T]{done: make(chan struct{})}
		m.call = c
		wctx, cancel := WorkContext(ctx)
		finished := Go(func() { c.val = fn(wctx) })
		go func() {
			defer cancel()
			c.err = <-finished
			c.at = now()
			close(c.done)
		}()
	}
	m.mu.Unlock()
	select {
	case <-c.done:
		return c.val, c.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

func closed(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
