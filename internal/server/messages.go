package server

import (
	"errors"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/portal"
	"github.com/clientcenter/clientcenter/web"
)

// conversationOf is the messages of a document with a fresh form, draft and problem as given.
// Messages that cannot be read leave the document's page as it is, saying so in their place.
func (s *Server) conversationOf(c *gin.Context, kind portal.DocKind, docID, action, draft, problem string) (web.ConversationView, error) {
	msgs, err := instanceOf(c).svc.Messages(c.Request.Context(), viewerOf(c), kind, docID)
	v := web.ConversationView{Action: action, DocID: docID, Messages: msgs, Token: randomToken(), Draft: draft, Problem: problem}
	if err != nil && !errors.Is(err, portal.ErrNotFound) {
		s.log.Warn("messages could not be read", zapErr(c, err)...)
		v.Unavailable, err = true, nil
		c.Set(noKeepKey, true) // a page without its messages is not kept
	}
	return v, err
}

// postOrderMessage handles "POST /:cc/orders/:id/messages".
func (s *Server) postOrderMessage(c *gin.Context) {
	s.postMessage(c, portal.DocOrder, "/orders/", func(status int, draft, problem string) { s.renderOrder(c, status, draft, problem) })
}

// postInvoiceMessage handles "POST /:cc/invoices/:id/messages".
func (s *Server) postInvoiceMessage(c *gin.Context) {
	s.postMessage(c, portal.DocInvoice, "/invoices/", func(status int, draft, problem string) { s.renderInvoice(c, status, draft, problem) })
}

// postMessage writes a message on a document and goes back to its conversation; a message that
// cannot be sent shows the page again with what was typed and why.
func (s *Server) postMessage(c *gin.Context, kind portal.DocKind, path string, again func(status int, draft, problem string)) {
	in := instanceOf(c)
	id := c.Param("id")
	text := c.PostForm("text")
	err := in.svc.PostMessage(c.Request.Context(), viewerOf(c), kind, id, c.PostForm("token"), text)
	var pe *portal.Error
	switch {
	case err == nil:
		s.cookies.setFlash(c.Writer, "ok", tr(c, "Your message is sent."))
		redirectSeeOther(c, in.base+path+id+"#messages")
	case errors.As(err, &pe) && (pe.Kind == portal.KindInvalid || pe.Kind == portal.KindTooMany):
		again(statusOf(pe.Kind), text, refusal(c, pe))
	default:
		s.fail(c, err)
	}
}
