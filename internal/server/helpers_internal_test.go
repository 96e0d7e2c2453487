package server

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"go.uber.org/zap"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/access"
	"github.com/clientcenter/clientcenter/internal/portal"
)

// testServer is a portal whose Erp.Net is never reached: enough to draw pages from given data.
func testServer(t *testing.T) *Server {
	t.Helper()
	cfg := config.Defaults()
	key := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
	cfg.PublicURL = "http://portal.test"
	cfg.Session.HashKey, cfg.Session.BlockKey = config.Secret(key), config.Secret(key)
	cfg.ErpNet.InstanceURL, cfg.ErpNet.ClientID, cfg.ErpNet.ClientSecret = "http://127.0.0.1:1", "id", "secret"
	in := config.DefaultInstance()
	in.Name, in.Title, in.EnterpriseCompany = "cc", "Client Center", "ORBIS"
	cfg.Instances = []config.Instance{in}
	s, err := NewServer(Deps{Config: &cfg, Logger: zap.NewNop(), Now: func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// ordersContext is a request for the Orders page as a person of the given role sees it, and
// what it answers.
func ordersContext(s *Server, uri, cols, requestID string, role access.Role) (*gin.Context, *httptest.ResponseRecorder) {
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(http.MethodGet, uri, nil)
	if cols != "" {
		c.Request.AddCookie(&http.Cookie{Name: colsCookie(s.instances[0], "orders"), Value: cols})
	}
	c.Set(requestIDKey, requestID)
	c.Set(instanceKey, s.instances[0])
	vw := &portal.Viewer{UserID: "u1", Login: "ann@example.com", Name: "Ann <b>",
		Accesses: []portal.Access{{CustomerID: "c1", CustomerName: `Acme "&" Co`, CustomerNumber: "C-1", Role: role}}}
	vw.Current = &vw.Accesses[0]
	c.Set(viewerKey, vw)
	return c, w
}
