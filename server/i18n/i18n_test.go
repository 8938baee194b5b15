package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func repoLocalizer(t *testing.T) *Localizer {
	t.Helper()
	l, err := Find()
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// Every language has exactly English's ids, each with text and the same placeholders:
// a missing or extra id fails here, not in front of a user.
func TestEveryLanguageIsComplete(t *testing.T) {
	l := repoLocalizer(t)
	en := l.Messages(DefaultLanguage)
	if got := l.Languages(); !slices.Equal(got, []string{"de", "en", "fr"}) {
		t.Fatalf("languages %v, want de, en, fr", got)
	}
	for _, lang := range l.Languages() {
		m := l.Messages(lang)
		for id, text := range en {
			tr, ok := m[id]
			if !ok {
				t.Errorf("%s.json misses %q", lang, id)
				continue
			}
			if strings.TrimSpace(tr) == "" {
				t.Errorf("%s.json: %q is empty", lang, id)
			}
			if !slices.Equal(placeholders(tr), placeholders(text)) {
				t.Errorf("%s.json: %q has placeholders %v, English has %v", lang, id, placeholders(tr), placeholders(text))
			}
		}
		for id := range m {
			if _, ok := en[id]; !ok {
				t.Errorf("%s.json has %q, which en.json lacks", lang, id)
			}
		}
	}
}

// idCall finds ids passed literally to the translating helpers, and idLiteral any
// literal that is exactly an id.
var (
	idCall    = regexp.MustCompile(`(?:\.t|\.T|userErrorT|zoomFailure|channelT|\.add)\([^(){"]*"([A-Za-z0-9_.]+)"`)
	goLiteral = regexp.MustCompile(`"([A-Za-z0-9_.]+)"`)
)

// Every id the server code uses exists in en.json, and every id in en.json is used.
func TestCodeAndEnglishAgree(t *testing.T) {
	en := repoLocalizer(t).Messages(DefaultLanguage)
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	literals := map[string]bool{}
	err := filepath.WalkDir(filepath.Join(root, "server"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range idCall.FindAllStringSubmatch(string(src), -1) {
			if _, ok := en[m[1]]; !ok {
				t.Errorf("%s uses message id %q, which en.json lacks", filepath.Base(path), m[1])
			}
		}
		for _, m := range goLiteral.FindAllStringSubmatch(string(src), -1) {
			literals[m[1]] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for id := range en {
		if !literals[id] {
			t.Errorf("en.json has %q, which no server code uses", id)
		}
	}
}

func TestTranslateAndFallBack(t *testing.T) {
	l, err := New(map[string]map[string]string{
		"en": {"hi": "Hello {name}", "only.en": "English only"},
		"de": {"hi": "Hallo {name}"},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ locale, id, want string }{
		{"de", "hi", "Hallo Ada"},
		{"de-AT", "hi", "Hallo Ada"},
		{"de_CH", "hi", "Hallo Ada"},
		{"fr", "hi", "Hello Ada"},
		{"", "hi", "Hello Ada"},
		{"de", "only.en", "English only"},
		{"de", "missing", "missing"},
	} {
		if got := l.T(c.locale, c.id, Args{"name": "Ada"}); got != c.want {
			t.Errorf("T(%q, %q) = %q, want %q", c.locale, c.id, got, c.want)
		}
	}
	if got := l.T("en", "hi", nil); got != "Hello {name}" {
		t.Errorf("without args: %q", got)
	}
	if _, err := New(map[string]map[string]string{"de": {"hi": "Hallo"}}); err == nil {
		t.Error("a Localizer without English was built")
	}
	if _, err := Load(t.TempDir()); err == nil {
		t.Error("an empty directory loaded")
	}
}

// placeholders lists the {names} in a text, sorted.
func placeholders(text string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
		out = append(out, m[1])
	}
	slices.Sort(out)
	return out
}
