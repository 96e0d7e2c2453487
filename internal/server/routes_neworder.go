package server

import (
	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/access"
)

// newOrderRoutes registers the New Order and Order again routes of an instance. The gate's
// feature check answers 404 to everybody while New Order is off: registering the path keeps
// "/orders/new" from falling through to the order page route, whose role gate would answer a
// Basic user 403 and so tell the page exists.
func (s *Server) newOrderRoutes(p *gin.RouterGroup, in *instance) {
	on := func(in *instance) bool { return in.newOrderOn() }
	p.GET("/orders/new", s.gate(access.PlaceOrder, on), s.showNewOrder)
	p.POST("/orders/new", s.gate(access.PlaceOrder, on), s.postNewOrder)
}
