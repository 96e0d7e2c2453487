package server_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/internal/erpnetsim"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// TestManySessionsAtOnce has 500 signed-in sessions browse at once against an Erp.Net that takes
// 20 ms an answer: every page is served, and the portal never has more requests in flight toward
// Erp.Net than its bound.
func TestManySessionsAtOnce(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("500 sessions")
	}
	env := testenv.New(t, testenv.Options{Quiet: true})
	logins := []string{"orders@orbis.example", "prices@orbis.example", "billing@orbis.example", "admin@orbis.example", "owner@orbis.example"}
	const sessions = 500
	browsers := make([]*testenv.Browser, sessions)
	for i := range browsers {
		browsers[i], _ = env.SignIn(t, "cc", logins[i%len(logins)])
	}
	env.Sim.SetFaults(erpnetsim.Faults{Latency: 20 * time.Millisecond})
	env.Sim.ResetCalls()
	var wg sync.WaitGroup
	errs := make(chan string, sessions)
	for i, b := range browsers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, path := range []string{"/cc/", fmt.Sprintf("/cc/orders?page=%d", 1+i%8), "/cc/profile"} {
				if p := b.Get(path); p.Status != 200 {
					errs <- fmt.Sprintf("session %d %s: %d", i, path, p.Status)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if peak, bound := env.Sim.PeakConcurrent(), int64(env.Config.ErpNet.MaxConcurrent); peak > bound {
		t.Errorf("peak concurrent requests to Erp.Net = %d, bound %d", peak, bound)
	}
	if calls := env.Sim.TotalAPICalls(); calls > 60 {
		t.Errorf("%d requests to Erp.Net for 1,500 page views of few distinct pages", calls)
	}
}
