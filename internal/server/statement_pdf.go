package server

import (
	"bytes"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/clientcenter/clientcenter/internal/locale"
	"github.com/clientcenter/clientcenter/internal/portal"
)

// statementPDF lays out a statement of account on A4 pages: the tenant's logo (PNG or JPEG; an
// SVG logo is left out, since a PDF cannot embed one as it is) and name, the customer and the
// period, then per currency the movements with their running balance, the closing balance and
// the aging of what is open. The Go fonts, embedded, carry the Cyrillic a Bulgarian statement
// needs.
func (s *Server) statementPDF(c *gin.Context, st *portal.Statement) ([]byte, error) {
	in := instanceOf(c)
	vw := viewerOf(c)
	lang := langOf(c)
	money := func(m portal.Money) string { return locale.Money(lang, m.Value, m.Currency) }
	localeDate := locale.Date
	supplier := in.brand.supplier
	if supplier == "" {
		name, err := in.svc.SupplierName(c.Request.Context(), vw)
		if err != nil {
			return nil, err
		}
		supplier = name
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(in.svc.Now())
	pdf.SetCompression(true)
	pdf.AddUTF8FontFromBytes("go", "", goregular.TTF)
	pdf.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	pdf.SetTitle(tr(c, "Statement of account"), true)
	pdf.SetAuthor(supplier, true)
	pdf.SetMargins(15, 15, 15)
	pdf.SetAutoPageBreak(true, 15)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont("go", "", 8)
		pdf.SetTextColor(110, 110, 110)
		pdf.CellFormat(0, 5, tr(c, "Page %d of %s", pdf.PageNo(), "{nb}"), "", 0, "R", false, 0, "")
	})
	pdf.AddPage()
	top := pdf.GetY()
	if kind := map[string]string{"image/png": "PNG", "image/jpeg": "JPG"}[in.brand.logoType]; kind != "" {
		info := pdf.RegisterImageOptionsReader("logo", fpdf.ImageOptions{ImageType: kind}, strings.NewReader(in.brand.logo))
		if pdf.Ok() && info != nil {
			h := 14.0
			w := h * info.Width() / info.Height()
			pdf.ImageOptions("logo", 15, top, min(w, 60), 0, false, fpdf.ImageOptions{ImageType: kind}, 0, "")
		} else {
			pdf.ClearError() // a logo the PDF cannot read is left out, not the statement
		}
	}
	pdf.SetFont("go", "B", 16)
	pdf.SetXY(80, top)
	pdf.CellFormat(115, 8, tr(c, "Statement of account"), "", 2, "R", false, 0, "")
	pdf.SetFont("go", "", 10)
	pdf.CellFormat(115, 5, supplier, "", 2, "R", false, 0, "")
	pdf.SetY(top + 20)
	pdf.SetFont("go", "B", 11)
	pdf.CellFormat(0, 6, vw.Current.CustomerName+" ("+vw.Current.CustomerNumber+")", "", 1, "L", false, 0, "")
	pdf.SetFont("go", "", 10)
	pdf.MultiCell(0, 5, tr(c, "From %s to %s, in the order things happened.", localeDate(lang, st.From), localeDate(lang, st.To)), "", "L", false)
	if !st.Asked.IsZero() {
		pdf.MultiCell(0, 5, tr(c, "The statement starts on %s: your access reaches back to that day, not to %s. Its opening balance is of what you can see.",
			localeDate(lang, st.From), localeDate(lang, st.Asked)), "", "L", false)
	}
	widths := []float64{22, 26, 30, 22, 27, 27, 26}
	head := []string{tr(c, "Date"), tr(c, "Type"), tr(c, "Number"), tr(c, "Due date"), tr(c, "Debit"), tr(c, "Credit"), tr(c, "Balance")}
	row := func(cells []string, bold bool, fill bool) {
		style := ""
		if bold {
			style = "B"
		}
		pdf.SetFont("go", style, 9)
		for i, t := range cells {
			align := "L"
			if i >= 4 {
				align = "R"
			}
			pdf.CellFormat(widths[i], 6, t, "B", 0, align, fill, 0, "")
		}
		pdf.Ln(-1)
	}
	for _, a := range st.Currencies {
		pdf.Ln(4)
		pdf.SetFont("go", "B", 12)
		pdf.CellFormat(0, 7, a.Currency, "", 1, "L", false, 0, "")
		pdf.SetFillColor(238, 241, 245)
		row(head, true, true)
		row([]string{localeDate(lang, st.From), tr(c, "Opening balance"), "", "", "", "", money(a.Opening)}, false, false)
		for _, l := range a.Lines {
			debit, credit := "", ""
			if l.Debit.Value != 0 {
				debit = money(l.Debit)
			}
			if l.Credit.Value != 0 {
				credit = money(l.Credit)
			}
			row([]string{localeDate(lang, l.Date), tr(c, l.Kind), l.Number, localeDate(lang, l.DueDate), debit, credit, money(l.Balance)}, false, false)
		}
		row([]string{localeDate(lang, st.To), tr(c, "Closing balance"), "", "", money(a.Debits), money(a.Credits), money(a.Closing)}, true, false)
	}
	if len(st.Aging.ByCurrency) > 0 {
		pdf.Ln(6)
		pdf.SetFont("go", "B", 11)
		pdf.CellFormat(0, 6, tr(c, "Open on %s, by age", localeDate(lang, st.Aging.AsOf)), "", 1, "L", false, 0, "")
		for _, a := range st.Aging.ByCurrency {
			pdf.SetFont("go", "", 9)
			for _, b := range a.Buckets {
				pdf.CellFormat(60, 5, tr(c, b.Label), "", 0, "L", false, 0, "")
				pdf.CellFormat(40, 5, money(b.Amount), "", 1, "R", false, 0, "")
			}
			pdf.SetFont("go", "B", 9)
			pdf.CellFormat(60, 5, tr(c, "Total remaining"), "", 0, "L", false, 0, "")
			pdf.CellFormat(40, 5, money(a.Remaining), "", 1, "R", false, 0, "")
			pdf.Ln(2)
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
