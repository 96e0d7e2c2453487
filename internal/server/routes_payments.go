package server

import (
	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/access"
)

// paymentRoutes registers the Due Payments and Payment History routes of an instance. A CSV
// export is one at a time per session, behind page views (see oneExport).
func (s *Server) paymentRoutes(p *gin.RouterGroup, in *instance) {
	due := p.Group("/due-payments", s.gate(access.ViewDue, nil))
	due.GET("", s.showDuePayments)
	due.POST("/columns", chooseColumns(s, duePaymentsList(in.base)))
	p.GET("/due-payments.csv", s.gate(access.ViewDue, nil), s.oneExport(), s.exportDuePayments)

	payments := p.Group("/payments", s.gate(access.ViewPayments, nil))
	payments.GET("", s.showPayments)
	payments.POST("/columns", chooseColumns(s, paymentsList()))
	p.GET("/payments.csv", s.gate(access.ViewPayments, nil), s.oneExport(), s.exportPayments)
}
