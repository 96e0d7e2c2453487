package server

import (
	"archive/zip"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"go.uber.org/zap"

	"github.com/clientcenter/clientcenter/internal/portal"
)

// downloadInvoicesZip handles "GET /:cc/invoices.zip": the PDFs of every invoice the list shows
// for a date range (From and To required, the list's other filters apply), in one ZIP streamed
// as the printouts arrive. A missing date or too wide a range answers with the list and the
// reason, keeping what was typed. The ZIP is an export (one per session at a time, its calls
// behind page views); the list shown with a reason is a page view.
func (s *Server) downloadInvoicesZip(c *gin.Context) {
	in := instanceOf(c)
	vw := viewerOf(c)
	p, problems := parseListParams(c, in.lists.invoices, vw.Current.Role, portal.InvoiceSortable)
	if strings.TrimSpace(c.Query("from")) == "" {
		problems = append(problems, tr(c, "From: enter the first date of the invoices to download."))
	}
	if strings.TrimSpace(c.Query("to")) == "" {
		problems = append(problems, tr(c, "To: enter the last date of the invoices to download."))
	}
	if len(problems) > 0 {
		s.renderInvoices(c, http.StatusBadRequest, p, problems)
		return
	}
	ctx, release, ok := s.startExport(c)
	if !ok {
		return
	}
	defer release()
	rows, err := in.svc.InvoicesForZip(ctx, vw, p, portal.MaxZipInvoices)
	var pe *portal.Error
	switch {
	case errors.As(err, &pe) && pe.Kind == portal.KindInvalid:
		s.renderInvoices(c, http.StatusBadRequest, p, []string{refusal(c, pe)})
		return
	case err != nil:
		s.fail(c, err)
		return
	case len(rows) == 0:
		s.renderInvoices(c, http.StatusOK, p, []string{"No invoices match these dates and filters, so there is nothing to download."})
		return
	}
	name := fmt.Sprintf("Invoices %s to %s.zip", fmtDate(p.From), fmtDate(p.To))
	c.Header("Content-Type", "application/zip")
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	c.Header("Cache-Control", "private, no-store")
	c.Status(http.StatusOK)
	zw := zip.NewWriter(c.Writer)
	used := map[string]int{}
	var missing []string
	err = in.svc.EachInvoicePDF(ctx, rows, func(r portal.InvoiceRow, pdf []byte, ferr error) error {
		if ferr != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			s.log.Warn("invoice printout for a ZIP failed", append(zapErr(c, ferr), zap.String("invoice", r.Number))...)
			missing = append(missing, r.Number)
			return nil
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: uniqueName(used, portal.InvoiceFileName(r.Number)), Method: zip.Deflate, Modified: r.Date})
		if err != nil {
			return err
		}
		if _, err := w.Write(pdf); err != nil {
			return err
		}
		if err := zw.Flush(); err != nil {
			return err
		}
		c.Writer.Flush()
		return nil
	})
	if err != nil {
		// The archive is left unfinished on purpose: the browser reports a failed download
		// rather than saving a ZIP that silently lacks invoices.
		s.log.Warn("invoices ZIP stopped", zapErr(c, err)...)
		return
	}
	if len(missing) > 0 {
		w, err := zw.Create("Not included.txt")
		if err == nil {
			_, _ = fmt.Fprintf(w, "The ERP system did not deliver the PDFs of these invoices, so they are not in this ZIP.\r\n"+
				"Try again later, or download them one by one from their pages:\r\n\r\n%s\r\n", strings.Join(missing, "\r\n"))
		}
	}
	if err := zw.Close(); err != nil {
		s.log.Warn("invoices ZIP not finished", zapErr(c, err)...)
	}
}

// uniqueName returns name, or "name (2).ext" and so on when a file of that name is already in
// the archive (two invoices may share a number across document types).
func uniqueName(used map[string]int, name string) string {
	used[name]++
	if n := used[name]; n > 1 {
		ext := ""
		if i := strings.LastIndexByte(name, '.'); i > 0 {
			name, ext = name[:i], name[i:]
		}
		return uniqueName(used, fmt.Sprintf("%s (%d)%s", name, n, ext))
	}
	return name
}
