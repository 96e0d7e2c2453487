package portal

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// Profile is the Customer Profile page.
type Profile struct {
	Name, Number, UIN, VAT, Phone, Email string
	Addresses                            []Address
	ShowFiles                            bool
	Files                                []FileInfo
}

// Address is one address of the customer.
type Address struct{ Label, Text string }

// FileInfo is a file shared with the customer, without its contents.
type FileInfo struct {
	ID, Name, Type, Size, Notes string
}

// File is a shared file with its contents.
type File struct {
	Name, MediaType string
	Content         []byte
}

// Profile reads the customer's company and, when withFiles, the files shared with it (External only).
func (s *Service) Profile(ctx context.Context, v *Viewer, withFiles bool) (Profile, error) {
	cust := v.Current
	// The model does not say that a company's Id is its party's: the company is found by the
	// party's code (required and unique), which Companies inherit from Parties and can be
	// filtered on. Without a code nothing is looked up, so no other company can match.
	var companies []erpnet.Company
	var err error
	if strings.TrimSpace(cust.PartyCode) != "" {
		companies, err = listAll[erpnet.Company](ctx, s, v, cust.CustomerID, cache.KindProducts,
			erpnet.From(erpnet.SetCompanies).Where(erpnet.Eq("PartyCode", erpnet.Str(cust.PartyCode))).Select("default", "Id").
				Expand("Country").Expand("ContactMechanisms"))
	}
	if err != nil {
		return Profile{}, err
	}
	p := Profile{Name: cust.CustomerName, Number: cust.CustomerNumber, ShowFiles: withFiles}
	if len(companies) == 1 {
		c := companies[0]
		p.UIN, p.VAT = c.RegistrationNumber, c.RegistrationVATNumber
		for _, cm := range c.ContactMechanisms {
			switch {
			case !cm.IsActive:
			case cm.ContactMechanismType == "Telephone" || cm.ContactMechanismType == "MobilePhone":
				p.Phone = cmp.Or(p.Phone, cm.Name)
			case cm.ContactMechanismType == "Mail":
				p.Email = cmp.Or(p.Email, cm.Name)
			}
		}
		country := ""
		if ct := c.Country.Entity; ct != nil {
			country = s.text(v, ct.Name)
		}
		var parts []string
		for _, part := range []string{s.text(v, c.RegistrationPrimaryAddress), country} {
			if strings.TrimSpace(part) != "" {
				parts = append(parts, part)
			}
		}
		if len(parts) > 0 {
			p.Addresses = append(p.Addresses, Address{Label: "Registered address", Text: strings.Join(parts, ", ")})
		}
	}
	if withFiles {
		if p.Files, err = s.filesOf(ctx, v, v.Current.CustomerID); err != nil {
			return Profile{}, err
		}
	}
	return p, nil
}

// sharedFiles lists the files of the entity entityID (the customer, or one of its documents the
// viewer may open) that are shared with external users: files whose access permission is
// External and whose content is embedded. Internal files never reach a customer.
func (s *Service) sharedFiles(ctx context.Context, v *Viewer, entityID string) ([]erpnet.ObjectFile, error) {
	// Files hang on the entity's extensible data object (whose EntityItemId is the entity's Id);
	// ObjectFiles.Object is not a filterable reference, so the object is found first. The object
	// of an entity never changes, so it is reference data, kept past the customer's
	// invalidations: a cold page costs the files only, once the object is known.
	objects, err := listAll[erpnet.DataObject](ctx, s, v, "", cache.KindProducts,
		erpnet.From(erpnet.SetDataObjects).Where(erpnet.Eq("EntityItemId", erpnet.GUID(entityID))).Select("Id", "EntityItemId"))
	if err != nil || len(objects) == 0 {
		return nil, err
	}
	q := erpnet.From(erpnet.SetObjectFiles).Where(
		erpnet.Eq("Object", erpnet.NewRef(erpnet.SetDataObjects, objects[0].ID)),
		erpnet.Eq("AccessPermission", erpnet.Enum("External")),
		// Only embedded files can be handed out: a link would point into the tenant's network.
		erpnet.Eq("ContentLocation", erpnet.Enum("Embedded")),
	).Select("Id", "FileName", "FileSizeBytes", "MediaType", "AccessPermission", "ContentLocation", "Notes", "Object")
	return listAll[erpnet.ObjectFile](ctx, s, v, v.Current.CustomerID, cache.KindDocuments, q)
}

// filesOf is what a page lists of the files shared on entityID.
func (s *Service) filesOf(ctx context.Context, v *Viewer, entityID string) ([]FileInfo, error) {
	files, err := s.sharedFiles(ctx, v, entityID)
	var out []FileInfo
	for _, f := range files {
		out = append(out, FileInfo{ID: f.ID, Name: f.FileName, Type: fileType(f.FileName, f.MediaType), Size: humanSize(f.FileSizeBytes), Notes: f.Notes})
	}
	return out, err
}

// File reads one file shared with the customer on its profile.
func (s *Service) File(ctx context.Context, v *Viewer, id string) (File, error) {
	return s.fileOf(ctx, v, v.Current.CustomerID, id)
}

// fileOf reads one file shared on entityID. A file of another object, or one not shared with
// external users, is not found.
func (s *Service) fileOf(ctx context.Context, v *Viewer, entityID, id string) (File, error) {
	files, err := s.sharedFiles(ctx, v, entityID)
	if err != nil {
		return File{}, err
	}
	for _, f := range files {
		if f.ID != strings.ToLower(id) {
			continue
		}
		var full erpnet.ObjectFile
		if err := s.erp.Get(ctx, erpnet.SetObjectFiles, f.ID, erpnet.Query{}.Select("Id", "FileName", "EmbeddedFileContents", "MediaType", "AccessPermission", "ContentLocation", "Object"), &full); err != nil {
			return File{}, err
		}
		// Checked again on the entity itself, in case it changed since the list was cached.
		if full.AccessPermission != "External" || full.Object.ID != f.Object.ID {
			return File{}, ErrNotFound
		}
		mt := full.MediaType
		if mt == "" {
			mt = "application/octet-stream"
		}
		return File{Name: full.FileName, MediaType: mt, Content: full.EmbeddedFileContents}, nil
	}
	return File{}, ErrNotFound
}

// OrderFiles are the files shared on an order the viewer may open.
func (s *Service) OrderFiles(ctx context.Context, v *Viewer, orderID string) ([]FileInfo, error) {
	o, err := s.GetOrder(ctx, v, orderID)
	if err != nil {
		return nil, err
	}
	return s.filesOf(ctx, v, o.ID)
}

// OrderFile is one file shared on an order the viewer may open.
func (s *Service) OrderFile(ctx context.Context, v *Viewer, orderID, fileID string) (File, error) {
	o, err := s.GetOrder(ctx, v, orderID)
	if err != nil {
		return File{}, err
	}
	return s.fileOf(ctx, v, o.ID, fileID)
}

// InvoiceFiles are the files shared on an invoice the viewer may open.
func (s *Service) InvoiceFiles(ctx context.Context, v *Viewer, invoiceID string) ([]FileInfo, error) {
	d, err := s.GetInvoice(ctx, v, invoiceID)
	if err != nil {
		return nil, err
	}
	return s.filesOf(ctx, v, d.ID)
}

// InvoiceFile is one file shared on an invoice the viewer may open.
func (s *Service) InvoiceFile(ctx context.Context, v *Viewer, invoiceID, fileID string) (File, error) {
	d, err := s.GetInvoice(ctx, v, invoiceID)
	if err != nil {
		return File{}, err
	}
	return s.fileOf(ctx, v, d.ID, fileID)
}

// fileType is a file's type as people name it: its extension, else its media type's subtype.
func fileType(name, mediaType string) string {
	if i := strings.LastIndexByte(name, '.'); i > 0 && i < len(name)-1 && len(name)-i <= 6 {
		return strings.ToUpper(name[i+1:])
	}
	if _, sub, ok := strings.Cut(mediaType, "/"); ok {
		return strings.ToUpper(sub)
	}
	return ""
}

func humanSize(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1024*1024:
		return fmt.Sprintf("%.1f KB", float64(n)/1024)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1024/1024)
}
