package odata

import (
	"maps"
	"reflect"
	"slices"
	"sort"
)

// clone copies the store for a transaction: every entity map is copied (writes change entities
// in place), multi-language values too; the schema is shared, as nothing changes it. The caller
// holds st.mu for reading.
func (st *Store) clone() *Store {
	c := &Store{
		sets: st.sets,
		rows: make(map[string]map[string]Entity, len(st.rows)),
		ids:  make(map[string][]string, len(st.ids)),
		kids: make(map[string]map[string][]string, len(st.kids)),
		seq:  maps.Clone(st.seq),
		Now:  st.Now,
	}
	for storage, tbl := range st.rows {
		ct := make(map[string]Entity, len(tbl))
		for id, e := range tbl {
			ct[id] = copyEntity(e)
		}
		c.rows[storage] = ct
	}
	for storage, ids := range st.ids {
		c.ids[storage] = slices.Clone(ids)
	}
	for key, idx := range st.kids {
		ci := make(map[string][]string, len(idx))
		for parent, list := range idx {
			ci[parent] = slices.Clone(list)
		}
		c.kids[key] = ci
	}
	return c
}

// copyEntity copies e deeply enough that changing the copy never changes e.
func copyEntity(e Entity) Entity {
	c := make(Entity, len(e))
	for k, v := range e {
		if m, ok := v.(MLString); ok {
			v = maps.Clone(m)
		}
		c[k] = v
	}
	return c
}

// commit applies what tx changed (the entities its copy added, changed or removed against the
// copy it started from) to the instance's store. Other sessions' writes made meanwhile stay,
// unless the transaction changed the same entity: then the transaction's version wins.
func (s *Server) commit(tx *transaction) {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	tx.work.mu.RLock()
	defer tx.work.mu.RUnlock()
	for storage, tbl := range tx.work.rows {
		base := tx.base.rows[storage]
		for id, e := range tbl {
			if old, ok := base[id]; !ok || !reflect.DeepEqual(old, e) {
				st.put(storage, copyEntity(e))
			}
		}
	}
	for storage, tbl := range tx.base.rows {
		for id := range tbl {
			if _, ok := tx.work.rows[storage][id]; !ok {
				st.drop(storage, id)
			}
		}
	}
	// Children were indexed in map order above: give the lists the transaction changed its order.
	for key, idx := range tx.work.kids {
		for parent, list := range idx {
			if !slices.Equal(list, tx.base.kids[key][parent]) && st.kids[key] != nil {
				st.kids[key][parent] = inOrderOf(list, st.kids[key][parent])
			}
		}
	}
	for code, n := range tx.work.seq {
		st.seq[code] = max(st.seq[code], n)
	}
}

// inOrderOf is have with the ids that order lists first, in that order, then the others as
// they were.
func inOrderOf(order, have []string) []string {
	out := make([]string, 0, len(have))
	for _, id := range order {
		if slices.Contains(have, id) {
			out = append(out, id)
		}
	}
	for _, id := range have {
		if !slices.Contains(order, id) {
			out = append(out, id)
		}
	}
	return out
}

// setOf is an entity set kept in storage, for the child index. The caller holds the lock.
func (st *Store) setOf(storage string) *entitySet {
	for _, es := range st.sets {
		if es.Storage == storage {
			return es
		}
	}
	return nil
}

// put inserts e into storage, or replaces the entity with its Id, keeping the indexes right.
// The caller holds the lock.
func (st *Store) put(storage string, e Entity) {
	es := st.setOf(storage)
	if es == nil {
		return
	}
	id := e["Id"].(string)
	tbl := st.rows[storage]
	if tbl == nil {
		tbl = map[string]Entity{}
		st.rows[storage] = tbl
	}
	if old := tbl[id]; old != nil {
		st.indexChild(es, old, false)
	} else {
		ids := st.ids[storage]
		i := sort.SearchStrings(ids, id)
		st.ids[storage] = slices.Insert(ids, i, id)
	}
	tbl[id] = e
	st.indexChild(es, e, true)
}

// drop removes one entity of storage, without its children: commit drops each removed child
// itself. The caller holds the lock.
func (st *Store) drop(storage, id string) {
	es := st.setOf(storage)
	e := st.rows[storage][id]
	if es == nil || e == nil {
		return
	}
	st.indexChild(es, e, false)
	delete(st.rows[storage], id)
	ids := st.ids[storage]
	if i := sort.SearchStrings(ids, id); i < len(ids) && ids[i] == id {
		st.ids[storage] = slices.Delete(ids, i, i+1)
	}
}
