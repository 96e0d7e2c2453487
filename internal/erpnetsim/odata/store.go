package odata

import (
	"bytes"
	crand "crypto/rand"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Value shapes held in an entity. Each kind has one Go representation:
// kString/kEnum/kGUID string, kML MLString, kInt int64, kDecimal float64, kBool bool,
// kDate/kDateTime time.Time, kAmount Amount, kQuantity Quantity, kRef Ref.
// A missing key or a nil value is null.
type (
	// Entity is one entity: its properties by name.
	Entity map[string]any
	// MLString is a multi-language string: text by language code ("EN", "BG").
	MLString map[string]string
	// Amount is an amount of money in a currency.
	Amount struct {
		Value    float64
		Currency string
	}
	// Quantity is a quantity in a measurement unit.
	Quantity struct {
		Value float64
		Unit  string
	}
	// Ref is a reference to the entity ID of entity set Set.
	Ref struct{ Set, ID string }
)

// String is the reference as the Domain API writes it: "Set(id)".
func (r Ref) String() string { return r.Set + "(" + r.ID + ")" }

// en is the English text of a multi-language string, or any text it has.
func (m MLString) en() string {
	if v := m["EN"]; v != "" {
		return v
	}
	for _, v := range m {
		return v
	}
	return ""
}

// Store holds the instance's entities, guarded by one lock: reads are frequent, writes rare.
type Store struct {
	mu   sync.RWMutex
	sets map[string]*entitySet
	rows map[string]map[string]Entity // storage name → Id → entity
	ids  map[string][]string          // storage name → Ids in ascending order (the server's natural order)
	// kids indexes child collections: "ChildStorage/Back" → parent Id → child Ids in insertion order.
	kids map[string]map[string][]string
	// seq numbers documents per document-type code.
	seq map[string]int
	// Now is the instance's clock, for AggregateLastUpdateTimeUtc; nil is the wall clock.
	Now func() time.Time
}

// NewStore is an empty store with the entity sets of the published model.
func NewStore() *Store {
	return &Store{
		sets: schema(),
		rows: map[string]map[string]Entity{},
		ids:  map[string][]string{},
		kids: map[string]map[string][]string{},
		seq:  map[string]int{},
	}
}

// touch sets AggregateLastUpdateTimeUtc of the aggregate e belongs to, as the server does on
// every write of the aggregate's root or any of its children.
func (st *Store) touch(es *entitySet, e Entity) {
	rs, r := st.root(es, e)
	if r == nil || rs.prop("AggregateLastUpdateTimeUtc") == nil {
		return
	}
	now := time.Now
	if st.Now != nil {
		now = st.Now
	}
	r["AggregateLastUpdateTimeUtc"] = now().UTC()
}

// Insert adds e (which must carry an Id) to the storage of set. The caller holds the lock.
func (st *Store) Insert(set string, e Entity) error {
	es := st.sets[set]
	id, _ := e["Id"].(string)
	if id == "" {
		return fmt.Errorf("insert into %s without Id", set)
	}
	tbl := st.rows[es.Storage]
	if tbl == nil {
		tbl = map[string]Entity{}
		st.rows[es.Storage] = tbl
	}
	if _, dup := tbl[id]; dup {
		return errDuplicate(es.Storage)
	}
	if err := es.conforms(e); err != nil {
		return err
	}
	if _, ok := e["ObjectVersion"]; !ok {
		e["ObjectVersion"] = int64(1)
	}
	tbl[id] = e
	ids := st.ids[es.Storage]
	i := sort.SearchStrings(ids, id)
	ids = append(ids, "")
	copy(ids[i+1:], ids[i:])
	ids[i] = id
	st.ids[es.Storage] = ids
	st.indexChild(es, e, true)
	st.touch(es, e)
	return nil
}

// remove deletes an entity and its child collections. The caller holds the lock.
func (st *Store) remove(set, id string) {
	es := st.sets[set]
	e := st.rows[es.Storage][id]
	if e == nil {
		return
	}
	for _, pr := range es.Props {
		if pr.Kind == kChildren {
			for _, cid := range st.children(pr, id) {
				st.remove(pr.Target, cid)
			}
		}
	}
	st.indexChild(es, e, false)
	delete(st.rows[es.Storage], id)
	ids := st.ids[es.Storage]
	if i := sort.SearchStrings(ids, id); i < len(ids) && ids[i] == id {
		st.ids[es.Storage] = append(ids[:i], ids[i+1:]...)
	}
}

// indexChild keeps the child-collection index in step with inserts and removals.
func (st *Store) indexChild(es *entitySet, e Entity, add bool) {
	for _, parent := range st.sets {
		for _, pr := range parent.Props {
			if pr.Kind != kChildren || st.sets[pr.Target].Storage != es.Storage {
				continue
			}
			r, ok := e[pr.Back].(Ref)
			if !ok {
				continue
			}
			key := es.Storage + "/" + pr.Back
			idx := st.kids[key]
			if idx == nil {
				idx = map[string][]string{}
				st.kids[key] = idx
			}
			id := e["Id"].(string)
			if add {
				idx[r.ID] = append(idx[r.ID], id)
				continue
			}
			list := idx[r.ID]
			for i, v := range list {
				if v == id {
					idx[r.ID] = append(list[:i:i], list[i+1:]...)
					break
				}
			}
		}
	}
}

// children lists the Ids of the child collection pr of parent id.
func (st *Store) children(pr *prop, id string) []string {
	return st.kids[st.sets[pr.Target].Storage+"/"+pr.Back][id]
}

// get finds an entity of set by Id, honouring view sets' type filter.
func (st *Store) get(set, id string) Entity {
	es := st.sets[set]
	if es == nil {
		return nil
	}
	e := st.rows[es.Storage][strings.ToLower(id)]
	if e == nil || !st.inSet(es, e) {
		return nil
	}
	return e
}

func (st *Store) inSet(es *entitySet, e Entity) bool {
	return es.TypeFilter == "" || e["PartyType"] == es.TypeFilter
}

// Scan calls fn for every entity of set in Id order, starting at Id from (inclusive), until fn returns false.
func (st *Store) Scan(set, from string, fn func(Entity) bool) {
	es := st.sets[set]
	ids := st.ids[es.Storage]
	tbl := st.rows[es.Storage]
	for i := sort.SearchStrings(ids, from); i < len(ids); i++ {
		e := tbl[ids[i]]
		if !st.inSet(es, e) {
			continue
		}
		if !fn(e) {
			return
		}
	}
}

// Deref follows a reference value to its entity, or nil.
func (st *Store) Deref(r Ref) Entity {
	if r.ID == "" {
		return nil
	}
	set := r.Set
	if es := st.sets[set]; es != nil {
		return st.rows[es.Storage][r.ID]
	}
	return nil
}

// Storage is the entity set in whose rows set's entities are kept: set itself, or the set it
// inherits (Companies and Persons are Parties).
func (st *Store) Storage(set string) string { return st.sets[set].Storage }

// Lock takes the store's write lock, for a caller of Insert, Scan, Deref and NextNumber outside
// the Domain API, such as the seed.
func (st *Store) Lock() { st.mu.Lock() }

// Unlock releases the lock Lock took.
func (st *Store) Unlock() { st.mu.Unlock() }

// NextNumber gives the next document number for a document type code, e.g. "SO-000124".
func (st *Store) NextNumber(code string) string {
	st.seq[code]++
	return fmt.Sprintf("%s-%06d", code, st.seq[code])
}

// displayText is the entity's DisplayText: the repository's display format, simplified.
func (st *Store) displayText(es *entitySet, e Entity) string {
	switch {
	case es.Document:
		s, _ := e["DocumentNo"].(string)
		return s
	case es.Name == SetCustomers:
		if party := st.Deref(refOf(e, "Party")); party != nil {
			if m, ok := party["PartyName"].(MLString); ok {
				return m.en()
			}
		}
	case es.Name == SetExternalAccess:
		if c := st.Deref(refOf(e, "Customer")); c != nil {
			return st.displayText(st.sets[SetCustomers], c)
		}
	}
	for _, name := range []string{"Name", "PartyName", "Login", "Code", "PartNumber", "FileName"} {
		switch v := e[name].(type) {
		case MLString:
			return v.en()
		case string:
			return v
		}
	}
	return ""
}

func refOf(e Entity, name string) Ref {
	r, _ := e[name].(Ref)
	return r
}

// User is what the identity server needs to know of a user.
type User struct {
	ID, Login, Name, Email, UserType, Locale string
	Active                                   bool
}

// UserByLogin finds a user by login (case-insensitively, as Erp.Net's collation does).
func (st *Store) UserByLogin(login string) (User, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	var found Entity
	st.Scan(SetUsers, "", func(e Entity) bool {
		if l, _ := e["Login"].(string); strings.EqualFold(l, login) {
			found = e
			return false
		}
		return true
	})
	if found == nil {
		return User{}, false
	}
	u := User{ID: found["Id"].(string), Login: found["Login"].(string), UserType: str(found["UserType"]), Locale: "en"}
	if n, ok := found["Name"].(MLString); ok {
		u.Name = n.en()
	}
	u.Email = str(found["Email"])
	u.Active, _ = found["Active"].(bool)
	return u, true
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// day is midnight UTC of t's date.
func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// newGUID makes a random version-4 GUID for entities created without a client-chosen Id.
func newGUID() string {
	var b [16]byte
	_, _ = crand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func newBuf() *bytes.Buffer { return new(bytes.Buffer) }

// conforms checks an entity against the published model: every property it holds must be one
// the set has, every enum value one of its Domain API values and every string within its length,
// so the simulator can neither seed nor store a name or value that Erp.Net would not have.
func (es *entitySet) conforms(e Entity) error {
	for name, v := range e {
		pr := es.all[name]
		if pr == nil && name == "Id" || name == "ObjectVersion" {
			continue // every stored row has a key, even of a view the model gives no Id (PaymentBalances)
		}
		if pr == nil {
			return fmt.Errorf("%s has no property %s in the model", es.Name, name)
		}
		switch x := v.(type) {
		case string:
			if pr.Kind == kEnum && !slices.Contains(pr.Enum, x) {
				return fmt.Errorf("%s.%s: %q is not one of the model's values %v", es.Name, name, x, pr.Enum)
			}
			if pr.Kind == kString && pr.MaxLength > 0 && len([]rune(x)) > pr.MaxLength {
				return fmt.Errorf("%s.%s: %d characters, the model allows %d", es.Name, name, len([]rune(x)), pr.MaxLength)
			}
		case Ref:
			if pr.Kind != kRef {
				return fmt.Errorf("%s.%s is not a reference", es.Name, name)
			}
		}
	}
	return nil
}

// root is the aggregate root of e: e itself for a root, else the entity its owner reference
// (the back reference of the parent's child collection) leads to, followed up to the root.
func (st *Store) root(es *entitySet, e Entity) (*entitySet, Entity) {
	for range 4 { // aggregates are shallow; the bound only guards against a cycle in bad data
		if es.Root == es.Name || e == nil {
			return es, e
		}
		parentSet, back := st.owner(es)
		if parentSet == nil {
			return es, e
		}
		es, e = parentSet, st.Deref(refOf(e, back))
	}
	return es, e
}

// owner is the set whose child collection holds es's entities, and the reference back to it.
func (st *Store) owner(es *entitySet) (*entitySet, string) {
	for _, parent := range st.sets {
		for _, pr := range parent.Props {
			if pr.Kind == kChildren && pr.Target == es.Name && pr.Back != "" {
				return parent, pr.Back
			}
		}
	}
	return nil, ""
}

// version is e's ObjectVersion: the version of its aggregate root, which any change anywhere in
// the aggregate bumps.
func (st *Store) version(es *entitySet, e Entity) int64 {
	_, r := st.root(es, e)
	if r == nil {
		r = e
	}
	v, _ := r["ObjectVersion"].(int64)
	return v
}

// bump records a change of e: its aggregate root's version goes up.
func (st *Store) bump(es *entitySet, e Entity) {
	_, r := st.root(es, e)
	if r == nil {
		r = e
	}
	v, _ := r["ObjectVersion"].(int64)
	r["ObjectVersion"] = v + 1
	st.touch(es, e)
}
