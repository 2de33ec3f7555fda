package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"pitstop/internal/i18n"
	"pitstop/internal/safefile"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// What saving says when it cannot, in locales/<lang>/config.yaml.
const (
	msgSaveNoPath       i18n.Text = "config.save.no_path"
	msgSaveRead         i18n.Text = "config.save.read"
	msgSaveNotYAML      i18n.Text = "config.save.not_yaml"
	msgSaveKey          i18n.Text = "config.save.key"
	msgSaveValue        i18n.Text = "config.save.value"
	msgSaveEncode       i18n.Text = "config.save.encode"
	msgSaveWouldNotLoad i18n.Text = "config.save.would_not_load"
	msgSaveWrite        i18n.Text = "config.save.write"
	msgSaveMkdir        i18n.Text = "config.save.mkdir"
	msgValueType        i18n.Text = "config.save.value_type"
)

// SourceTyped is the Source of a secret the user typed (in the wizard).
const SourceTyped = "typed"

// Setting is one value to write into a profile. Key is its dotted path under
// the profile ("smtp.port", "api.key"); Value is a string, an int, a []string,
// a map[string]string or a Secret.
type Setting struct {
	Key   string
	Value any
}

// SaveOptions tune SaveProfile.
type SaveOptions struct {
	// InlineSecrets allows a secret the user typed to be written into the
	// file as plain text. Ask first: anyone who can read the file can use it.
	InlineSecrets bool
}

// SaveReport says what SaveProfile did with each setting.
type SaveReport struct {
	Path    string
	Written []string // keys written
	Skipped []string // secrets left out: typed but not allowed inline, or already in the file
}

// SaveProfile writes settings into the named profile of the config file at
// path, creating the file (and its directory) when missing. The rest of the
// file is kept: other profiles, comments, ${VAR} references. Secrets that came
// from the environment are written as ${VAR}; secrets read from the file are
// left as they are; a typed secret is written inline only with
// opts.InlineSecrets. The file is replaced atomically and has mode 0600. The
// new text is parsed before it replaces the old, so a bad value never breaks
// a working file.
func SaveProfile(path, profile string, settings []Setting, opts SaveOptions) (SaveReport, error) {
	rep := SaveReport{Path: path}
	if path == "" {
		return rep, newError(msgSaveNoPath)
	}
	if profile == "" {
		profile = "default"
	}
	old, err := safefile.Read(path, safefile.SettingsFile, safefile.MaxSettings)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return rep, newError(msgSaveRead, path).because(err)
	}
	var doc yaml.Node
	if len(bytes.TrimSpace(old)) > 0 {
		if err := yaml.Unmarshal(old, &doc); err != nil {
			return rep, newError(msgSaveNotYAML).because(syntaxError(yamlError(path, err), old))
		}
	}
	root := documentMapping(&doc)
	if lookup(root, "default_profile") == nil && lookup(root, "profiles") == nil {
		setScalar(root, "default_profile", profile, "!!str")
	}
	prof := ensureMapping(ensureMapping(root, "profiles"), profile)

	for _, s := range settings {
		path := strings.Split(s.Key, ".")
		if len(path) < 2 {
			return rep, newError(msgSaveKey, s.Key)
		}
		node, ok, err := valueNode(s.Value, opts)
		if err != nil {
			return rep, newError(msgSaveValue, s.Key).because(err)
		}
		if !ok {
			rep.Skipped = append(rep.Skipped, s.Key)
			continue
		}
		parent := prof
		for _, k := range path[:len(path)-1] {
			parent = ensureMapping(parent, k)
		}
		setNode(parent, path[len(path)-1], node)
		rep.Written = append(rep.Written, s.Key)
	}

	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return rep, newError(msgSaveEncode).because(err)
	}
	if err := enc.Close(); err != nil {
		return rep, newError(msgSaveEncode).because(err)
	}
	if _, err := Parse(path, buf.Bytes()); err != nil {
		return rep, newError(msgSaveWouldNotLoad, path).because(err)
	}
	if err := WriteFileAtomic(path, buf.Bytes()); err != nil {
		return rep, newError(msgSaveWrite).because(err)
	}
	return rep, nil
}

// WriteFileAtomic writes data to path with mode 0600: a temporary file in the
// same directory, synced, then renamed over path, so a reader never sees half
// a file. Missing directories are created with mode 0700.
func WriteFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return newError(msgSaveMkdir, dir).because(err)
	}
	return safefile.WriteAtomic(path, safefile.SettingsFile, data, 0o600)
}

// valueNode builds the YAML node for a setting. ok is false when a secret
// must not be written (typed without permission, or already in the file).
func valueNode(v any, opts SaveOptions) (n *yaml.Node, ok bool, err error) {
	switch v := v.(type) {
	case Secret:
		return secretNode(v, opts)
	case string:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v}, true, nil
	case int:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(v)}, true, nil
	case []string:
		seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}
		for _, s := range v {
			seq.Content = append(seq.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s})
		}
		return seq, true, nil
	case map[string]string:
		m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			m.Content = append(m.Content,
				&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k},
				&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v[k]})
		}
		return m, true, nil
	}
	return nil, false, newError(msgValueType, fmt.Sprintf("%T", v))
}

// secretNode applies the secret rules: env → ${VAR}; typed → inline only when
// allowed; from the file (or unknown) → leave the file as it is.
func secretNode(s Secret, opts SaveOptions) (*yaml.Node, bool, error) {
	src := s.Source()
	switch {
	case strings.HasPrefix(src, "env:") && !strings.Contains(src, ","):
		name := strings.TrimPrefix(src, "env:")
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "${" + name + "}"}, true, nil
	case src == SourceTyped && s.IsSet():
		if !opts.InlineSecrets {
			return nil, false, nil
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s.Reveal()}, true, nil
	}
	return nil, false, nil
}

// documentMapping returns the top mapping of doc, creating it in an empty
// document.
func documentMapping(doc *yaml.Node) *yaml.Node {
	if doc.Kind != yaml.DocumentNode {
		*doc = yaml.Node{Kind: yaml.DocumentNode}
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		doc.Content = []*yaml.Node{{Kind: yaml.MappingNode, Tag: "!!map"}}
	}
	return doc.Content[0]
}

// lookup returns the value node of key in mapping m, or nil.
func lookup(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// ensureMapping returns the mapping under key, creating (or replacing a null
// or scalar value with) an empty one.
func ensureMapping(m *yaml.Node, key string) *yaml.Node {
	if v := lookup(m, key); v != nil && v.Kind == yaml.MappingNode {
		return v
	}
	child := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	setNode(m, key, child)
	return child
}

// setNode sets key to value in mapping m, keeping the key's comments.
func setNode(m *yaml.Node, key string, value *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			old := m.Content[i+1]
			value.LineComment, value.HeadComment, value.FootComment = old.LineComment, old.HeadComment, old.FootComment
			m.Content[i+1] = value
			return
		}
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, value)
}

func setScalar(m *yaml.Node, key, value, tag string) {
	setNode(m, key, &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value})
}

// ApplyDefaults fills what the provider conventions and the environment
// supply for settings left empty (base URLs, ports, env-only secrets), the
// same way Load does. The wizard calls it after the user edits a profile.
func ApplyDefaults(p *Profile) { p.applyDefaults() }
