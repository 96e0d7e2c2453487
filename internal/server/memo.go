package server

import "sync"

// memo is a bounded map for results that are costly to make and safe to reuse: a decoded
// session cookie, a drawn part of a page. Each entry has a cost (about its size in bytes); when
// the total passes the budget, the entries stored first go first. It is safe for concurrent use.
type memo[V any] struct {
	mu     sync.RWMutex
	m      map[string]memoEntry[V]
	order  []string // keys, oldest stored first from head on
	head   int
	total  int
	budget int
}

type memoEntry[V any] struct {
	v    V
	cost int
}

func newMemo[V any](budget int) *memo[V] {
	return &memo[V]{m: map[string]memoEntry[V]{}, budget: budget}
}

// get returns the value stored under key.
func (m *memo[V]) get(key string) (V, bool) {
	m.mu.RLock()
	e, ok := m.m[key]
	m.mu.RUnlock()
	return e.v, ok
}

// put stores v under key, with the cost of the key added to cost, and drops the oldest entries
// beyond the budget. A value costlier than the whole budget is not kept.
func (m *memo[V]) put(key string, v V, cost int) {
	cost += len(key)
	if cost > m.budget {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.m[key]; ok {
		m.total -= old.cost
	} else {
		m.order = append(m.order, key)
	}
	m.m[key] = memoEntry[V]{v, cost}
	m.total += cost
	for m.total > m.budget && m.head < len(m.order) {
		k := m.order[m.head]
		m.order[m.head] = ""
		m.head++
		if e, ok := m.m[k]; ok {
			m.total -= e.cost
			delete(m.m, k)
		}
	}
	// The queue is compacted once its dropped head outweighs what is left, so it stays within
	// twice the entries held.
	if m.head > len(m.order)/2 {
		m.order = append([]string(nil), m.order[m.head:]...)
		m.head = 0
	}
}

// len is the number of entries held.
func (m *memo[V]) len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.m)
}
