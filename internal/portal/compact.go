package portal

import (
	"reflect"
	"sync"
	"unsafe"
)

// compactRows moves what a page of cached rows points to into a few blocks, taken from the
// slabs: the text of every string field into one string, every *Money into one slice. A page is built from Erp.Net's
// decoded answer, whose garbage lies between the rows' small strings and amounts; held apart,
// those keep half-empty heap spans alive as long as the page is cached (at 10,000 customers the
// heap in use was 1.7× the live objects). Fields of a few shared values (states,
// currencies) are left as they are. It runs once per page fetched, never on a page served; the rows must not be shared yet.
func compactRows[R any](rows []R) {
	if len(rows) == 0 {
		return
	}
	l := layoutOf(reflect.TypeFor[R]())
	if len(l.strs) == 0 && len(l.money) == 0 {
		return
	}
	n := 0
	each := func(f func(r reflect.Value)) {
		for i := range rows {
			f(reflect.ValueOf(&rows[i]).Elem())
		}
	}
	each(func(r reflect.Value) {
		for _, ix := range l.strs {
			n += r.FieldByIndex(ix).Len()
		}
	})
	block := textSlab.take(n)
	at := 0
	each(func(r reflect.Value) {
		for _, ix := range l.strs {
			at += copy(block[at:], r.FieldByIndex(ix).String())
		}
	})
	// The block is never written again: the slab hands out each byte once.
	text := unsafe.String(unsafe.SliceData(block), n)
	at = 0
	var monies []Money
	if len(l.money) > 0 {
		monies = moneySlab.take(len(rows) * len(l.money))[:0]
	}
	each(func(r reflect.Value) {
		for _, ix := range l.strs {
			f := r.FieldByIndex(ix)
			f.SetString(text[at : at+f.Len()])
			at += f.Len()
		}
		for _, ix := range l.money {
			f := r.FieldByIndex(ix)
			if f.IsNil() {
				continue // hidden stays hidden
			}
			monies = append(monies, *f.Interface().(*Money))
			f.Set(reflect.ValueOf(&monies[len(monies)-1]))
		}
	})
}

// slabBytes is the size of a slab's chunk. What a page of cached rows holds (its rows, their text,
// their amounts) is taken from chunks shared by the pages cached about the same time, never from
// small allocations of its own: Go's heap does not move objects, and a page's small blocks, made
// while its Erp.Net answer is decoded, would share their spans with that answer's garbage and
// keep them alive half empty for as long as the page is cached. Pages cached together are
// dropped together (they expire by the same TTL; the cap evicts the oldest), so a chunk is freed
// soon after its pages are. A chunk is kept by any page in it: at worst a chunk a page.
const slabBytes = 32 << 10

// slab hands out Ts from chunks of slabBytes, each T once.
type slab[T any] struct {
	mu   sync.Mutex
	free []T
}

var (
	textSlab  slab[byte]
	moneySlab slab[Money]
	rowSlabs  sync.Map // reflect.Type → *slab[R]
)

// take returns n zero Ts of capacity n, so that an append can never reach a neighbour's. A
// request over a quarter of a chunk is a block of its own.
func (s *slab[T]) take(n int) []T {
	per := slabBytes / max(int(unsafe.Sizeof(*new(T))), 1)
	if n > per/4 {
		return make([]T, n)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if cap(s.free)-len(s.free) < n {
		s.free = make([]T, 0, per)
	}
	at := len(s.free)
	s.free = s.free[:at+n]
	return s.free[at : at+n : at+n]
}

// keptMonies is m moved to the slab of amounts, for a page about to be cached.
func keptMonies(m []Money) []Money {
	if len(m) == 0 {
		return m
	}
	out := moneySlab.take(len(m))
	copy(out, m)
	return out
}

// rowsFor returns n zero rows for a page about to be cached, from the slab of R.
func rowsFor[R any](n int) []R {
	t := reflect.TypeFor[R]()
	s, ok := rowSlabs.Load(t)
	if !ok {
		s, _ = rowSlabs.LoadOrStore(t, new(slab[R]))
	}
	return s.(*slab[R]).take(n)
}

// rowLayout is where a row type's string and *Money fields are, embedded structs included. A
// string field tagged `row:"shared"` holds one of a few values held once for all (a constant, or
// what intern made) and is left where it is: copied into a page's block it would be held twice.
type rowLayout struct{ strs, money [][]int }

var layouts sync.Map // reflect.Type → rowLayout

func layoutOf(t reflect.Type) rowLayout {
	if l, ok := layouts.Load(t); ok {
		return l.(rowLayout)
	}
	var l rowLayout
	var walk func(t reflect.Type, at []int)
	walk = func(t reflect.Type, at []int) {
		for i := range t.NumField() {
			f := t.Field(i)
			ix := append(append([]int(nil), at...), i)
			switch {
			case f.Type.Kind() == reflect.String && f.IsExported() && f.Tag.Get("row") != "shared":
				l.strs = append(l.strs, ix)
			case f.Type == reflect.TypeFor[*Money]() && f.IsExported():
				l.money = append(l.money, ix)
			case f.Type.Kind() == reflect.Struct && f.Anonymous:
				walk(f.Type, ix)
			}
		}
	}
	walk(t, nil)
	layouts.Store(t, l)
	return l
}
