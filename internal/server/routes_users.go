package server

import (
	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/access"
)

// userRoutes registers the User Management routes of an instance. Every one needs Admin or
// above; which user may be changed, and how, the portal's rules decide again on each request.
func (s *Server) userRoutes(p *gin.RouterGroup, in *instance) {
	users := p.Group("/users", s.gate(access.ManageUsers, nil))
	users.GET("", s.showUsers)
	users.POST("", s.addUser)
	users.GET("/:id/edit", s.showEditUser)
	users.POST("/:id", s.updateUser)
	users.GET("/:id/delete", s.confirmRemoveUser)
	users.POST("/:id/delete", s.removeUser)
}
