package mail

import (
	"bytes"
	"encoding/base64"
	"pitstop/internal/config"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Direction says who said a transcript line.
type Direction byte

// The directions, drawn as swaks does.
const (
	Sent     Direction = '>'
	Received Direction = '<'
	Note     Direction = '*'
)

// Line is one line of the SMTP conversation.
type Line struct {
	Dir  Direction
	Text string // never holds a credential: AUTH exchanges are masked on the way in
	At   time.Time
}

// String draws the line in the swaks style: "-> EHLO x", "<- 250 OK",
// "** TLS started".
func (l Line) String() string {
	switch l.Dir {
	case Sent:
		return "-> " + l.Text
	case Received:
		return "<- " + l.Text
	}
	return "** " + l.Text
}

// transcript records an SMTP conversation from go-smtp's DebugWriter, which
// sees every byte both ways (above TLS). The client never pipelines, so the
// direction follows the dialogue: the server speaks until it sends a final
// reply line ("250 ..."), then the client speaks one line (or a message body
// after 354). Credentials never reach the stored lines: a line sent after
// AUTH, until the server's final non-334 reply, is replaced by a mask, and
// partial lines are kept only until their end arrives.
type transcript struct {
	mu       sync.Mutex
	now      func() time.Time
	lines    []Line
	partial  []byte
	speaker  Direction // who speaks next
	inAuth   bool      // between AUTH and its final reply
	inData   bool      // between DATA's 354 and the final "."
	dataSent int       // message lines sent (shown as a count, not the text)
	lastCmd  string
	tlsBegun bool // STARTTLS accepted: the tap hears only TLS from now on
	// dropReply hides the server's answer to the "*" go-smtp sends after an
	// AUTH that already failed: the exchange was over, so the server
	// answers "501 bad command", which reads like a second problem.
	dropReply bool
	// inferring is true while bytes come without a known direction (the
	// debug writer, after STARTTLS).
	inferring bool
	// door is what every line of the server's, and every decoded prompt,
	// passes before it is stored: a nil door still strips and cuts.
	door *config.Scrubber
}

func newTranscript(now func() time.Time) *transcript {
	return &transcript{now: now, speaker: Received}
}

// Write implements io.Writer for smtp.Client.DebugWriter; the direction
// follows the dialogue.
func (t *transcript) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.feed(0, b)
	return len(b), nil
}

// tap records bytes whose direction is known (from a tapConn). It stops once
// STARTTLS has been accepted: what follows on that connection is TLS.
func (t *transcript) tap(dir Direction, b []byte) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.tlsBegun {
		t.feed(dir, b)
	}
}

// feed splits b into lines. dir is Sent or Received, or 0 to follow the
// dialogue.
func (t *transcript) feed(dir Direction, b []byte) {
	t.inferring = dir == 0
	if dir != 0 && len(t.partial) > 0 && dir != t.speaker {
		t.line(t.partial)
		t.partial = t.partial[:0]
	}
	for len(b) > 0 {
		if dir != 0 {
			t.speaker = dir
		}
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			t.partial = append(t.partial, b...)
			// Bound what a server without newlines can make us hold.
			if len(t.partial) > 4096 {
				t.line(t.partial)
				t.partial = t.partial[:0]
			}
			return
		}
		t.partial = append(t.partial, b[:i]...)
		t.line(t.partial)
		t.partial = t.partial[:0]
		b = b[i+1:]
	}
}

// line stores one complete line and moves the dialogue on.
func (t *transcript) line(raw []byte) {
	text := string(bytes.TrimRight(raw, "\r"))
	at := t.now()
	if t.inferring && t.inAuth {
		// Inside AUTH the shape says who speaks: the client sends one
		// base64 token (or "*"), which never looks like "334 ...". A
		// server that pipelines its prompts would otherwise turn the
		// dialogue around and show a credential as a server line.
		if isReplyLine(text) {
			t.speaker = Received
		} else {
			t.speaker = Sent
		}
	}
	if t.speaker == Received {
		final := !isReplyLine(text) || len(text) == 3 || text[3] == ' '
		if !t.dropReply {
			t.lines = append(t.lines, Line{Dir: Received, Text: t.door.Untrusted(visible(text), maxLine), At: at})
		}
		if final {
			t.dropReply = false
			t.endReply(text)
		}
		return
	}
	if text == "*" && !t.inAuth && t.lastCmd == "AUTH" {
		// The cancel go-smtp sends after a failed login: not shown, nor
		// the reply to it (see dropReply).
		t.dropReply = true
		t.speaker = Received
		return
	}
	switch {
	case t.inData:
		if text == "." {
			if t.dataSent > 0 {
				t.lines = append(t.lines, Line{Dir: Note, Text: plural(t.dataSent, "message line") + " sent", At: at})
			}
			t.lines = append(t.lines, Line{Dir: Sent, Text: ".", At: at})
			t.inData = false
			t.dataSent = 0
			t.speaker = Received
			return
		}
		t.dataSent++
		return // the body stays client-side: the message may be large
	case t.inAuth:
		t.lines = append(t.lines, Line{Dir: Sent, Text: "******** (credentials hidden)", At: at})
	default:
		t.lines = append(t.lines, Line{Dir: Sent, Text: maskCommand(text), At: at})
		t.lastCmd = strings.ToUpper(firstWord(text))
		if t.lastCmd == "AUTH" {
			t.inAuth = true
		}
	}
	t.speaker = Received
}

// endReply handles the last line of a server reply.
func (t *transcript) endReply(text string) {
	t.speaker = Sent
	code := ""
	if len(text) >= 3 {
		code = text[:3]
	}
	if t.inAuth && code != "334" {
		t.inAuth = false
	}
	if t.inAuth {
		if c, err := base64.StdEncoding.DecodeString(strings.TrimSpace(text[3:])); err == nil && utf8.Valid(c) && len(c) > 0 {
			last := &t.lines[len(t.lines)-1]
			last.Text += " (" + t.door.Untrusted(visible(string(c)), maxLine) + ")"
		}
	}
	if t.lastCmd == "DATA" && code == "354" {
		t.inData = true
	}
	if t.lastCmd == "STARTTLS" && strings.HasPrefix(code, "2") {
		t.tlsBegun = true
	}
}

// maskCommand hides the initial response of an AUTH command.
func maskCommand(text string) string {
	f := strings.Fields(text)
	if len(f) >= 3 && strings.EqualFold(f[0], "AUTH") {
		return f[0] + " " + f[1] + " ******** (credentials hidden)"
	}
	return text
}

// isReplyLine reports whether s looks like an SMTP reply line: three digits,
// then a space, a dash or nothing.
func isReplyLine(s string) bool {
	if len(s) < 3 || s[0] < '2' || s[0] > '5' || !isDigit(s[1]) || !isDigit(s[2]) {
		return false
	}
	return len(s) == 3 || s[3] == ' ' || s[3] == '-'
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func firstWord(s string) string {
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return s[:i]
	}
	return s
}

// mark returns the position the next line will take.
func (t *transcript) mark() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.lines)
}

// since returns the lines from mark on.
func (t *transcript) since(mark int) []Line {
	t.mu.Lock()
	defer t.mu.Unlock()
	if mark > len(t.lines) {
		return nil
	}
	return append([]Line(nil), t.lines[mark:]...)
}

// received reports whether the server has sent anything at all, counting a
// line still in progress.
func (t *transcript) received() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, l := range t.lines {
		if l.Dir == Received {
			return true
		}
	}
	return t.speaker == Received && len(t.partial) > 0
}

// pending returns a line the server started but has not finished.
func (t *transcript) pending() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.speaker != Received || len(t.partial) == 0 {
		return ""
	}
	return t.door.Untrusted(visible(string(t.partial)), maxLine)
}

// maxLine is the longest transcript line shown, in characters.
const maxLine = 300

// printable makes text that carries no secret (Pitstop's own errors) safe
// to show: control sequences stripped, long lines cut.
func printable(s string) string {
	var door *config.Scrubber
	return door.Untrusted(s, maxLine)
}

// visible spells control bytes and invalid UTF-8 as \x.. escapes, so a
// transcript shows what a server that is not a mail server sent (a TLS
// record starts \x16\x03) while no control byte reaches a terminal. Escape
// sequences go whole first: spelled out, a window title would still show.
func visible(s string) string {
	s = config.StripEscapeSequences(s)
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\x` + hex2(s[i]))
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\x` + hex2(byte(r)))
		default:
			b.WriteRune(r)
		}
		i += size
		if b.Len() > 4*maxLine {
			break
		}
	}
	return b.String()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&0xf]})
}
