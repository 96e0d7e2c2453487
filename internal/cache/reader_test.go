package cache

import (
	"context"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/internal/erpnet"
)

const orderID = "59098bcf-f331-478f-91c2-f5520590f534"

// fakeUpstream is an erpnet.Reader answering fixed orders and counting its calls.
type fakeUpstream struct {
	calls atomic.Int32
}

func (f *fakeUpstream) orders() []erpnet.SalesOrder {
	return []erpnet.SalesOrder{{
		Base:     erpnet.Base{ID: orderID},
		Document: erpnet.Document{DocumentNo: "SO-1"},
		Lines: []erpnet.SalesOrderLine{{LineNo: 1, ProductDescription: erpnet.MLString{"EN": "Bolt"},
			Product: erpnet.Link[erpnet.Product]{Entity: &erpnet.Product{PartNumber: "B-1"}}}},
	}}
}

func (f *fakeUpstream) List(ctx context.Context, q erpnet.Query, out any) (string, error) {
	p, err := f.ListPage(ctx, q, out)
	return p.Next, err
}

func (f *fakeUpstream) ListPage(ctx context.Context, q erpnet.Query, out any) (erpnet.PageInfo, error) {
	f.calls.Add(1)
	*out.(*[]erpnet.SalesOrder) = f.orders()
	return erpnet.PageInfo{Count: 1, Counted: true}, nil
}

func (f *fakeUpstream) ListAll(ctx context.Context, q erpnet.Query, out any) error {
	_, err := f.ListPage(ctx, q, out)
	return err
}

func (f *fakeUpstream) Get(ctx context.Context, set, id string, q erpnet.Query, out any) error {
	f.calls.Add(1)
	*out.(*erpnet.SalesOrder) = f.orders()[0]
	return nil
}

func (f *fakeUpstream) Count(ctx context.Context, q erpnet.Query) (int, error) {
	f.calls.Add(1)
	return 7, nil
}

func TestReaderCachesEveryRead(t *testing.T) {
	q := erpnet.From(erpnet.SetSalesOrders).Top(10)
	tests := []struct {
		name string
		read func(r erpnet.Reader) (any, error)
	}{
		{"page", func(r erpnet.Reader) (any, error) {
			rows, _, err := erpnet.Page[erpnet.SalesOrder](context.Background(), r, q)
			return rows, err
		}},
		{"all", func(r erpnet.Reader) (any, error) {
			return erpnet.All[erpnet.SalesOrder](context.Background(), r, q)
		}},
		{"one", func(r erpnet.Reader) (any, error) {
			return erpnet.One[erpnet.SalesOrder](context.Background(), r, orderID, erpnet.Query{})
		}},
		{"count", func(r erpnet.Reader) (any, error) {
			return r.Count(context.Background(), q)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up := &fakeUpstream{}
			c := New(Config{Now: newFakeClock().Now})
			r := c.Reader(up, "cc", "cust-1", nil)
			first, err := tt.read(r)
			if err != nil {
				t.Fatal(err)
			}
			second, err := tt.read(r)
			if err != nil {
				t.Fatal(err)
			}
			if got := up.calls.Load(); got != 1 {
				t.Errorf("upstream calls = %d, want 1", got)
			}
			if !reflect.DeepEqual(first, second) {
				t.Errorf("cached read differs:\n%+v\n%+v", first, second)
			}
			c.InvalidateCustomer("cc", "cust-1")
			if _, err := tt.read(r); err != nil {
				t.Fatal(err)
			}
			if got := up.calls.Load(); got != 2 {
				t.Errorf("upstream calls after invalidation = %d, want 2", got)
			}
		})
	}
}

func TestReaderHandsOutCopies(t *testing.T) {
	up := &fakeUpstream{}
	r := New(Config{Now: newFakeClock().Now}).Reader(up, "cc", "cust-1", nil)
	ctx := context.Background()
	q := erpnet.From(erpnet.SetSalesOrders)
	rows, _, err := erpnet.Page[erpnet.SalesOrder](ctx, r, q)
	if err != nil {
		t.Fatal(err)
	}
	// A careless caller scribbles on everything it got.
	rows[0].DocumentNo = "changed"
	rows[0].Lines[0].ProductDescription["EN"] = "changed"
	rows[0].Lines[0].Product.Entity.PartNumber = "changed"
	rows = append(rows[:0], erpnet.SalesOrder{})

	again, _, err := erpnet.Page[erpnet.SalesOrder](ctx, r, q)
	if err != nil {
		t.Fatal(err)
	}
	if want := up.orders(); !reflect.DeepEqual(again, want) {
		t.Errorf("second reader got %+v, want the original %+v", again, want)
	}
}

func TestDefaultKind(t *testing.T) {
	tests := []struct {
		op   Op
		set  string
		want Kind
	}{
		{OpList, erpnet.SetExternalAccess, KindAccess},
		{OpGet, erpnet.SetUsers, KindAccess},
		{OpList, erpnet.SetProducts, KindProducts},
		{OpCount, erpnet.SetSalesOrders, KindCounts},
		{OpGet, erpnet.SetInvoices, KindDocuments},
		{OpList, erpnet.SetInvoices, KindLists},
		{OpList, "", KindLists},
	}
	for _, tt := range tests {
		if got := DefaultKind(tt.op, tt.set); got != tt.want {
			t.Errorf("DefaultKind(%s, %q) = %s, want %s", tt.op, tt.set, got, tt.want)
		}
	}
}

func TestReaderUsesTheKindTTL(t *testing.T) {
	clock := newFakeClock()
	up := &fakeUpstream{}
	c := New(Config{Now: clock.Now, TTL: map[Kind]time.Duration{KindLists: time.Minute, KindCounts: time.Hour}})
	r := c.Reader(up, "cc", "cust-1", nil)
	ctx := context.Background()
	q := erpnet.From(erpnet.SetSalesOrders)
	var rows []erpnet.SalesOrder
	r.ListAll(ctx, q, &rows)
	r.Count(ctx, q)
	clock.Advance(2 * time.Minute)
	r.ListAll(ctx, q, &rows) // a list past its minute: fetched again
	r.Count(ctx, q)          // a count within its hour: cached
	if got := up.calls.Load(); got != 3 {
		t.Errorf("upstream calls = %d, want 3", got)
	}
}

func TestDeepCopy(t *testing.T) {
	type inner struct {
		Tags map[string][]int
	}
	type outer struct {
		When  time.Time
		P     *inner
		S     []*inner
		Any   any
		Arr   [2][]byte
		plain []int // unexported: copied as it is
	}
	src := outer{
		When: time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("EET", 7200)),
		P:    &inner{Tags: map[string][]int{"a": {1}}},
		S:    []*inner{{Tags: map[string][]int{"b": {2}}}, nil},
		Any:  []string{"x"},
		Arr:  [2][]byte{[]byte("y"), nil},
	}
	dst := deepCopy(reflect.ValueOf(src)).Interface().(outer)
	if !reflect.DeepEqual(src, dst) {
		t.Fatalf("copy differs: %+v", dst)
	}
	dst.P.Tags["a"][0] = 9
	dst.S[0].Tags["b"] = nil
	dst.Any.([]string)[0] = "changed"
	dst.Arr[0][0] = 'z'
	if src.P.Tags["a"][0] != 1 || src.S[0].Tags["b"] == nil || src.Any.([]string)[0] != "x" || src.Arr[0][0] != 'y' {
		t.Errorf("changing the copy changed the original: %+v", src)
	}
}
