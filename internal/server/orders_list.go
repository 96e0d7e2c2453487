package server

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/access"
	"github.com/clientcenter/clientcenter/internal/portal"
	"github.com/clientcenter/clientcenter/web"
)

// orderBadges are the badges of the order statuses.
var orderBadges = map[string]string{portal.StatusNew: "warn", portal.StatusOrdered: "ok", portal.StatusCancelled: "bad"}

// ordersList is the Orders list: its columns and who may see which.
func ordersList(base string) *listSpec[portal.OrderRow] {
	statusBadge := func(r portal.OrderRow) string { return orderBadges[r.Status] }
	return &listSpec[portal.OrderRow]{
		Name: "orders", Title: "Orders", Statuses: portal.OrderStatuses, Empty: "No orders match.",
		SearchHint:   "Order or PO number, product name…", // what Erp.Net can filter: DocumentNo, CustomerPurchaseOrderNo, the lines' ProductDescription
		ColumnFilter: portal.OrderColumnFilter,
		Sum: func(r portal.OrderRow) *portal.Money {
			if r.Status == portal.StatusCancelled {
				return nil
			}
			return r.Amount
		},
		Columns: []column[portal.OrderRow]{
			{Key: "date", Group: true, Label: "Date", Default: true, Sortable: true, Date: func(r portal.OrderRow) time.Time { return r.Date.Time() }},
			{Key: "type", Group: true, Label: "Type", Default: true, Text: func(r portal.OrderRow) string { return r.Type }},
			{Key: "number", Label: "Number", Default: true, Sortable: true, Text: func(r portal.OrderRow) string { return r.Number },
				Href: func(r portal.OrderRow) string { return base + "/orders/" + r.ID }},
			{Key: "amount", Label: "Amount", Num: true, Default: true, Needs: access.ViewOrderPrices,
				Money: func(r portal.OrderRow) *portal.Money { return r.Amount }},
			{Key: "status", Group: true, Label: "Status", Default: true, Text: func(r portal.OrderRow) string { return r.Status }, Badge: statusBadge},
			{Key: "net", Label: "Net amount", Num: true, Needs: access.ViewOrderPrices,
				Money: func(r portal.OrderRow) *portal.Money { return r.NetAmount }},
			{Key: "delivery", Group: true, Label: "Required delivery", Date: func(r portal.OrderRow) time.Time { return r.RequiredDelivery.Time() }},
			{Key: "po", Label: "Your PO number", Sortable: true, Text: func(r portal.OrderRow) string { return r.PONumber }},
			{Key: "due", Label: "Payment due", Date: func(r portal.OrderRow) time.Time { return r.PaymentDue.Time() }},
			{Key: "currency", Group: true, Label: "Currency", Text: func(r portal.OrderRow) string { return r.Currency }},
			{Key: "notes", Label: "Notes", Text: func(r portal.OrderRow) string { return r.Notes }},
		},
	}
}

// showOrders handles "GET /:cc/orders".
func (s *Server) showOrders(c *gin.Context) {
	in := instanceOf(c)
	vw := viewerOf(c)
	p, problems := parseListParams(c, in.lists.orders, vw.Current.Role, portal.OrderSortable)
	page, err := in.svc.Orders(c.Request.Context(), vw, p)
	if err != nil {
		s.fail(c, err)
		return
	}
	data := web.OrdersView{List: buildList(c, in.lists.orders, in, vw.Current.Role, p, problems, page)}
	if in.svc.Shows(vw).NewOrder {
		data.NewOrderHref = in.base + "/orders/new"
		data.HasDraft = in.svc.HasDraft(c.Request.Context(), vw)
	}
	s.show(c, http.StatusOK, web.Orders(s.page(c, "Orders"), data))
}

// exportOrders handles "GET /:cc/orders.csv": the list as shown, every page, as CSV.
func (s *Server) exportOrders(c *gin.Context) {
	in := instanceOf(c)
	vw := viewerOf(c)
	p, _ := parseListParams(c, in.lists.orders, vw.Current.Role, portal.OrderSortable)
	err := writeCSV(s, c, in.lists.orders, in, vw.Current.Role, func(fn func(portal.OrderRow) error) error {
		return in.svc.ExportOrders(c.Request.Context(), vw, p, fn)
	})
	if err != nil {
		s.log.Warn("orders export stopped", zapErr(c, err)...)
	}
}
