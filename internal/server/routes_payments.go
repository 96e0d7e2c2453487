package server

import "github.com/gin-gonic/gin"

// paymentRoutes registers the Due Payments and Payment History routes of an instance.
func (s *Server) paymentRoutes(p *gin.RouterGroup, in *instance) {}
