package cache

import (
	"reflect"
	"sync"
)

// deepCopy returns a copy of v that shares nothing mutable with it: pointers, slices, maps and
// interfaces are copied through. Unexported struct fields are copied as they are (a time.Time's
// location, for one), which is safe because nothing outside their package can change them.
func deepCopy(v reflect.Value) reflect.Value {
	if !needsCopy(v.Type()) {
		return v
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		n := reflect.New(v.Type().Elem())
		n.Elem().Set(deepCopy(v.Elem()))
		return n
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		if !needsCopy(v.Type().Elem()) {
			reflect.Copy(n, v)
			return n
		}
		for i := range v.Len() {
			n.Index(i).Set(deepCopy(v.Index(i)))
		}
		return n
	case reflect.Array:
		n := reflect.New(v.Type()).Elem()
		for i := range v.Len() {
			n.Index(i).Set(deepCopy(v.Index(i)))
		}
		return n
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			n.SetMapIndex(it.Key(), deepCopy(it.Value()))
		}
		return n
	case reflect.Struct:
		n := reflect.New(v.Type()).Elem()
		n.Set(v)
		for i := range v.NumField() {
			if f := n.Field(i); f.CanSet() && needsCopy(f.Type()) {
				f.Set(deepCopy(v.Field(i)))
			}
		}
		return n
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		n := reflect.New(v.Type()).Elem()
		n.Set(deepCopy(v.Elem()))
		return n
	}
	return v
}

// copyNeeded caches needsCopy per type, since the answer is fixed and reflection is slow.
var copyNeeded sync.Map // reflect.Type → bool

// needsCopy reports whether a plain assignment of a t would share something a reader could
// change: a pointer, slice, map or interface reachable through exported fields.
func needsCopy(t reflect.Type) bool {
	if v, ok := copyNeeded.Load(t); ok {
		return v.(bool)
	}
	// A recursive type reaches itself through a pointer or slice, which needs a copy anyway;
	// the provisional answer only breaks the recursion.
	copyNeeded.Store(t, true)
	need := computeNeedsCopy(t)
	copyNeeded.Store(t, need)
	return need
}

func computeNeedsCopy(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return true
	case reflect.Array:
		return needsCopy(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && needsCopy(f.Type) {
				return true
			}
		}
	}
	return false
}
