package portal

import (
	"context"
	"github.com/google/uuid"
	"time"

	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// monthStart is the first day of the current month, or the viewer's horizon when that is later.
func (s *Service) monthStart(v *Viewer) time.Time {
	today := s.today()
	start := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	if h := s.horizon(v); h.After(start) {
		start = h
	}
	return start
}

// OrdersThisMonth counts the customer's orders dated this month: one cheap $count, cached.
func (s *Service) OrdersThisMonth(ctx context.Context, v *Viewer) (int, error) {
	return s.countSince(ctx, v, erpnet.SetSalesOrders, s.orderTypeTerms)
}

// InvoicesThisMonth counts the customer's invoices dated this month.
func (s *Service) InvoicesThisMonth(ctx context.Context, v *Viewer) (int, error) {
	return s.countSince(ctx, v, erpnet.SetInvoices, s.invoiceTypeTerms)
}

// countSince counts the customer's documents of set dated from the month's start (see
// monthStart) and of the types typeTerms names.
func (s *Service) countSince(ctx context.Context, v *Viewer, set string, typeTerms func() []erpnet.Term) (int, error) {
	start := s.monthStart(v)
	query := erpnet.From(set).Where(erpnet.Eq("Customer", customerRef(v.Current.CustomerID)),
		erpnet.Ge("DocumentDate", erpnet.Date(start))).Where(typeTerms()...)
	return cached(ctx, s, v, v.Current.CustomerID, cache.KindCounts, "count:"+query.String(), func(ctx context.Context) (int, error) {
		return s.erp.Count(ctx, query)
	})
}

// orderTypeTerms limits orders to the instance's OrderDocumentTypes, when set.
func (s *Service) orderTypeTerms() []erpnet.Term { return s.typeTerms(s.inst.OrderDocumentTypes) }

// invoiceTypeTerms limits invoices to the instance's InvoiceDocumentTypes, when set.
func (s *Service) invoiceTypeTerms() []erpnet.Term { return s.typeTerms(s.inst.InvoiceDocumentTypes) }

// typeTerms is the documented filter on document types, "DocumentType in ('Systems_Documents_
// DocumentTypes(id)', ...)": DocumentType is not a filterable reference, so its Code cannot be
// compared. A setting not resolved to an Id matches nothing rather than everything.
func (s *Service) typeTerms(settings []string) []erpnet.Term {
	if len(settings) == 0 {
		return nil
	}
	var lits []erpnet.Literal
	for _, v := range settings {
		if id, ok := s.docTypes.id(v); ok {
			lits = append(lits, erpnet.NewRef(erpnet.SetDocumentTypes, id))
		}
	}
	if len(lits) == 0 {
		lits = append(lits, erpnet.NewRef(erpnet.SetDocumentTypes, uuid.Nil.String()))
	}
	return []erpnet.Term{erpnet.In("DocumentType", lits...)}
}
