package content

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// spamdRuleRe matches a rule line of a SpamAssassin report:
// " 1.5 SUBJ_ALL_CAPS          Subject is all capitals".
var spamdRuleRe = regexp.MustCompile(`^\s*(-?\d+(?:\.\d+)?)\s+([A-Z0-9_]+)\s+(.*)$`)

// SpamdReport asks a SpamAssassin spamd at addr (host:port) to score msg,
// speaking the SPAMC/1.5 protocol's REPORT command, and returns the score,
// the threshold and each rule with its points.
func SpamdReport(ctx context.Context, addr string, msg []byte) (Score, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return Score{}, err
	}
	defer conn.Close()
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(30 * time.Second)
	}
	_ = conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	req := fmt.Sprintf("REPORT SPAMC/1.5\r\nContent-length: %d\r\nUser: pitstop\r\n\r\n", len(msg))
	if _, err := io.WriteString(conn, req); err != nil {
		return Score{}, err
	}
	if _, err := conn.Write(msg); err != nil {
		return Score{}, err
	}
	if cw, ok := conn.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite() // older spamd versions read until end of input
	}
	return parseSpamdReply(bufio.NewReader(io.LimitReader(conn, 1<<20)), addr)
}

// parseSpamdReply reads "SPAMD/1.1 0 EX_OK", the headers (Spam: True ; 7.3 /
// 5.0) and the report body.
func parseSpamdReply(r *bufio.Reader, addr string) (Score, error) {
	status, err := r.ReadString('\n')
	if err != nil {
		return Score{}, fmt.Errorf("no answer from spamd: %w", err)
	}
	f := strings.Fields(status)
	if len(f) < 3 || !strings.HasPrefix(f[0], "SPAMD/") {
		return Score{}, fmt.Errorf("not a spamd answer: %q", strings.TrimSpace(status))
	}
	if f[1] != "0" {
		return Score{}, fmt.Errorf("spamd refused the request: %s", strings.TrimSpace(strings.Join(f[1:], " ")))
	}
	s := Score{Threshold: SpamThreshold, Source: "SpamAssassin (spamd at " + addr + ")"}
	gotScore := false
	for {
		line, err := r.ReadString('\n')
		line = strings.TrimRight(line, "\r\n")
		if line == "" || err != nil {
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || !strings.EqualFold(strings.TrimSpace(name), "Spam") {
			continue
		}
		// "True ; 7.3 / 5.0"
		_, nums, _ := strings.Cut(value, ";")
		score, threshold, ok := strings.Cut(nums, "/")
		if !ok {
			return Score{}, fmt.Errorf("unreadable Spam header: %q", line)
		}
		if s.Total, err = strconv.ParseFloat(strings.TrimSpace(score), 64); err != nil {
			return Score{}, fmt.Errorf("unreadable score in %q", line)
		}
		if s.Threshold, err = strconv.ParseFloat(strings.TrimSpace(threshold), 64); err != nil {
			return Score{}, fmt.Errorf("unreadable threshold in %q", line)
		}
		gotScore = true
	}
	if !gotScore {
		return Score{}, errors.New("spamd sent no Spam: header")
	}
	inTable := false
	for {
		line, err := r.ReadString('\n')
		line = strings.TrimRight(line, "\r\n")
		switch {
		case strings.HasPrefix(strings.TrimSpace(line), "----"):
			inTable = true
		case inTable:
			if m := spamdRuleRe.FindStringSubmatch(line); m != nil {
				p, _ := strconv.ParseFloat(m[1], 64)
				s.Hits = append(s.Hits, Hit{Rule: m[2], Points: p, Why: strings.TrimSpace(m[3])})
			} else if len(s.Hits) > 0 && strings.TrimSpace(line) != "" {
				// A description continued on the next line.
				last := &s.Hits[len(s.Hits)-1]
				last.Why += " " + strings.TrimSpace(line)
			}
		}
		if err != nil {
			break
		}
	}
	return s, nil
}
