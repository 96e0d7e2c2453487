package server_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// statementCSV reads a statement's CSV into its movements per currency: the opening, each line's
// signed amount and balance, and the closing, in cents.
type statementMoves struct {
	opening, closing int64
	amounts, balance []int64
	kinds            []string
}

func statementCSV(t *testing.T, b *testenv.Browser, query string) map[string]*statementMoves {
	t.Helper()
	header, rows := csvRecords(t, b.Get("/cc/statement.csv?"+query))
	cur, kind, debit, credit, bal := column(t, header, "Currency"), column(t, header, "Type"), column(t, header, "Debit"), column(t, header, "Credit"), column(t, header, "Balance")
	num := func(s string) int64 {
		if s == "" {
			return 0
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("CSV amount %q: %v", s, err)
		}
		return cents(v)
	}
	out := map[string]*statementMoves{}
	for _, r := range rows {
		m := out[r[cur]]
		if m == nil {
			m = &statementMoves{}
			out[r[cur]] = m
		}
		switch r[kind] {
		case "Opening balance":
			m.opening = num(r[bal])
		case "Closing balance":
			m.closing = num(r[bal])
		default:
			m.kinds = append(m.kinds, r[kind])
			m.amounts = append(m.amounts, num(r[debit])-num(r[credit]))
			m.balance = append(m.balance, num(r[bal]))
		}
	}
	return out
}

func TestStatementAddsUpToDuePayments(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Now: func() time.Time { return financeDay }, Quiet: true})
	today := financeToday()
	for _, tt := range []struct {
		login string
		from  time.Time
	}{
		{"owner@orbis.example", today.AddDate(0, -2, 0)},    // an opening balance of everything before
		{"billing@orbis.example", today.AddDate(-2, 0, 0)},  // starts at the horizon instead
		{"billing@orbis.example", today.AddDate(0, 0, -20)}, // the credit note, the offset and the advance
		{"owner@orbis.example", today.AddDate(-10, 0, 0)},   // the whole history: an opening of zero
	} {
		t.Run(tt.login+" from "+tt.from.Format(time.DateOnly), func(t *testing.T) {
			b, _ := env.SignIn(t, "cc", tt.login)
			q := url.Values{"from": {tt.from.Format(time.DateOnly)}, "to": {today.Format(time.DateOnly)}}.Encode()
			page := b.Get("/cc/statement?" + q)
			if page.Status != 200 {
				t.Fatalf("%s", page)
			}
			due := b.Get("/cc/due-payments")
			moves := statementCSV(t, b, q)
			if len(moves) == 0 {
				t.Fatal("an empty statement")
			}
			for cur, m := range moves {
				bal := m.opening
				for i, a := range m.amounts {
					bal += a
					if bal != m.balance[i] {
						t.Fatalf("%s line %d (%s): running balance %d, the statement says %d", cur, i+1, m.kinds[i], bal, m.balance[i])
					}
				}
				if bal != m.closing {
					t.Errorf("%s: the movements add up to %d, the closing balance is %d", cur, bal, m.closing)
				}
				// The closing balance today is what Due Payments shows still owed, less what is
				// open in the customer's favour (the seed's overpayment of 10 levs), which Due
				// Payments does not list and the statement says it includes.
				credit := int64(0)
				if cur == "BGN" {
					credit = -1000
					if n := page.Doc.Find("[data-credits]").Length(); n != 1 {
						t.Errorf("no notice of the open credit")
					}
				}
				shown := strings.TrimSpace(due.Doc.Find("[data-aging=" + cur + "] [data-remaining]").Text())
				if closing := strings.TrimSpace(page.Doc.Find("[data-statement=" + cur + "] [data-closing-balance]").Text()); fmtCents(m.closing-credit, cur) != shown || closing != fmtCents(m.closing, cur) {
					t.Errorf("%s: closing balance %q (CSV %s) less the credit %d, Due Payments %q", cur, closing, fmtCents(m.closing, cur), credit, shown)
				}
			}
			starts := page.Doc.Find("[data-starts]").Length() == 1
			if horizon := tt.login == "billing@orbis.example" && tt.from.Before(today.AddDate(0, 0, -365)); starts != horizon {
				t.Errorf("the notice of where it starts: %v, want %v", starts, horizon)
			}
			if tt.from.Equal(today.AddDate(0, 0, -20)) {
				kinds := strings.Join(moves["BGN"].kinds, ",")
				for _, k := range []string{"Credit note", "Advance", "Payment", "Invoice"} {
					if !strings.Contains(kinds, k) {
						t.Errorf("no %s among the movements %s", k, kinds)
					}
				}
			}
			if tt.from.Year() < today.Year()-5 && moves["BGN"].opening != 0 {
				t.Errorf("before the first document the balance is %d, want 0", moves["BGN"].opening)
			}
		})
	}
}

func TestStatementPDFAndBadDates(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Now: func() time.Time { return financeDay }, Quiet: true})
	b, _ := env.SignIn(t, "cc", "billing@orbis.example")
	p := b.Get("/cc/statement.pdf")
	if p.Status != 200 || p.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix([]byte(p.Body), []byte("%PDF-")) || len(p.Body) < 20000 {
		t.Fatalf("PDF: %s %q, %d bytes", p, p.Header.Get("Content-Type"), len(p.Body))
	}
	if !strings.Contains(p.Body, "/FontFile2") || !strings.Contains(p.Body, "/Identity-H") {
		t.Errorf("the PDF does not embed a Unicode TrueType font, which Cyrillic needs")
	}
	bad := b.Get("/cc/statement?from=31.31.2026&to=" + url.QueryEscape(financeToday().Format(time.DateOnly)))
	if bad.Status != 400 || !strings.Contains(bad.Text("[role=alert]"), "From:") || bad.Doc.Find("input[name=from]").AttrOr("value", "") != "31.31.2026" {
		t.Errorf("a wrong From: %s %q, kept %q", bad, bad.Text("[role=alert]"), bad.Doc.Find("input[name=from]").AttrOr("value", ""))
	}
	if p := b.Get("/cc/statement?from=2026-11-20&to=2026-11-01"); p.Status != 400 || !strings.Contains(p.Text("[role=alert]"), "From") {
		t.Errorf("a start after the end: %s %q", p, p.Text("[role=alert]"))
	}
}

func TestStatementPDFCarriesTheTenantsLogo(t *testing.T) {
	t.Parallel()
	logo := filepath.Join(t.TempDir(), "logo.png")
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	img.Set(3, 3, color.RGBA{200, 30, 30, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(logo, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	in := testenv.Instance("cc")
	in.Logo = logo
	env := testenv.New(t, testenv.Options{Now: func() time.Time { return financeDay }, Quiet: true, Instances: []config.Instance{in}})
	b, _ := env.SignIn(t, "cc", "billing@orbis.example")
	without := testenv.New(t, testenv.Options{Now: func() time.Time { return financeDay }, Quiet: true})
	b2, _ := without.SignIn(t, "cc", "billing@orbis.example")
	if p := b.Get("/cc/statement.pdf"); !strings.Contains(p.Body, "/Subtype /Image") {
		t.Errorf("the statement PDF has no image: %s", p)
	}
	if p := b2.Get("/cc/statement.pdf"); strings.Contains(p.Body, "/Subtype /Image") {
		t.Errorf("a statement PDF without a logo has an image")
	}
}
