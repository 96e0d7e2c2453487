package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"

	"github.com/gin-gonic/gin"
)

// orderIDKey derives the key that signs New Order ids from the session's hash key, so that a
// signature made for one purpose is never valid for another.
func orderIDKey(hashKey []byte) []byte {
	m := hmac.New(sha256.New, hashKey)
	m.Write([]byte("client-center new order id"))
	return m.Sum(nil)
}

// orderIDSig signs a New Order id for the customer and person it was issued to: the form can
// then only place an order under an id the portal chose, never probe for other documents' ids.
func (s *Server) orderIDSig(c *gin.Context, id string) string {
	vw := viewerOf(c)
	m := hmac.New(sha256.New, s.orderKey)
	m.Write([]byte(strings.ToLower(id) + "\x00" + strings.ToLower(vw.Current.CustomerID) + "\x00" + strings.ToLower(vw.UserID)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// issuedOrderID tells whether the posted id is one the portal issued to this person and customer.
func (s *Server) issuedOrderID(c *gin.Context, id string) bool {
	return hmac.Equal([]byte(c.PostForm("id_sig")), []byte(s.orderIDSig(c, id)))
}

// draftOrderSig signs the Erp.Net Id of a form's draft with the form's id, for the same person
// and customer: a form can then only save into the draft the portal told it of.
func (s *Server) draftOrderSig(c *gin.Context, formID, orderID string) string {
	if orderID == "" {
		return ""
	}
	return s.orderIDSig(c, "draft order\x00"+strings.ToLower(formID)+"\x00"+strings.ToLower(orderID))
}
