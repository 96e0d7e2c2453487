package locale

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Days are written, and typed, by one numeric pattern per language in CLDR's date-pattern
// syntax (d, dd, M, MM, y, quoted literals), so what a page shows is what a date field takes:
//
//   - bg: CLDR's medium date, "d.MM.y 'г'." (gregorian.json dateFormats medium): 3.12.2026 г.
//   - en: ISO 8601, "y-MM-dd". CLDR's en is the United States' "MMM d, y" / "M/d/yy", which
//     reads wrong to the portal's English readers across Europe; ISO days are read the same way
//     everywhere and are what the portal always took.
var datePatterns = map[string]string{
	"en": "y-MM-dd",
	"bg": "d.MM.y 'г'.",
}

// dateHints say in the person's language what a date field takes.
var dateHints = map[string]string{
	"en": "YYYY-MM-DD",
	"bg": "ДД.ММ.ГГГГ",
}

func datePattern(lang string) string {
	if p, ok := datePatterns[lang]; ok {
		return p
	}
	return datePatterns["en"]
}

// Date is the day of t as lang writes it, "" for the zero time.
func Date(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	var b strings.Builder
	y, m, d := t.Date()
	for _, tok := range tokens(datePattern(lang)) {
		switch tok {
		case "d":
			b.WriteString(strconv.Itoa(d))
		case "dd":
			pad2(&b, d)
		case "M":
			b.WriteString(strconv.Itoa(int(m)))
		case "MM":
			pad2(&b, int(m))
		case "y":
			b.WriteString(strconv.Itoa(y))
		default:
			b.WriteString(tok)
		}
	}
	return b.String()
}

// DateHint is what a date field of lang takes, as a placeholder ("YYYY-MM-DD").
func DateHint(lang string) string {
	if h, ok := dateHints[lang]; ok {
		return h
	}
	return dateHints["en"]
}

// ErrDate is a day that is not written by the language's pattern nor as an ISO day.
var ErrDate = errors.New("locale: not a date")

// ParseDate reads a day as lang writes it (Date), with or without its literal words, or as an
// ISO day (2026-01-31), or as another of the portal's languages writes it: a link or a bookmark
// made in another language still works (the patterns are told apart by their separators). The
// day is at midnight UTC, as the portal's days are.
func ParseDate(lang, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if t, err := parseDateAs(datePattern(lang), s); err == nil {
		return t, nil
	}
	for other, p := range datePatterns {
		if other != lang {
			if t, err := parseDateAs(p, s); err == nil {
				return t, nil
			}
		}
	}
	return time.Time{}, ErrDate
}

// parseDateAs reads s by one pattern.
func parseDateAs(pattern, s string) (time.Time, error) {
	var y, m, d int
	rest := s
	toks := tokens(pattern)
	last := 0 // the last field: the words after it (the era, "г.") may be left out
	for i, tok := range toks {
		if isField(tok) {
			last = i
		}
	}
	for i, tok := range toks {
		if !isField(tok) {
			lit := strings.TrimSpace(tok)
			rest = strings.TrimLeft(rest, " \u00a0")
			switch {
			case lit == "":
			case strings.HasPrefix(rest, lit):
				rest = rest[len(lit):]
			case i < last:
				return time.Time{}, ErrDate
			}
			continue
		}
		rest = strings.TrimLeft(rest, " \u00a0")
		n := 0
		for n < len(rest) && n < 4 && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		if n == 0 {
			return time.Time{}, ErrDate
		}
		v, _ := strconv.Atoi(rest[:n])
		switch tok[0] {
		case 'd':
			d = v
		case 'M':
			m = v
		default:
			y = v
		}
		rest = rest[n:]
	}
	if strings.TrimSpace(rest) != "" || y < 1000 {
		return time.Time{}, ErrDate
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}, ErrDate // 31.02.2026
	}
	return t, nil
}

func isField(tok string) bool {
	return tok != "" && strings.ContainsRune("dMy", rune(tok[0])) && strings.Trim(tok, "dMy") == ""
}

// tokens splits a CLDR date pattern into its fields and literals ('quoted' text is literal).
func tokens(p string) []string {
	var out []string
	for i := 0; i < len(p); {
		switch c := p[i]; {
		case c == '\'':
			j := strings.IndexByte(p[i+1:], '\'')
			if j < 0 {
				j = len(p) - i - 1
			}
			out = append(out, p[i+1:i+1+j])
			i += j + 2
		case c == 'd' || c == 'M' || c == 'y':
			j := i
			for j < len(p) && p[j] == c {
				j++
			}
			out = append(out, p[i:j])
			i = j
		default:
			j := i
			for j < len(p) && p[j] != '\'' && p[j] != 'd' && p[j] != 'M' && p[j] != 'y' {
				j++
			}
			out = append(out, p[i:j])
			i = j
		}
	}
	return out
}

func pad2(b *strings.Builder, n int) {
	if n < 10 {
		b.WriteByte('0')
	}
	b.WriteString(strconv.Itoa(n))
}

// monthNames are the months as lang names them standing alone (CLDR's stand-alone wide form).
var monthNames = map[string][12]string{
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"bg": {"януари", "февруари", "март", "април", "май", "юни", "юли", "август", "септември", "октомври", "ноември", "декември"},
}

// monthPatterns put the month's name (%[1]s) and the year (%[2]d) as CLDR's yMMMM does.
var monthPatterns = map[string]string{"en": "%[1]s %[2]d", "bg": "%[1]s %[2]d г."}

// Month is the month of t as lang writes it ("November 2026", "ноември 2026 г."), "" for the
// zero time.
func Month(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	names, ok := monthNames[lang]
	pattern := monthPatterns[lang]
	if !ok {
		names, pattern = monthNames["en"], monthPatterns["en"]
	}
	return fmt.Sprintf(pattern, names[t.Month()-1], t.Year())
}
