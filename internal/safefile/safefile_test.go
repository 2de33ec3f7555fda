package safefile

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// special makes one of every kind of path that is not a regular file.
func special(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	target := filepath.Join(dir, "target")
	require.NoError(t, os.WriteFile(target, []byte("target\n"), 0o644))
	link := filepath.Join(dir, "link")
	require.NoError(t, os.Symlink(target, link))
	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	return map[string]string{
		"folder": dir, "FIFO": fifo, "device": "/dev/null", "link": link,
	}
}

func TestReadRefusesWhatIsNotARegularFile(t *testing.T) {
	t.Parallel()
	paths := special(t)
	for name, want := range map[string]string{"folder": "is a folder", "FIFO": "is a named pipe (FIFO)", "device": "is a device"} {
		start := time.Now()
		_, err := Read(paths[name], "smtp.ca_file", MaxCerts)
		require.ErrorContains(t, err, "smtp.ca_file "+paths[name]+" "+want, name)
		require.Less(t, time.Since(start), time.Second, "%s: no hang", name)
	}
	// Reading through a link is fine: it is the target that must be regular.
	data, err := Read(paths["link"], "x", 100)
	require.NoError(t, err)
	require.Equal(t, "target\n", string(data))

	big := filepath.Join(t.TempDir(), "big")
	require.NoError(t, os.WriteFile(big, []byte(strings.Repeat("x", 2048)), 0o600))
	_, err = Read(big, "--error-file", 1024)
	require.ErrorContains(t, err, "--error-file "+big+" is larger than 1 KiB")
	_, err = Read("/dev/zero", "--config", MaxSettings)
	require.ErrorContains(t, err, "is a device")
	_, err = Read(filepath.Join(t.TempDir(), "missing"), "--config", MaxSettings)
	require.ErrorContains(t, err, "does not exist")

	head, more, err := ReadPrefix(big, "content.email_file", 100)
	require.NoError(t, err)
	require.True(t, more)
	require.Len(t, head, 100)
}

func TestReadFSRefusesAFIFOWithoutOpeningIt(t *testing.T) {
	t.Parallel()
	paths := special(t)
	dir := filepath.Dir(paths["FIFO"])
	start := time.Now()
	_, err := ReadFS(os.DirFS(dir), "fifo", "the article", MaxArticle)
	require.ErrorContains(t, err, "named pipe")
	require.Less(t, time.Since(start), time.Second)
	data, err := ReadFS(os.DirFS(dir), "target", "the article", MaxArticle)
	require.NoError(t, err)
	require.Equal(t, "target\n", string(data))
}

func TestWritesNeverFollowALinkNorTouchADevice(t *testing.T) {
	t.Parallel()
	paths := special(t)
	target := filepath.Join(filepath.Dir(paths["link"]), "target")
	for name, want := range map[string]string{"link": "is a symbolic link", "FIFO": "is a named pipe", "device": "is a device", "folder": "is a folder"} {
		err := WriteAtomic(paths[name], "--out", []byte("report"), 0o600)
		require.ErrorContains(t, err, "--out "+paths[name]+" "+want, name)
		_, err = OpenAppend(paths[name], "--log-file", 0o600)
		require.ErrorContains(t, err, want, name)
	}
	data, err := os.ReadFile(target)
	require.NoError(t, err)
	require.Equal(t, "target\n", string(data))
	st, err := os.Stat(target)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o644), st.Mode().Perm())

	// A new file is Pitstop's: exactly 0600 whatever the umask; an existing
	// one keeps its mode when appended to, and is replaced whole when written.
	fresh := filepath.Join(t.TempDir(), "fresh.log")
	f, err := OpenAppend(fresh, "--log-file", 0o600)
	require.NoError(t, err)
	require.NoError(t, f.Close())
	st, err = os.Stat(fresh)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	f, err = OpenAppend(target, "--log-file", 0o600)
	require.NoError(t, err)
	require.NoError(t, f.Close())
	st, err = os.Stat(target)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o644), st.Mode().Perm(), "not chmodded")
	out := filepath.Join(t.TempDir(), "report.md")
	require.NoError(t, WriteAtomic(out, "--out", []byte("one"), 0o600))
	require.NoError(t, WriteAtomic(out, "--out", []byte("two"), 0o600))
	data, err = os.ReadFile(out)
	require.NoError(t, err)
	require.Equal(t, "two", string(data))
}

// TestErrorsInEveryLanguage: every problem a file can have is said in each
// language from the catalogue (locales/*/file.yaml); Error() stays English.
func TestErrorsInEveryLanguage(t *testing.T) {
	t.Parallel()
	paths := special(t)
	big := filepath.Join(t.TempDir(), "big")
	require.NoError(t, os.WriteFile(big, []byte(strings.Repeat("x", 2048)), 0o600))
	for name, c := range map[string]struct {
		err    error
		en, es string
	}{
		"FIFO":    {readErr(paths["FIFO"], MaxCerts), "is a named pipe (FIFO), not a regular file", "es una tubería con nombre (FIFO), no un archivo normal"},
		"folder":  {readErr(paths["folder"], MaxCerts), "is a folder, not a file", "es una carpeta, no un archivo"},
		"missing": {readErr(filepath.Join(t.TempDir(), "nope"), MaxCerts), "does not exist", "no existe"},
		"large":   {readErr(big, 1024), "is larger than 1 KiB", "ocupa más de 1 KiB"},
		"link":    {WriteAtomic(paths["link"], "--out", []byte("x"), 0o600), "is a symbolic link", "es un enlace simbólico"},
	} {
		var se *Error
		require.ErrorAs(t, c.err, &se, name)
		require.Contains(t, se.Error(), c.en, name)
		require.Equal(t, se.Error(), se.In("en"), name)
		require.Contains(t, se.In("es"), c.es, name)
		require.Contains(t, se.In("es"), se.Path, name)
	}
}

func readErr(path string, limit int64) error {
	_, err := Read(path, "smtp.ca_file", limit)
	return err
}

// TestWhatIsSaidInTheLanguage: a file named by words rather than by a
// setting or a flag is named in the error's language.
func TestWhatIsSaidInTheLanguage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, err := Read(dir, SettingsFile, MaxSettings)
	var se *Error
	require.ErrorAs(t, err, &se)
	require.Equal(t, "the settings file "+dir+" is a folder, not a file", se.Error())
	require.Equal(t, "el archivo de configuración "+dir+" es una carpeta, no un archivo", se.In("es"))
	_, err = Read(dir, "--out", MaxSettings)
	require.ErrorAs(t, err, &se)
	require.Equal(t, "--out "+dir+" es una carpeta, no un archivo", se.In("es"), "a flag is the same in every language")
}
