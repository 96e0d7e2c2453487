package portal

import (
	"context"
	"strings"
	"sync"

	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// InvoiceFile is an invoice's printout, as Erp.Net renders it.
type InvoiceFile struct {
	Name string // "Invoice INV-000123.pdf"
	Data []byte
}

// InvoicePDF is the printout of one invoice of the viewer's customer, after the same checks as
// its page (customer, horizon, document type). Printouts are not cached: they can be large, and
// the cache bounds how many values it keeps, not their size. The page's preview loads only when
// opened, so showing an invoice costs no printout.
func (s *Service) InvoicePDF(ctx context.Context, v *Viewer, id string) (InvoiceFile, error) {
	d, err := s.readInvoice(ctx, v, id)
	if err != nil {
		return InvoiceFile{}, err
	}
	pdf, err := s.erp.GetPrintout(ctx, erpnet.SetInvoices, d.ID)
	if erpnet.IsNotFound(err) {
		return InvoiceFile{}, ErrNotFound
	}
	if err != nil {
		return InvoiceFile{}, err
	}
	return InvoiceFile{Name: InvoiceFileName(d.DocumentNo), Data: pdf}, nil
}

// OrderPDF is an order's printout from Erp.Net (GetPrintout), as invoices have: only of an order
// the viewer may open, and only where Shows says so (the printout has the lines and their prices,
// which the portal cannot take out of Erp.Net's PDF).
func (s *Service) OrderPDF(ctx context.Context, v *Viewer, id string) (InvoiceFile, error) {
	if !s.Shows(v).OrderPDF {
		return InvoiceFile{}, ErrNotFound
	}
	o, err := s.GetOrder(ctx, v, id)
	if err != nil {
		return InvoiceFile{}, err
	}
	pdf, err := s.erp.GetPrintout(ctx, erpnet.SetSalesOrders, o.ID)
	if erpnet.IsNotFound(err) {
		return InvoiceFile{}, ErrNotFound
	}
	if err != nil {
		return InvoiceFile{}, err
	}
	return InvoiceFile{Name: printoutName("Order", o.Number), Data: pdf}, nil
}

// InvoiceFileName is the file name of an invoice's PDF: "Invoice <number>.pdf", with anything a
// file system or a Content-Disposition header would choke on replaced.
func InvoiceFileName(number string) string { return printoutName("Invoice", number) }

// printoutName is "<kind> <number>.pdf", the number cleaned for file systems and headers.
func printoutName(kind, number string) string {
	clean := strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '-'
		}
		return r
	}, number)
	clean = strings.Trim(strings.TrimSpace(clean), ".")
	if clean == "" {
		clean = "without number"
	}
	return kind + " " + clean + ".pdf"
}

// MaxZipInvoices bounds one ZIP of invoice PDFs: each is a printout Erp.Net renders, and
// Erp.Net serves only two requests at a time.
const MaxZipInvoices = 200

// InvoicesForZip lists every invoice the Invoices list shows for p, for a ZIP of their PDFs.
// More than limit is a 400 Error that asks the person to narrow the dates.
func (s *Service) InvoicesForZip(ctx context.Context, v *Viewer, p ListParams, limit int) ([]InvoiceRow, error) {
	terms, ok, notice, err := s.invoiceFilter(ctx, v, p)
	if err != nil || !ok {
		return nil, err
	}
	q := invoiceQuery(terms, p).Top(limit).Count()
	var docs []invoiceDoc
	info, err := s.erp.ListPage(ctx, q, &docs)
	if err != nil {
		return nil, err
	}
	if info.Count > limit || notice != "" {
		return nil, &Error{Kind: KindInvalid, Heading: "Too many invoices for one ZIP",
			Message: "These filters match %d invoices; one ZIP holds at most %d. Narrow the dates (From, To) and try again.", Args: []any{max(info.Count, len(docs)), limit}}
	}
	rows := make([]InvoiceRow, len(docs))
	for i, d := range docs {
		rows[i] = s.invoiceRow(v, d)
	}
	return rows, nil
}

// pdfWindow is how many printouts are fetched ahead of the one being written. The client bounds
// the requests in flight to Erp.Net; this bounds the PDFs held in memory.
const pdfWindow = 4

// EachInvoicePDF fetches the printouts of rows (from InvoicesForZip) with bounded concurrency
// and hands each to fn in the rows' order, with the error of a printout that failed. An error
// from fn, or ctx ending, stops it; no fetch outlives the call.
func (s *Service) EachInvoicePDF(ctx context.Context, rows []InvoiceRow, fn func(InvoiceRow, []byte, error) error) error {
	type result struct {
		pdf []byte
		err error
	}
	results := make([]chan result, len(rows))
	for i := range results {
		results[i] = make(chan result, 1)
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	slots := make(chan struct{}, pdfWindow)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i, r := range rows {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				pdf, err := s.erp.GetPrintout(ctx, erpnet.SetInvoices, r.ID)
				results[i] <- result{pdf, err}
			}()
		}
	}()
	for i, r := range rows {
		var res result
		select {
		case res = <-results[i]:
		case <-ctx.Done():
			return ctx.Err()
		}
		<-slots
		if err := fn(r, res.pdf, res.err); err != nil {
			return err
		}
	}
	return nil
}
