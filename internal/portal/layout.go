package portal

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// A person's list layouts (columns and their order, the list's order, its grouping) are kept in
// the browser. With the instance's save_layout_in_erp, and on an Erp.Net that has a user's
// AdditionalDataJson (from 26.3.100.4), they are kept in Erp.Net too, on the person's own user
// record, so they follow the person to other browsers. The attribute is shared with other
// applications: the portal reads it, changes only its own key and writes it back with the
// record's ObjectVersion (read-modify-write, again once when another write came between).
// Child entities such as the access record do not have it, so the user record is the place.
//
// Under layoutKey the value is {"layouts": {"<instance>": {"<list>": ListLayout}}}.
const layoutKey = "clientcenter"

// layoutsSince is the first Erp.Net version whose users have AdditionalDataJson (model:
// Systems.Security.Users, introduced in 26.3.100.4).
var layoutsSince = [4]int{26, 3, 100, 4}

// ListLayout is a person's layout of one list: its column keys in order, its order ("key.asc"
// or "key.desc") and the column it is grouped by; empty fields are the list's default.
type ListLayout struct {
	Columns string `json:"cols,omitempty"`
	Sort    string `json:"sort,omitempty"`
	Group   string `json:"group,omitempty"`
}

// IsZero tells whether l is the list's default.
func (l ListLayout) IsZero() bool { return l == ListLayout{} }

// versionProbe remembers the connected Erp.Net's version, asked once (again after a failure,
// not sooner than a minute).
type versionProbe struct {
	mu      sync.Mutex
	version [4]int
	known   bool
	failed  time.Time
}

// parseVersion reads "26.3.100.4"; missing parts are 0.
func parseVersion(s string) ([4]int, bool) {
	var v [4]int
	parts := strings.Split(strings.TrimSpace(s), ".")
	if len(parts) == 0 || len(parts) > 4 {
		return v, false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return v, false
		}
		v[i] = n
	}
	return v, true
}

func versionAtLeast(v, min [4]int) bool {
	for i := range v {
		if v[i] != min[i] {
			return v[i] > min[i]
		}
	}
	return true
}

// LayoutsInERP tells whether layouts are kept in Erp.Net here: the setting is on and the
// server is recent enough (asked once with GetVersion). While Erp.Net cannot say, they are not.
func (s *Service) LayoutsInERP(ctx context.Context) bool {
	if !s.inst.SaveLayoutInERP {
		return false
	}
	p := &s.version
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.known {
		if !p.failed.IsZero() && s.now().Sub(p.failed) < time.Minute {
			return false
		}
		// Asked once for every request waiting here: not cut short by the first one's end.
		ask, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		text, err := s.erp.GetVersion(ask)
		cancel()
		v, ok := parseVersion(text)
		if err != nil || !ok {
			p.failed = s.now()
			return false
		}
		p.version, p.known = v, true
	}
	return versionAtLeast(p.version, layoutsSince)
}

// userData is what the portal reads and writes of a user record for layouts.
type userData struct {
	erpnet.Base
	AdditionalDataJSON string `json:"AdditionalDataJson"`
}

func (s *Service) readUserData(ctx context.Context, userID string) (userData, error) {
	var u userData
	err := s.erp.Get(ctx, erpnet.SetUsers, userID, erpnet.Query{}.Select("Id", "ObjectVersion", "AdditionalDataJson"), &u)
	return u, err
}

// appLayouts is this application's value in AdditionalDataJson.
type appLayouts struct {
	Layouts map[string]map[string]ListLayout `json:"layouts,omitempty"`
}

// splitUserData reads AdditionalDataJson: every application's key, and this one's layouts. A
// value that is not a JSON object is not the portal's to overwrite: errForeignData.
func splitUserData(text string) (map[string]json.RawMessage, appLayouts, error) {
	all := map[string]json.RawMessage{}
	var mine appLayouts
	if strings.TrimSpace(text) == "" {
		return all, mine, nil
	}
	if err := json.Unmarshal([]byte(text), &all); err != nil {
		return nil, mine, errForeignData
	}
	if raw, ok := all[layoutKey]; ok {
		_ = json.Unmarshal(raw, &mine) // a key of ours that does not read is written anew
	}
	return all, mine, nil
}

var errForeignData = errors.New("portal: the user's AdditionalDataJson is not a JSON object; layouts are kept in the browser only")

// SavedLayouts are v's layouts of this Client Center's lists as kept in Erp.Net, by list; nil
// when none are, or LayoutsInERP is false.
func (s *Service) SavedLayouts(ctx context.Context, v *Viewer) (map[string]ListLayout, error) {
	if !s.LayoutsInERP(ctx) || !validID(v.UserID) {
		return nil, nil
	}
	u, err := s.readUserData(ctx, v.UserID)
	if err != nil {
		return nil, err
	}
	_, mine, err := splitUserData(u.AdditionalDataJSON)
	if err != nil {
		return nil, nil
	}
	return mine.Layouts[s.inst.RelativeURL], nil
}

// SaveLayout keeps v's layout of list in Erp.Net (a zero layout forgets it), changing nothing
// else of the user record's AdditionalDataJson. Nothing is written when layouts are not kept in
// Erp.Net, or when the record already holds this layout.
func (s *Service) SaveLayout(ctx context.Context, v *Viewer, list string, l ListLayout) error {
	if !s.LayoutsInERP(ctx) || !validID(v.UserID) {
		return nil
	}
	var err error
	for range 2 { // again once, when another write came between the read and the write
		if err = s.saveLayout(ctx, v.UserID, list, l); err == nil || !isVersionConflict(err) {
			return err
		}
	}
	return err
}

func (s *Service) saveLayout(ctx context.Context, userID, list string, l ListLayout) error {
	u, err := s.readUserData(ctx, userID)
	if err != nil {
		return err
	}
	all, mine, err := splitUserData(u.AdditionalDataJSON)
	if err != nil {
		return err
	}
	inst := s.inst.RelativeURL
	if mine.Layouts[inst][list] == l {
		return nil
	}
	if mine.Layouts == nil {
		mine.Layouts = map[string]map[string]ListLayout{}
	}
	if mine.Layouts[inst] == nil {
		mine.Layouts[inst] = map[string]ListLayout{}
	}
	if l.IsZero() {
		delete(mine.Layouts[inst], list)
		if len(mine.Layouts[inst]) == 0 {
			delete(mine.Layouts, inst)
		}
	} else {
		mine.Layouts[inst][list] = l
	}
	if len(mine.Layouts) == 0 {
		delete(all, layoutKey)
	} else {
		raw, _ := json.Marshal(mine)
		all[layoutKey] = raw
	}
	text := ""
	if len(all) > 0 {
		b, _ := json.Marshal(all) // keys sorted: the same layouts write the same text
		text = string(b)
	}
	return s.erp.Patch(ctx, erpnet.SetUsers, userID, map[string]any{"ObjectVersion": u.ObjectVersion, "AdditionalDataJson": text})
}

// isVersionConflict tells whether Erp.Net may have refused a write for a stale ObjectVersion.
// The documentation gives no code for it, so any refusal of the request itself counts (not a
// missing record, not a limit): reading again and writing once more is harmless.
func isVersionConflict(err error) bool {
	var e *erpnet.Error
	return errors.As(err, &e) && e.Status >= 400 && e.Status < 500 && e.Status != 404 && e.Status != 429
}
