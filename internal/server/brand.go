package server

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/web"
)

// brand is an instance's own look: its logo and colour, served from memory under the instance's
// path (the pages' CSP allows styles and images from the portal only), and its support contact.
type brand struct {
	logo, logoType, logoHash string // logo: the file's bytes
	css, cssHash             string
	supplier                 string
	support                  config.Support
}

// newBrand reads the instance's logo and writes its stylesheet.
func newBrand(ic config.Instance) (brand, error) {
	b := brand{supplier: ic.Supplier, support: ic.Support}
	if ic.Logo != "" {
		data, err := os.ReadFile(ic.Logo)
		if err != nil {
			return b, fmt.Errorf("server: instances %s: logo: %w", ic.Name, err)
		}
		if len(data) > config.MaxLogoSize {
			return b, fmt.Errorf("server: instances %s: logo is over %d KiB", ic.Name, config.MaxLogoSize>>10)
		}
		b.logo, b.logoHash = string(data), digest(data)
		b.logoType = map[string]string{".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}[strings.ToLower(filepath.Ext(ic.Logo))]
	}
	if ic.BrandColor != "" {
		b.css = ":root { --brand: " + ic.BrandColor + "; }\n"
		b.cssHash = digest([]byte(b.css))
	}
	return b, nil
}

func digest(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:6])
}

// frame is what every page of the instance shows of its brand.
func (b brand) frame(base string) web.Brand {
	out := web.Brand{Supplier: b.supplier, SupportEmail: b.support.Email, SupportPhone: b.support.Phone, SupportHours: b.support.Hours}
	if b.logo != "" {
		out.LogoHref = base + "/logo?v=" + b.logoHash
	}
	if b.css != "" {
		out.CSSHref = base + "/brand.css?v=" + b.cssHash
	}
	return out
}

// serveBrand answers "GET /:cc/logo" and "GET /:cc/brand.css": public (sign-in and error pages
// show the brand too), cached for a year under their content hash.
func serveBrand(data, typ string) gin.HandlerFunc {
	return func(c *gin.Context) {
		if data == "" {
			c.Status(http.StatusNotFound)
			return
		}
		c.Header("Cache-Control", "public, max-age=31536000, immutable")
		c.Header("X-Content-Type-Options", "nosniff")
		if typ == "image/svg+xml" {
			// An SVG is shown as an image, never run as a document of the portal's origin.
			c.Header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
		}
		c.Data(http.StatusOK, typ, []byte(data))
	}
}
