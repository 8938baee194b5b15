// Package i18n translates the plugin's server-side messages. Translations follow
// Mattermost's plugin convention: one flat JSON map of message id to text per language
// in assets/i18n/<lang>.json, shipped in the bundle and loaded at activation.
// Placeholders are {name}. A missing language, or a missing id in it, falls back to
// English; a missing English id shows the id, which tests forbid.
package i18n

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// DefaultLanguage is the fallback language, and the one every other must match.
const DefaultLanguage = "en"

// Args fills a message's {placeholders}.
type Args map[string]any

// Localizer holds every loaded language. It is immutable and safe for concurrent use.
type Localizer struct {
	langs map[string]map[string]string
}

var placeholder = regexp.MustCompile(`\{(\w+)\}`)

// New builds a Localizer from language → id → text maps. English is required.
func New(langs map[string]map[string]string) (*Localizer, error) {
	if len(langs[DefaultLanguage]) == 0 {
		return nil, errors.New("i18n: no English messages")
	}
	out := make(map[string]map[string]string, len(langs))
	for lang, m := range langs {
		out[strings.ToLower(lang)] = m
	}
	return &Localizer{langs: out}, nil
}

// Load reads every <lang>.json in dir.
func Load(dir string) (*Localizer, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	langs := map[string]map[string]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var m map[string]string
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", filepath.Base(f), err)
		}
		langs[strings.TrimSuffix(filepath.Base(f), ".json")] = m
	}
	l, err := New(langs)
	if err != nil {
		return nil, fmt.Errorf("%w (in %s)", err, dir)
	}
	return l, nil
}

// Find loads the translations of the source tree: the first assets/i18n found walking
// up from the working directory. Tests and tools use it; the plugin loads its bundle's.
func Find() (*Localizer, error) {
	dir, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	for {
		candidate := filepath.Join(dir, "assets", "i18n")
		if st, err := os.Stat(candidate); err == nil && st.IsDir() {
			return Load(candidate)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil, errors.New("i18n: no assets/i18n above the working directory")
		}
		dir = parent
	}
}

// Languages lists the loaded languages, sorted.
func (l *Localizer) Languages() []string {
	return slices.Sorted(maps.Keys(l.langs))
}

// Messages returns a language's id → text map (nil when not loaded). Do not modify it.
func (l *Localizer) Messages(lang string) map[string]string { return l.langs[lang] }

// language picks the loaded language for a Mattermost locale ("de", "pt-BR", "zh_CN").
func (l *Localizer) language(locale string) map[string]string {
	lc := strings.ToLower(strings.ReplaceAll(locale, "_", "-"))
	if m, ok := l.langs[lc]; ok {
		return m
	}
	if base, _, found := strings.Cut(lc, "-"); found {
		if m, ok := l.langs[base]; ok {
			return m
		}
	}
	return l.langs[DefaultLanguage]
}

// T returns message id in the locale's language with args filled in.
func (l *Localizer) T(locale, id string, args Args) string {
	if l == nil {
		return id
	}
	text, ok := l.language(locale)[id]
	if !ok || text == "" {
		if text, ok = l.langs[DefaultLanguage][id]; !ok {
			return id
		}
	}
	if len(args) == 0 {
		return text
	}
	return placeholder.ReplaceAllStringFunc(text, func(m string) string {
		if v, ok := args[m[1:len(m)-1]]; ok {
			return fmt.Sprint(v)
		}
		return m
	})
}
