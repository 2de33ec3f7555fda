package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"pitstop/internal/safefile"
	"pitstop/internal/wizard"
	"sync"
)

// maxLogSize is when the activity log is rotated (the old file is kept as .1).
const maxLogSize = 10 << 20

// defaultLogPath is $XDG_STATE_HOME/pitstop/pitstop.log (~/.local/state when unset).
func defaultLogPath() string {
	dir := wizard.StateDir()
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, "pitstop.log")
}

// setupLog opens the activity log and makes it slog's default. A default
// log that cannot be opened is not fatal: Pitstop goes on without one (and
// says so with --debug); a --log-file that cannot be opened is a usage error.
func (a *App) setupLog() error {
	path := a.Opts.LogFile
	if path == "" {
		path = defaultLogPath()
	}
	if path == "" {
		return nil
	}
	w, err := openRotating(path, maxLogSize)
	if err != nil {
		if a.Opts.LogFile != "" {
			return usageErrf("%s", a.T("err.log_file", err))
		}
		if a.Opts.Debug {
			fmt.Fprintf(a.Stderr, "pitstop: %s\n", a.T("err.no_log", err))
		}
		return nil
	}
	a.logFile = w
	a.prevLogger = slog.Default()
	level := slog.LevelInfo
	if a.Opts.Debug {
		level = slog.LevelDebug
	}
	h := slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level})
	slog.SetDefault(slog.New(&scrubHandler{Handler: h, scrub: func(s string) string { return a.Scrubber().Scrub(s) }}))
	return nil
}

// closeLog closes the log file and puts back the logger that was the
// default before, so nothing writes to a closed file afterwards.
func (a *App) closeLog() {
	if a.logFile != nil {
		if a.prevLogger != nil {
			slog.SetDefault(a.prevLogger)
			a.prevLogger = nil
		}
		_ = a.logFile.Close()
		a.logFile = nil
	}
}

// logExit records how the command ended: every error goes to the log
// (the handler scrubs it like everything else there).
func logExit(cmd string, err error, code int) {
	if err == nil {
		slog.Debug("command finished", "command", cmd, "exit", code)
		return
	}
	var ee *ExitError
	if errors.As(err, &ee) && ee.Err == nil {
		slog.Info("command finished", "command", cmd, "exit", code)
		return
	}
	slog.Error("command failed", "command", cmd, "exit", code, "error", err.Error())
}

// scrubHandler masks secrets in every message and string attribute.
type scrubHandler struct {
	slog.Handler
	scrub func(string) string
}

func (h *scrubHandler) Handle(ctx context.Context, r slog.Record) error {
	nr := slog.NewRecord(r.Time, r.Level, h.scrub(r.Message), r.PC)
	r.Attrs(func(at slog.Attr) bool {
		nr.AddAttrs(h.scrubAttr(at))
		return true
	})
	return h.Handler.Handle(ctx, nr)
}

func (h *scrubHandler) scrubAttr(at slog.Attr) slog.Attr {
	v := at.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(at.Key, h.scrub(v.String()))
	case slog.KindGroup:
		attrs := v.Group()
		out := make([]any, len(attrs))
		for i, g := range attrs {
			out[i] = h.scrubAttr(g)
		}
		return slog.Group(at.Key, out...)
	case slog.KindAny:
		return slog.String(at.Key, h.scrub(fmt.Sprint(v.Any())))
	}
	return slog.Attr{Key: at.Key, Value: v}
}

func (h *scrubHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	scrubbed := make([]slog.Attr, len(attrs))
	for i, at := range attrs {
		scrubbed[i] = h.scrubAttr(at)
	}
	return &scrubHandler{Handler: h.Handler.WithAttrs(scrubbed), scrub: h.scrub}
}

func (h *scrubHandler) WithGroup(name string) slog.Handler {
	return &scrubHandler{Handler: h.Handler.WithGroup(name), scrub: h.scrub}
}

// rotatingFile appends to a file and moves it to path.1 when it passes max bytes.
type rotatingFile struct {
	mu   sync.Mutex
	path string
	max  int64
	f    *os.File
	size int64
}

var _ io.WriteCloser = (*rotatingFile)(nil)

func openRotating(path string, max int64) (*rotatingFile, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	r := &rotatingFile{path: path, max: max}
	return r, r.open()
}

func (r *rotatingFile) open() error {
	// No link followed, no device or FIFO appended to; a log Pitstop did
	// not create keeps its mode.
	f, err := safefile.OpenAppend(r.path, "--log-file", 0o600)
	if err != nil {
		return err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	r.f, r.size = f, st.Size()
	return nil
}

func (r *rotatingFile) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f == nil {
		return 0, os.ErrClosed
	}
	if r.size+int64(len(p)) > r.max && r.size > 0 {
		r.f.Close()
		// When the rename fails the same file is reopened and keeps growing:
		// losing the log would be worse.
		_ = os.Rename(r.path, r.path+".1")
		if err := r.open(); err != nil {
			r.f = nil
			return 0, err
		}
	}
	n, err := r.f.Write(p)
	r.size += int64(n)
	return n, err
}

func (r *rotatingFile) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f == nil {
		return nil
	}
	err := r.f.Close()
	r.f = nil
	return err
}
