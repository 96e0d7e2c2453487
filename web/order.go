package web

import "github.com/clientcenter/clientcenter/internal/portal"

// OrderView is an order's page: its header, lines and what the viewer may do with it.
type OrderView struct {
	Order portal.Order
	// Files are those shared with external users on the order; PDFHref and DownloadURL its
	// printout.
	Files                []portal.FileInfo
	ShowPDF              bool // the printout, which has the prices, is for roles that see them
	PDFHref, DownloadURL string
	Prices               bool // the role sees prices
	CanCancel            bool
	CanReorder           bool
	HideLines            bool
	Messages             ConversationView
}

// OrderCancelView is the confirmation page of cancelling an order: what the person typed, and
// what was wrong with it (translated already).
type OrderCancelView struct {
	Order           portal.Order
	Reason, Problem string
}

// cancelHref is where an order is cancelled: its confirmation page (GET) and the cancel (POST).
func cancelHref(f *Frame, o portal.Order) string { return f.Inst.Base + "/orders/" + o.ID + "/cancel" }

// orderBadge is the badge class of an order's status.
func orderBadge(status string) string {
	switch status {
	case portal.StatusCancelled:
		return "bad"
	case portal.StatusNew:
		return "warn"
	}
	return "ok"
}
