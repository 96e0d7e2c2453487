package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/clientcenter/clientcenter/internal/testenv"
)

// An order and an invoice show a Files section with the files shared with external users on
// them, and nothing else: each with its name, type and size, downloadable; an internal file is
// neither listed nor downloadable, whatever its id; another customer cannot reach either; a
// document with no shared file has no section. An order has its PDF, as an invoice does.
func TestDocumentFiles(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	var files struct {
		Value []struct {
			ID               string `json:"Id"`
			FileName         string `json:"FileName"`
			AccessPermission string `json:"AccessPermission"`
			Object           struct {
				ID string `json:"Id"`
			} `json:"Object"`
		} `json:"value"`
	}
	env.API(t, "Systems_Core_ObjectFiles?$select=Id,FileName,AccessPermission,Object&$expand=Object($select=Id)", &files)
	var objects struct {
		Value []struct {
			ID           string `json:"Id"`
			EntityType   string `json:"EntityType"`
			EntityItemID string `json:"EntityItemId"`
		} `json:"value"`
	}
	env.API(t, "Systems_Core_ExtensibleDataObjects?$select=Id,EntityType,EntityItemId", &objects)
	docOf := map[string]string{} // data object → its document's page
	for _, o := range objects.Value {
		switch o.EntityType {
		case "Crm.Sales.SalesOrders":
			docOf[o.ID] = "/cc/orders/" + o.EntityItemID
		case "Crm.Invoicing.Invoices":
			docOf[o.ID] = "/cc/invoices/" + o.EntityItemID
		}
	}
	owner, _ := env.SignIn(t, "cc", "owner@orbis.example")
	other, _ := env.SignIn(t, "cc", "mueller@orbis.example") // the Owner of another customer
	seen := 0
	var docs []string // the documents with files, each once
	for _, d := range docOf {
		docs = append(docs, d)
	}
	for _, f := range files.Value {
		doc, ok := docOf[f.Object.ID]
		if !ok {
			continue
		}
		seen++
		page := owner.Get(doc)
		listed := page.Doc.Find(`[data-files] a[data-file][href="` + doc + `/files/` + f.ID + `"]`)
		dl := owner.Get(doc + "/files/" + f.ID)
		if f.AccessPermission == "External" {
			if listed.Length() != 1 || !strings.Contains(page.Text("[data-files]"), "PDF") {
				t.Errorf("%s: the shared file %q is not listed with its type (%q)", doc, f.FileName, page.Text("[data-files]"))
			}
			if dl.Status != 200 || !strings.HasPrefix(dl.Body, "%PDF") || !strings.Contains(dl.Header.Get("Content-Disposition"), "attachment") {
				t.Errorf("%s: downloading %q: %s %q", doc, f.FileName, dl, dl.Header.Get("Content-Disposition"))
			}
		} else if listed.Length() != 0 || strings.Contains(page.Body, f.FileName) || dl.Status != http.StatusNotFound {
			t.Errorf("%s: the internal file %q is shown or downloadable (%s)", doc, f.FileName, dl)
		}
		if p := other.Get(doc + "/files/" + f.ID); p.Status != http.StatusNotFound {
			t.Errorf("another customer reaches %s's file: %s", doc, p)
		}
		// Through another document's address, a file is not found either.
		for _, d := range docs {
			if d != doc {
				if p := owner.Get(d + "/files/" + f.ID); p.Status != http.StatusNotFound {
					t.Errorf("%s's file %q through %s: %s", doc, f.FileName, d, p)
				}
			}
		}
	}
	if seen < 4 {
		t.Fatalf("%d files on documents in the seed; want a shared and an internal one on an order and on an invoice", seen)
	}
	// A document without files has no section; an order has its printout.
	orders := owner.Get("/cc/orders?sort=number&dir=asc")
	first := orders.Doc.Find("table[data-list=orders] a.row-link").First().AttrOr("href", "")
	if p := owner.Get(first); p.Doc.Find("[data-files]").Length() != 0 {
		t.Errorf("%s: a Files section without files", first)
	}
	if p := owner.Get(first + "/pdf?download=1"); p.Status != 200 || !strings.HasPrefix(p.Body, "%PDF") || !strings.Contains(p.Header.Get("Content-Disposition"), "Order ") {
		t.Errorf("the order's PDF: %s %q", p, p.Header.Get("Content-Disposition"))
	}
	// The printout has the prices: a role that may not see them is neither offered it nor sent it.
	ordersUser, _ := env.SignIn(t, "cc", "orders@orbis.example")
	if p := ordersUser.Get(first); p.Status != 200 || p.Doc.Find("[data-pdf-download]").Length() != 0 {
		t.Errorf("an Orders user is offered the order's PDF: %s", p)
	}
	if p := ordersUser.Get(first + "/pdf?download=1"); p.Status != http.StatusForbidden || strings.HasPrefix(p.Body, "%PDF") {
		t.Errorf("an Orders user got the order's PDF: %s", p)
	}
}
