package content

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/config"
)

func writeFile(t testing.TB, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(text), 0o600))
	return path
}

func runOne(p *config.Profile, id string) check.Result {
	r := &check.Runner{Timeout: 10 * time.Second}
	for _, res := range r.Run(context.Background(), Checks(p)) {
		if res.ID == id {
			return res
		}
	}
	return check.Result{}
}

func TestPrompt(t *testing.T) {
	t.Parallel()
	good := "Write a friendly three-sentence welcome email for {{first_name}} at {{company}}, who signed up for our newsletter about sustainable packaging."
	long := strings.Repeat("Describe our product in detail, with benefits and examples. ", 400)
	tests := []struct {
		name      string
		text      *string
		maxTokens int
		status    check.Status
		article   string
		summary   string
		detail    string
	}{
		{name: "no prompt file", status: check.Skip, summary: "content.prompt_file"},
		{name: "empty", text: ptr("  \n\t "), status: check.Fail, article: "content-generation-failed", summary: "empty"},
		{name: "under ten characters", text: ptr("Hi there"), status: check.Fail, article: "content-generation-failed", summary: "only 8 characters"},
		{name: "ok", text: &good, status: check.Pass, summary: "tokens", detail: "o200k_base"},
		{name: "over the limit", text: &long, maxTokens: 4000, status: check.Fail, article: "perf-high-costs", summary: "over the limit of 4000"},
		{name: "close to the limit", text: &good, maxTokens: 30, status: check.Warn, article: "perf-high-costs", summary: "of the 30-token limit"},
		{name: "default limit", text: &long, status: check.Fail, summary: "limit of 4000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := &config.Profile{Content: config.ContentConfig{MaxTokens: tt.maxTokens}}
			if tt.text != nil {
				p.Content.PromptFile = writeFile(t, "prompt.txt", *tt.text)
			}
			got := runOne(p, "content.prompt")
			require.Equal(t, tt.status, got.Status, got.Summary)
			if tt.article != "" {
				require.Contains(t, got.Articles, tt.article)
			}
			require.Contains(t, got.Summary, tt.summary)
			require.Contains(t, strings.Join(got.Details, "\n"), tt.detail)
		})
	}
}

func ptr(s string) *string { return &s }

func TestPromptMissingFileIsCouldNotTest(t *testing.T) {
	t.Parallel()
	p := &config.Profile{Content: config.ContentConfig{PromptFile: filepath.Join(t.TempDir(), "nope.txt")}}
	got := runOne(p, "content.prompt")
	require.Equal(t, check.Error, got.Status)
	require.Contains(t, got.Summary, "does not exist")
}

func TestCountTokensIsARealTokenizer(t *testing.T) {
	t.Parallel()
	n, err := CountTokens("Hello world")
	require.NoError(t, err)
	require.Equal(t, 2, n)
	n, err = CountTokens("Hola, ¿cómo estás? Escribe un correo de bienvenida.")
	require.NoError(t, err)
	require.Greater(t, n, 8)
}

const cleanEmail = "From: News <news@pitstop-healthy.test>\r\n" +
	"To: ana@example.com\r\n" +
	"Subject: Your March update from the packaging team\r\n" +
	"Date: Mon, 03 Mar 2025 10:00:00 +0000\r\n" +
	"Message-ID: <a1@pitstop-healthy.test>\r\n" +
	"List-Unsubscribe: <https://pitstop-healthy.test/u/a1>, <mailto:unsub@pitstop-healthy.test>\r\n" +
	"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/alternative; boundary=b1\r\n" +
	"\r\n" +
	"--b1\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\n" +
	"\r\n" +
	"Hi Ana, here is what changed in our recyclable boxes this month, and the two webinars we are running.\r\n" +
	"Read the full notes at https://pitstop-healthy.test/notes/march when you have a minute.\r\n" +
	"--b1\r\n" +
	"Content-Type: text/html; charset=utf-8\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n" +
	"\r\n" +
	"<p>Hi Ana, here is what changed in our recyclable boxes this month, and the two webinars we are =\r\n" +
	"running.</p><p><a href=3D\"https://pitstop-healthy.test/notes/march\">Read the notes</a></p>\r\n" +
	"--b1--\r\n"

const spammyEmail = "From: deals@pitstop-lax.test\r\n" +
	"To: ana@example.com\r\n" +
	"Subject: FREE MONEY WINNER!!! ACT NOW\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: text/html; charset=utf-8\r\n" +
	"\r\n" +
	"<html><body><a href=\"https://bit.ly/x1\"><img src=\"https://x.test/banner.png\"></a>" +
	"<p>Click here!!! 100% free, guaranteed. Dinero fácil: haz clic aquí</p>" +
	"<a href=\"https://bit.ly/x2\">a</a><a href=\"https://tinyurl.com/y\">b</a></body></html>\r\n"

func TestSpamBuiltinRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		email   string
		status  check.Status
		rules   []string
		absent  []string
		summary string
	}{
		{name: "clean newsletter", email: cleanEmail, status: check.Pass, absent: []string{"no-unsubscribe-header", "html-without-text-part"}, summary: "Pitstop's rules score this email 0.0 of 5.0; SpamAssassin may differ: set content.spamd for its real score."},
		{
			name: "spammy", email: spammyEmail, status: check.Fail,
			rules:   []string{"subject-in-capitals", "subject-exclamations", "triple-exclamation", "spammy-phrases", "link-shortener", "images-without-text", "html-without-text-part", "no-unsubscribe-header", "no-date-header", "too-many-links"},
			summary: "of 5.0; SpamAssassin may differ: set content.spamd for its real score. Fix the rules",
		},
		{
			name:  "plain text without headers, in Spanish",
			email: "Felicidades, has sido seleccionado. Dinero fácil y 100% gratis: actúa ahora, oferta por tiempo limitado.",
			// Phrases alone are capped below the threshold.
			status: check.Warn, rules: []string{"spammy-phrases"}, absent: []string{"no-unsubscribe-header"},
		},
		{name: "empty", email: "Subject: hello\r\nFrom: a@b.test\r\n\r\n", status: check.Warn, rules: []string{"no-text", "no-unsubscribe-header"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := &config.Profile{Content: config.ContentConfig{EmailFile: writeFile(t, "mail.eml", tt.email)}}
			got := runOne(p, "content.spam")
			details := strings.Join(got.Details, "\n")
			require.Equal(t, tt.status.String(), got.Status.String(), got.Summary+"\n"+details)
			for _, r := range tt.rules {
				require.Contains(t, details, r)
			}
			for _, r := range tt.absent {
				require.NotContains(t, details, r)
			}
			require.Contains(t, got.Summary, tt.summary)
			if got.Status != check.Pass {
				require.Contains(t, got.Articles, "email-spam-score")
			}
		})
	}
}

func TestSpamPointsAddUp(t *testing.T) {
	t.Parallel()
	s := builtinScore([]byte(spammyEmail))
	sum := 0.0
	for _, h := range s.Hits {
		require.Positive(t, h.Points, h.Rule)
		sum += h.Points
	}
	require.InDelta(t, s.Total, sum, 1e-9)
	require.GreaterOrEqual(t, s.Total, SpamThreshold)
	for i := 1; i < len(s.Hits); i++ {
		require.GreaterOrEqual(t, s.Hits[i-1].Points, s.Hits[i].Points, "hits are shown biggest first")
	}
}

func TestPhraseMatchingRespectsWords(t *testing.T) {
	t.Parallel()
	require.True(t, containsPhrase(fold("¡Haz CLIC aquí!"), "haz clic aqui"))
	require.False(t, containsPhrase(fold("the winners circle"), "winner"))
	require.False(t, containsPhrase(fold("insurgente"), "urgente"))
	require.True(t, containsPhrase(fold("Es URGENTE."), "urgente"))
}

func TestSpamMissingFile(t *testing.T) {
	t.Parallel()
	require.Equal(t, check.Skip, runOne(&config.Profile{}, "content.spam").Status)
	p := &config.Profile{Content: config.ContentConfig{EmailFile: filepath.Join(t.TempDir(), "none.eml")}}
	require.Equal(t, check.Error, runOne(p, "content.spam").Status)
}

// fakeSpamd is a loopback server speaking SPAMD/1.5 to REPORT requests, as
// spamd does: it checks the Content-length it was given and answers with a
// Spam header and a report table.
type fakeSpamd struct {
	ln       net.Listener
	mu       sync.Mutex
	got      []string // request lines
	bodyLens []int
	reply    func(body []byte) string
}

func startFakeSpamd(t testing.TB, reply func(body []byte) string) *fakeSpamd {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	f := &fakeSpamd{ln: ln, reply: reply}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				f.serve(c)
			}()
		}
	}()
	t.Cleanup(func() { _ = ln.Close(); wg.Wait() })
	return f
}

func (f *fakeSpamd) serve(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	r := bufio.NewReader(c)
	first, err := r.ReadString('\n')
	if err != nil {
		return
	}
	length := -1
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			break
		}
		if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(k, "Content-length") {
			length, _ = strconv.Atoi(strings.TrimSpace(v))
		}
	}
	body := make([]byte, max(length, 0))
	if _, err := io.ReadFull(r, body); err != nil {
		return
	}
	f.mu.Lock()
	f.got = append(f.got, strings.TrimSpace(first))
	f.bodyLens = append(f.bodyLens, length)
	f.mu.Unlock()
	_, _ = io.WriteString(c, f.reply(body))
}

func spamdReport(score float64, rules string) string {
	report := "Spam detection software, running on the system \"sandbox\", has\r\n" +
		"identified this incoming email as possible spam.\r\n\r\n" +
		fmt.Sprintf("Content analysis details:   (%.1f points, 5.0 required)\r\n\r\n", score) +
		" pts rule name              description\r\n" +
		"---- ---------------------- --------------------------------------------------\r\n" + rules
	verdict := "False"
	if score >= 5 {
		verdict = "True"
	}
	return fmt.Sprintf("SPAMD/1.1 0 EX_OK\r\nContent-length: %d\r\nSpam: %s ; %.1f / 5.0\r\n\r\n%s", len(report), verdict, score, report)
}

func TestSpamWithSpamd(t *testing.T) {
	t.Parallel()
	rules := " 2.5 URIBL_BLACK            Contains an URL listed in the URIBL blacklist\r\n" +
		"                            [URIs: bit.ly]\r\n" +
		" 1.5 SUBJ_ALL_CAPS          Subject is all capitals\r\n" +
		" 3.4 FREEMAIL_FORGED_REPLYTO Freemail in Reply-To, but not From\r\n" +
		"-0.1 DKIM_VALID             Message has at least one valid DKIM or DK signature\r\n"
	fake := startFakeSpamd(t, func([]byte) string { return spamdReport(7.3, rules) })
	path := writeFile(t, "mail.eml", spammyEmail)
	p := &config.Profile{Content: config.ContentConfig{EmailFile: path, Spamd: fake.ln.Addr().String()}}
	got := runOne(p, "content.spam")
	details := strings.Join(got.Details, "\n")
	require.Equal(t, check.Fail, got.Status, got.Summary)
	require.Contains(t, got.Summary, "SpamAssassin (spamd at "+fake.ln.Addr().String()+") scores this email 7.3, at or over its spam threshold of 5.0")
	score, _ := got.Fact("score")
	require.Equal(t, 7.3, score)
	scorer, _ := got.Fact("scorer")
	require.Equal(t, "spamassassin", scorer)
	require.Contains(t, details, "+2.5 URIBL_BLACK")
	require.Contains(t, details, "[URIs: bit.ly]")
	require.Contains(t, details, "-0.1 DKIM_VALID")
	require.NotContains(t, details, "images-without-text", "the built-in rules are not used when spamd answers")
	fake.mu.Lock()
	defer fake.mu.Unlock()
	require.Equal(t, []string{"REPORT SPAMC/1.5"}, fake.got)
	require.Equal(t, []int{len(spammyEmail)}, fake.bodyLens)
}

func TestSpamdFallsBack(t *testing.T) {
	t.Parallel()
	refused, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := refused.Addr().String()
	require.NoError(t, refused.Close())
	garbage := startFakeSpamd(t, func([]byte) string { return "HTTP/1.1 400 Bad Request\r\n\r\n" })
	refusing := startFakeSpamd(t, func([]byte) string { return "SPAMD/1.5 76 Bad header line: (EX_PROTOCOL)\r\n\r\n" })
	for name, spamd := range map[string]string{"refused": addr, "not spamd": garbage.ln.Addr().String(), "protocol error": refusing.ln.Addr().String()} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := &config.Profile{Content: config.ContentConfig{EmailFile: writeFile(t, "m.eml", cleanEmail), Spamd: spamd}}
			got := runOne(p, "content.spam")
			require.Equal(t, check.Warn, got.Status, got.Summary)
			require.Contains(t, got.Summary, "spamd could not be reached")
			require.Contains(t, strings.Join(got.Details, "\n"), "built-in rules scored it instead")
		})
	}
}

func TestSpamdSilentReturnsInTime(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var held []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		for _, c := range held {
			_ = c.Close()
		}
		mu.Unlock()
	})
	p := &config.Profile{Content: config.ContentConfig{EmailFile: writeFile(t, "m.eml", cleanEmail), Spamd: ln.Addr().String()}}
	const timeout = time.Second
	r := &check.Runner{Timeout: timeout}
	start := time.Now()
	res := r.Run(context.Background(), Checks(p))
	require.Less(t, time.Since(start), timeout+500*time.Millisecond)
	for _, x := range res {
		if x.ID == "content.spam" {
			require.NotEqual(t, check.Pass, x.Status)
		}
	}
}

// TestCanaryPasswordNeverShows: content checks never print profile secrets.
func TestCanaryPasswordNeverShows(t *testing.T) {
	t.Parallel()
	const canary = "Canary-Pa55w0rd-content-99"
	p := &config.Profile{
		SMTP:    config.SMTPConfig{Password: config.NewSecret(canary, "test")},
		API:     config.APIConfig{Key: config.NewSecret(canary+"-api", "test")},
		Content: config.ContentConfig{EmailFile: writeFile(t, "m.eml", spammyEmail), PromptFile: writeFile(t, "p.txt", "Write a short welcome email for new subscribers.")},
	}
	r := &check.Runner{Timeout: 10 * time.Second}
	for _, res := range r.Run(context.Background(), Checks(p)) {
		require.NotContains(t, res.Summary+strings.Join(res.Details, "\n"), canary)
	}
}

func BenchmarkSpamBuiltin(b *testing.B) {
	raw := []byte(spammyEmail)
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		_ = builtinScore(raw)
	}
}

func BenchmarkSpamd(b *testing.B) {
	fake := startFakeSpamd(b, func([]byte) string { return spamdReport(1.2, " 1.2 MISSING_DATE Missing Date: header\r\n") })
	raw := []byte(cleanEmail)
	for b.Loop() {
		if _, err := SpamdReport(context.Background(), fake.ln.Addr().String(), raw); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCountTokens(b *testing.B) {
	text := strings.Repeat("Write a friendly welcome email for our newsletter subscribers. ", 50)
	_, _ = CountTokens("warm up") // the first call loads the tables
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if _, err := CountTokens(text); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBinaryEmailIsNotScored: a 3 MB binary file is not an email and does
// not pass; a Latin-1 email still scores; a FIFO prompt is refused at once,
// not "timed out".
func TestBinaryEmailIsNotScored(t *testing.T) {
	t.Parallel()
	bin := make([]byte, 3<<20)
	for i := range bin {
		bin[i] = byte(i * 7919 >> 3)
	}
	binPath := writeFile(t, "photo.eml", string(bin))
	r := runOne(&config.Profile{Content: config.ContentConfig{EmailFile: binPath}}, "content.spam")
	require.Equal(t, check.Error, r.Status, r.Summary)
	require.Contains(t, r.Summary, "is not an email")

	latin1 := writeFile(t, "hola.eml", "Subject: Promoci\xf3n de oto\xf1o\r\nFrom: a@example.com\r\n\r\nHola, \xbfqu\xe9 tal? Aqu\xed tienes la informaci\xf3n.\r\n")
	r = runOne(&config.Profile{Content: config.ContentConfig{EmailFile: latin1}}, "content.spam")
	require.NotEqual(t, check.Error, r.Status, r.Summary)

	fifo := filepath.Join(t.TempDir(), "prompt.fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	start := time.Now()
	r = runOne(&config.Profile{Content: config.ContentConfig{PromptFile: fifo, MaxTokens: 100}}, "content.prompt")
	require.Less(t, time.Since(start), time.Second)
	require.Equal(t, check.Error, r.Status)
	require.Contains(t, r.Summary, "named pipe")
	require.NotContains(t, r.Summary, "firewall")
}
