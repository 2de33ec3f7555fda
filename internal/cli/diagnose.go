package cli

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"pitstop/internal/kb"
	"pitstop/internal/wizard"
)

// Bounds of what diagnose reads from stdin. Matching looks at the head and
// the tail of a paste (errors sit at the end of a log), so a long log is
// read through and only its first and last pasteKeep bytes are kept;
// reading stops at maxPasteRead so an endless stream cannot hang diagnose.
const (
	pasteKeep    = 512 << 10
	maxPasteRead = 256 << 20
)

func newDiagnoseCmd(app *App) *cobra.Command {
	var format string
	var limit int
	cmd := &cobra.Command{
		Use:   "diagnose [TEXT]",
		Short: "Find the articles that explain an error message",
		Long: `Diagnose reads an error message (the arguments, or stdin when there are none)
and lists the knowledge articles that explain it, best first, with the reasons
each one matched: an error code or message it recognises, or words in common.
A match on words alone is only a guess, and is shown as one (JSON: "confidence":
"weak"; "strong" when an error code or message was recognised). Logs pasted with
escaped line breaks (\n in JSON or Python strings) or wrapped lines are read as
the messages they hold. It runs no checks and needs no settings; when settings
load, articles about a provider the profile does not use (Pipedrive for a
HubSpot profile) are left out unless the text names that provider.`,
		Example: `  pitstop diagnose "535 5.7.8 Error: authentication failed"
  pbpaste | pitstop diagnose
  pitstop diagnose --format json < error.txt`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := app.checkTextOrJSON(format); err != nil {
				return err
			}
			if limit < 1 {
				return usageErrf("%s", app.T("diagnose.err.limit"))
			}
			text, err := diagnoseInput(app, args)
			if err != nil {
				return err
			}
			base, err := app.Knowledge()
			if err != nil {
				return err
			}
			// A pasted log may hold the real key or password: mask the
			// loaded secrets in the reasons that quote it, when there are
			// settings to load (diagnose works without them too). The
			// profile's providers leave out the articles about others
			// (a HubSpot profile is not shown Pipedrive's), as in the report.
			profile := app.loadSecretsQuietly()
			matches := base.Match(wizard.Evidence(profile, text, nil, nil))
			if len(matches) > limit {
				matches = matches[:limit]
			}
			if format == "json" {
				return writeDiagnoseJSON(app, matches)
			}
			writeDiagnoseText(app, matches)
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output: text or json")
	cmd.Flags().IntVar(&limit, "limit", 5, "how many articles to list at most")
	return cmd
}

// diagnoseInput is the text to match: the arguments, else stdin (not when
// stdin is a terminal: nothing is coming, say how to use it instead).
func diagnoseInput(app *App, args []string) (string, error) {
	var text string
	if len(args) > 0 {
		text = strings.Join(args, " ")
	} else {
		if f, ok := app.Stdin.(*os.File); ok && term.IsTerminal(f.Fd()) {
			return "", usageErrf("%s", app.T("diagnose.err.no_text"))
		}
		var err error
		if text, err = readHeadTail(app.Stdin, pasteKeep, maxPasteRead); err != nil {
			return "", &ExitError{Code: ExitInternal, Err: fmt.Errorf("%s: %w", app.T("diagnose.err.read"), err)}
		}
	}
	if strings.TrimSpace(text) == "" {
		return "", usageErrf("%s", app.T("diagnose.err.empty"))
	}
	return text, nil
}

func writeDiagnoseJSON(app *App, matches []kb.Match) error {
	type matchJSON struct {
		ID         string   `json:"id"`
		Title      string   `json:"title"`
		Category   string   `json:"category"`
		Severity   string   `json:"severity"`
		Score      float64  `json:"score"`
		Confidence string   `json:"confidence"`
		Reasons    []string `json:"reasons"`
	}
	out := struct {
		Matches []matchJSON `json:"matches"`
	}{Matches: make([]matchJSON, 0, len(matches))}
	for _, m := range matches {
		a := m.Article
		out.Matches = append(out.Matches, matchJSON{
			ID: a.ID, Title: a.Title, Category: a.Category, Severity: a.Severity,
			Score: roundScore(m.Score), Confidence: string(m.Confidence), Reasons: scrubAll(app, orEmpty(m.Reasons)),
		})
	}
	return writeIndentedJSON(app.Stdout, out)
}

func writeDiagnoseText(app *App, matches []kb.Match) {
	w := app.Stdout
	if len(matches) == 0 {
		fmt.Fprintln(w, app.T("diagnose.none"))
		return
	}
	width := ttyWidth(w) // 0 for pipes: no wrapping
	guess := matches[0].Confidence != kb.Strong
	if guess {
		fmt.Fprint(w, hangingWrap("", app.T("diagnose.guess"), width))
	}
	for i, m := range matches {
		a := m.Article
		title := fmt.Sprintf("%d. %s  %s", i+1, a.ID, a.Title)
		if !guess && m.Confidence != kb.Strong {
			title += "  " + app.T("diagnose.weak")
		}
		fmt.Fprint(w, strings.TrimPrefix(hangingWrap("   ", title, width), "   "))
		fmt.Fprintf(w, "   %s · %s · %s\n", app.articleWord(a.Category), app.T("kb.show.severity", app.articleWord(a.Severity)), app.T("diagnose.score", m.Score))
		for _, r := range scrubAll(app, m.Reasons) {
			fmt.Fprint(w, "   - "+strings.TrimPrefix(hangingWrap("     ", r, width), "     "))
		}
	}
	if guess {
		fmt.Fprintf(w, "\n%s\n", app.T("diagnose.read_guess", matches[0].Article.ID))
		return
	}
	fmt.Fprintf(w, "\n%s\n", app.T("diagnose.read_first", matches[0].Article.ID))
}

// scrubAll masks loaded secrets in reasons (they quote the pasted text).
func scrubAll(app *App, list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = app.Scrubber().Scrub(s)
	}
	return out
}

// readHeadTail reads r up to limit bytes and returns its first keep bytes
// and its last keep bytes (the whole text when it is shorter than 2*keep).
func readHeadTail(r io.Reader, keep, limit int) (string, error) {
	r = io.LimitReader(r, int64(limit))
	head := make([]byte, 0, keep)
	buf := make([]byte, 64<<10)
	var tail []byte // the latest bytes after head, at most 2*keep before trimming
	dropped := false
	for {
		n, err := r.Read(buf)
		chunk := buf[:n]
		if room := keep - len(head); room > 0 {
			take := min(room, len(chunk))
			head = append(head, chunk[:take]...)
			chunk = chunk[take:]
		}
		tail = append(tail, chunk...)
		if len(tail) > 2*keep {
			tail, dropped = append(tail[:0], tail[len(tail)-keep:]...), true
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
	}
	if dropped || len(tail) > keep {
		return string(head) + "\n" + string(tail[len(tail)-min(keep, len(tail)):]), nil
	}
	return string(head) + string(tail), nil
}
