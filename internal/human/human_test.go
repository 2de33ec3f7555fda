package human

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestDuration(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0 ms"},
		{210 * time.Microsecond, "0.21 ms"},
		{999 * time.Microsecond, "1.0 ms"},
		{4200 * time.Microsecond, "4.2 ms"},
		{9990 * time.Microsecond, "10 ms"},
		{85 * time.Millisecond, "85 ms"},
		{999600 * time.Microsecond, "1.0 s"},
		{1250 * time.Millisecond, "1.3 s"},
		{9990 * time.Millisecond, "10 s"},
		{42 * time.Second, "42 s"},
		{59700 * time.Millisecond, "1 min"},
		{3 * time.Minute, "3 min"},
		{125 * time.Second, "2 min 5 s"},
		{3*time.Hour + 20*time.Minute, "3 h 20 min"},
		{-12 * time.Millisecond, "12 ms"},
	} {
		require.Equal(t, tc.want, Duration(tc.d), "%v", tc.d)
	}
}

func TestLatencyReadsTheFact(t *testing.T) {
	t.Parallel()
	for _, d := range []time.Duration{123 * time.Microsecond, 7654 * time.Microsecond, 345678 * time.Microsecond, 2345678 * time.Microsecond} {
		require.Equal(t, Duration(d), Latency(Millis(d)), "%v", d)
	}
}

func TestBytes(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{0: "0 B", 512: "512 B", 1536: "1.5 KiB", 12 << 20: "12.0 MiB", 3435973837: "3.2 GiB"} {
		require.Equal(t, want, Bytes(n), "%d", n)
	}
}

// TestColumnWidth: no time under a minute is wider than ColumnWidth, and
// one is that wide.
func TestColumnWidth(t *testing.T) {
	widest := 0
	for d := time.Duration(0); d < time.Minute; d += d/50 + time.Microsecond {
		widest = max(widest, len(Duration(d)))
	}
	require.Equal(t, widest, ColumnWidth)
}
