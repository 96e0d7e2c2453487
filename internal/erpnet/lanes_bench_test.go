package erpnet

import (
	"context"
	"net/http/httptest"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/internal/erpnetsim"
)

// BenchmarkPageViewDuringExportStorm: one customer runs 40 export calls at once (as forty ZIPs
// of invoice PDFs would) while another customer views pages; it reports how long each page
// view's call took, p50 and p99, against a simulator that answers in 20–50 ms. "fifo" marks
// nothing (the old single queue); "lanes" marks the exports Bulk and both callers' fair keys.
func BenchmarkPageViewDuringExportStorm(b *testing.B) {
	modes := []struct {
		name           string
		export, viewer func(context.Context) context.Context
	}{
		{"fifo", func(ctx context.Context) context.Context { return ctx }, func(ctx context.Context) context.Context { return ctx }},
		{"lanes", func(ctx context.Context) context.Context { return WithFairKey(Bulk(ctx), "exporter") },
			func(ctx context.Context) context.Context { return WithFairKey(ctx, "viewer") }},
	}
	for _, m := range modes {
		b.Run(m.name, func(b *testing.B) {
			// The minute's allowances are lifted on both sides: this measures the order of the
			// queue, not the pace.
			sim := erpnetsim.New(erpnetsim.Options{Limits: erpnetsim.Limits{SessionRPM: -1},
				Faults: erpnetsim.Faults{Latency: 20 * time.Millisecond, LatencyJitter: 30 * time.Millisecond}})
			srv := httptest.NewServer(sim)
			defer srv.Close()
			c, err := NewClient(context.Background(), Config{InstanceURL: srv.URL, ClientID: erpnetsim.DemoClientID,
				ClientSecret: erpnetsim.DemoClientSecret, RequestsPerMinute: 1 << 30, Timeout: 10 * time.Minute})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := c.GetVersion(context.Background()); err != nil {
				b.Fatal(err)
			}

			ctx, stop := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			const exports = 40
			for range exports {
				wg.Go(func() {
					for ctx.Err() == nil {
						c.GetVersion(m.export(ctx))
					}
				})
			}
			for c.slots.waiting() < exports-1 {
				runtime.Gosched() // let the storm build before measuring
			}
			var waits []time.Duration
			b.ResetTimer()
			for b.Loop() {
				start := time.Now()
				if _, err := c.GetVersion(m.viewer(context.Background())); err != nil {
					b.Fatal(err)
				}
				waits = append(waits, time.Since(start))
			}
			b.StopTimer()
			stop()
			wg.Wait()
			slices.Sort(waits)
			at := func(q float64) float64 {
				return float64(waits[min(len(waits)-1, int(q*float64(len(waits))))]) / float64(time.Millisecond)
			}
			b.ReportMetric(at(0.50), "p50-ms")
			b.ReportMetric(at(0.99), "p99-ms")
		})
	}
}
