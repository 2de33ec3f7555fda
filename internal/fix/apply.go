package fix

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"pitstop/internal/config"
	"pitstop/internal/safefile"
)

// ErrChanged means the settings file changed between the checks and the
// apply: the fixes were proposed for other settings.
var ErrChanged = errors.New("the settings file changed since the checks ran")

// ReadSettings reads the settings file as Apply expects to find it again.
func ReadSettings(path string) ([]byte, error) {
	info, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if err := writable(path, info); err != nil {
		return nil, err
	}
	data, err := safefile.Read(path, safefile.SettingsFile, safefile.MaxSettings)
	if err != nil {
		return nil, err
	}
	return data, nil
}

// writable says why Pitstop will not replace the file at path, or nil.
func writable(path string, info fs.FileInfo) error {
	switch {
	case info.Mode()&fs.ModeSymlink != 0:
		target, _ := os.Readlink(path)
		return fmt.Errorf("%s is a symbolic link (to %s); Pitstop does not replace links: run again with --config pointing at the file itself", path, target)
	case !info.Mode().IsRegular():
		return fmt.Errorf("%s is not a regular file (%s)", path, info.Mode().Type())
	case info.Mode().Perm()&0o222 == 0:
		return fmt.Errorf("%s is read-only (mode %04o); make it writable to apply changes, or make them by hand", path, info.Mode().Perm())
	}
	return nil
}

// Apply writes the changes of the given config fixes into the settings file
// at path, in the named profile, and marks them applied. original is the
// file as it was read before the checks ran: when the file differs now,
// nothing is written (ErrChanged). The file keeps its comments, order and
// mode, and is replaced atomically, so an interruption leaves the old file or
// the new one, never half of one.
func Apply(path, profile string, original []byte, fixes []*Fix) error {
	var edits []config.Edit
	for _, f := range fixes {
		if f.Kind != KindConfig {
			continue
		}
		for _, c := range f.Changes {
			edits = append(edits, config.Edit{Key: c.Key, Value: c.value})
		}
	}
	if len(edits) == 0 {
		return nil
	}
	info, err := os.Lstat(path)
	if err != nil {
		return fmt.Errorf("apply: %w", err)
	}
	if err := writable(path, info); err != nil {
		return fmt.Errorf("apply: %w", err)
	}
	now, err := ReadSettings(path)
	if err != nil {
		return fmt.Errorf("apply: %w", err)
	}
	if !bytes.Equal(now, original) {
		return fmt.Errorf("apply: %s: %w; run pitstop fix again", path, ErrChanged)
	}
	out, err := config.EditProfile(path, now, profile, edits)
	if err != nil {
		return fmt.Errorf("apply: %w", err)
	}
	if err := safefile.WriteAtomic(path, safefile.SettingsFile, out, info.Mode().Perm()); err != nil {
		return fmt.Errorf("apply: %w", err)
	}
	for _, f := range fixes {
		if f.Kind == KindConfig {
			f.Applied = true
		}
	}
	return nil
}
