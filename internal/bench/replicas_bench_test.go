package bench

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/internal/testenv"
)

// BenchmarkReplicas puts three replicas sharing a real redis-server beside one process with its
// cache in memory (and, to show why Redis is there, three replicas without it), the main
// customer's Owner viewing list pages:
//
//   - cold: a page no replica has seen, viewed once on every replica in turn (as a load balancer
//     sends a person's requests): the calls to Erp.Net that make;
//   - warm: the same page again and again over the replicas: the time per view.
func BenchmarkReplicas(b *testing.B) {
	redis := testenv.StartRedis(b)
	sum := newTable("Replicas: one process in memory, three on Redis", "setup / page", "cold: Erp.Net calls, a view on each replica", "warm µs/view")
	defer sum.print()
	for _, setup := range []struct {
		name  string
		n     int
		redis string
	}{{"one process, in memory", 1, ""}, {"three replicas, no Redis", 3, ""}, {"three replicas, Redis", 3, redis.URL()}} {
		envs, up := testenv.NewReplicas(b, setup.n, setup.redis, testenv.Options{Quiet: true})
		first, _ := envs[0].SignIn(b, "cc", "owner@orbis.example")
		var browsers []*testenv.Browser
		for _, e := range envs {
			browsers = append(browsers, first.On(e))
		}
		for _, pg := range []struct{ name, path, set string }{
			{"Orders", "/cc/orders?q=", "Crm_Sales_SalesOrders"},
			{"Invoices", "/cc/invoices?q=", "Crm_Invoicing_Invoices"},
		} {
			b.Run(setup.name+"/"+pg.name, func(b *testing.B) {
				calls := 0
				for i := range b.N {
					path := pg.path + strconv.Itoa(1000+i)
					before := up.Calls(pg.set)
					for _, br := range browsers {
						if p := br.Get(path); p.Status != 200 {
							b.Fatalf("%s: %s", path, p)
						}
					}
					calls += up.Calls(pg.set) - before
				}
				perPage := float64(calls) / float64(b.N)
				path := pg.path + "warm"
				for _, br := range browsers {
					br.Get(path)
				}
				const views = 300
				start := time.Now()
				for i := range views {
					browsers[i%len(browsers)].Get(path)
				}
				warm := time.Since(start) / views
				b.ReportMetric(perPage, "cold-calls/page")
				b.ReportMetric(float64(warm.Microseconds()), "warm-µs/view")
				sum.set(setup.name+" / "+pg.name, fmt.Sprintf("%.3g", perPage), strconv.FormatInt(warm.Microseconds(), 10))
			})
		}
	}
	sum.note("cold: a search no replica has seen, viewed once on each replica: one process and three on Redis make the calls of one view; three alone make them three times")
	sum.note("warm: sequential views round robin over the replicas, over HTTP on loopback; with Redis each request also reads the customer's generation and the session's revocations there")
}
