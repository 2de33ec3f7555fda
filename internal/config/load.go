package config

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"pitstop/internal/i18n"
	"pitstop/internal/safefile"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// envRef matches ${NAME}.
var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// UnmarshalYAML reads a secret written inline or as ${VAR}. The value is
// resolved here so Source can say where it came from.
func (s *Secret) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return at("", n.Line, newError(msgSecretNotText))
	}
	raw := n.Value
	if m := envRef.FindStringSubmatch(strings.TrimSpace(raw)); m != nil && strings.TrimSpace(raw) == m[0] {
		*s = Secret{value: os.Getenv(m[1]), source: "env:" + m[1]}
		return nil
	}
	var unset []string
	v := envRef.ReplaceAllStringFunc(raw, func(ref string) string {
		name := envRef.FindStringSubmatch(ref)[1]
		val, ok := os.LookupEnv(name)
		if !ok {
			unset = append(unset, name)
		}
		return val
	})
	src := "file"
	if len(unset) > 0 {
		src = "env:" + strings.Join(unset, ",")
	}
	*s = Secret{value: v, source: src}
	return nil
}

// Load reads the config at path. With an empty path it looks at DefaultPath;
// a missing default file is not an error (settings then come from the
// environment alone), a missing explicit file is.
func Load(path string) (*Config, error) {
	explicit := path != ""
	if !explicit {
		path = DefaultPath()
	}
	data, err := safefile.Read(path, safefile.SettingsFile, safefile.MaxSettings)
	if err != nil {
		if !explicit && errors.Is(err, fs.ErrNotExist) {
			return FromEnv(), nil
		}
		if errors.Is(err, fs.ErrNotExist) {
			return nil, at(path, 0, newError(msgNoFile, path))
		}
		if info, serr := os.Stat(path); serr == nil && info.IsDir() {
			return nil, at(path, 0, newError(msgFolder, filepath.Join(path, "config.yaml")))
		}
		var se *safefile.Error
		if errors.As(err, &se) && se.Err == nil {
			// A FIFO, a device or a file far too large for settings.
			return nil, at(path, 0, newError(msgUnusable, se.Problem))
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, at(path, 0, newError(msgUnreadable, err.Error()))
	}
	return Parse(path, data)
}

// FromEnv returns a config with one profile, "default", whose secrets come
// from the usual environment variables. The provider of the API and of the
// CRM is the one whose variable is set (COPYCAR_API_KEY, then OPENAI_API_KEY,
// then ANTHROPIC_API_KEY; HUBSPOT_TOKEN, then SALESFORCE_TOKEN, then
// PIPEDRIVE_API_TOKEN), so a key in the environment is enough to run checks.
func FromEnv() *Config {
	p := &Profile{Name: "default"}
	for _, provider := range []string{"copycar", "openai", "anthropic"} {
		if fromEnv(apiKeyEnv[provider]).IsSet() {
			p.API.Provider = provider
			break
		}
	}
	for _, provider := range []string{"hubspot", "salesforce", "pipedrive"} {
		if fromEnv(crmTokenEnv[provider]).IsSet() {
			p.CRM.Provider = provider
			break
		}
	}
	p.applyDefaults()
	return &Config{DefaultProfile: "default", Profiles: map[string]*Profile{"default": p}}
}

// Parse decodes config text. name is used in error messages.
func Parse(name string, data []byte) (*Config, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, syntaxError(yamlError(name, err), data)
	}
	cfg := &Config{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return nil, untruncate(&root, yamlError(name, err))
	}
	cfg.Path = name
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, at(name, 0, newError(msgEmpty))
	}
	if len(cfg.Profiles) == 0 {
		return nil, at(name, 1, newError(msgNoProfiles))
	}
	var errs Errors
	for pname, p := range cfg.Profiles {
		if p == nil {
			p = &Profile{}
			cfg.Profiles[pname] = p
		}
		p.Name = pname
		for _, e := range p.expand() {
			e.File = name
			e.Line = findLine(&root, append([]string{"profiles", pname}, e.path...)...)
			errs = append(errs, &e.Error)
		}
		for _, e := range p.validate() {
			e.File = name
			e.Line = findLine(&root, append([]string{"profiles", pname}, e.path...)...)
			errs = append(errs, &e.Error)
		}
		if p.SMTP.Port == 0 && nodeAt(&root, "profiles", pname, "smtp", "port") != nil {
			// Written as 0 (or null): not "the default", a mistake to say.
			errs = append(errs, at(name, findLine(&root, "profiles", pname, "smtp", "port"), newError(msgPortZero)))
		}
		p.applyDefaults()
	}
	if cfg.DefaultProfile != "" && cfg.Profiles[cfg.DefaultProfile] == nil {
		errs = append(errs, at(name, findLine(&root, "default_profile"),
			newError(msgDefaultProfile, cfg.DefaultProfile, strings.Join(cfg.ProfileNames(), ", "))))
	}
	if len(errs) > 0 {
		sort.SliceStable(errs, func(i, j int) bool { return errs[i].Line < errs[j].Line })
		return nil, errs
	}
	return cfg, nil
}

// Profile returns the named profile; "" means the default profile (or the only one).
func (c *Config) Profile(name string) (*Profile, error) {
	if name == "" {
		name = c.DefaultProfile
	}
	if name == "" {
		if len(c.Profiles) == 1 {
			for _, p := range c.Profiles {
				return p, nil
			}
		}
		if p, ok := c.Profiles["default"]; ok {
			return p, nil
		}
		return nil, at(c.Path, 0, newError(msgPickProfile, strings.Join(c.ProfileNames(), ", ")))
	}
	p, ok := c.Profiles[name]
	if !ok {
		return nil, at(c.Path, 0, newError(msgNoProfile, name, strings.Join(c.ProfileNames(), ", ")))
	}
	return p, nil
}

// pathError is an Error located by its key path inside a profile.
type pathError struct {
	Error
	path []string
}

func perr(msg i18n.Message, path ...string) pathError {
	return pathError{Error: Error{Msg: msg}, path: path}
}

// expand replaces ${VAR} in every plain string setting.
func (p *Profile) expand() []pathError {
	var errs []pathError
	ex := func(s *string, path ...string) {
		*s = envRef.ReplaceAllStringFunc(*s, func(ref string) string {
			name := envRef.FindStringSubmatch(ref)[1]
			v, ok := os.LookupEnv(name)
			if !ok {
				errs = append(errs, perr(msgEnvUnset.With(strings.Join(path, "."), name), path...))
			}
			return v
		})
	}
	for _, f := range fields {
		for _, v := range f.expandable(p) {
			ex(v, strings.Split(f.Key, ".")...)
		}
	}
	return errs
}

// untruncate restores the values yaml.v3 shortens to ten characters in its
// type errors ("five-ei..."), so the message quotes what the user wrote.
func untruncate(root *yaml.Node, err error) error {
	var es Errors
	if !errors.As(err, &es) {
		return err
	}
	for _, e := range es {
		if e.Msg.ID != msgNotValidHere || e.Line == 0 {
			continue
		}
		v, _ := e.Msg.Args[0].(string)
		prefix, cut := strings.CutSuffix(v, "...")
		if !cut {
			continue
		}
		if full, ok := scalarAt(root, e.Line, prefix); ok {
			e.Msg.Args[0] = full
		}
	}
	return es
}

// scalarAt finds the scalar on line that starts with prefix.
func scalarAt(n *yaml.Node, line int, prefix string) (string, bool) {
	if n.Kind == yaml.ScalarNode && n.Line == line && strings.HasPrefix(n.Value, prefix) {
		return n.Value, true
	}
	for _, c := range n.Content {
		if v, ok := scalarAt(c, line, prefix); ok {
			return v, true
		}
	}
	return "", false
}

// yamlError turns a yaml.v3 error into file:line messages in plain words.
func yamlError(file string, err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		var errs Errors
		for _, m := range te.Errors {
			errs = append(errs, lineMessage(file, m))
		}
		sort.SliceStable(errs, func(i, j int) bool { return errs[i].Line < errs[j].Line })
		return errs
	}
	var ce *Error
	if errors.As(err, &ce) {
		ce.File = file
		return ce
	}
	return lineMessage(file, strings.TrimPrefix(err.Error(), "yaml: "))
}

var (
	lineRe     = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	unknownRe  = regexp.MustCompile(`^field (\S+) not found in type config\.(\w+)$`)
	typeRe     = regexp.MustCompile("^cannot unmarshal !!(\\w+) `(.*)` into (.+)$")
	kindTypeRe = regexp.MustCompile(`^cannot unmarshal !!(seq|map) into (.+)$`)
)

// The problems of the file's YAML, in locales/<lang>/config.yaml.
const (
	msgSecretNotText  i18n.Text = "config.load.secret_not_text"
	msgNoFile         i18n.Text = "config.load.no_file"
	msgFolder         i18n.Text = "config.load.folder"
	msgUnusable       i18n.Text = "config.load.unusable"
	msgUnreadable     i18n.Text = "config.load.unreadable"
	msgEmpty          i18n.Text = "config.load.empty"
	msgNoProfiles     i18n.Text = "config.load.no_profiles"
	msgPortZero       i18n.Text = "config.load.port_zero"
	msgDefaultProfile i18n.Text = "config.load.default_profile"
	msgPickProfile    i18n.Text = "config.load.pick_profile"
	msgNoProfile      i18n.Text = "config.load.no_profile"
	msgEnvUnset       i18n.Text = "config.load.env_unset"

	msgMisindented  i18n.Text = "config.yaml.misindented"
	msgColon        i18n.Text = "config.yaml.colon"
	msgLostTrack    i18n.Text = "config.yaml.lost_track"
	msgTab          i18n.Text = "config.yaml.tab"
	msgReserved     i18n.Text = "config.yaml.reserved"
	msgUnfinished   i18n.Text = "config.yaml.unfinished"
	msgUnclosed     i18n.Text = "config.yaml.unclosed"
	msgUnknownKey   i18n.Text = "config.yaml.unknown_key"
	msgNotValidHere i18n.Text = "config.yaml.not_valid_here"
	msgKindNotValid i18n.Text = "config.yaml.kind_not_valid"
	msgParser       i18n.Text = "config.yaml.parser"

	typeNumber  i18n.Text = "config.yaml.type.number"
	typeList    i18n.Text = "config.yaml.type.list"
	typeMap     i18n.Text = "config.yaml.type.map"
	typeText    i18n.Text = "config.yaml.type.text"
	typeSection i18n.Text = "config.yaml.type.section"
)

// at is e in file at line (0: the whole file).
func at(file string, line int, e *Error) *Error {
	e.File, e.Line = file, line
	return e
}

// syntaxError puts a YAML syntax error in plain words and, for indentation
// mistakes, moves it to the line that is out of line (the parser names the
// line where the enclosing section starts).
func syntaxError(err error, data []byte) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	lines := strings.Split(string(data), "\n")
	lineHas := func(n int, sub string) bool { return n >= 1 && n <= len(lines) && strings.Contains(lines[n-1], sub) }
	if e.Msg.ID != msgParser {
		return e
	}
	parser := e.Msg.Args[0].(string) // the parser's own words (lineMessage)
	switch {
	case strings.Contains(parser, "did not find expected key"), strings.Contains(parser, "mapping values are not allowed"):
		if n := misindented(lines); n > 0 {
			e.Line = n
			e.Msg = msgMisindented.With()
		} else if strings.Contains(parser, "mapping values") {
			e.Msg = msgColon.With()
		} else {
			e.Msg = msgLostTrack.With()
		}
	case strings.Contains(parser, "found character that cannot start any token"):
		if lineHas(e.Line, "\t") {
			e.Msg = msgTab.With()
		} else {
			e.Msg = msgReserved.With()
		}
	case strings.Contains(parser, "found unexpected end of stream"):
		e.Msg = msgUnfinished.With()
	case strings.Contains(parser, "did not find expected ',' or"):
		// The parser names the line of the enclosing key; the bracket is
		// on that line or a later one.
		for n := max(e.Line, 1); n <= len(lines); n++ {
			if lineHas(n, "{") || lineHas(n, "[") {
				e.Line = n
				break
			}
		}
		e.Msg = msgUnclosed.With()
	}
	return e
}

// misindented returns the first line (1-based) whose indentation no
// enclosing section uses: deeper than the line above when that line opens
// no section, or back out to a column no open section started at. 0 when
// every line is in line.
func misindented(lines []string) int {
	stack := []int{0}
	opens := false // the line above ends in "key:" or is a "- " list item
	block := -1    // inside a | or > block scalar: lines deeper than this are text
	for i, line := range lines {
		trimmed := strings.TrimLeft(line, " ")
		if strings.TrimSpace(trimmed) == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		ind := len(line) - len(trimmed)
		if block >= 0 && ind > block {
			continue
		}
		block = -1
		switch top := stack[len(stack)-1]; {
		case ind > top && !opens:
			return i + 1
		case ind > top:
			stack = append(stack, ind)
		case ind < top:
			for len(stack) > 1 && stack[len(stack)-1] > ind {
				stack = stack[:len(stack)-1]
			}
			if stack[len(stack)-1] != ind {
				return i + 1
			}
		}
		content := trimmed
		if j := strings.Index(content, " #"); j >= 0 {
			content = content[:j]
		}
		content = strings.TrimSpace(content)
		opens = strings.HasSuffix(content, ":") || strings.HasPrefix(content, "- ")
		if strings.HasSuffix(content, "|") || strings.HasSuffix(content, ">") || strings.HasSuffix(content, "|-") || strings.HasSuffix(content, ">-") {
			block = ind
		}
	}
	return 0
}

func lineMessage(file, m string) *Error {
	e := at(file, 0, newError(msgParser, m))
	if sm := lineRe.FindStringSubmatch(m); sm != nil {
		e.Line, _ = strconv.Atoi(sm[1])
		e.Msg = msgParser.With(sm[2])
	}
	parser := e.Msg.Args[0].(string)
	if sm := unknownRe.FindStringSubmatch(parser); sm != nil {
		e.Msg = msgUnknownKey.With(sm[1], strings.Join(knownKeys(sm[2]), ", "))
	} else if sm := typeRe.FindStringSubmatch(parser); sm != nil {
		e.Msg = msgNotValidHere.With(sm[2], plainType(sm[3]))
	} else if sm := kindTypeRe.FindStringSubmatch(parser); sm != nil {
		found := map[string]i18n.Text{"seq": typeList, "map": typeSection}[sm[1]]
		e.Msg = msgKindNotValid.With(found, plainType(sm[2]))
	}
	return e
}

// plainType names what a Go type holds, in the catalogue's words.
func plainType(goType string) i18n.Text {
	switch {
	case strings.HasPrefix(goType, "int"):
		return typeNumber
	case strings.HasPrefix(goType, "[]"):
		return typeList
	case strings.HasPrefix(goType, "map["):
		return typeMap
	case goType == "string":
		return typeText
	}
	return typeSection
}

var configTypes = map[string]reflect.Type{
	"Config":        reflect.TypeFor[Config](),
	"Profile":       reflect.TypeFor[Profile](),
	"APIConfig":     reflect.TypeFor[APIConfig](),
	"CRMConfig":     reflect.TypeFor[CRMConfig](),
	"SMTPConfig":    reflect.TypeFor[SMTPConfig](),
	"DomainConfig":  reflect.TypeFor[DomainConfig](),
	"ContentConfig": reflect.TypeFor[ContentConfig](),
	"CacheConfig":   reflect.TypeFor[CacheConfig](),
}

func knownKeys(typeName string) []string {
	t, ok := configTypes[typeName]
	if !ok {
		return nil
	}
	var keys []string
	for i := range t.NumField() {
		tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
		if tag != "" && tag != "-" {
			keys = append(keys, tag)
		}
	}
	return keys
}

// findLine returns the line of the deepest node along path that exists.
// nodeAt returns the value at path in the document's mappings, or nil.
func nodeAt(root *yaml.Node, path ...string) *yaml.Node {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, key := range path {
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		n = lookup(n, key)
	}
	return n
}

func findLine(root *yaml.Node, path ...string) int {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := n.Line
	for _, key := range path {
		if n.Kind != yaml.MappingNode {
			break
		}
		found := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				line = n.Content[i].Line
				n = n.Content[i+1]
				found = true
				break
			}
		}
		if !found {
			break
		}
	}
	return line
}
