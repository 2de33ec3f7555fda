package tui_test

import (
	"context"
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/tui"
	"pitstop/internal/tui/common"
	"pitstop/internal/tui/tuitest"
)

// typedKey is a key typed into the settings form; it must never be drawn.
const typedKey = "sk-typed-41e2c9d07b5a4f3e8c1d2b6a9f0e7c35"

// toAPISettings walks to the settings step for "API & keys".
func toAPISettings(t *testing.T, lang string) (*tuitest.Driver, *common.Common) {
	t.Helper()
	c := tuitest.Common(t, lang)
	d := tuitest.NewDriver(t, tui.New(c), 80, 24)
	d.Press("1", "enter", "space", "enter")
	require.Equal(t, common.StepSettings, screen(d).Step(), d.View())
	require.Equal(t, []string{"api"}, c.Session.Categories)
	return d, c
}

func TestHomeEntriesOpenTheirScreens(t *testing.T) {
	t.Parallel()
	tests := []struct {
		keys  []string
		title string
		step  int
	}{
		{[]string{"enter"}, "What is wrong?", common.StepProblem},
		{[]string{"down", "enter"}, "Health check", 0},
		{[]string{"/"}, "Search", 0},
		{[]string{"down", "down", "down", "enter"}, "Search", 0},
		{[]string{"up", "up", "up", "enter"}, "Search", 0},
		{[]string{"1"}, "What is wrong?", common.StepProblem},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.keys, "+"), func(t *testing.T) {
			t.Parallel()
			d, _ := newDriver(t, "en", 80, 24)
			d.Press(tt.keys...)
			require.Equal(t, tt.title, screen(d).Title())
			require.Equal(t, tt.step, screen(d).Step())
			require.Contains(t, d.View(), tt.title)
		})
	}
}

// TestBackOnEveryStep goes forward to the results, then back with esc one
// step at a time to Home.
func TestBackOnEveryStep(t *testing.T) {
	t.Parallel()
	d, _ := newDriver(t, "en", 80, 24)
	emailSymptoms(d)
	toStep(t, d, common.StepResults)
	d.Press("d")
	require.Equal(t, common.StepOutcome, screen(d).Step())
	var steps []int
	for i := 0; i < 10 && screen(d).Title() != ""; i++ {
		d.Press("esc")
		steps = append(steps, screen(d).Step())
	}
	// outcome → results → checks → settings → symptoms → problem → home
	require.Equal(t, []int{5, 4, 3, 2, 1, 0}, steps)
	require.Contains(t, d.View(), "What do you want to do?")
}

func TestPickSymptomsAndContinue(t *testing.T) {
	t.Parallel()
	d, c := newDriver(t, "en", 80, 24)
	emailSymptoms(d)
	view := d.View()
	require.Contains(t, view, "[x] Blocked using zen.spamhaus.org")
	require.Contains(t, view, "Most likely:")
	d.Press("enter")
	require.Len(t, c.Session.Symptoms, 2)
	require.Equal(t, "email", c.Session.Problem.ID)
	require.Equal(t, []string{"smtp", "domain"}, c.Session.Categories)
	require.NotEmpty(t, c.Session.Suggested)
}

// TestPastedErrorIsMatchedAndMasked pastes an error that holds the SMTP
// password: the screen masks it, the matches name the right article, and
// the checks chosen are the email ones.
func TestPastedErrorIsMatchedAndMasked(t *testing.T) {
	t.Parallel()
	d, c := newDriver(t, "en", 80, 24)
	d.Press("1", "p")
	require.True(t, screen(d).Capturing(), "the paste box takes every key")
	d.Send(tea.PasteMsg{Content: "smtplib.SMTPAuthenticationError: (535, b'5.7.8 Error: authentication failed: " + tuitest.CanaryPassword + "')"})
	view := d.View()
	tuitest.NoSecrets(t, view)
	require.Contains(t, view, "SMTP login rejected")
	d.Press("q") // typed into the box, not a quit
	require.False(t, d.Quit)
	d.Press("enter")
	require.Equal(t, common.StepSettings, screen(d).Step())
	require.NotContains(t, c.Session.Pasted, tuitest.CanaryPassword)
	require.Equal(t, "smtp-auth-failed", c.Session.Suggested[0].Article.ID)
	require.Contains(t, c.Session.Categories, "smtp")
}

// TestPasteOnHomeStartsTheGuidedFlow: someone who pastes the error on the
// first screen lands in "paste the error" with it, not in silence.
func TestPasteOnHomeStartsTheGuidedFlow(t *testing.T) {
	t.Parallel()
	d, c := newDriver(t, "en", 80, 24)
	d.Send(tea.PasteMsg{Content: "smtplib.SMTPAuthenticationError: (535, b'5.7.8 Error: authentication failed: " + tuitest.CanaryPassword + "')"})
	require.Equal(t, common.StepSymptoms, screen(d).Step())
	require.True(t, screen(d).Capturing())
	view := d.View()
	tuitest.NoSecrets(t, view)
	require.Contains(t, view, "SMTP login rejected")
	d.Press("enter")
	require.Equal(t, common.StepSettings, screen(d).Step())
	require.Contains(t, c.Session.Pasted, "SMTPAuthenticationError")
}

// TestTypedSecretIsUsedNotShownNotSaved types a new API key, asks to save
// the settings but leaves the key out of the file.
func TestTypedSecretIsUsedNotShownNotSaved(t *testing.T) {
	t.Parallel()
	d, c := toAPISettings(t, "en")
	d.Press("enter", "enter") // provider, base URL
	require.True(t, screen(d).Capturing(), "the key field takes letters")
	d.Press(typedKey)
	require.NotContains(t, d.View(), typedKey)
	d.Press("enter", "y") // next, then "save: yes"
	require.Contains(t, d.View(), "Write the secret you typed into the file")
	d.Press("n") // leave it out
	require.Equal(t, common.StepChecks, screen(d).Step(), d.View())
	view := d.View()
	require.NotContains(t, view, typedKey)
	require.Contains(t, view, "Settings saved to")
	require.Contains(t, view, "Not written: API key")

	key := c.Session.Profile.API.Key
	require.Equal(t, typedKey, key.Reveal(), "the run uses the typed key")
	require.Equal(t, config.SourceTyped, key.Source())
	require.Equal(t, typedKey[:3]+"…"+typedKey[len(typedKey)-4:], c.Scrub(typedKey), "the scrubber knows the typed key")

	data, err := os.ReadFile(c.ConfigPath)
	require.NoError(t, err)
	require.NotContains(t, string(data), typedKey)
	require.Contains(t, string(data), "provider: copycar")
	st, err := os.Stat(c.ConfigPath)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	_, err = config.Load(c.ConfigPath)
	require.NoError(t, err, "the saved file loads")
}

func TestTypedSecretSavedInlineOnlyWhenConfirmed(t *testing.T) {
	t.Parallel()
	d, c := toAPISettings(t, "en")
	d.Press("enter", "enter", typedKey, "enter", "y", "y")
	require.Equal(t, common.StepChecks, screen(d).Step(), d.View())
	tuitest.NoSecrets(t, d.View())
	require.NotContains(t, d.View(), typedKey)
	data, err := os.ReadFile(c.ConfigPath)
	require.NoError(t, err)
	require.Contains(t, string(data), "key: "+typedKey)
}

func TestSettingsNotSavedUnlessAsked(t *testing.T) {
	t.Parallel()
	d, c := toAPISettings(t, "en")
	d.Press("enter", "enter", "enter", "enter")
	require.Equal(t, common.StepChecks, screen(d).Step(), d.View())
	_, err := os.Stat(c.ConfigPath)
	require.ErrorIs(t, err, os.ErrNotExist, "nothing was written")
	require.Empty(t, c.Session.Saved)
}

// TestSecretsShowWhereTheyCameFrom: the settings step says where each
// secret came from, masked.
func TestSecretsShowWhereTheyCameFrom(t *testing.T) {
	t.Parallel()
	d, _ := toAPISettings(t, "en")
	d.Press("enter", "enter")
	view := d.View()
	require.Contains(t, view, "From the config file: sk-…f708")
	tuitest.NoSecrets(t, view)
}

// TestRunCancelWithEsc runs checks that wait until cancelled: esc stops
// them, every row ends "could not test", and esc again goes back.
func TestRunCancelWithEsc(t *testing.T) {
	t.Parallel()
	c := tuitest.Common(t, "en")
	started := make(chan struct{}, 8)
	c.Checks = func(*config.Profile, []string) []check.Check {
		var out []check.Check
		for _, id := range []string{"api.reachability", "api.auth"} {
			out = append(out, check.Check{ID: id, Category: "api", Title: id, Run: func(ctx context.Context) check.Result {
				started <- struct{}{}
				<-ctx.Done()
				return check.Errorf("Cancelled.")
			}})
		}
		return out
	}
	m := tui.New(c)
	d := tuitest.NewDriver(t, m, 80, 24)
	// Open the health check by hand: its first command waits for checks
	// that end only when cancelled, so it runs after esc.
	_, cmd := m.Update(common.NavigateMsg{To: common.ScreenRun, Mode: common.RunEverything})
	require.NotNil(t, cmd)
	<-started
	<-started
	require.Contains(t, d.View(), "Checking…")
	require.Contains(t, d.View(), "esc cancel")
	d.Press("esc").Run(cmd)
	view := d.View()
	require.Contains(t, view, "Stopped.")
	require.Contains(t, view, "2 could not test")
	require.True(t, c.Session.Cancelled)
	d.Press("esc")
	require.Contains(t, d.View(), "What do you want to do?")
}

// TestThemeCyclesAndHelpOpens: t changes the theme on any screen that
// takes no text, ? lists every key, q quits.
func TestThemeCyclesAndHelpOpens(t *testing.T) {
	t.Parallel()
	d, c := newDriver(t, "en", 80, 24)
	require.Equal(t, "dark", c.Theme)
	d.Press("t")
	require.Equal(t, "light", c.Theme)
	d.Press("t")
	require.Equal(t, "high-contrast", c.Theme)
	d.Press("t")
	require.Equal(t, "dark", c.Theme)
	d.Press("?")
	require.Contains(t, d.View(), "Keys")
	require.Contains(t, d.View(), "theme")
	d.Press("x")
	require.Contains(t, d.View(), "What do you want to do?")
	d.Press("q")
	require.True(t, d.Quit)
}

// TestBackgroundColorPicksTheTheme: a light terminal gets the light theme
// unless --theme was given.
func TestBackgroundColorPicksTheTheme(t *testing.T) {
	t.Parallel()
	d, c := newDriver(t, "en", 80, 24)
	c.FixedTheme = false
	d.Send(tea.BackgroundColorMsg{Color: color.White})
	require.Equal(t, "light", c.Theme)
	require.False(t, c.Dark)
	d.Send(tea.BackgroundColorMsg{Color: color.Black})
	require.Equal(t, "dark", c.Theme)

	c.FixedTheme = true
	c.ApplyTheme("high-contrast")
	d.Send(tea.BackgroundColorMsg{Color: color.White})
	require.Equal(t, "high-contrast", c.Theme, "--theme wins over the terminal")
	// ...but high contrast learns the background: deep colors on white.
	require.False(t, c.Dark)
	require.Equal(t, lipgloss.Color("#000000"), c.Styles.Paragraph.GetForeground())
	require.Equal(t, "ascii", c.MarkdownStyle())
	d.Send(tea.BackgroundColorMsg{Color: color.Black})
	require.Equal(t, lipgloss.Color("#FFFFFF"), c.Styles.Paragraph.GetForeground())
}

// TestArticleSearchAndContents searches inside an article and jumps with
// the table of contents, then follows a related article.
func TestArticleSearchAndContents(t *testing.T) {
	t.Parallel()
	d, c := newDriver(t, "en", 80, 24)
	d.Send(common.NavigateMsg{To: common.ScreenArticle, Article: "smtp-auth-failed"})
	require.Contains(t, d.View(), "SMTP login rejected")
	require.Equal(t, []string{"smtp-auth-failed"}, c.Session.Read)
	d.Press("/")
	require.True(t, screen(d).Capturing())
	d.Press("sendgrid", "enter")
	require.Regexp(t, `match 1 of \d+ for "sendgrid"`, d.View())
	d.Press("n")
	require.Regexp(t, `match 2 of \d+`, d.View())
	d.Press("esc") // clears the search first
	require.NotContains(t, d.View(), "match ")
	d.Press("c")
	require.Contains(t, d.View(), "Contents")
	require.Contains(t, d.View(), "Related")
	d.Press("down", "down", "enter") // "Fix it now"
	require.Contains(t, d.View(), "Fix it now")
	d.Press("c", "down", "down", "down", "down", "down", "down", "enter") // the first related article
	require.Len(t, c.Session.Read, 2)
	d.Press("esc")
	require.Contains(t, d.View(), "SMTP login rejected")
}

// TestContentsScrollInASmallWindow: at 60x15 the contents panel cannot
// show every entry; moving down brings the last related article into view.
func TestContentsScrollInASmallWindow(t *testing.T) {
	t.Parallel()
	d, c := newDriver(t, "en", 60, 15)
	d.Send(common.NavigateMsg{To: common.ScreenArticle, Article: "api-invalid-key"})
	art, ok := c.KB.Get("api-invalid-key")
	require.True(t, ok)
	last, ok := c.KB.Get(art.Related[len(art.Related)-1])
	require.True(t, ok)
	d.Press("c")
	require.NotContains(t, d.View(), last.Title[:20])
	for range 20 {
		d.Press("down")
	}
	view := d.View()
	require.Contains(t, view, last.Title[:20])
	requireFrame(t, view, 60, 15)
	d.Press("enter")
	require.Contains(t, c.Session.Read, last.ID)
}

// TestFirstRunSaysHowToBegin: with nothing configured, Home, the health
// check and the monitor each say what to do next instead of a bare "not
// set", and offer no keys that do nothing.
func TestFirstRunSaysHowToBegin(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "es"} {
		c := tuitest.Common(t, lang)
		c.Profile = &config.Profile{Name: "default"}
		c.ConfigPath = displayPath
		c.Checks = func(p *config.Profile, cats []string) []check.Check {
			if len(cats) == 0 { // as the suite: no category, no check
				return nil
			}
			return tuitest.StubChecks(p, cats)
		}
		d := tuitest.NewDriver(t, tui.New(c), 80, 24)
		view := strings.Join(strings.Fields(d.View()), " ")
		require.Contains(t, view, "pitstop demo")
		requireFrame(t, d.View(), 80, 24)
		d.Press("2")
		view = strings.Join(strings.Fields(d.View()), " ")
		require.Contains(t, view, "pitstop demo")
		require.NotContains(t, view, "run again")
		require.NotContains(t, view, "repetir")
		d.Press("esc", "5")
		view = strings.Join(strings.Fields(d.View()), " ")
		require.Contains(t, view, "pitstop demo")
		require.NotContains(t, view, "pause")
		require.NotContains(t, view, "pausar")
		if lang == "es" {
			require.NotContains(t, view, "no API is configured")
		}
	}
}

// TestKeyListShowsEveryKeyAtAnySize: `?` lists every key of the screen
// and the global ones, even at 80 columns (columns side by side would not
// fit) and at 60x15 (columns one under the other would not fit either).
func TestKeyListShowsEveryKeyAtAnySize(t *testing.T) {
	t.Parallel()
	for _, size := range []struct{ w, h int }{{60, 15}, {80, 24}, {120, 40}} {
		d, _ := newDriver(t, "en", size.w, size.h)
		d.Send(common.NavigateMsg{To: common.ScreenArticle, Article: "api-invalid-key"})
		d.Press("?")
		view := d.View()
		requireFrame(t, view, size.w, size.h)
		require.NotContains(t, view, "…", "no key cut at %dx%d", size.w, size.h)
		for _, want := range []string{"page down", "next match", "previous match", "contents", "back", "theme", "quit now"} {
			require.Contains(t, view, want, "%dx%d", size.w, size.h)
		}
		require.NotContains(t, view, "did it work?", "d does nothing outside the guided flow")
	}
}

// TestSearchIsLiveAndOpens types a query, sees the hits change, opens one.
func TestSearchIsLiveAndOpens(t *testing.T) {
	t.Parallel()
	d, c := newDriver(t, "en", 120, 40)
	d.Press("/")
	all := d.View()
	everything := fmt.Sprintf("%d articles", len(c.KB.Articles()))
	require.Contains(t, all, everything)
	d.Press("dmarc")
	view := d.View()
	require.NotContains(t, view, everything)
	require.Contains(t, view, "DMARC")
	d.Press("q") // a letter, typed
	require.False(t, d.Quit)
	d.Press("backspace", "enter")
	require.Equal(t, "Article", screen(d).Title())
	require.Len(t, c.Session.Read, 1)
}

func TestOutcomeYesSummarizesNoOffersEscalation(t *testing.T) {
	t.Parallel()
	d, c := newDriver(t, "en", 80, 24)
	emailSymptoms(d)
	toStep(t, d, common.StepResults)
	d.Press("d", "y")
	// The stub login check still fails when run again: not fixed yet.
	require.NotNil(t, c.Session.Fixed)
	require.False(t, *c.Session.Fixed)
	require.Equal(t, 2, c.Session.Runs)
	require.Contains(t, d.View(), "Not yet: the checks still find a problem")
	require.Contains(t, d.View(), "Prepare an escalation")

	// When the checks pass again, "yes" is confirmed.
	d3, c3 := newDriver(t, "en", 80, 24)
	emailSymptoms(d3)
	toStep(t, d3, common.StepResults)
	c3.Checks = func(_ *config.Profile, cats []string) []check.Check {
		var out []check.Check
		for _, ch := range tuitest.StubChecks(nil, cats) {
			ch.Run = func(context.Context) check.Result { return check.Passf("Works now.") }
			out = append(out, ch)
		}
		return out
	}
	d3.Press("d", "y")
	require.True(t, *c3.Session.Fixed)
	require.Contains(t, d3.View(), "Good. Here is what happened.")
	d3.Press("enter")
	require.Contains(t, d3.View(), "What do you want to do?")

	d2, c2 := newDriver(t, "en", 80, 24)
	emailSymptoms(d2)
	toStep(t, d2, common.StepResults)
	d2.Press("d", "n")
	require.False(t, *c2.Session.Fixed)
	require.Contains(t, d2.View(), "Prepare an escalation")
	d2.Press("down", "enter") // run the checks again
	require.Equal(t, common.StepChecks, screen(d2).Step())
	require.Equal(t, 2, c2.Session.Runs)
	d2.Press("esc")
	require.Equal(t, common.StepSettings, screen(d2).Step(), "a re-run returns to step 4, not on top of old results")
}

// TestResultsExpandAndOpenArticles expands a result's evidence and opens
// the best article.
func TestResultsExpandAndOpenArticles(t *testing.T) {
	t.Parallel()
	d, c := newDriver(t, "en", 120, 40)
	emailSymptoms(d)
	toStep(t, d, common.StepResults)
	require.NotContains(t, d.View(), "-> AUTH PLAIN")
	d.Press("enter")
	require.Contains(t, d.View(), "-> AUTH PLAIN ••••••")
	d.Press("enter")
	require.NotContains(t, d.View(), "-> AUTH PLAIN")
	d.Press("down", "down", "down") // SPF, DMARC, the first article
	d.Press("enter")
	require.Equal(t, "Article", screen(d).Title())
	require.Equal(t, c.Session.Matches[0].Article.ID, c.Session.Read[0])
	d.Press("esc")
	require.Contains(t, d.View(), "(read)")
}

// TestCanaryNeverOnScreen walks every screen in Spanish at 100x30 (the
// golden tests cover English) with the canary key and password loaded,
// leaked by the stub checks and pasted by the user: no frame holds them,
// nor the frame after one more enter.
func TestCanaryNeverOnScreen(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"es"} {
		for _, sc := range screens {
			t.Run(lang+"/"+sc.name, func(t *testing.T) {
				t.Parallel()
				d, _ := newDriver(t, lang, 100, 30)
				sc.walk(t, d)
				tuitest.NoSecrets(t, d.View())
				d.Press("enter")
				tuitest.NoSecrets(t, d.View())
			})
		}
	}
}

func TestSettingsSaveReportsErrors(t *testing.T) {
	t.Parallel()
	d, c := toAPISettings(t, "en")
	// A file where the config's directory should be makes the save fail.
	blocker := filepath.Join(t.TempDir(), "blocker")
	require.NoError(t, os.WriteFile(blocker, []byte("not a directory"), 0o600))
	c.ConfigPath = filepath.Join(blocker, "config.yaml")
	d.Press("enter", "enter", "enter", "y")
	require.Contains(t, d.View(), "Could not save the settings")
	require.Equal(t, common.StepChecks, screen(d).Step(), "the checks run anyway")
}
