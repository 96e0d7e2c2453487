package web

import (
	"github.com/clientcenter/clientcenter/internal/portal"
)

// InvoiceView is an invoice's page: its header, what is still to pay, its lines and its PDF.
type InvoiceView struct {
	Invoice     portal.Invoice
	Files       []portal.FileInfo // shared with external users on the invoice
	HideLines   bool
	PDFHref     string
	DownloadURL string
	// Transfers is how to pay what is still to pay, per currency.
	Transfers []portal.Transfer
	Messages  ConversationView
}

// invoiceBadge is the badge class of an invoice's status.
func invoiceBadge(status string) string {
	switch status {
	case portal.InvoicePaid:
		return "ok"
	case portal.InvoiceDue:
		return "warn"
	case portal.InvoiceOverdue, portal.InvoiceCancelled:
		return "bad"
	}
	return ""
}
