package epc_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/clientcenter/clientcenter/internal/epc"
	"github.com/clientcenter/clientcenter/internal/epc/epcread"
)

func TestPayloadHasTheGuidelinesFieldsInOrder(t *testing.T) {
	p, err := epc.Transfer{Name: "Orbis Trading Ltd", IBAN: "BG80 BNBG 9661 1020 3456 78", BIC: "bnbgbgsd", Amount: 1234.5, Text: "INV-0001 INV-0002"}.Payload()
	if err != nil {
		t.Fatal(err)
	}
	want := "BCD\n002\n1\nSCT\nBNBGBGSD\nOrbis Trading Ltd\nBG80BNBG96611020345678\nEUR1234.50\n\n\nINV-0001 INV-0002"
	if p != want {
		t.Fatalf("payload\n%q\nwant\n%q", p, want)
	}
}

func TestCodeDecodesToThePayload(t *testing.T) {
	p, err := epc.Transfer{Name: "Орбис Трейдинг", IBAN: "BG80BNBG96611020345678", Amount: 0.01, Text: "INV-0042"}.Payload()
	if err != nil {
		t.Fatal(err)
	}
	svg, err := epc.SVG(p, "QR")
	if err != nil {
		t.Fatal(err)
	}
	got, err := epcread.Decode(svg)
	if err != nil {
		t.Fatal(err)
	}
	if got != p {
		t.Fatalf("decoded %q, want %q", got, p)
	}
	if lines := strings.Split(got, "\n"); lines[4] != "" || lines[5] != "Орбис Трейдинг" {
		t.Fatalf("without a BIC its line stays empty and the name follows: %q", got)
	}
}

func TestPayloadRefusesWhatTheCodeCannotCarry(t *testing.T) {
	ok := epc.Transfer{Name: "Orbis", IBAN: "BG80BNBG96611020345678", Amount: 10, Text: "INV-1"}
	for _, c := range []struct {
		name string
		edit func(*epc.Transfer)
		want error
	}{
		{"no name", func(t *epc.Transfer) { t.Name = " " }, epc.ErrName},
		{"long name", func(t *epc.Transfer) { t.Name = strings.Repeat("x", 71) }, epc.ErrName},
		{"bad check digits", func(t *epc.Transfer) { t.IBAN = "BG81BNBG96611020345678" }, epc.ErrIBAN},
		{"short BIC", func(t *epc.Transfer) { t.BIC = "BNBG" }, epc.ErrBIC},
		{"zero", func(t *epc.Transfer) { t.Amount = 0 }, epc.ErrAmount},
		{"too much", func(t *epc.Transfer) { t.Amount = 1e9 }, epc.ErrAmount},
		{"long text", func(t *epc.Transfer) { t.Text = strings.Repeat("INV-0001 ", 16) }, epc.ErrText},
		{"a line break", func(t *epc.Transfer) { t.Text = "a\nb" }, epc.ErrText},
	} {
		tr := ok
		c.edit(&tr)
		if _, err := tr.Payload(); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	if _, err := ok.Payload(); err != nil {
		t.Fatal(err)
	}
}

func TestGroupedIBAN(t *testing.T) {
	if g := epc.Grouped("bg80bnbg96611020345678"); g != "BG80 BNBG 9661 1020 3456 78" {
		t.Fatal(g)
	}
}
