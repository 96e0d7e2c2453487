// Package epc writes the European Payments Council's QR code for a SEPA credit transfer
// (EPC069-12, "Quick Response Code: guidelines to enable data capture for the initiation of a SEPA
// credit transfer", version 002): the code a banking app scans to fill in a transfer.
package epc

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
	"unicode/utf8"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"
)

// Transfer is what the code carries: whom to pay (name, IBAN and, optionally, BIC), how much in
// euros, and the remittance text the payee reads (the invoice numbers).
type Transfer struct {
	Name   string
	IBAN   string
	BIC    string
	Amount float64
	Text   string
}

// The guideline's limits.
const (
	maxName    = 70
	maxText    = 140
	maxPayload = 331
	maxAmount  = 999999999.99
)

// Errors of a transfer the code cannot carry.
var (
	ErrName   = errors.New("epc: the payee's name must have 1 to 70 characters")
	ErrIBAN   = errors.New("epc: the IBAN is not valid")
	ErrBIC    = errors.New("epc: the BIC must have 8 or 11 letters and digits")
	ErrAmount = errors.New("epc: the amount must be from 0.01 to 999999999.99 euros")
	ErrText   = errors.New("epc: the remittance text must have at most 140 characters")
)

// Payload is the code's text: the fields of the guideline one a line, in its order (service tag,
// version, character set 1 = UTF-8, identification, BIC, name, IBAN, amount, purpose, structured
// reference, remittance text), with the empty lines at the end left off as it allows.
func (t Transfer) Payload() (string, error) {
	name := strings.TrimSpace(t.Name)
	iban := Compact(t.IBAN)
	bic := Compact(t.BIC)
	text := strings.TrimSpace(t.Text)
	switch {
	case name == "" || utf8.RuneCountInString(name) > maxName:
		return "", ErrName
	case !ValidIBAN(iban):
		return "", ErrIBAN
	case bic != "" && len(bic) != 8 && len(bic) != 11 || !alnum(bic):
		return "", ErrBIC
	case math.IsNaN(t.Amount) || t.Amount < 0.01 || t.Amount > maxAmount:
		return "", ErrAmount
	case utf8.RuneCountInString(text) > maxText || strings.ContainsAny(text+name, "\r\n"):
		return "", ErrText
	}
	fields := []string{"BCD", "002", "1", "SCT", bic, name, iban, fmt.Sprintf("EUR%.2f", t.Amount), "", "", text}
	for len(fields) > 0 && fields[len(fields)-1] == "" {
		fields = fields[:len(fields)-1]
	}
	p := strings.Join(fields, "\n")
	if len(p) > maxPayload {
		return "", ErrText
	}
	return p, nil
}

// Code is the QR code of a payload, at the error correction level the guideline asks (M).
func Code(payload string) (barcode.Barcode, error) {
	return qr.Encode(payload, qr.M, qr.Unicode)
}

// SVG draws a payload's code as an SVG image, one path of its dark modules on a white ground
// with the quiet zone of four modules the QR standard asks for. It scales to any size.
func SVG(payload, title string) (string, error) {
	code, err := Code(payload)
	if err != nil {
		return "", err
	}
	n := code.Bounds().Dx()
	const quiet = 4
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges" role="img" aria-label="%s">`,
		n+2*quiet, n+2*quiet, escape(title))
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n+2*quiet, n+2*quiet)
	for y := range n {
		for x := 0; x < n; x++ {
			if !dark(code, x, y) {
				continue
			}
			run := 1
			for x+run < n && dark(code, x+run, y) {
				run++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x+quiet, y+quiet, run, run)
			x += run - 1
		}
	}
	b.WriteString(`"/></svg>`)
	return b.String(), nil
}

func dark(code barcode.Barcode, x, y int) bool {
	r, _, _, _ := code.At(x, y).RGBA()
	return r < 0x8000
}

func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// Compact is an IBAN or BIC without spaces, in capitals.
func Compact(s string) string { return strings.ToUpper(strings.Join(strings.Fields(s), "")) }

// Grouped is an IBAN in groups of four, as it is printed for people to read.
func Grouped(iban string) string {
	iban = Compact(iban)
	var parts []string
	for len(iban) > 4 {
		parts = append(parts, iban[:4])
		iban = iban[4:]
	}
	return strings.Join(append(parts, iban), " ")
}

// ValidIBAN tells whether s (compact) is an IBAN by its form and its check digits (ISO 13616:
// mod 97 of the rearranged number is 1).
func ValidIBAN(s string) bool {
	if len(s) < 15 || len(s) > 34 || !alnum(s) || s[0] < 'A' || s[1] < 'A' || s[2] > '9' || s[3] > '9' {
		return false
	}
	var digits strings.Builder
	for _, c := range s[4:] + s[:4] {
		if c >= 'A' {
			fmt.Fprintf(&digits, "%d", c-'A'+10)
		} else {
			digits.WriteRune(c)
		}
	}
	n, ok := new(big.Int).SetString(digits.String(), 10)
	return ok && new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

func alnum(s string) bool {
	for _, c := range s {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
