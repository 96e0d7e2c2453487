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
	ID, Name, Size, Notes string
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
		files, err := s.sharedFiles(ctx, v)
		if err != nil {
			return Profile{}, err
		}
		for _, f := range files {
			p.Files = append(p.Files, FileInfo{ID: f.ID, Name: f.FileName, Size: humanSize(f.FileSizeBytes), Notes: f.Notes})
		}
	}
	return p, nil
}

// sharedFiles lists the customer's files marked External; internal files never reach a customer.
func (s *Service) sharedFiles(ctx context.Context, v *Viewer) ([]erpnet.ObjectFile, error) {
	// Files hang on the customer's extensible data object (whose EntityItemId is the customer's
	// Id); ObjectFiles.Object is not a filterable reference, so the object is found first.
	// The object of an entity never changes, so it is reference data, kept past the customer's
	// invalidations: a cold Profile costs the company and the files only.
	objects, err := listAll[erpnet.DataObject](ctx, s, v, "", cache.KindProducts,
		erpnet.From(erpnet.SetDataObjects).Where(erpnet.Eq("EntityItemId", erpnet.GUID(v.Current.CustomerID))).Select("Id", "EntityItemId"))
	if err != nil || len(objects) == 0 {
		return nil, err
	}
	q := erpnet.From(erpnet.SetObjectFiles).Where(
		erpnet.Eq("Object", erpnet.NewRef(erpnet.SetDataObjects, objects[0].ID)),
		erpnet.Eq("AccessPermission", erpnet.Enum("External")),
		// Only embedded files can be handed out: a link would point into the tenant's network.
		erpnet.Eq("ContentLocation", erpnet.Enum("Embedded")),
	).Select("Id", "FileName", "FileSizeBytes", "MediaType", "AccessPermission", "ContentLocation", "Notes", "Object")
	return listAll[erpnet.ObjectFile](ctx, s, v, v.Current.CustomerID, cache.KindProducts, q)
}

// File reads one shared file. A file of another object, or one not marked External, is not found.
func (s *Service) File(ctx context.Context, v *Viewer, id string) (File, error) {
	files, err := s.sharedFiles(ctx, v)
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

func humanSize(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1024*1024:
		return fmt.Sprintf("%.1f KB", float64(n)/1024)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1024/1024)
}
