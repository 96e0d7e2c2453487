package portal_test

import (
	"testing"

	"github.com/clientcenter/clientcenter/internal/erpnet"
	"github.com/clientcenter/clientcenter/internal/portal"
)

func TestInvoiceStatus(t *testing.T) {
	bal := func(payment, due string) erpnet.PaymentBalance {
		return erpnet.PaymentBalance{PaymentStatus: payment, DueStatus: due}
	}
	for _, tc := range []struct {
		name     string
		void     bool
		balances []erpnet.PaymentBalance
		want     string
	}{
		{"void beats an open balance", true, []erpnet.PaymentBalance{bal("Unpaid", "Overdue")}, portal.InvoiceCancelled},
		{"unpaid, not yet due", false, []erpnet.PaymentBalance{bal("Unpaid", "Scheduled")}, portal.InvoiceDue},
		{"unpaid, due", false, []erpnet.PaymentBalance{bal("Unpaid", "Due")}, portal.InvoiceDue},
		{"in the grace period", false, []erpnet.PaymentBalance{bal("PartiallyPaid", "GracePeriod")}, portal.InvoiceDue},
		{"overdue", false, []erpnet.PaymentBalance{bal("PartiallyPaid", "Overdue")}, portal.InvoiceOverdue},
		{"one instalment overdue", false, []erpnet.PaymentBalance{bal("Paid", "NotApplicable"), bal("Unpaid", "Due"), bal("Unpaid", "Overdue")}, portal.InvoiceOverdue},
		{"one instalment still due", false, []erpnet.PaymentBalance{bal("Paid", "NotApplicable"), bal("Unpaid", "Due")}, portal.InvoiceDue},
		{"paid", false, []erpnet.PaymentBalance{bal("Paid", "NotApplicable")}, portal.InvoicePaid},
		{"overpaid", false, []erpnet.PaymentBalance{bal("Overpaid", "NotApplicable")}, portal.InvoicePaid},
		{"no balance", false, nil, portal.InvoiceIssued},
		{"only other balances", false, []erpnet.PaymentBalance{bal("Other", "NotApplicable")}, portal.InvoiceIssued},
	} {
		if got := portal.InvoiceStatus(tc.void, tc.balances); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestInvoiceFileName(t *testing.T) {
	for _, tc := range []struct{ number, want string }{
		{"INV-000123", "Invoice INV-000123.pdf"},
		{"2026/17", "Invoice 2026-17.pdf"},
		{`A"B\C:D*E?F<G>H|I`, "Invoice A-B-C-D-E-F-G-H-I.pdf"},
		{"line\nbreak", "Invoice line-break.pdf"},
		{"Фактура 7", "Invoice Фактура 7.pdf"},
		{"  ..  ", "Invoice without number.pdf"},
		{"", "Invoice without number.pdf"},
	} {
		if got := portal.InvoiceFileName(tc.number); got != tc.want {
			t.Errorf("InvoiceFileName(%q): got %q, want %q", tc.number, got, tc.want)
		}
	}
}
