package bench

import (
	"fmt"
	"net/http"
	"testing"
)

// sessions is how many signed-in browsers drive the concurrent benchmarks.
const sessions = 64

// BenchmarkWarmPages64 measures warm pages under 64 concurrent sessions (64 signed-in browsers,
// each on its own goroutine and keep-alive connection, Owners, Admins and Billing people of the
// main customer in turn). Each page is measured against a bare Gin handler writing the same bytes
// (the first session's copy of the page), driven the same way in the same run, over HTTP on
// loopback as in BenchmarkOrders10k. It reports throughput and its ratio to the bare handler,
// p50/p99 latency of both, allocations per request of the whole round trip (client and server,
// from the framework) and of the portal's handler alone (in-process).
func BenchmarkWarmPages64(b *testing.B) {
	r := sharedRig(b)
	clients := r.sessionClients(b, sessions)
	sum := newTable(fmt.Sprintf("Warm pages, %d concurrent sessions, over HTTP on loopback", sessions),
		"page", "bytes", "req/s", "bare req/s", "vs bare", "p50 / p99", "bare p50 / p99", "server allocs/req")
	defer sum.print()
	for _, pg := range pages {
		if !pg.Throughput {
			continue
		}
		path := r.resolve(b, pg.Path)
		target := r.PortalURL + path
		status, body := fetch(b, clients[0], target)
		if status != http.StatusOK {
			sum.note("%s: answers %d, not measured", pg.Name, status)
			continue
		}
		// Every session opens the page once, so what follows is warm for all of them.
		for _, cl := range clients {
			if err := getDiscard(cl, target); err != nil {
				b.Fatal(err)
			}
		}
		bareURL, bare := bareServer(b, path, body)
		cookie := r.cookieHeader(b, clients[0])
		b.Run(pg.Name, func(b *testing.B) {
			b.ReportAllocs()
			b.ResetTimer()
			var res result
			u := r.calls(func() { res = drive(b, clients, target, b.N, sessions) })
			b.StopTimer()
			base := drive(b, clients, bareURL+path, b.N, sessions)
			ratio := res.perSecond() / base.perSecond()
			serverAllocs := testing.AllocsPerRun(100, func() { inProcess(b, r.Server, target, cookie, 1) })
			bareAllocs := testing.AllocsPerRun(100, func() { inProcess(b, bare, target, cookie, 1) })
			calls, _ := u.perView(b.N)
			b.ReportMetric(res.perSecond(), "req/s")
			b.ReportMetric(base.perSecond(), "bare-req/s")
			b.ReportMetric(ratio, "x-bare")
			b.ReportMetric(float64(res.pct(0.5).Microseconds()), "p50-µs")
			b.ReportMetric(float64(res.pct(0.99).Microseconds()), "p99-µs")
			b.ReportMetric(serverAllocs, "server-allocs/req")
			b.ReportMetric(calls, "upstream-calls/view")
			sum.set(pg.Name, fmt.Sprint(len(body)), fmt.Sprintf("%.0f", res.perSecond()), fmt.Sprintf("%.0f", base.perSecond()),
				fmt.Sprintf("%.2f", ratio), micros(res.pct(0.5))+" / "+micros(res.pct(0.99)), micros(base.pct(0.5))+" / "+micros(base.pct(0.99)),
				fmt.Sprintf("%.0f (bare %.0f)", serverAllocs, bareAllocs))
		})
	}
	sum.note("server allocs/req: through ServeHTTP in-process, the test's own request included (as for bare)")
}
