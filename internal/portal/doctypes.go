package portal

import (
	"context"
	"strings"
	"sync"

	"github.com/google/uuid"

	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// docTypeIDs maps the document types the settings name to their Ids. Like the vendor's, the
// settings hold Ids; a code is accepted too and resolved once, by one read of the order and
// invoice document types (Code has no "in" filter, EntityName has).
type docTypeIDs struct {
	mu       sync.RWMutex
	resolved bool
	byCode   map[string]string // lower-case code → Id
}

// id is the Id a setting names: the setting itself when it is a GUID, else the Id of that code.
func (d *docTypeIDs) id(setting string) (string, bool) {
	setting = strings.TrimSpace(setting)
	if id, err := uuid.Parse(setting); err == nil {
		return id.String(), true
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	id, ok := d.byCode[strings.ToLower(setting)]
	return id, ok
}

// allows reports whether a document type is one the settings name, by Id or by code.
func (d *docTypeIDs) allows(settings []string, dt *erpnet.DocumentType) bool {
	if dt == nil {
		return false
	}
	for _, v := range settings {
		if id, ok := d.id(v); ok && strings.EqualFold(id, dt.ID) || strings.EqualFold(strings.TrimSpace(v), dt.Code) {
			return true
		}
	}
	return false
}

// resolveDocTypes reads the codes of the order and invoice document types once, when a setting
// names one by code. A failure is retried on the next request.
func (s *Service) resolveDocTypes(ctx context.Context) error {
	s.docTypes.mu.RLock()
	done := s.docTypes.resolved
	s.docTypes.mu.RUnlock()
	if done {
		return nil
	}
	needed := false
	for _, v := range append(append([]string{s.inst.NewOrderDocumentType}, s.inst.OrderDocumentTypes...), s.inst.InvoiceDocumentTypes...) {
		if _, err := uuid.Parse(strings.TrimSpace(v)); strings.TrimSpace(v) != "" && err != nil {
			needed = true
		}
	}
	byCode := map[string]string{}
	if needed {
		var rows []erpnet.DocumentType
		q := erpnet.From(erpnet.SetDocumentTypes).Where(erpnet.In("EntityName", erpnet.Str("SalesOrders"), erpnet.Str("Invoices"))).
			Select("Id", "Code", "EntityName")
		if err := s.erp.ListAll(ctx, q, &rows); err != nil {
			return err
		}
		for _, r := range rows {
			byCode[strings.ToLower(r.Code)] = strings.ToLower(r.ID)
		}
	}
	s.docTypes.mu.Lock()
	s.docTypes.resolved, s.docTypes.byCode = true, byCode
	s.docTypes.mu.Unlock()
	return nil
}
