package tui_test

import (
	"context"
	"testing"

	tea "charm.land/bubbletea/v2"

	"pitstop/internal/config"
	"pitstop/internal/kb"
	"pitstop/internal/tui"
	"pitstop/internal/tui/common"
	"pitstop/internal/tui/tuitest"
	"pitstop/knowledge"
)

// benchKeys measures Update and View for one keystroke at 120x40 on a
// screen reached by walk. The goal is under 5 ms.
func benchKeys(b *testing.B, walk func(d *tuitest.Driver), keys ...string) {
	c := tuitest.Common(b, "en")
	m := tui.New(c)
	d := tuitest.NewDriver(b, m, 120, 40)
	walk(d)
	msgs := make([]tea.Msg, len(keys))
	for i, k := range keys {
		msgs[i] = tuitest.Key(k)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		var model tea.Model = d.Model
		model, _ = model.Update(msgs[i%len(msgs)])
		_ = model.View()
		i++
	}
}

func BenchmarkKeystrokeHome(b *testing.B) {
	benchKeys(b, func(*tuitest.Driver) {}, "down", "up")
}

func BenchmarkKeystrokeSymptoms(b *testing.B) {
	benchKeys(b, func(d *tuitest.Driver) { emailSymptoms(d) }, "down", "space", "up")
}

func BenchmarkKeystrokeResults(b *testing.B) {
	benchKeys(b, func(d *tuitest.Driver) {
		emailSymptoms(d)
		for i := 0; i < 30 && d.Model.(*tui.Model).Screen().Step() != common.StepResults; i++ {
			d.Press("enter")
		}
	}, "down", "enter", "up", "enter")
}

func BenchmarkKeystrokeArticle(b *testing.B) {
	benchKeys(b, func(d *tuitest.Driver) {
		d.Send(common.NavigateMsg{To: common.ScreenArticle, Article: "smtp-auth-failed"})
	}, "down", "down", "up", "up")
}

// BenchmarkKeystrokeSearch types into the search box: every key runs the
// fuzzy search over the knowledge base.
func BenchmarkKeystrokeSearch(b *testing.B) {
	benchKeys(b, func(d *tuitest.Driver) { d.Press("/") }, "s", "p", "f", "backspace", "backspace", "backspace")
}

// BenchmarkFirstFrame measures what runs between the process start and the
// first frame: parse the config, load the knowledge base, build the
// wizard, size it and draw it. The goal is under 100 ms.
func BenchmarkFirstFrame(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		cfg, err := config.Parse("config.yaml", []byte(tuitest.ConfigYAML))
		if err != nil {
			b.Fatal(err)
		}
		p, _ := cfg.Profile("")
		base, _, err := kb.Load(knowledge.FS, "", "en")
		if err != nil {
			b.Fatal(err)
		}
		c := common.Must(common.New(common.Options{KB: base, Config: cfg, Profile: p, Lang: "en", Ctx: context.Background()}))
		m := tui.New(c)
		m.Init()
		model, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		_ = model.View()
	}
}
