// Package safefile is how Pitstop opens files: knowing what they are. A file
// it reads must be a regular file, opened without blocking (a FIFO cannot
// hang it) and read up to a bound that fits its kind (a device like
// /dev/zero cannot eat the memory). A file it writes is never reached
// through a symbolic link at the last component, never a device, a FIFO or
// a folder, and is chmodded only when Pitstop created it.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"pitstop/internal/i18n"
)

// Bounds for the kinds of file Pitstop reads.
const (
	MaxSettings = 4 << 20  // a settings file: thousands of profiles fit
	MaxCerts    = 16 << 20 // a CA bundle (the system one is about 200 KiB)
	MaxArticle  = 1 << 20  // a knowledge article or policy file
	MaxPasted   = 1 << 20  // an error pasted from a file (--error-file)
	MaxContent  = 1 << 20  // a prompt or an email to score
)

// Error says which file, named by which setting, could not be used and why,
// in words a person reads: "smtp.ca_file /dev/zero is a device, not a
// regular file". Error() is English (logs, wrapping); In says it in a
// language.
type Error struct {
	What    string       // the setting or flag that names the file: "--config", "smtp.ca_file"
	Path    string       //
	Problem i18n.Message // "is a device, not a regular file" (locales/*/file.yaml)
	Err     error        // the underlying error, if any
}

func (e *Error) Error() string { return e.In(i18n.English) }

// In is the error in lang.
func (e *Error) In(lang string) string {
	if e.What == "" {
		return e.Path + " " + e.Problem.In(lang)
	}
	what := e.What
	if strings.HasPrefix(what, whatPrefix) {
		what = i18n.T(lang, what)
	}
	return what + " " + e.Path + " " + e.Problem.In(lang)
}

// What names a file no setting or flag names with one of these: words
// said in the error's language (locales/*/file.yaml), where a setting's
// name ("smtp.ca_file") or a flag ("--out") is the same in every language.
const (
	SettingsFile = whatPrefix + "settings" // "the settings file"
	Article      = whatPrefix + "article"  // "the article"

	whatPrefix = "file.what."
)

// What is wrong with a file, said after its path (locales/*/file.yaml).
const (
	msgFolder     i18n.Text = "file.folder"
	msgLink       i18n.Text = "file.link"
	msgFIFO       i18n.Text = "file.fifo"
	msgSocket     i18n.Text = "file.socket"
	msgDevice     i18n.Text = "file.device"
	msgIrregular  i18n.Text = "file.irregular"
	msgMissing    i18n.Text = "file.missing"
	msgDenied     i18n.Text = "file.denied"
	msgNotOpened  i18n.Text = "file.not_opened"
	msgNotRead    i18n.Text = "file.not_read"
	msgTooLarge   i18n.Text = "file.too_large"
	msgNotWritten i18n.Text = "file.not_written"
)

func (e *Error) Unwrap() error { return e.Err }

// kind describes a file mode that is not a regular file.
func kind(m fs.FileMode) i18n.Message {
	switch {
	case m.IsDir():
		return msgFolder.With()
	case m&fs.ModeSymlink != 0:
		return msgLink.With()
	case m&fs.ModeNamedPipe != 0:
		return msgFIFO.With()
	case m&fs.ModeSocket != 0:
		return msgSocket.With()
	case m&fs.ModeDevice != 0 || m&fs.ModeCharDevice != 0:
		return msgDevice.With()
	}
	return msgIrregular.With()
}

// Read returns the contents of the regular file at path, at most limit
// bytes: a longer file is an error that says so. what names the setting or
// flag that gave the path, for the error.
func Read(path, what string, limit int64) ([]byte, error) {
	f, err := openRegular(path, what)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readBounded(f, path, what, limit)
}

// ReadPrefix is Read for a file whose beginning is enough (an email scored
// on its first megabyte): it returns at most limit bytes and whether the
// file holds more.
func ReadPrefix(path, what string, limit int64) (data []byte, more bool, err error) {
	f, err := openRegular(path, what)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, false, &Error{What: what, Path: path, Problem: problem(err), Err: err}
	}
	if int64(len(data)) > limit {
		return data[:limit], true, nil
	}
	return data, false, nil
}

// openRegular opens path for reading without blocking (a FIFO with no
// writer would wait for ever) and checks on the open file that it is a
// regular one.
func openRegular(path, what string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, &Error{What: what, Path: path, Problem: problem(err), Err: err}
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, &Error{What: what, Path: path, Problem: problem(err), Err: err}
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, &Error{What: what, Path: path, Problem: kind(st.Mode())}
	}
	return f, nil
}

// ReadFS is Read for a file of a file system (a --kb folder): it is stated
// first, so a FIFO is refused before it is opened.
func ReadFS(fsys fs.FS, name, what string, limit int64) ([]byte, error) {
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, &Error{What: what, Path: name, Problem: problem(err), Err: err}
	}
	if !st.Mode().IsRegular() {
		return nil, Refusal(name, what, st, limit)
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, &Error{What: what, Path: name, Problem: problem(err), Err: err}
	}
	defer f.Close()
	return readBounded(f, name, what, limit)
}

// Refusal says, from what a stat found (st), why the file at path would not
// be read with limit: not a regular file, or larger than limit. Nil when it
// would be read. Nothing is opened: opening some devices does something.
func Refusal(path, what string, st fs.FileInfo, limit int64) error {
	switch {
	case !st.Mode().IsRegular():
		return &Error{What: what, Path: path, Problem: kind(st.Mode())}
	case st.Size() > limit:
		return &Error{What: what, Path: path, Problem: msgTooLarge.With(size(limit))}
	}
	return nil
}

func readBounded(r io.Reader, path, what string, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, &Error{What: what, Path: path, Problem: problem(err), Err: err}
	}
	if int64(len(data)) > limit {
		return nil, &Error{What: what, Path: path, Problem: msgTooLarge.With(size(limit))}
	}
	return data, nil
}

func size(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d KiB", n>>10)
}

// problem words an open or read error.
func problem(err error) i18n.Message {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return msgMissing.With()
	case errors.Is(err, fs.ErrPermission):
		return msgDenied.With()
	case errors.Is(err, syscall.ELOOP):
		return msgLink.With()
	case errors.Is(err, syscall.EISDIR):
		return msgFolder.With()
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return msgNotOpened.With(pe.Err.Error())
	}
	return msgNotRead.With(err.Error())
}

// checkTarget refuses to write over anything but a regular file: an
// existing symbolic link, device, FIFO, socket or folder at path.
func checkTarget(path, what string) error {
	st, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return &Error{What: what, Path: path, Problem: problem(err), Err: err}
	}
	if !st.Mode().IsRegular() {
		return &Error{What: what, Path: path, Problem: kind(st.Mode())}
	}
	return nil
}

// OpenAppend opens path for appending without following a symbolic link at
// its last component, creating it with perm when missing. Only a file it
// created gets perm; an existing one keeps its mode (Pitstop never chmods a
// file it did not make). Anything but a regular file is refused.
func OpenAppend(path, what string, perm fs.FileMode) (*os.File, error) {
	if err := checkTarget(path, what); err != nil {
		return nil, err
	}
	flags := os.O_WRONLY | os.O_APPEND | syscall.O_NOFOLLOW | syscall.O_NONBLOCK
	f, err := os.OpenFile(path, flags|os.O_CREATE|os.O_EXCL, perm)
	created := err == nil
	if errors.Is(err, fs.ErrExist) {
		f, err = os.OpenFile(path, flags, 0)
	}
	if err != nil {
		return nil, &Error{What: what, Path: path, Problem: problem(err), Err: err}
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		f.Close()
		if err != nil {
			return nil, &Error{What: what, Path: path, Problem: problem(err), Err: err}
		}
		return nil, &Error{What: what, Path: path, Problem: kind(st.Mode())}
	}
	if created {
		// Whatever the umask, a file Pitstop makes has exactly perm.
		if err := f.Chmod(perm); err != nil {
			f.Close()
			return nil, &Error{What: what, Path: path, Problem: problem(err), Err: err}
		}
	}
	return f, nil
}

// WriteAtomic writes data to path atomically with mode perm: a temporary
// file in the same folder is written, synced and renamed over path, so a
// reader never sees half of it and it is never readable by others, even for
// a moment. An existing path must be a regular file: a link, a device, a
// FIFO or a folder is refused rather than replaced.
func WriteAtomic(path, what string, data []byte, perm fs.FileMode) (err error) {
	if err := checkTarget(path, what); err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return &Error{What: what, Path: path, Problem: problem(withoutTempName(err)), Err: err}
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	fail := func(err error) error {
		return &Error{What: what, Path: path, Problem: msgNotWritten.With(withoutTempName(err).Error()), Err: err}
	}
	if err = tmp.Chmod(perm); err != nil {
		return fail(err)
	}
	if _, err = tmp.Write(data); err != nil {
		return fail(err)
	}
	if err = tmp.Sync(); err != nil {
		return fail(err)
	}
	if err = tmp.Close(); err != nil {
		return fail(err)
	}
	// Checked again right before the rename: the window is as small as it gets.
	if err = checkTarget(path, what); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fail(err)
	}
	return nil
}

// withoutTempName keeps the reason of a file error ("permission denied")
// and drops the temporary file's name, which means nothing to the reader.
func withoutTempName(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
