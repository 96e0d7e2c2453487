package server

import (
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/locale"
	"github.com/clientcenter/clientcenter/internal/portal"
	"github.com/clientcenter/clientcenter/web"
)

// statementPeriod reads the statement's period from the query (from, to, as the person's
// language writes dates), by default from the first of the month three months back to today.
// Each wrong date is a problem naming its field; the typed text is kept.
func (s *Server) statementPeriod(c *gin.Context) (from, to time.Time, fromText, toText string, problems []string) {
	in := instanceOf(c)
	lang := langOf(c)
	today := in.svc.Today()
	from = time.Date(today.Year(), today.Month()-3, 1, 0, 0, 0, 0, time.UTC)
	to = today
	fromText, toText = c.Query("from"), c.Query("to")
	if fromText != "" {
		if d, err := locale.ParseDate(lang, fromText); err == nil {
			from = d
		} else {
			problems = append(problems, tr(c, "From: “%s” is not a date; write it as %s.", fromText, locale.DateHint(lang)))
		}
	} else {
		fromText = locale.Date(lang, from)
	}
	if toText != "" {
		if d, err := locale.ParseDate(lang, toText); err == nil {
			to = d
		} else {
			problems = append(problems, tr(c, "To: “%s” is not a date; write it as %s.", toText, locale.DateHint(lang)))
		}
	} else {
		toText = locale.Date(lang, to)
	}
	return from, to, fromText, toText, problems
}

// statement reads the statement of the query's period; a period that cannot be made is a
// problem for the page, not a failure.
func (s *Server) statement(c *gin.Context) (*portal.Statement, web.StatementView, error) {
	from, to, fromText, toText, problems := s.statementPeriod(c)
	v := web.StatementView{From: fromText, To: toText, Problems: problems}
	if len(problems) > 0 {
		return nil, v, nil
	}
	st, err := instanceOf(c).svc.Statement(c.Request.Context(), viewerOf(c), from, to)
	var pe *portal.Error
	if errors.As(err, &pe) && pe.Kind == portal.KindInvalid {
		v.Problems = append(v.Problems, refusal(c, pe))
		return nil, v, nil
	}
	if err != nil {
		return nil, v, err
	}
	return &st, v, nil
}

// statementFile is the statement a CSV or PDF is made of; false when the request is answered
// already: wrong dates go to the statement's page, which says which, with what was typed.
func (s *Server) statementFile(c *gin.Context) (*portal.Statement, bool) {
	st, _, err := s.statement(c)
	switch {
	case err != nil:
		s.fail(c, err)
	case st == nil:
		redirectSeeOther(c, instanceOf(c).base+"/statement?"+c.Request.URL.RawQuery)
	}
	return st, err == nil && st != nil
}

// showStatement handles "GET /:cc/statement": the statement of account for a period, with its
// CSV and PDF.
func (s *Server) showStatement(c *gin.Context) {
	in := instanceOf(c)
	st, v, err := s.statement(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	status := http.StatusOK
	if len(v.Problems) > 0 {
		status = http.StatusBadRequest
	}
	q := url.Values{"from": {v.From}, "to": {v.To}}.Encode()
	v.Statement, v.CSVHref, v.PDFHref, v.Links = st, in.base+"/statement.csv?"+q, in.base+"/statement.pdf?"+q, true
	s.show(c, status, web.Statement(s.page(c, "Statement of account"), v))
}

// exportStatement handles "GET /:cc/statement.csv": the same statement, a row per movement with
// the opening and closing balances, amounts as numbers in the language's decimal mark.
func (s *Server) exportStatement(c *gin.Context) {
	st, ok := s.statementFile(c)
	if !ok {
		return
	}
	lang := langOf(c)
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="statement-%s-%s.csv"`, st.From.Format(time.DateOnly), st.To.Format(time.DateOnly)))
	c.Header("Cache-Control", "private, no-store")
	c.Status(http.StatusOK)
	_, _ = c.Writer.WriteString("\ufeff")
	w := csv.NewWriter(c.Writer)
	w.Comma = locale.ListSeparator(lang)
	num := func(m portal.Money) string {
		if m.Value == 0 {
			return ""
		}
		return locale.Plain(lang, m.Value, 2)
	}
	_ = w.Write([]string{tr(c, "Currency"), tr(c, "Date"), tr(c, "Type"), tr(c, "Number"), tr(c, "Due date"), tr(c, "Debit"), tr(c, "Credit"), tr(c, "Balance")})
	for _, a := range st.Currencies {
		_ = w.Write([]string{a.Currency, fmtDate(st.From), tr(c, "Opening balance"), "", "", "", "", locale.Plain(lang, a.Opening.Value, 2)})
		for _, l := range a.Lines {
			_ = w.Write([]string{a.Currency, fmtDate(l.Date), tr(c, l.Kind), csvText(l.Number), fmtDate(l.DueDate), num(l.Debit), num(l.Credit), locale.Plain(lang, l.Balance.Value, 2)})
		}
		_ = w.Write([]string{a.Currency, fmtDate(st.To), tr(c, "Closing balance"), "", "", num(a.Debits), num(a.Credits), locale.Plain(lang, a.Closing.Value, 2)})
	}
	w.Flush()
}

// showStatementPDF handles "GET /:cc/statement.pdf": the same statement as a PDF with the
// tenant's name and logo.
func (s *Server) showStatementPDF(c *gin.Context) {
	st, ok := s.statementFile(c)
	if !ok {
		return
	}
	data, err := s.statementPDF(c, st)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="statement-%s-%s.pdf"`, st.From.Format(time.DateOnly), st.To.Format(time.DateOnly)))
	c.Header("Content-Security-Policy", "frame-ancestors 'self'")
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, "application/pdf", data)
}
