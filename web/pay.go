package web

import (
	"github.com/a-h/templ"

	"github.com/clientcenter/clientcenter/internal/epc"
	"github.com/clientcenter/clientcenter/internal/portal"
)

// PayView is the page "GET /:cc/due-payments/pay": the open items to choose from, and how to pay
// those chosen together.
type PayView struct {
	Items     []portal.DuePayment
	Chosen    map[string]bool // by document number
	Transfers []portal.Transfer
	Problem   string
}

// payItem names an open item on the pay page: its invoice, else its document.
func payItem(d portal.DuePayment) string {
	if d.InvoiceNo != "" {
		return d.InvoiceNo
	}
	return d.DocumentNo
}

// qrCode draws a transfer's EPC QR code as an inline SVG, made by package epc from the payload
// alone (no text of a person reaches it but as the code's modules and the escaped label).
func qrCode(payload, label string) templ.Component {
	svg, err := epc.SVG(payload, label)
	if err != nil {
		return templ.NopComponent
	}
	return templ.Raw(svg)
}
