package server_test

import (
	"os"
	"strings"
	"testing"

	"github.com/clientcenter/clientcenter/internal/testenv"
)

func TestTmpNewOrderShot(t *testing.T) {
	env := newOrderEnv(t, testenv.Options{})
	for _, login := range []string{"prices", "orders"} {
		b, _ := env.SignIn(t, "cc", login+"@orbis.example")
		p := addProductToForm(t, b, b.Get("/cc/orders/new"), "COF-002")
		p = addProductToForm(t, b, p, "HW-001")
		p = b.Post("/cc/orders/new", withForm(orderFormValues(t, p), "q", "bolt", "update", "1"))
		f := withForm(orderFormValues(t, p), "place", "1", "delivery", dayFromToday(-2))
		f["line_qty"] = []string{"2", "0"}
		if login == "orders" {
			f["line_qty"] = []string{"2", "3"}
			f = withForm(f, "update", "1", "delivery", dayFromToday(3))
			f.Del("place")
		}
		p = b.Post("/cc/orders/new", f)
		css, _ := os.ReadFile("../../web/static/app.css")
		body := strings.Replace(p.Body, `<link rel="stylesheet" href="/static/app.css?v=0.1.0">`, "<style>"+string(css)+"</style>", 1)
		os.WriteFile("/tmp/noshot_"+login+".html", []byte(body), 0o644)
	}
}
