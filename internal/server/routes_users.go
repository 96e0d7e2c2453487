package server

import "github.com/gin-gonic/gin"

// userRoutes registers the User Management routes of an instance.
func (s *Server) userRoutes(p *gin.RouterGroup, in *instance) {}
