package web

import "github.com/clientcenter/clientcenter/internal/portal"

// StatementView is the page "GET /:cc/statement": the period's form and the statement of account.
type StatementView struct {
	// From and To are the dates as typed (or the defaults), kept when they are wrong.
	From, To  string
	Problems  []string
	Statement *portal.Statement // nil when the period could not be read
	// CSVHref and PDFHref download the same statement.
	CSVHref, PDFHref string
	// Billing links each invoice to its page.
	Links bool
}

// statementKind is the badge class of a movement.
func statementKind(kind string) string {
	switch kind {
	case portal.MovePayment, portal.MoveCreditNote:
		return "ok"
	case portal.MoveAdvance:
		return "due"
	}
	return "plain"
}

// inFavour is what is open in the customer's favour as the amounts the supplier owes back.
func inFavour(credits []portal.Money) []portal.Money {
	out := make([]portal.Money, len(credits))
	for i, m := range credits {
		out[i] = portal.Money{Value: -m.Value, Currency: m.Currency}
	}
	return out
}
