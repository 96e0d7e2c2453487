package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestT(t *testing.T) {
	tests := []struct {
		name, lang, key string
		args            []any
		want            string
	}{
		{"english is the key", "en", "Orders", nil, "Orders"},
		{"bulgarian", "bg", "Orders", nil, "Поръчки"},
		{"with values", "bg", "Page %d of %d", []any{2, 5}, "Страница 2 от 5"},
		{"english with values", "en", "Page %d of %d", []any{2, 5}, "Page 2 of 5"},
		{"unknown key falls back to english", "bg", "No such text", nil, "No such text"},
		{"unknown language falls back to english", "de", "Orders", nil, "Orders"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := T(tt.lang, tt.key, tt.args...); got != tt.want {
				t.Errorf("T(%q, %q) = %q, want %q", tt.lang, tt.key, got, tt.want)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		header  string
		offered []string
		want    string
	}{
		{"", []string{"en", "bg"}, ""},
		{"bg", []string{"en", "bg"}, "bg"},
		{"bg-BG,bg;q=0.9,en;q=0.8", []string{"en", "bg"}, "bg"},
		{"en-US,en;q=0.9,bg;q=0.8", []string{"en", "bg"}, "en"},
		{"de,bg;q=0.5", []string{"en", "bg"}, "bg"},
		{"bg;q=0.3,en;q=0.7", []string{"en", "bg"}, "en"},
		{"bg", []string{"en"}, ""},
		{"de, fr", []string{"en", "bg"}, ""},
		{"*", []string{"bg", "en"}, "bg"},
		{"bg;q=bad", []string{"en", "bg"}, ""},
	}
	for _, tt := range tests {
		if got := Match(tt.header, tt.offered); got != tt.want {
			t.Errorf("Match(%q, %v) = %q, want %q", tt.header, tt.offered, got, tt.want)
		}
	}
}

// usedKeys are the texts the portal passes through the catalog: the pages' f.T("…") calls (in
// their templ components and view models) and, in the Go code that shows texts, tr(c, "…"), i18n.T(lang, "…"), the labels, titles and
// messages of lists and errors, and the refusals of the rules.
var usedKeys = []struct {
	glob string
	re   *regexp.Regexp
}{
	{"../../web/*.templ", regexp.MustCompile(`\bf\.T\(("(?:[^"\\]|\\.)*")`)},
	{"../../web/*.go", regexp.MustCompile(`\bf\.T\(("(?:[^"\\]|\\.)*")`)},
	{"../server/*.go", regexp.MustCompile("\\btr\\(c, (\"(?:[^\"\\\\]|\\\\.)*\"|`[^`]*`)")},
	{"../server/*.go", regexp.MustCompile(`i18n\.T\(\w+, ("(?:[^"\\]|\\.)*")`)},
	{"../server/*.go", regexp.MustCompile(`\b(?:Label|Title|Empty|SearchHint|Heading|Message):\s*("(?:[^"\\]|\\.)*")`)},
	{"../server/*.go", regexp.MustCompile(`s\.page\(c, ("(?:[^"\\]|\\.)*")`)},
	{"../access/*.go", regexp.MustCompile(`deny\(("(?:[^"\\]|\\.)*")\)`)},
	{"../portal/*.go", regexp.MustCompile(`fe\.Fields\["\w+"\] = ("(?:[^"\\]|\\.)*")\n`)},
	// The portal's refusals: their headings and messages are keys the server translates.
	{"../portal/*.go", regexp.MustCompile(`\b(?:Heading|Message):\s*("(?:[^"\\]|\\.)*")`)},
	{"../portal/*.go", regexp.MustCompile(`ccErr\(Kind\w+, "?\w*"?(?:\.Code)?, ("(?:[^"\\]|\\.)*")`)},
	{"../portal/*.go", regexp.MustCompile(`ccErr\(Kind\w+, "?\w*"?(?:\.Code)?, "(?:[^"\\]|\\.)*",\s*("(?:[^"\\]|\\.)*")`)},
	{"../portal/*.go", regexp.MustCompile(`errSetup\("CC\d+", ("(?:[^"\\]|\\.)*")`)},
}

// TestEveryUsedKeyHasBulgarian: a text added to a page without its Bulgarian would show in
// English on a Bulgarian page.
func TestEveryUsedKeyHasBulgarian(t *testing.T) {
	found := 0
	for _, u := range usedKeys {
		files, err := filepath.Glob(u.glob)
		if err != nil || len(files) == 0 {
			t.Fatalf("no files at %s", u.glob)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") || strings.HasSuffix(f, "_templ.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range u.re.FindAllStringSubmatch(string(src), -1) {
				key, err := strconv.Unquote(m[1])
				if err != nil {
					t.Fatalf("%s: %s: %v", f, m[1], err)
				}
				found++
				if !Has("bg", key) {
					t.Errorf("%s: %q has no Bulgarian", filepath.Base(f), key)
				}
			}
		}
	}
	if found < 200 {
		t.Errorf("only %d texts found; the scan no longer sees the catalog calls", found)
	}
}

// TestBulgarianKeepsTheValues: a translation takes the same values as its English text, in the
// same order, and is written in Cyrillic.
func TestBulgarianKeepsTheValues(t *testing.T) {
	verbs := regexp.MustCompile(`%[dsv%]`)
	for en, tr := range bg {
		if got, want := verbs.FindAllString(tr, -1), verbs.FindAllString(en, -1); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%q → %q: values %v, want %v", en, tr, got, want)
		}
		if strings.TrimSpace(tr) == "" {
			t.Errorf("%q has an empty translation", en)
		}
	}
}
