package server

import "github.com/gin-gonic/gin"

// invoiceRoutes registers the Invoices (list, page, PDF, ZIP of PDFs) routes of an instance.
func (s *Server) invoiceRoutes(p *gin.RouterGroup, in *instance) {}
