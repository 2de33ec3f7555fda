package mail

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/mail"
	"pitstop/internal/config"
	"sort"
	"strconv"
	"strings"
	"time"
)

// exchange is one command and the server's reply to it; the greeting is an
// exchange with no command.
type exchange struct {
	cmd    string
	sentAt time.Time
	reply  []string
	at     time.Time // when the last reply line arrived
}

// done reports whether the reply is complete (ends with "ddd ").
func (e exchange) done() bool {
	if len(e.reply) == 0 {
		return false
	}
	last := e.reply[len(e.reply)-1]
	return isReplyLine(last) && (len(last) == 3 || last[3] == ' ')
}

// code returns the reply code, or 0 when the reply is not SMTP.
func (e exchange) code() int {
	if len(e.reply) == 0 || !isReplyLine(e.reply[len(e.reply)-1]) {
		return 0
	}
	n, _ := strconv.Atoi(e.reply[len(e.reply)-1][:3])
	return n
}

// exchanges groups transcript lines into commands and replies.
func exchanges(lines []Line) []exchange {
	var out []exchange
	for _, l := range lines {
		switch l.Dir {
		case Sent:
			out = append(out, exchange{cmd: l.Text, sentAt: l.At})
		case Received:
			if len(out) == 0 {
				out = append(out, exchange{sentAt: l.At})
			}
			e := &out[len(out)-1]
			e.reply = append(e.reply, l.Text)
			e.at = l.At
		}
	}
	return out
}

// greeting returns the server's greeting, if it sent one.
func greeting(ex []exchange) (exchange, bool) {
	if len(ex) > 0 && ex[0].cmd == "" && len(ex[0].reply) > 0 {
		return ex[0], true
	}
	return exchange{}, false
}

// lastHello returns the last EHLO or HELO exchange.
func lastHello(ex []exchange) (exchange, bool) {
	for i := len(ex) - 1; i >= 0; i-- {
		w := strings.ToUpper(firstWord(ex[i].cmd))
		if w == "EHLO" || w == "HELO" {
			return ex[i], true
		}
	}
	return exchange{}, false
}

// indexOfCommand returns the position of the first line that sent cmd, or -1.
func indexOfCommand(lines []Line, cmd string) int {
	for i, l := range lines {
		if l.Dir == Sent && strings.EqualFold(firstWord(l.Text), cmd) {
			return i
		}
	}
	return -1
}

// parseEHLO reads the extensions from an EHLO reply ("250-SIZE 1000").
func parseEHLO(reply []string) map[string]string {
	ext := map[string]string{}
	for i, line := range reply {
		if i == 0 || len(line) < 4 {
			continue
		}
		kw, param, _ := strings.Cut(strings.TrimSpace(line[4:]), " ")
		if kw != "" {
			ext[strings.ToUpper(kw)] = strings.TrimSpace(param)
		}
	}
	return ext
}

// describeExtensions lists the extensions, the important ones first, with the
// size limit in megabytes.
func describeExtensions(door *config.Scrubber, ext map[string]string) string {
	if len(ext) == 0 {
		return "(none)"
	}
	rank := map[string]int{"STARTTLS": 0, "AUTH": 1, "SIZE": 2}
	keys := make([]string, 0, len(ext))
	for k := range ext {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		ri, oki := rank[keys[i]]
		rj, okj := rank[keys[j]]
		switch {
		case oki && okj:
			return ri < rj
		case oki != okj:
			return oki
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		p := k
		if v := ext[k]; v != "" {
			p += " " + v
		}
		if n, err := strconv.ParseInt(ext[k], 10, 64); k == "SIZE" && err == nil && n > 0 {
			p += fmt.Sprintf(" (messages up to %.0f MB)", float64(n)/(1<<20))
		}
		parts = append(parts, door.Untrusted(p, 300))
	}
	return strings.Join(parts, ", ")
}

// transcriptLines draws transcript lines for a result's details.
func transcriptLines(lines []Line) []string {
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		out = append(out, l.String())
	}
	return out
}

// testSubject is the subject of the test message.
const testSubject = "Pitstop test message"

// testMessage builds a small, well-formed message: Date, Message-ID, From,
// To, Subject, MIME headers and a short text body, with CRLF line ends.
func testMessage(from, to string, now time.Time) []byte {
	domain := "pitstop.invalid"
	if at := strings.LastIndexByte(from, '@'); at >= 0 && at < len(from)-1 {
		domain = from[at+1:]
	}
	id := make([]byte, 12)
	_, _ = rand.Read(id)
	headers := []string{
		"Date: " + now.Format(time.RFC1123Z),
		"From: " + (&mail.Address{Name: "Pitstop", Address: from}).String(),
		"To: " + (&mail.Address{Address: to}).String(),
		"Subject: " + testSubject,
		"Message-ID: <" + hex.EncodeToString(id) + "@" + domain + ">",
		"MIME-Version: 1.0",
		"Content-Type: text/plain; charset=utf-8",
		"Content-Transfer-Encoding: 7bit",
		"Auto-Submitted: auto-generated",
		"X-Mailer: Pitstop",
	}
	body := []string{
		"This is a test message sent by Pitstop to check that this mail server",
		"accepts mail from your sending account. You can delete it.",
		"",
		"Sent " + now.UTC().Format("2006-01-02 15:04:05 MST") + ".",
	}
	return []byte(strings.Join(headers, "\r\n") + "\r\n\r\n" + strings.Join(body, "\r\n") + "\r\n")
}
