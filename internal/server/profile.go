package server

import (
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/portal"
	"github.com/clientcenter/clientcenter/web"
)

// showProfile handles "GET /:cc/profile": the customer's company, addresses and, for Billing and
// above, the files shared with the customer.
func (s *Server) showProfile(c *gin.Context) {
	in := instanceOf(c)
	vw := viewerOf(c)
	p, err := in.svc.Profile(c.Request.Context(), vw, in.svc.Shows(vw).Files)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.show(c, http.StatusOK, web.Profile(s.page(c, "Customer profile"), p))
}

// downloadFile handles "GET /:cc/profile/files/:id": a file shared with the customer. Files of
// other objects, or not marked External, are 404.
func (s *Server) downloadFile(c *gin.Context) {
	f, err := instanceOf(c).svc.File(c.Request.Context(), viewerOf(c), c.Param("id"))
	s.sendFile(c, f, err)
}

// sendFile sends a shared file as a download, never shown inline: its type is the tenant's
// claim, and nothing uploaded into Erp.Net runs in the portal's origin.
func (s *Server) sendFile(c *gin.Context, f portal.File, err error) {
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, f.MediaType, f.Content)
}
