package portal

import (
	"strconv"
	"sync"
	"time"
)

// maxQueryKeys bounds the query keys a Service remembers; past it, it starts afresh.
const maxQueryKeys = 20000

// queryKeys remembers the cache key (the written-out query) of the reads every request makes,
// by what the query is made from: on a warm page, building and writing out the queries costs
// more than reading their cached answers. The zero value is ready to use.
type queryKeys struct {
	mu sync.RWMutex
	m  map[string]string
}

func (k *queryKeys) get(inputs string) (string, bool) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	key, ok := k.m[inputs]
	return key, ok
}

func (k *queryKeys) put(inputs, key string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil || len(k.m) >= maxQueryKeys {
		k.m = make(map[string]string)
	}
	k.m[inputs] = key
}

// inputs writes what a query is made from as one string that no other inputs write: each part
// with its length.
type inputs []byte

func (in inputs) str(ss ...string) inputs {
	for _, s := range ss {
		in = strconv.AppendInt(in, int64(len(s)), 10)
		in = append(in, ':')
		in = append(in, s...)
	}
	return in
}

func (in inputs) num(n int64) inputs {
	in = strconv.AppendInt(in, n, 10)
	return append(in, ';')
}

func (in inputs) date(t time.Time) inputs {
	if t.IsZero() {
		return append(in, '-')
	}
	return in.num(t.Unix())
}

// listInputs is what a page of a list is made from besides the instance's settings: the list,
// the customer, the viewer's horizon now, and the person's sort, filters and page. A search is
// not among them: its query carries the documents the search found.
func (s *Service) listInputs(list string, v *Viewer, p ListParams) string {
	in := make(inputs, 0, 160).str(list, v.Current.CustomerID).date(v.Horizon(s.now()))
	desc := int64(0)
	if p.Desc {
		desc = 1
	}
	in = in.str(p.Sort, p.Status).num(desc).date(p.From).date(p.To).num(int64(p.Page)).num(int64(p.Size))
	return string(in)
}
