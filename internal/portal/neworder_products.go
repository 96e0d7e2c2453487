package portal

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"

	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// ProductChoice is a product the New Order picker offers. Price is nil when the viewer's role
// hides prices or no estimate can be made.
type ProductChoice struct {
	ID, PartNumber, Name, Unit string
	Price                      *Money
	// TimesOrdered counts the customer's past orders with the product (0 when hidden or never).
	TimesOrdered int
}

// Bounds of the picker: a search finds, it does not list the catalogue.
const (
	maxSearchResults   = 50
	maxCustomerChoices = 20
	maxCatalogueFirst  = 20
)

// productQuery reads what New Order needs of products: enough to offer, check and price them.
func productQuery() erpnet.Query {
	return erpnet.From(erpnet.SetProducts).
		Select("Id", "PartNumber", "Name", "Active", "StandardPricePerLot", "StandardLotSizeBase").
		Expand("MeasurementUnit", erpnet.Query{}.Select("Id", "Code"))
}

// productsByID reads products by id, active or not (so a line can say its product is no longer
// sold), keyed by lower-case id. The ids are sorted first, so the same set of lines hits the
// same cache entry whether the form is shown or placed.
func (s *Service) productsByID(ctx context.Context, v *Viewer, ids []string) (map[string]erpnet.Product, error) {
	var keys []string
	for _, id := range ids {
		if validID(id) {
			keys = append(keys, strings.ToLower(id))
		}
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	out := make(map[string]erpnet.Product, len(keys))
	for chunk := range slices.Chunk(keys, 50) {
		lits := make([]erpnet.Literal, len(chunk))
		for i, id := range chunk {
			lits[i] = erpnet.GUID(id)
		}
		rows, err := listAll[erpnet.Product](ctx, s, v, "", cache.KindProducts, productQuery().Where(erpnet.In("Id", lits...)))
		if err != nil {
			return nil, err
		}
		for _, p := range rows {
			out[strings.ToLower(p.ID)] = p
		}
	}
	return out, nil
}

// searchProducts finds active products whose part number or name contains term: one query per
// field, since Erp.Net has no `or`, united in part-number order.
func (s *Service) searchProducts(ctx context.Context, v *Viewer, term string) ([]erpnet.Product, error) {
	active := erpnet.Eq("Active", erpnet.Bool(true))
	var out []erpnet.Product
	seen := map[string]bool{}
	for _, field := range []string{"PartNumber", "Name"} {
		q := productQuery().Where(active, erpnet.Contains(field, term)).OrderBy("PartNumber", false).Top(maxSearchResults)
		rows, err := listAll[erpnet.Product](ctx, s, v, "", cache.KindProducts, q)
		if err != nil {
			return nil, err
		}
		for _, p := range rows {
			if !seen[p.ID] {
				seen[p.ID] = true
				out = append(out, p)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b erpnet.Product) int { return cmp.Compare(a.PartNumber, b.PartNumber) })
	return out[:min(len(out), maxSearchResults)], nil
}

// catalogueFirst is the start of the active catalogue, offered when there is nothing better.
func (s *Service) catalogueFirst(ctx context.Context, v *Viewer) ([]erpnet.Product, error) {
	q := productQuery().Where(erpnet.Eq("Active", erpnet.Bool(true))).OrderBy("PartNumber", false).Top(maxCatalogueFirst)
	return listAll[erpnet.Product](ctx, s, v, "", cache.KindProducts, q)
}

// recentLines is how many of the customer's latest order lines rank its products.
const recentLines = 1000

// productCount is how many of the customer's orders had a product.
type productCount struct {
	ID    string
	Count int
}

// customerProducts ranks the products on the lines of the customer's latest orders (within the
// viewer's horizon, cancelled orders left out), most ordered first. The ranking is cached for
// the customer, and dropped with the rest of its data when it places an order.
func (s *Service) customerProducts(ctx context.Context, v *Viewer) ([]productCount, error) {
	terms := append(s.documentScope(v, "SalesOrder/"), erpnet.Eq("SalesOrder/Void", erpnet.Bool(false)))
	// The most recent lines only (one page): a customer with years of orders is ranked by what it
	// orders now, and the picker costs one call to Erp.Net however long the history.
	q := erpnet.From(erpnet.SetSalesOrderLines).Where(terms...).Select("Product", "SalesOrder").
		OrderBy("SalesOrder/DocumentDate", true).Top(recentLines)
	return cached(ctx, s, v, v.Current.CustomerID, cache.KindLists, "customer-products:"+q.String(), func(ctx context.Context) ([]productCount, error) {
		var lines []struct {
			Product    erpnet.Ref `json:"Product"`
			SalesOrder erpnet.Ref `json:"SalesOrder"`
		}
		if _, err := s.erp.ListPage(ctx, q, &lines); err != nil {
			return nil, err
		}
		orders := map[string]map[string]bool{} // product → the orders it was on
		for _, l := range lines {
			if l.Product.ID == "" {
				continue
			}
			if orders[l.Product.ID] == nil {
				orders[l.Product.ID] = map[string]bool{}
			}
			orders[l.Product.ID][l.SalesOrder.ID] = true
		}
		out := make([]productCount, 0, len(orders))
		for id, set := range orders {
			out = append(out, productCount{ID: id, Count: len(set)})
		}
		slices.SortFunc(out, func(a, b productCount) int { return cmp.Or(b.Count-a.Count, cmp.Compare(a.ID, b.ID)) })
		return out, nil
	})
}

// productChoices turns products into picker entries, priced for roles that see prices.
func (s *Service) productChoices(ctx context.Context, v *Viewer, products []erpnet.Product, counts map[string]int, currency string, prices bool) []ProductChoice {
	out := make([]ProductChoice, 0, len(products))
	for _, p := range products {
		c := ProductChoice{ID: p.ID, PartNumber: p.PartNumber, Name: s.text(v, p.Name), Unit: productUnit(p), TimesOrdered: counts[strings.ToLower(p.ID)]}
		if prices {
			c.Price = unitPrice(p, currency)
		}
		out = append(out, c)
	}
	return out
}

func productUnit(p erpnet.Product) string {
	if u := p.MeasurementUnit.Entity; u != nil {
		return u.Code
	}
	return ""
}

// bgnPerEUR is the fixed rate of the lev to the euro.
const bgnPerEUR = 1.95583

// unitPrice estimates the price Erp.Net puts on a new order line, as the simulated instance
// computes it: the product's standard price per lot, in the order's currency (lev and euro
// through their fixed rate). A real instance's price lists, discounts and rounding may differ,
// which is why the page calls it an estimate and, once the order is placed, shows the amounts
// Erp.Net computed. Nil when the product has no price in a currency that converts.
func unitPrice(p erpnet.Product, currency string) *Money {
	std := p.StandardPricePerLot
	if lot := p.StandardLotSizeBase.Value; lot > 0 && lot != 1 {
		std.Value /= lot // the price is of a standard lot, not of one unit
	}
	switch {
	case currency == "" || std.Currency == "":
		return nil
	case std.Currency == currency:
		return &Money{Value: std.Value, Currency: currency}
	case std.Currency == "BGN" && currency == "EUR":
		return &Money{Value: roundCents(std.Value / bgnPerEUR), Currency: currency}
	case std.Currency == "EUR" && currency == "BGN":
		return &Money{Value: roundCents(std.Value * bgnPerEUR), Currency: currency}
	}
	return nil
}

// round2 rounds to the cent, half away from zero, as Erp.Net rounds amounts.
func roundCents(v float64) float64 { return math.Round(v*100) / 100 }
