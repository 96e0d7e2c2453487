package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/internal/erpnet"
	"github.com/clientcenter/clientcenter/internal/erpnetsim"
)

// The export storm: what one Billing person's parallel exports do to another customer.
const (
	// stormLatency is how long the simulator takes for every answer, as a busy Erp.Net would.
	stormLatency = 50 * time.Millisecond
	// stormExporters are the exports one Billing session keeps asking for at once (ZIPs of
	// invoice PDFs and invoice CSVs, in turn).
	stormExporters = 8
	// stormZipInvoices is about how many invoices (so printouts) one ZIP holds.
	stormZipInvoices = 40
	// stormViews are the other customer's cold page views measured, one after the other.
	stormViews = 10
	// stormBudget bounds the measurement, whatever the waits: views not made by then are not made.
	stormBudget = 90 * time.Second
)

// BenchmarkExportStorm measures the wait of another customer's cold page view (the Orders page of
// the second customer, whose cached data is dropped before each view, as after a write) while a
// Billing person of the main customer keeps eight exports on the go, each started again as soon
// as it ends: ZIPs of about 40 invoice PDFs and CSVs of the invoices. The simulator answers every
// request in 50 ms. A refused export (429) is asked for again after one such latency, as an
// impatient person would.
//
//   - one-session: the eight exports from one browser (one sign-in);
//   - eight-sessions: from eight browsers of the same person, so no export is refused and the
//     wait shows what the lanes toward Erp.Net alone do.
//
// Each reports the views' p50 and p99 (and the same views without the storm, for scale), the
// views that failed, and the exports completed and refused. The run is bounded: ten views per
// sub-benchmark, at most 90 seconds each.
func BenchmarkExportStorm(b *testing.B) {
	r := sharedRig(b)
	viewer := r.browser(b, "mueller@orbis.example")
	second := r.lookupID(b, erpnet.From(erpnet.SetCustomers).Where(erpnet.Eq("Number", erpnet.Str(erpnetsim.SecondCustomerNumber))))
	exports := []string{r.PortalURL + r.zipRange(b), r.PortalURL + "/cc/invoices.csv"}
	view := r.PortalURL + "/cc/orders"
	billing := make([]*http.Client, stormExporters)
	for i := range billing {
		billing[i] = r.browser(b, "billing@orbis.example")
	}
	for _, target := range exports {
		if status, _ := fetch(b, billing[0], target); status != http.StatusOK {
			b.Fatalf("bench: %s answers %d", target, status)
		}
	}
	if status, _ := fetch(b, viewer, view); status != http.StatusOK {
		b.Fatalf("bench: %s answers %d", view, status)
	}
	prev := r.Sim.CurrentFaults()
	r.Sim.SetFaults(erpnetsim.Faults{Latency: stormLatency})
	defer r.Sim.SetFaults(prev)
	sum := newTable(fmt.Sprintf("Another customer's cold page view during an export storm (Erp.Net answers in %v)", stormLatency),
		"exports from", "views", "failed", "p50 / p99", "quiet p50 / p99", "exports done", "refused (429)")
	defer sum.print()

	coldViews := func(n int) (lat []time.Duration, failed int) {
		deadline := time.Now().Add(stormBudget)
		for range n {
			if time.Now().After(deadline) {
				break
			}
			r.Cache.InvalidateCustomer(context.Background(), "cc", second)
			t0 := time.Now()
			if err := getDiscard(viewer, view); err != nil {
				failed++
			}
			lat = append(lat, time.Since(t0))
		}
		slices.Sort(lat)
		return lat, failed
	}
	pct := func(lat []time.Duration, q float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[int(q*float64(len(lat)-1))]
	}
	ms := func(lat []time.Duration) string {
		return pct(lat, 0.5).Round(time.Millisecond).String() + " / " + pct(lat, 0.99).Round(time.Millisecond).String()
	}

	for _, tc := range []struct {
		name    string
		clients []*http.Client
	}{
		{"one-session", billing[:1]},
		{"eight-sessions", billing},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for range b.N {
				quiet, _ := coldViews(3)
				invoiceCalls := r.Sim.Calls(erpnet.SetInvoices)
				ctx, stop := context.WithCancel(context.Background())
				var done, refused atomic.Int64
				var wg sync.WaitGroup
				for g := range stormExporters {
					client := tc.clients[g%len(tc.clients)]
					wg.Go(func() {
						for i := g; ctx.Err() == nil; i++ {
							switch export(ctx, client, exports[i%len(exports)]) {
							case http.StatusOK:
								done.Add(1)
							case http.StatusTooManyRequests:
								refused.Add(1)
								select {
								case <-time.After(stormLatency):
								case <-ctx.Done():
								}
							}
						}
					})
				}
				// The storm is on once the exports' calls reach Erp.Net.
				for r.Sim.Calls(erpnet.SetInvoices) < invoiceCalls+stormExporters {
					time.Sleep(time.Millisecond)
				}
				storm, failed := coldViews(stormViews)
				stop()
				wg.Wait()

				b.ReportMetric(float64(pct(storm, 0.5).Milliseconds()), "p50-ms")
				b.ReportMetric(float64(pct(storm, 0.99).Milliseconds()), "p99-ms")
				b.ReportMetric(float64(pct(quiet, 0.5).Milliseconds()), "quiet-p50-ms")
				b.ReportMetric(float64(failed), "failed-views")
				b.ReportMetric(float64(done.Load()), "exports-done")
				b.ReportMetric(float64(refused.Load()), "exports-refused")
				sum.set(fmt.Sprintf("%d session(s)", len(tc.clients)), fmt.Sprint(len(storm)), fmt.Sprint(failed), ms(storm), ms(quiet),
					fmt.Sprint(done.Load()), fmt.Sprint(refused.Load()))
			}
		})
	}
}

// export downloads one export to the end and returns its status, 0 when it did not finish.
func export(ctx context.Context, client *http.Client, target string) int {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return 0
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return 0
	}
	return resp.StatusCode
}

// browser signs login in and returns a client with its session that follows no redirects.
func (r *rig) browser(b *testing.B, login string) *http.Client {
	b.Helper()
	br, landing := r.SignIn(b, "cc", login)
	if landing.Status != http.StatusOK {
		b.Fatalf("bench: sign-in of %s landed on %s", login, landing)
	}
	return &http.Client{Jar: br.Client.Jar, Transport: r.transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// zipRange is the path of a ZIP of the main customer's latest stormZipInvoices or so invoices.
func (r *rig) zipRange(b *testing.B) string {
	b.Helper()
	var out struct {
		Value []struct {
			DocumentDate string `json:"DocumentDate"`
		} `json:"value"`
	}
	q := erpnet.From(erpnet.SetInvoices).Where(erpnet.Eq("Customer", erpnet.NewRef(erpnet.SetCustomers, r.Customer))).
		OrderBy("DocumentDate", true).Select("DocumentDate").Top(stormZipInvoices)
	r.API(b, q.String(), &out)
	if len(out.Value) < 2 {
		b.Fatal("bench: the main customer has too few invoices for a ZIP")
	}
	day := func(s string) string { return s[:min(len(s), 10)] }
	return "/cc/invoices.zip?" + url.Values{"from": {day(out.Value[len(out.Value)-1].DocumentDate)}, "to": {day(out.Value[0].DocumentDate)}}.Encode()
}
