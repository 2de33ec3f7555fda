// Package content holds the content checks: the prompt's size in real
// tokens (content.prompt) and a sample email's spam score (content.spam),
// from SpamAssassin's spamd when one is configured, else from transparent
// built-in rules whose points are all shown.
package content

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/i18n"
	"pitstop/internal/safefile"
)

// Knowledge articles the content checks point to.
const (
	artGenerationFailed = "content-generation-failed"
	artHighCosts        = "perf-high-costs"
	artSpamScore        = "email-spam-score"
	artDeliveryFailed   = "email-delivery-failed"
)

// maxFileSize bounds what Pitstop reads from a prompt or email file.
const maxFileSize = 10 << 20

// Checks returns the content checks for a profile.
func Checks(p *config.Profile) []check.Check {
	c := p.Content
	return []check.Check{
		check.Define("content.prompt", "", func(ctx context.Context) check.Result { return checkPrompt(ctx, c.PromptFile, c.MaxTokens) }),
		check.Define("content.spam", "", func(ctx context.Context) check.Result { return checkSpam(ctx, c.EmailFile, c.Spamd) }),
	}
}

// readFile reads at most maxFileSize bytes of a regular file and says
// whether there was more. setting names it in errors.
func readFile(setting, path string) ([]byte, bool, error) {
	return safefile.ReadPrefix(path, setting, maxFileSize)
}

// fileError is the could-not-test result for an unreadable file.
func fileError(setting, path string, err error) check.Result {
	if errors.Is(err, fs.ErrNotExist) {
		return check.Errorf("Could not test: %s points to %s, which does not exist.", setting, path)
	}
	var se *safefile.Error
	if errors.As(err, &se) {
		err = errors.New(se.Problem.In(i18n.English)) // "is a named pipe (FIFO), not a regular file"; translated with the sentence
	}
	return check.Errorf("Could not test: cannot read %s (%s): %v.", setting, path, err)
}

func fmtPoints(p float64) string { return fmt.Sprintf("%+.1f", p) }
