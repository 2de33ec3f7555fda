package probe

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// endless yields 'x' forever.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

func TestReadBounded(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		in        string
		limit     int64
		want      string
		truncated bool
	}{
		{"empty", "", 10, "", false},
		{"short", "hello", 10, "hello", false},
		{"exact", "0123456789", 10, "0123456789", false},
		{"over", "0123456789abc", 10, "0123456789", true},
		{"default limit", "abc", 0, "abc", false},
	}
	for _, tt := range tests {
		got, truncated, err := ReadBounded(strings.NewReader(tt.in), tt.limit)
		require.NoError(t, err, tt.name)
		require.Equal(t, tt.want, string(got), tt.name)
		require.Equal(t, tt.truncated, truncated, tt.name)
	}
}

func TestReadBoundedEndlessStaysBounded(t *testing.T) {
	t.Parallel()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	got, truncated, err := ReadBounded(endless{}, MaxBody)
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	require.True(t, truncated)
	require.Len(t, got, MaxBody)
	require.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(8*MaxBody))
}

func TestReadBoundedError(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	got, truncated, err := ReadBounded(io.MultiReader(strings.NewReader("part"), iotestErr{boom}), 100)
	require.ErrorIs(t, err, boom)
	require.False(t, truncated)
	require.Equal(t, "part", string(got))
}

type iotestErr struct{ err error }

func (e iotestErr) Read([]byte) (int, error) { return 0, e.err }

func TestLimitReader(t *testing.T) {
	t.Parallel()
	b, err := io.ReadAll(LimitReader(strings.NewReader("0123456789"), 10))
	require.NoError(t, err)
	require.Equal(t, "0123456789", string(b))

	b, err = io.ReadAll(LimitReader(endless{}, 10))
	require.ErrorIs(t, err, ErrTooLarge)
	require.Len(t, b, 10)

	b, err = io.ReadAll(LimitReader(bytes.NewReader(nil), 10))
	require.NoError(t, err)
	require.Empty(t, b)
}

func BenchmarkReadBoundedEndless(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ReadBounded(endless{}, MaxBody); err != nil {
			b.Fatal(err)
		}
	}
}
