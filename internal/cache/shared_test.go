package cache

import (
	"reflect"
	"testing"
	"time"
)

// Only a value gob carries whole is shared; one with a part gob would drop or refuse stays in
// the process.
func TestShareableOnlyWhatGobCarriesWhole(t *testing.T) {
	type inner struct {
		At   time.Time
		Tags map[string][]int
	}
	type amount struct {
		Value    float64
		Currency string
	}
	type whole struct {
		Name  string
		Rows  []inner
		Money *amount
	}
	type hidden struct {
		Name  string
		cents int64
	}
	_ = hidden{cents: 1}.cents // gob would drop it: that is the point
	type nested struct{ Rows []hidden }
	type withFunc struct{ F func() }
	type withIntPointer struct{ DaysBack *int }
	type withAny struct{ V any }
	for _, c := range []struct {
		v    any
		want bool
	}{{whole{}, true}, {[]whole{}, true}, {hidden{}, false}, {nested{}, false}, {withFunc{}, false}, {withIntPointer{}, false}, {withAny{}, false}, {struct{}{}, false}, {0, true}} {
		if got := shareable(reflect.TypeOf(c.v), map[reflect.Type]bool{}); got != c.want {
			t.Errorf("%T: shareable %v, want %v", c.v, got, c.want)
		}
	}
}

func TestCodecRoundTrips(t *testing.T) {
	type row struct {
		ID    string
		Value *float64
		When  time.Time
	}
	v := 12.5
	in := []row{{ID: "a", Value: &v, When: time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)}, {ID: "b"}}
	cd := &codec{typ: reflect.TypeOf(in)}
	fetched := time.Unix(1700000000, 123)
	b, err := cd.encode(&entry{value: in, fetched: fetched})
	if err != nil {
		t.Fatal(err)
	}
	e, err := cd.decode(b)
	if err != nil {
		t.Fatal(err)
	}
	out := e.value.([]row)
	if !e.fetched.Equal(fetched) || len(out) != 2 || *out[0].Value != 12.5 || out[1].Value != nil || !out[0].When.Equal(in[0].When) {
		t.Errorf("round trip: %+v at %v", out, e.fetched)
	}
}
