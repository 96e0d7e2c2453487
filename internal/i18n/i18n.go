// Package i18n is the portal's message catalog: every text a person reads, in English (the source
// text, which is also the key) and in Bulgarian.
package i18n

import (
	"fmt"
	"strconv"
	"strings"
)

// Languages are the languages the portal speaks, English first: English is every text's source
// and every missing translation's fallback.
var Languages = []string{"en", "bg"}

// catalogs holds the translations of each language but English, keyed by the English text.
var catalogs = map[string]map[string]string{"bg": bg}

// T is the text key in lang, formatted with args (fmt verbs) when there are any. A language or
// key without a translation gives the English text, so a page never shows an empty label.
func T(lang, key string, args ...any) string {
	text := key
	if tr, ok := catalogs[lang][key]; ok && tr != "" {
		text = tr
	}
	if len(args) == 0 {
		return text
	}
	return fmt.Sprintf(text, args...)
}

// Has reports whether key has a translation in lang; English has every key.
func Has(lang, key string) bool {
	if lang == "en" {
		return true
	}
	_, ok := catalogs[lang][key]
	return ok
}

// Match is the language of offered that best fits an Accept-Language header, or "" when none
// does. A header's ranges are tried by quality, then in the order given; "bg-BG" matches "bg".
func Match(header string, offered []string) string {
	best, bestQ := "", 0.0
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		tag = strings.ToLower(strings.TrimSpace(tag))
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			q = f
		}
		if tag == "" || q <= bestQ {
			continue
		}
		primary, _, _ := strings.Cut(tag, "-")
		for _, lang := range offered {
			if primary == lang || (tag == "*" && len(offered) > 0) {
				best, bestQ = lang, q
				break
			}
		}
	}
	return best
}
