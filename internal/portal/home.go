package portal

import (
	"context"
	"time"

	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// monthStart is the first day of the current month, or the viewer's horizon when that is later.
func (s *Service) monthStart(v *Viewer) time.Time {
	now := s.now().UTC()
	start := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	if h := v.Horizon(now); h.After(start) {
		start = h
	}
	return start
}

// OrdersThisMonth counts the customer's orders dated this month: one cheap $count, cached.
func (s *Service) OrdersThisMonth(ctx context.Context, v *Viewer) (int, error) {
	q := erpnet.From(erpnet.SetSalesOrders).Where(erpnet.Eq("Customer", customerRef(v.Current.CustomerID)),
		erpnet.Ge("DocumentDate", erpnet.Date(s.monthStart(v))))
	q = q.Where(s.orderTypeTerms()...)
	return count(ctx, s, v.Current.CustomerID, cache.KindCounts, q)
}

// InvoicesThisMonth counts the customer's invoices dated this month.
func (s *Service) InvoicesThisMonth(ctx context.Context, v *Viewer) (int, error) {
	q := erpnet.From(erpnet.SetInvoices).Where(erpnet.Eq("Customer", customerRef(v.Current.CustomerID)),
		erpnet.Ge("DocumentDate", erpnet.Date(s.monthStart(v))))
	q = q.Where(s.invoiceTypeTerms()...)
	return count(ctx, s, v.Current.CustomerID, cache.KindCounts, q)
}

// orderTypeTerms limits orders to the instance's OrderDocumentTypes, when set.
func (s *Service) orderTypeTerms() []erpnet.Term { return typeTerms(s.inst.OrderDocumentTypes) }

// invoiceTypeTerms limits invoices to the instance's InvoiceDocumentTypes, when set.
func (s *Service) invoiceTypeTerms() []erpnet.Term { return typeTerms(s.inst.InvoiceDocumentTypes) }

func typeTerms(codes []string) []erpnet.Term {
	if len(codes) == 0 {
		return nil
	}
	lits := make([]erpnet.Literal, len(codes))
	for i, c := range codes {
		lits[i] = erpnet.Str(c)
	}
	return []erpnet.Term{erpnet.In("DocumentType/Code", lits...)}
}
