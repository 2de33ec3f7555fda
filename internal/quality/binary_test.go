package quality

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestMain removes what the tests leave for the whole process: the pitstop
// binary built for the tests that run the product as a person does.
func TestMain(m *testing.M) {
	code := m.Run()
	builtBinary.remove()
	os.Exit(code)
}

// builtBinary is cmd/pitstop, built once per test process (on first use)
// into a temporary directory that TestMain removes at the end.
var builtBinary binary

type binary struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// pitstopBinary returns the path of the pitstop binary, building it on the
// first call.
func pitstopBinary(t *testing.T) string {
	t.Helper()
	path, err := builtBinary.get()
	require.NoError(t, err)
	return path
}

func (b *binary) get() (string, error) {
	b.once.Do(func() {
		b.dir, b.err = os.MkdirTemp("", "pitstop-quality-bin-")
		if b.err != nil {
			return
		}
		b.path = filepath.Join(b.dir, "pitstop")
		// The compile flags are go vet's (make test runs it first), so the
		// packages come from the build cache; without symbol tables and
		// DWARF the link is shorter and the file half the size.
		out, err := exec.Command("go", "build", "-ldflags=-s -w", "-o", b.path, "pitstop/cmd/pitstop").CombinedOutput()
		if err != nil {
			b.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	return b.path, b.err
}

// remove deletes the binary and its directory (nothing when none was built).
func (b *binary) remove() {
	b.once.Do(func() {}) // no build may start after this
	if b.dir != "" {
		_ = os.RemoveAll(b.dir)
	}
}
