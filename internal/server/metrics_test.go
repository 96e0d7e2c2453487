package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

func TestMetrics(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Configure: func(c *config.Config) { c.Metrics.Token = "s3cret-metrics" }})
	b, _ := env.SignIn(t, "cc", "prices@orbis.example")
	b.Get("/cc/orders")
	b.Get("/cc/orders")
	if p := b.Get("/metrics"); p.Status != http.StatusUnauthorized {
		t.Fatalf("/metrics without the token: %s", p)
	}
	req, _ := http.NewRequest(http.MethodGet, env.PortalURL+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer s3cret-metrics")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body strings.Builder
	b2, _ := io.ReadAll(resp.Body)
	body.Write(b2)
	for _, want := range []string{
		`clientcenter_http_requests_total{method="GET",route="/cc/orders",status="200"} 2`,
		`clientcenter_signins_total 1`,
		`clientcenter_erpnet_requests_total{status="200"}`,
		`clientcenter_cache_hits_total`,
		`clientcenter_http_request_duration_seconds_bucket{route="/cc/orders"`,
	} {
		if !strings.Contains(body.String(), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(body.String(), "orders/") && strings.Contains(body.String(), `route="/cc/orders/0`) {
		t.Errorf("a raw path with an id became a label")
	}
}
