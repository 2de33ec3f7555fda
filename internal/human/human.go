// Package human formats measured values the way people read them. It is the
// one place a duration becomes words, so the screen, the reports, the check
// summaries and the monitor all spell a latency alike ("12 ms", "1.3 s").
// Its units are SI and IEC symbols (ms, s, min, h, B, KiB), written alike in
// every language Pitstop speaks, so they are not in the i18n catalogue; the
// check sentences built around them are.
package human

import (
	"fmt"
	"math"
	"time"
)

// Duration prints d short and readable, with a space before the unit:
// "0 ms", "0.21 ms", "4.2 ms", "85 ms", "1.3 s", "42 s", "2 min 5 s", "3 min", "3 h 20 min".
// Each range is chosen after rounding, so 999.6 ms reads "1.0 s", not
// "1000 ms". A negative duration reads as its size.
func Duration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	switch {
	case d == 0:
		return "0 ms"
	case d < time.Millisecond-5*time.Microsecond:
		return fmt.Sprintf("%.2f ms", float64(d.Round(10*time.Microsecond))/float64(time.Millisecond))
	case d < 10*time.Millisecond-50*time.Microsecond:
		return fmt.Sprintf("%.1f ms", float64(d.Round(100*time.Microsecond))/float64(time.Millisecond))
	case d < time.Second-500*time.Microsecond:
		return fmt.Sprintf("%d ms", d.Round(time.Millisecond).Milliseconds())
	case d < 10*time.Second-50*time.Millisecond:
		return fmt.Sprintf("%.1f s", d.Round(100*time.Millisecond).Seconds())
	case d < time.Minute-500*time.Millisecond:
		return fmt.Sprintf("%d s", int(d.Round(time.Second).Seconds()))
	case d < time.Hour-30*time.Second:
		return twoUnits(d.Round(time.Second), time.Minute, "min", time.Second, "s")
	}
	return twoUnits(d.Round(time.Minute), time.Hour, "h", time.Minute, "min")
}

// ColumnWidth is the widest Duration writes a time under a minute, one
// sample of each of its ranges ("0.82 ms", "4.2 ms", "999 ms", "9.9 s",
// "59 s"): a column of check times at least this wide does not move as the
// times of a run come in.
var ColumnWidth = func() int {
	w := 0
	for _, d := range []time.Duration{820 * time.Microsecond, 9400 * time.Microsecond, 999 * time.Millisecond, 9900 * time.Millisecond, 59 * time.Second} {
		w = max(w, len(Duration(d)))
	}
	return w
}()

// twoUnits prints d as whole big units and the small units left over,
// leaving out a zero remainder: "2 min 5 s", "3 min".
func twoUnits(d, big time.Duration, bigName string, small time.Duration, smallName string) string {
	n, rest := d/big, (d%big)/small
	if rest == 0 {
		return fmt.Sprintf("%d %s", n, bigName)
	}
	return fmt.Sprintf("%d %s %d %s", n, bigName, rest, smallName)
}

// Bytes prints a size in binary units, one decimal past a KiB: "512 B",
// "1.5 KiB", "12.0 MiB", "3.2 GiB".
func Bytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTP"[exp])
}

// Millis is d in milliseconds to the microsecond: the unit of every latency
// fact (latency_ms) and of duration_ms in JSON.
func Millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// Latency prints a latency given in milliseconds (a latency_ms fact) the way
// Duration prints it, so the prose built from a fact reads the fact.
func Latency(ms float64) string {
	return Duration(time.Duration(math.Round(ms * float64(time.Millisecond))))
}
