package server

import "github.com/gin-gonic/gin"

// newOrderRoutes registers the New Order and Order again routes of an instance.
func (s *Server) newOrderRoutes(p *gin.RouterGroup, in *instance) {}
