package portal

import (
	"reflect"
	"testing"
	"time"
	"unsafe"
)

// compactRows keeps every value as it was, hidden prices hidden, shared values shared, and the
// rows' own text in one block.
func TestCompactRowsKeepsTheRows(t *testing.T) {
	shared := intern("Released")
	rows := []OrderRow{
		{ID: "a1", Number: "SO-1", State: shared, Notes: "first", Amount: &Money{12.5, "BGN"}, Date: DayOf(time.Unix(1, 0))},
		{ID: "b22", Number: "SO-22", State: shared, PONumber: "PO 7"}, // prices hidden
	}
	want := make([]OrderRow, len(rows))
	for i, r := range rows {
		want[i] = r
		if r.Amount != nil {
			a := *r.Amount
			want[i].Amount = &a
		}
	}
	compactRows(rows)
	if !reflect.DeepEqual(rows, want) {
		t.Fatalf("compacted rows %+v, want %+v", rows, want)
	}
	if rows[1].Amount != nil || rows[1].NetAmount != nil {
		t.Errorf("a hidden price was filled in")
	}
	if unsafe.StringData(rows[0].State) != unsafe.StringData(shared) {
		t.Errorf("a shared value was copied")
	}
	if unsafe.Pointer(unsafe.StringData(rows[1].ID)) != unsafe.Add(unsafe.Pointer(unsafe.StringData(rows[0].ID)), len("a1SO-1first")) {
		t.Errorf("the rows' text is not one block")
	}
}

// A Day holds a date and gives it back at midnight UTC; the zero time is the zero Day.
func TestDay(t *testing.T) {
	for _, in := range []time.Time{time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC), time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 3, 23, 30, 0, 0, time.FixedZone("EET", 2*3600))} {
		y, m, d := in.Date()
		if got, want := DayOf(in).Time(), time.Date(y, m, d, 0, 0, 0, 0, time.UTC); !got.Equal(want) || DayOf(in).IsZero() {
			t.Errorf("DayOf(%v).Time() = %v, want %v", in, got, want)
		}
	}
	if !DayOf(time.Time{}).IsZero() || !DayOf(time.Time{}).Time().IsZero() {
		t.Errorf("the zero time is a day")
	}
}

// A slab hands out each element once: pieces never overlap, cannot be appended into a
// neighbour, come zeroed, and a piece too big for a chunk is a block of its own.
func TestSlabHandsOutEachElementOnce(t *testing.T) {
	var s slab[Money]
	a, b := s.take(3), s.take(2)
	if len(a) != 3 || cap(a) != 3 || len(b) != 2 || cap(b) != 2 {
		t.Fatalf("len/cap %d/%d and %d/%d, want 3/3 and 2/2", len(a), cap(a), len(b), cap(b))
	}
	if &a[0] == &b[0] || unsafe.Pointer(&b[0]) != unsafe.Add(unsafe.Pointer(&a[0]), 3*unsafe.Sizeof(Money{})) {
		t.Errorf("the second piece does not follow the first in the chunk")
	}
	a[2] = Money{1, "EUR"}
	_ = append(a, Money{2, "EUR"})
	if b[0] != (Money{}) {
		t.Errorf("an append reached the next piece: %+v", b[0])
	}
	big := s.take(slabBytes / int(unsafe.Sizeof(Money{})))
	c := s.take(1)
	if unsafe.Pointer(&c[0]) != unsafe.Add(unsafe.Pointer(&b[0]), 2*unsafe.Sizeof(Money{})) {
		t.Errorf("a big piece was taken from the chunk (len %d)", len(big))
	}
	var text slab[byte]
	for range 4 {
		text.take(slabBytes / 4)
	}
	if len(text.free) != slabBytes {
		t.Fatalf("four quarters fill %d bytes of the chunk, want %d", len(text.free), slabBytes)
	}
	if y := text.take(20); len(y) != 20 || len(text.free) != 20 || cap(text.free) != slabBytes {
		t.Errorf("a piece past a full chunk did not start a new one (%d of %d used)", len(text.free), cap(text.free))
	}
}
