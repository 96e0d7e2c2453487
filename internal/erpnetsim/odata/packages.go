package odata

import (
	"encoding/json"
	"time"
)

// Promotional packages (tech modules/crm/pricing/promotional-packages): a sales order sells a
// package through a record of its child collection PromotionalPackages
// (Crm_Sales_SalesOrderPromotionalPackages: the package and NumberOfPackages), and carries the
// package's lines as ordinary lines whose PromotionalPackage names it. Inside a front-end
// transaction such a line is priced by its package line: the package's UnitPrice when it has
// one, and the standard discount adjusted as the package line says.
const (
	SetPromotionalPackages      = "Crm_Pricing_PromotionalPackages"
	SetPromotionalPackageLines  = "Crm_Pricing_PromotionalPackageLines"
	SetSalesOrderPackages       = "Crm_Sales_SalesOrderPromotionalPackages"
	orderPackagesCollection     = "PromotionalPackages"
	promotionalPackageReference = "PromotionalPackage"
)

// packageValidFor tells whether package pkg may be sold on order (tech promotional-packages
// concepts/determine-available-promotional-packages.md): active, in its dates on the order's
// required delivery date (else its document date), and each restriction empty or the order's.
// The simulator cannot evaluate a filter expression or a target group, so a package with one is
// never valid here: the stricter reading, since the real server may refuse it too.
func (s *Server) packageValidFor(pkg, order Entity) bool {
	if pkg == nil || pkg["Active"] != true {
		return false
	}
	at, _ := order["RequiredDeliveryDate"].(time.Time)
	if at.IsZero() {
		at, _ = order["DocumentDate"].(time.Time)
	}
	at = day(at)
	if from, ok := pkg["ValidFromDate"].(time.Time); ok && day(from).After(at) {
		return false
	}
	if to, ok := pkg["ValidToDate"].(time.Time); ok && day(to).Before(at) {
		return false
	}
	for _, f := range []string{"ValidForCustomerFilterXML", "ValidForShipToCustomerFilterXML", "ValidForDistributionChannelFilterXML"} {
		if str(pkg[f]) != "" {
			return false
		}
	}
	if refOf(pkg, "ValidForTargetGroup").ID != "" {
		return false
	}
	for pkgRef, orderRef := range map[string]string{"ValidForCustomer": "Customer", "ValidForShipToCustomer": "ShipToCustomer",
		"ValidForDistributionChannel": "DistributionChannel", "ValidForPriceList": "PriceList",
		"EnterpriseCompany": "EnterpriseCompany", "EnterpriseCompanyLocation": "EnterpriseCompanyLocation"} {
		if id := refOf(pkg, pkgRef).ID; id != "" && id != refOf(order, orderRef).ID {
			return false
		}
	}
	return true
}

// addOrderPackages adds the records of a body's PromotionalPackages to the order: each names a
// package valid for the order (the docs mark PromotionalPackage neither required nor nullable; a
// record without one sells nothing, so the simulator refuses it) and a NumberOfPackages of at
// least zero, and takes the next LineNumber unless it has one. The caller holds the write lock.
func (s *Server) addOrderPackages(order Entity, raw []map[string]json.RawMessage) error {
	set := s.store.sets[SetSalesOrderPackages]
	orders := s.store.sets[SetSalesOrders]
	used := map[int64]bool{}
	for _, id := range s.store.children(orders.prop(orderPackagesCollection), str(order["Id"])) {
		used[toInt(s.store.get(SetSalesOrderPackages, id)["LineNumber"])] = true
	}
	for i, body := range raw {
		rec, kids, err := s.decodeProps(set, body)
		switch {
		case err != nil:
			return err
		case len(kids) > 0:
			return bizErr("Promotional package %d: it has no child collections.", i+1)
		}
		if _, ok := rec["Id"]; ok {
			return bizErr("Promotional package %d: the Id of a new record is chosen by the server.", i+1)
		}
		pkg := s.store.Deref(refOf(rec, promotionalPackageReference))
		if pkg == nil {
			return bizErr("Promotional package %d: the field 'PromotionalPackage' is required.", i+1)
		}
		if !s.packageValidFor(pkg, order) {
			return bizErr("The promotional package '%s' is not valid for this document.", str(pkg["Code"]))
		}
		if _, ok := rec["NumberOfPackages"]; !ok {
			return bizErr("Promotional package %d: the field 'NumberOfPackages' is required.", i+1)
		}
		n := toInt(rec["NumberOfPackages"])
		if n < 0 {
			return bizErr("Promotional package '%s': the number of packages cannot be negative.", str(pkg["Code"]))
		}
		ln, ok := rec["LineNumber"].(int64)
		if !ok {
			for ln = 1; used[ln]; ln++ {
			}
		}
		if used[ln] {
			return bizErr("Promotional package line number %d is used already in this document.", ln)
		}
		used[ln] = true
		ref := Ref{Set: SetSalesOrders, ID: str(order["Id"])}
		rec["Id"], rec["LineNumber"], rec["NumberOfPackages"], rec["SalesOrder"], rec["Document"] = newGUID(), ln, n, ref, ref
		if err := s.store.Insert(SetSalesOrderPackages, rec); err != nil {
			return err
		}
	}
	return nil
}

// checkPackageChange applies addOrderPackages' rules to a PATCH of an order's package record: a
// number of packages of at least zero, a package valid for the order, a line number not taken.
func (s *Server) checkPackageChange(rec, upd Entity) error {
	order := s.store.Deref(refOf(rec, "SalesOrder"))
	if n, ok := upd["NumberOfPackages"]; ok && (n == nil || toInt(n) < 0) {
		return bizErr("The number of packages cannot be negative.")
	}
	if r, ok := upd[promotionalPackageReference]; ok {
		ref, _ := r.(Ref)
		if pkg := s.store.Deref(ref); pkg == nil || !s.packageValidFor(pkg, order) {
			return bizErr("The promotional package is not valid for this document.")
		}
	}
	if ln, ok := upd["LineNumber"]; ok {
		orders := s.store.sets[SetSalesOrders]
		for _, id := range s.store.children(orders.prop(orderPackagesCollection), str(order["Id"])) {
			if other := s.store.get(SetSalesOrderPackages, id); id != str(rec["Id"]) && toInt(other["LineNumber"]) == toInt(ln) {
				return bizErr("Promotional package line number %d is used already in this document.", toInt(ln))
			}
		}
	}
	return nil
}

// packageLine is the line of package pkg for product, nil when the package has none: a line of
// an order that names a package must be one of the package's products.
func (s *Server) packageLine(pkg Entity, product string) Entity {
	pkgs := s.store.sets[SetPromotionalPackages]
	for _, id := range s.store.children(pkgs.prop("Lines"), str(pkg["Id"])) {
		if l := s.store.get(SetPromotionalPackageLines, id); refOf(l, "Product").ID == product {
			return l
		}
	}
	return nil
}

// packagePrice prices an order line added from package line pl (tech promotional-packages
// concepts/apply-promotional-packages.md): the package's unit price, in the document currency,
// when it has one, else the standard one; the standard discount (a fraction) replaced by the
// package's percent, added to it, or marked down in cascade.
func packagePrice(pl Entity, standard, discount float64, curCode string) (float64, float64) {
	up := standard
	if p, ok := pl["UnitPrice"].(Amount); ok {
		up = p.Value
		switch {
		case p.Currency == "BGN" && curCode == "EUR":
			up = round2(p.Value / 1.95583)
		case p.Currency == "EUR" && curCode == "BGN":
			up = round2(p.Value * 1.95583)
		}
	}
	adj := toFloat(pl["StandardDiscountPercentAdjust"])
	switch str(pl["StandardDiscountAdjustOrReplace"]) {
	case "Add":
		discount += adj
	case "MarkDown":
		discount = 1 - (1-discount)*(1-adj)
	default: // Replace, the default
		discount = adj
	}
	return up, discount
}

// checkPackagesOnRelease applies the rules of releasing a sales order with promotional packages
// (business rules R28700, R28393, R28919): each line's package has a record on the order; each
// record of a positive number of packages has lines; and each package line's quantity times the
// number of packages is the quantity of the order's line for that product.
func (s *Server) checkPackagesOnRelease(order Entity) error {
	orders := s.store.sets[SetSalesOrders]
	counts := map[string]float64{}
	for _, id := range s.store.children(orders.prop(orderPackagesCollection), str(order["Id"])) {
		rec := s.store.get(SetSalesOrderPackages, id)
		counts[refOf(rec, promotionalPackageReference).ID] += float64(toInt(rec["NumberOfPackages"]))
	}
	qty := map[[2]string]float64{}
	for _, id := range s.store.children(orders.prop("Lines"), str(order["Id"])) {
		ln := s.store.get(SetSalesOrderLines, id)
		pkg := refOf(ln, promotionalPackageReference).ID
		if pkg == "" {
			continue
		}
		if _, ok := counts[pkg]; !ok {
			return bizErr("Line %d belongs to a promotional package that is not in the document's promotional packages.", toInt(ln["LineNo"]))
		}
		q, _ := ln["QuantityBase"].(Quantity)
		qty[[2]string{pkg, refOf(ln, "Product").ID}] += q.Value
	}
	pkgs := s.store.sets[SetPromotionalPackages]
	for pkg, n := range counts {
		if n <= 0 {
			continue
		}
		p := s.store.get(SetPromotionalPackages, pkg)
		for _, id := range s.store.children(pkgs.prop("Lines"), pkg) {
			pl := s.store.get(SetPromotionalPackageLines, id)
			want, _ := pl["Quantity"].(Quantity)
			if got := qty[[2]string{pkg, refOf(pl, "Product").ID}]; round3(got) != round3(want.Value*n) {
				return bizErr("The lines of promotional package '%s' do not match its definition times %g packages.", str(p["Code"]), n)
			}
		}
	}
	return nil
}

func toInt(v any) int64 {
	switch n := v.(type) {
	case int64:
		return n
	case float64:
		return int64(n)
	}
	return 0
}

func round3(v float64) float64 { return float64(int64(v*1000+0.5)) / 1000 }
