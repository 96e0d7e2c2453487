package cache

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// BenchmarkCache reports what the cache saves Erp.Net: upstream calls for 100 concurrent
// identical cold reads (1), upstream calls for 1,000 warm reads (0), and the cost of a warm read.
func BenchmarkCache(b *testing.B) {
	ctx := context.Background()
	b.Run("cold-100-concurrent", func(b *testing.B) {
		var calls atomic.Int64
		for range b.N {
			c := New(Config{})
			fetch := func(context.Context) (any, error) {
				calls.Add(1)
				for c.Stats().Misses < 100 {
					runtime.Gosched() // answer once every caller has missed, so all of them overlap
				}
				return "v", nil
			}
			var wg sync.WaitGroup
			for range 100 {
				wg.Go(func() {
					if _, err := c.Do(ctx, key, KindLists, fetch); err != nil {
						b.Error(err)
					}
				})
			}
			wg.Wait()
		}
		b.ReportMetric(float64(calls.Load())/float64(b.N), "upstream-calls/100-reads")
	})
	b.Run("warm-1000", func(b *testing.B) {
		var calls atomic.Int64
		fetch := func(context.Context) (any, error) { calls.Add(1); return "v", nil }
		c := New(Config{})
		c.Do(ctx, key, KindLists, fetch)
		calls.Store(0)
		for range b.N {
			for range 1000 {
				c.Do(ctx, key, KindLists, fetch)
			}
		}
		b.ReportMetric(float64(calls.Load())/float64(b.N), "upstream-calls/1000-reads")
	})
	b.Run("warm-read", func(b *testing.B) {
		fetch := func(context.Context) (any, error) { return "v", nil }
		c := New(Config{})
		c.Do(ctx, key, KindLists, fetch)
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			if res, _ := c.Do(ctx, key, KindLists, fetch); !res.Hit {
				b.Fatal("warm read missed")
			}
		}
	})
}
