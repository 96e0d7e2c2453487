package locale

import (
	"testing"
	"time"
)

// Days follow each language's pattern as CLDR's fields define them (d: the day, dd: two digits,
// MM: the month in two digits, y: the year in full; quoted text literal), and what is written is
// read back, so a date field takes what the page shows.
func TestDatesFollowTheirPattern(t *testing.T) {
	days := []time.Time{
		time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC),
		time.Date(1999, 10, 10, 0, 0, 0, 0, time.UTC),
	}
	for _, day := range days {
		y, m, d := day.Date()
		// The patterns spelled out field by field, as CLDR's syntax reads them.
		want := map[string]string{
			"en": pad(y, 4) + "-" + pad(int(m), 2) + "-" + pad(d, 2),     // y-MM-dd
			"bg": itoa(d) + "." + pad(int(m), 2) + "." + itoa(y) + " г.", // d.MM.y 'г'.
		}
		for lang, w := range want {
			got := Date(lang, day)
			if got != w {
				t.Errorf("Date(%s, %v) = %q, want %q", lang, day, got, w)
			}
			back, err := ParseDate(lang, got)
			if err != nil || !back.Equal(day) {
				t.Errorf("ParseDate(%s, %q) = %v, %v; want %v", lang, got, back, err, day)
			}
		}
	}
	if Date("bg", time.Time{}) != "" {
		t.Errorf("the zero time is written")
	}
}

// A person types a day with or without the era word, with a leading zero or not; an ISO day is
// taken in every language; anything else, or a day that does not exist, is refused.
func TestParseDateAsPeopleType(t *testing.T) {
	day := time.Date(2026, 2, 3, 0, 0, 0, 0, time.UTC)
	for _, in := range []string{"3.02.2026", "03.02.2026", "3.2.2026", " 3.02.2026 г. ", "3.02.2026 г", "2026-02-03"} {
		if got, err := ParseDate("bg", in); err != nil || !got.Equal(day) {
			t.Errorf("bg %q: %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "3/2/2026", "31.02.2026", "3.02.26", "3.02.2026 г. и", "02/03/2026", "3..2026"} {
		if got, err := ParseDate("bg", in); err == nil {
			t.Errorf("bg %q taken as %v", in, got)
		}
	}
	if _, err := ParseDate("en", "02/03/2026"); err == nil {
		t.Errorf("en took a slashed day")
	}
	if got, err := ParseDate("en", "2026-02-03"); err != nil || !got.Equal(day) {
		t.Errorf("en ISO: %v %v", got, err)
	}
}

func itoa(n int) string { return pad(n, 1) }

func pad(n, width int) string {
	s := ""
	for n > 0 || width > 0 {
		s = string(rune('0'+n%10)) + s
		n /= 10
		width--
	}
	return s
}

// A day written by another of the portal's languages is read too (a link made before the person
// switched language), and spaces after a separator are taken.
func TestParseDateAcrossLanguages(t *testing.T) {
	day := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct{ lang, in string }{{"en", "3.12.2026 г."}, {"en", "3.12.2026"}, {"bg", "2026-12-03"}, {"bg", "3. 12. 2026"}} {
		if got, err := ParseDate(c.lang, c.in); err != nil || !got.Equal(day) {
			t.Errorf("ParseDate(%s, %q) = %v, %v", c.lang, c.in, got, err)
		}
	}
}

// Months are written as CLDR's yMMMM does in each language.
func TestMonth(t *testing.T) {
	day := time.Date(2026, 11, 30, 23, 0, 0, 0, time.UTC)
	for lang, want := range map[string]string{"en": "November 2026", "bg": "ноември 2026 г.", "xx": "November 2026"} {
		if got := Month(lang, day); got != want {
			t.Errorf("Month(%s) = %q, want %q", lang, got, want)
		}
	}
	if Month("en", time.Time{}) != "" {
		t.Errorf("the zero time has a month")
	}
}
