package serve

import (
	"errors"
	"os"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"pitstop/internal/config"
	"pitstop/internal/i18n"
)

// Settings are the profiles the exporter serves: the ones that load, and
// the ones whose settings do not (each with its reason), from one read of
// the settings file.
type Settings struct {
	// Config holds the profiles that load.
	Config *config.Config
	// Broken maps a profile whose settings do not load to why.
	Broken map[string]error
	// Loaded is when the file was read.
	Loaded time.Time
	scrub  *config.Scrubber
}

// Scrub masks every secret of the loaded profiles in text.
func (s *Settings) Scrub(text string) string { return s.scrub.Scrub(text) }

// ProfileNames lists every profile, loaded or broken, sorted.
func (s *Settings) ProfileNames() []string {
	names := s.Config.ProfileNames()
	for n := range s.Broken {
		names = append(names, n)
	}
	return sortedUnique(names)
}

// LoadSettings reads the settings file as every other command does
// (config.Load: an empty path means $PITSTOP_CONFIG or the XDG default). One
// profile with a mistake does not take the others down: when the file as a
// whole does not load, each profile is loaded on its own and the ones that
// fail are kept in Broken with their reason. A file that cannot be read or
// parsed at all, or in which no profile loads, is an error.
func LoadSettings(path string, now time.Time) (*Settings, error) {
	cfg, err := config.Load(path)
	if err == nil {
		return newSettings(cfg, nil, now), nil
	}
	var errs config.Errors
	if !errors.As(err, &errs) {
		return nil, err
	}
	if path == "" {
		path = config.DefaultPath()
	}
	data, rerr := os.ReadFile(path)
	if rerr != nil {
		return nil, err
	}
	good, broken, ok := loadEachProfile(path, data)
	if !ok || len(good.Profiles) == 0 {
		return nil, err
	}
	return newSettings(good, broken, now), nil
}

func newSettings(cfg *config.Config, broken map[string]error, now time.Time) *Settings {
	if broken == nil {
		broken = map[string]error{}
	}
	return &Settings{Config: cfg, Broken: broken, Loaded: now, scrub: cfg.Scrubber()}
}

// loadEachProfile parses the file once per profile, with the lines of every
// other profile (and default_profile, which may name one of them) blanked
// out, so the line numbers in each error stay those of the file. ok is false
// when the file's layout does not allow that (flow style, no profiles map).
func loadEachProfile(path string, data []byte) (good *config.Config, broken map[string]error, ok bool) {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, nil, false
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode || top.Style&yaml.FlowStyle != 0 {
		return nil, nil, false
	}
	lines := strings.Split(string(data), "\n")
	var profiles *yaml.Node
	var defaultLine, profilesEnd int
	for i := 0; i+1 < len(top.Content); i += 2 {
		switch key := top.Content[i]; key.Value {
		case "default_profile":
			defaultLine = key.Line
		case "profiles":
			profiles = top.Content[i+1]
			profilesEnd = len(lines)
			if i+2 < len(top.Content) {
				profilesEnd = top.Content[i+2].Line - 1
			}
		}
	}
	if profiles == nil || profiles.Kind != yaml.MappingNode || profiles.Style&yaml.FlowStyle != 0 {
		return nil, nil, false
	}
	// Each profile spans from its key to the line before the next one.
	type span struct {
		name       string
		start, end int
	}
	var spans []span
	for i := 0; i+1 < len(profiles.Content); i += 2 {
		end := profilesEnd
		if i+2 < len(profiles.Content) {
			end = profiles.Content[i+2].Line - 1
		}
		spans = append(spans, span{profiles.Content[i].Value, profiles.Content[i].Line, end})
	}
	good = &config.Config{Profiles: map[string]*config.Profile{}, Path: path}
	broken = map[string]error{}
	for _, keep := range spans {
		text := make([]string, len(lines))
		copy(text, lines)
		blank := func(from, to int) {
			for l := from; l <= to && l <= len(text); l++ {
				text[l-1] = ""
			}
		}
		for _, other := range spans {
			if other.name != keep.name {
				blank(other.start, other.end)
			}
		}
		if defaultLine > 0 {
			blank(defaultLine, defaultLine)
		}
		cfg, err := config.Parse(path, []byte(strings.Join(text, "\n")))
		if err != nil {
			broken[keep.name] = err
			continue
		}
		p, ok := cfg.Profiles[keep.name]
		if !ok {
			broken[keep.name] = &config.Error{File: path, Msg: msgAlone.With(keep.name)}
			continue
		}
		good.Profiles[keep.name] = p
	}
	return good, broken, true
}

// msgAlone: a profile whose lines do not parse apart from the others'.
const msgAlone i18n.Text = "serve.settings.alone"
