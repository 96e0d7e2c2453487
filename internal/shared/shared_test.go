package shared_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/internal/shared"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

func open(t *testing.T, url string) *shared.Store {
	t.Helper()
	st, err := shared.Open(shared.Config{URL: url, Timeout: 2 * time.Second, Retry: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// A slot held by a replica that died (it never releases) is free again when its lease ends.
func TestSemaphoreLeaseOfADeadHolderEnds(t *testing.T) {
	redis := testenv.StartRedis(t)
	a, b := open(t, redis.URL()), open(t, redis.URL())
	ctx := context.Background()
	const lease = 300 * time.Millisecond
	if _, err := a.Semaphore("erp", 1, lease).Acquire(ctx, false, "c1"); err != nil { // never released
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, lease/3)
	defer cancel()
	if _, err := b.Semaphore("erp", 1, lease).Acquire(short, false, "c1"); err == nil {
		t.Fatal("a second slot of one was given while the first lease runs")
	}
	start := time.Now()
	release, err := b.Semaphore("erp", 1, lease).Acquire(ctx, false, "c1")
	if err != nil {
		t.Fatal(err)
	}
	release()
	if waited := time.Since(start); waited > 2*lease {
		t.Errorf("the slot came after %v; the lease was %v", waited, lease)
	}
}

// A bulk call waits while a page view waits, on any replica.
func TestSemaphorePageViewsGoBeforeBulk(t *testing.T) {
	redis := testenv.StartRedis(t)
	a, b := open(t, redis.URL()), open(t, redis.URL())
	ctx := context.Background()
	sa, sb := a.Semaphore("erp", 1, time.Minute), b.Semaphore("erp", 1, time.Minute)
	held, err := sa.Acquire(ctx, false, "c1")
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 2)
	go func() {
		r, _ := sb.Acquire(ctx, false, "c2")
		got <- "page"
		time.Sleep(50 * time.Millisecond)
		r()
	}()
	time.Sleep(50 * time.Millisecond) // the page view is waiting
	go func() {
		r, _ := sa.Acquire(ctx, true, "c1")
		got <- "bulk"
		r()
	}()
	time.Sleep(50 * time.Millisecond)
	held()
	if first := <-got; first != "page" {
		t.Errorf("%s went first; a waiting page view goes before a bulk call", first)
	}
	<-got
}

// Bumps made while Redis is down are replayed when it returns, and the epoch moves on.
func TestBumpsWhileDownAreReplayed(t *testing.T) {
	redis := testenv.StartRedis(t)
	st := open(t, redis.URL())
	ctx := context.Background()
	if g, err := st.Bump(ctx, "cc\x00c1"); err != nil || g != 1 {
		t.Fatalf("bump: %d %v", g, err)
	}
	epoch := st.Epoch()
	redis.Kill()
	if _, err := st.Bump(ctx, "cc\x00c1"); err == nil {
		t.Fatal("a bump with Redis down did not fail")
	}
	if st.Up() {
		t.Fatal("the store is up with Redis down")
	}
	redis.Start() // empty again: the generation starts from zero
	deadline := time.Now().Add(5 * time.Second)
	for !st.Up() {
		if time.Now().After(deadline) {
			t.Fatal("the store does not come up again")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if g, err := st.Generation(ctx, "cc\x00c1"); err != nil || g != 1 {
		t.Errorf("after the return the generation is %d (%v), want the replayed bump's 1", g, err)
	}
	if st.Epoch() == epoch {
		t.Error("the epoch did not move on after the outage")
	}
}

// A revocation replayed late never moves a newer one's moment back.
func TestRevocationKeepsTheLaterMoment(t *testing.T) {
	redis := testenv.StartRedis(t)
	st := open(t, redis.URL())
	ctx := context.Background()
	newer, older := time.UnixMilli(1_800_000_000_000), time.UnixMilli(1_700_000_000_000)
	if err := st.Revoke(ctx, "user:x", newer, time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := st.Revoke(ctx, "user:x", older, time.Minute); err != nil {
		t.Fatal(err)
	}
	if at, ok, err := st.RevokedAt(ctx, "user:x"); err != nil || !ok || !at.Equal(newer) {
		t.Errorf("revoked at %v (%v, %v), want the later %v", at, ok, err, newer)
	}
}

// Waiting page views take turns by customer across replicas: a customer that waits third gets the
// slot before the second view of the customer served first (in arrival order it would not).
func TestSemaphoreCustomersTakeTurns(t *testing.T) {
	redis := testenv.StartRedis(t)
	a, b := open(t, redis.URL()), open(t, redis.URL())
	ctx := context.Background()
	sa, sb := a.Semaphore("erp", 1, time.Minute), b.Semaphore("erp", 1, time.Minute)
	held, err := sa.Acquire(ctx, false, "z")
	if err != nil {
		t.Fatal(err)
	}
	order := make(chan string, 3)
	wait := func(s *shared.Semaphore, name, key string) {
		go func() {
			r, _ := s.Acquire(ctx, false, key)
			order <- name
			time.Sleep(30 * time.Millisecond)
			r()
		}()
		time.Sleep(30 * time.Millisecond) // each registers before the next
	}
	wait(sa, "x1", "x")
	wait(sa, "x2", "x")
	wait(sb, "y1", "y")
	held()
	var got []string
	for range 3 {
		got = append(got, <-order)
	}
	if want := "x1 y1 x2"; strings.Join(got, " ") != want {
		t.Errorf("slots went to %v, want %s", got, want)
	}
}
