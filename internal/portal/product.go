package portal

import (
	"context"
	"strings"

	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// ProductInfo is a product's page: what New Order offers of it, with its default picture.
type ProductInfo struct {
	ID, PartNumber, Name, Description, Unit string
	// HasPicture: the product has a default picture (see ProductPicture).
	HasPicture bool
}

// Picture is a product's picture, ready to send.
type Picture struct {
	MediaType string
	Data      []byte
}

type productPicture struct {
	ID      string `json:"Id"`
	Picture []byte `json:"Picture"`
}

// Product reads a product New Order may offer: an active one; any other is not found. The
// catalogue is the same for every customer, so it is kept as reference data.
func (s *Service) Product(ctx context.Context, v *Viewer, id string) (ProductInfo, error) {
	if !validID(id) {
		return ProductInfo{}, ErrNotFound
	}
	p, err := cached(ctx, s, v, "", cache.KindProducts, erpnet.SetProducts+":info:"+strings.ToLower(id), func(ctx context.Context) (erpnet.Product, error) {
		var p erpnet.Product
		err := s.erp.Get(ctx, erpnet.SetProducts, id, erpnet.Query{}.Select("Id", "PartNumber", "Name", "Description", "Active").
			Expand("MeasurementUnit", erpnet.Query{}.Select("Id", "Code", "Name")), &p)
		return p, err
	})
	if erpnet.IsNotFound(err) || err == nil && !p.Active {
		return ProductInfo{}, ErrNotFound
	}
	if err != nil {
		return ProductInfo{}, err
	}
	info := ProductInfo{ID: strings.ToLower(p.ID), PartNumber: p.PartNumber, Name: s.text(v, p.Name), Description: s.text(v, p.Description)}
	if info.Description == info.Name {
		info.Description = ""
	}
	if u := p.MeasurementUnit.Entity; u != nil {
		info.Unit = s.unitName(v, u.Code, u)
	}
	if info.HasPicture, err = s.hasPicture(ctx, v, info.ID); err != nil {
		return ProductInfo{}, err
	}
	return info, nil
}

// ProductPicture is an offered product's default picture; not found when it has none, or when
// it is not an image a browser shows (PNG, JPEG, GIF or WebP).
func (s *Service) ProductPicture(ctx context.Context, v *Viewer, id string) (Picture, error) {
	if _, err := s.Product(ctx, v, id); err != nil {
		return Picture{}, err
	}
	pic, err := s.defaultPicture(ctx, v, strings.ToLower(id))
	if err != nil {
		return Picture{}, err
	}
	if pic == nil || len(pic.Picture) > maxPicture {
		return Picture{}, ErrNotFound
	}
	if mt := imageType(pic.Picture); mt != "" {
		return Picture{MediaType: mt, Data: pic.Picture}, nil
	}
	return Picture{}, ErrNotFound
}

// imageType is the media type of a picture by its first bytes, "" for anything but the images
// browsers show: the type is read from the content, never taken from the tenant's data.
func imageType(b []byte) string {
	s := string(b[:min(len(b), 12)])
	switch {
	case strings.HasPrefix(s, "\x89PNG\r\n\x1a\n"):
		return "image/png"
	case strings.HasPrefix(s, "\xff\xd8\xff"):
		return "image/jpeg"
	case strings.HasPrefix(s, "GIF87a"), strings.HasPrefix(s, "GIF89a"):
		return "image/gif"
	case len(s) == 12 && strings.HasPrefix(s, "RIFF") && s[8:] == "WEBP":
		return "image/webp"
	}
	return ""
}

// maxPicture bounds a product picture the portal hands out; a larger one is not offered.
const maxPicture = 2 << 20

// defaultPictureQuery finds a product's picture marked default.
func defaultPictureQuery(productID string) erpnet.Query {
	return erpnet.From(erpnet.SetProductPictures).Where(erpnet.Eq("Product", erpnet.NewRef(erpnet.SetProducts, productID)), erpnet.Eq("IsDefault", erpnet.Bool(true))).Top(1)
}

// hasPicture tells whether the product has a default picture: its Id only, kept as reference
// data (a picture's bytes are never kept in the data cache, which counts entries, not bytes).
func (s *Service) hasPicture(ctx context.Context, v *Viewer, productID string) (bool, error) {
	q := defaultPictureQuery(productID).Select("Id")
	ids, err := cached(ctx, s, v, "", cache.KindProducts, q.String(), func(ctx context.Context) ([]productPicture, error) {
		var out []productPicture
		_, err := s.erp.ListPage(ctx, q, &out)
		return out, err
	})
	return len(ids) > 0, err
}

// defaultPicture reads the product's default picture with its bytes, uncached (as printouts
// are); nil when it has none.
func (s *Service) defaultPicture(ctx context.Context, _ *Viewer, productID string) (*productPicture, error) {
	var pics []productPicture
	if _, err := s.erp.ListPage(ctx, defaultPictureQuery(productID).Select("Id", "Picture"), &pics); err != nil || len(pics) == 0 {
		return nil, err
	}
	return &pics[0], nil
}
