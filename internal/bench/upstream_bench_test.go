package bench

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/internal/erpnetsim"
)

// concurrentCold is how many requests for one cold page arrive together.
const concurrentCold = 100

// coldLatency slows every simulator answer while the concurrent cold requests run, so that all of
// them are in flight before the first upstream answer can come back.
const coldLatency = 50 * time.Millisecond

// BenchmarkUpstreamCalls counts Erp.Net requests per page view, for every page of the table, as
// the main customer's Owner:
//
//   - cold: the customer's cached data dropped before each view (as a write does); what the
//     sign-in read (token, enterprise company, the person's access records) is still cached;
//   - cold-all-expired: every cache entry past its TTL before each view; only the token is held;
//   - warm: everything the page needs is cached (target 0);
//   - cold-100-concurrent: 100 requests for the page, from sessions of people who see the same
//     data, all in flight at once against a cold cache; singleflight makes it the calls of one
//     cold view (1 for a page that reads one list).
func BenchmarkUpstreamCalls(b *testing.B) {
	r := sharedRig(b)
	clients := r.sessionClients(b, sessions)
	owner := clients[0]
	// Billing people see a year back, so their lists are other queries; the concurrent requests
	// come from the Owners' and Admins' sessions only.
	var same []*http.Client
	for i, cl := range clients {
		if poolLogins[i%len(poolLogins)] != "billing@orbis.example" {
			same = append(same, cl)
		}
	}
	sum := newTable("Erp.Net requests per page view", "page", "cold", "budget", "cold, all expired", "warm",
		fmt.Sprintf("%d concurrent cold", concurrentCold), "read when cold")
	defer sum.print()
	for _, pg := range pages {
		path := r.resolve(b, pg.Path)
		target := r.PortalURL + path
		if status, _ := fetch(b, owner, target); status != http.StatusOK {
			sum.note("%s: answers %d, not measured", pg.Name, status)
			continue
		}
		row := make([]string, 6)
		view := func(b *testing.B) {
			if err := getDiscard(owner, target); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(pg.Name+"/cold", func(b *testing.B) {
			u := r.calls(func() {
				for range b.N {
					r.Cache.InvalidateCustomer(context.Background(), "cc", r.Customer)
					view(b)
				}
			})
			calls, sets := u.perView(b.N)
			b.ReportMetric(calls, "upstream-calls/view")
			row[0], row[5] = fmt.Sprintf("%.3g", calls), sets
			row[1] = strconv.Itoa(pg.Budget)
			if calls > float64(pg.Budget) {
				row[1] += " OVER"
			}
		})
		b.Run(pg.Name+"/cold-all-expired", func(b *testing.B) {
			u := r.calls(func() {
				for range b.N {
					r.CacheClk.Advance(r.longestTTL() + time.Second)
					view(b)
				}
			})
			calls, _ := u.perView(b.N)
			b.ReportMetric(calls, "upstream-calls/view")
			row[2] = fmt.Sprintf("%.3g", calls)
		})
		b.Run(pg.Name+"/warm", func(b *testing.B) {
			view(b)
			u := r.calls(func() {
				for range b.N {
					view(b)
				}
			})
			calls, _ := u.perView(b.N)
			b.ReportMetric(calls, "upstream-calls/view")
			row[3] = fmt.Sprintf("%.3g", calls)
			if calls > 0 {
				row[1] += " (warm OVER)"
			}
		})
		b.Run(pg.Name+"/cold-100-concurrent", func(b *testing.B) {
			// Every session is signed in and has read its access records, so only the page's own
			// data is cold.
			for _, cl := range same {
				if err := getDiscard(cl, target); err != nil {
					b.Fatal(err)
				}
			}
			r.Sim.SetFaults(erpnetsim.Faults{Latency: coldLatency})
			defer r.Sim.SetFaults(erpnetsim.Faults{})
			missesBefore := r.Cache.Stats().Misses
			u := r.calls(func() {
				for range b.N {
					r.Cache.InvalidateCustomer(context.Background(), "cc", r.Customer)
					var wg sync.WaitGroup
					errs := make(chan error, concurrentCold)
					for i := range concurrentCold {
						wg.Go(func() {
							if err := getDiscard(same[i%len(same)], target); err != nil {
								errs <- err
							}
						})
					}
					wg.Wait()
					close(errs)
					for err := range errs {
						b.Fatal(err)
					}
				}
			})
			calls, _ := u.perView(b.N)
			misses := float64(r.Cache.Stats().Misses-missesBefore) / float64(b.N)
			b.ReportMetric(calls, "upstream-calls/100-requests")
			b.ReportMetric(misses, "cache-misses/100-requests")
			row[4] = fmt.Sprintf("%.3g (%.0f callers waited)", calls, misses)
		})
		sum.set(pg.Name, row...)
	}
	sum.note("cold: the customer's data dropped, the sign-in's reads still cached; all expired: every entry past its TTL")
	sum.note("budget: the calls a cold view may make (see page.Budget); the bench customer has over 1,000 open items, so its due listing is two pages")
	sum.note("concurrent: %d requests at once with every answer %v late; callers waited = cache misses, all sharing the fetches", concurrentCold, coldLatency)
}
