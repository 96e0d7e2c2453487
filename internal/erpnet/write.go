package erpnet

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// NewID is a fresh GUID, e.g. for an ExternalId that makes a creation idempotent.
func NewID() string { return uuid.NewString() }

// Create makes an entity of set from body (a struct or map marshalled to JSON; references as
// Ref values, which send {"@odata.id":...}) and decodes the answer into out (nil to skip). The
// server chooses the new entity's Id.
//
// A plain create is not safe to repeat. To create idempotently, as the docs describe (dev
// erpnet-action.md), give the body "@erpnet.action":"merge" with an ExternalId (see Merge): the
// server then finds the entity of that ExternalId and updates it instead of creating a second,
// so a retry after a lost answer, or the caller repeating the same call, makes one entity.
func (c *Client) Create(ctx context.Context, set string, body, out any) error {
	if err := checkIdent("entity set", set); err != nil {
		return err
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("erpnet: POST %s: encoding the body: %w", set, err)
	}
	if len(raw) == 0 || raw[0] != '{' {
		return fmt.Errorf("erpnet: POST %s: the body must be an object", set)
	}
	resp, err := c.do(ctx, call{method: http.MethodPost, target: set, set: set, body: raw})
	if err != nil {
		return err
	}
	return decodeInto(http.MethodPost+" "+set, resp.body, out)
}

// Merge marks what a create or a nested line is found by: "@erpnet.action":"merge" with
// "@erpnet.findBy" on ExternalId and ExternalSystem. Embed it in a body (its fields are inlined).
type Merge struct {
	Action         string      `json:"@erpnet.action"`
	FindBy         MergeFindBy `json:"@erpnet.findBy"`
	ExternalID     string      `json:"ExternalId"`
	ExternalSystem string      `json:"ExternalSystem,omitempty"`
}

// MergeFindBy is the find criterion of a Merge.
type MergeFindBy struct {
	ExternalID     string `json:"ExternalId"`
	ExternalSystem string `json:"ExternalSystem,omitempty"`
}

// MergeBy is the Merge of the entity known by externalID in externalSystem.
func MergeBy(externalID, externalSystem string) Merge {
	return Merge{Action: "merge", FindBy: MergeFindBy{ExternalID: externalID, ExternalSystem: externalSystem},
		ExternalID: externalID, ExternalSystem: externalSystem}
}

// Patch changes the given properties of the entity id of set. For optimistic locking, put the
// ObjectVersion that was read into body: Erp.Net then refuses the change if the entity changed
// since.
func (c *Client) Patch(ctx context.Context, set, id string, body any) error {
	q := From(set).Key(id)
	if err := q.Err(); err != nil {
		return err
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("erpnet: PATCH %s: encoding the body: %w", set, err)
	}
	_, err = c.do(ctx, call{method: http.MethodPatch, target: q.String(), set: set, body: raw})
	return err
}

// Delete deletes the entity id of set.
func (c *Client) Delete(ctx context.Context, set, id string) error {
	q := From(set).Key(id)
	if err := q.Err(); err != nil {
		return err
	}
	_, err := c.do(ctx, call{method: http.MethodDelete, target: q.String(), set: set})
	return err
}

// Action calls the bound action name on the entity id of set with params (marshalled to JSON,
// nil for none) and decodes its result into out (nil to skip).
func (c *Client) Action(ctx context.Context, set, id, name string, params, out any) error {
	q := From(set).Key(id)
	if err := q.Err(); err != nil {
		return err
	}
	if err := checkIdent("action", name); err != nil {
		return err
	}
	raw := []byte("{}")
	if params != nil {
		var err error
		if raw, err = json.Marshal(params); err != nil {
			return fmt.Errorf("erpnet: POST %s/%s: encoding the parameters: %w", set, name, err)
		}
	}
	resp, err := c.do(ctx, call{method: http.MethodPost, target: q.String() + "/" + name, set: set + "/" + name, body: raw})
	if err != nil {
		return err
	}
	return decodeInto(http.MethodPost+" "+set+"/"+name, resp.body, out)
}

// MakeVoid voids the document id of set with a reason. It cannot be undone.
func (c *Client) MakeVoid(ctx context.Context, set, id, reason string) error {
	return c.Action(ctx, set, id, "MakeVoid", map[string]string{"reason": reason, "voidType": "VoidDocument"}, nil)
}

// ChangeState moves the document id of set to state (e.g. StateFirmPlanned).
func (c *Client) ChangeState(ctx context.Context, set, id, state string) error {
	if StateRank(state) < 0 {
		return fmt.Errorf("erpnet: unknown document state %q", state)
	}
	return c.Action(ctx, set, id, "ChangeState", map[string]string{"newState": state}, nil)
}

// GetPrintout is the PDF printout of the document id of set. Erp.Net answers it as Base64 in
// {"value":"..."}; anything that does not decode to a PDF is an error.
func (c *Client) GetPrintout(ctx context.Context, set, id string) ([]byte, error) {
	var res struct {
		Value string `json:"value"`
	}
	if err := c.Action(ctx, set, id, "GetPrintout", map[string]string{"fileFormat": "pdf"}, &res); err != nil {
		return nil, err
	}
	pdf, err := base64.StdEncoding.DecodeString(res.Value)
	if err != nil {
		return nil, fmt.Errorf("erpnet: GetPrintout %s: the printout is not Base64: %w", set, err)
	}
	if !strings.HasPrefix(string(pdf[:min(len(pdf), 5)]), "%PDF") {
		return nil, fmt.Errorf("erpnet: GetPrintout %s: the printout is not a PDF", set)
	}
	return pdf, nil
}

// GetVersion is the Erp.Net server version, e.g. "26.1.3.97".
func (c *Client) GetVersion(ctx context.Context) (string, error) {
	resp, err := c.do(ctx, call{method: http.MethodGet, target: "GetVersion", set: "GetVersion"})
	if err != nil {
		return "", err
	}
	var v struct {
		Version string `json:"version"`
		Value   string `json:"value"`
	}
	if err := json.Unmarshal(resp.body, &v); err != nil {
		return "", fmt.Errorf("erpnet: GET GetVersion: %w", err)
	}
	if v.Version == "" {
		v.Version = v.Value
	}
	if v.Version == "" {
		return "", errors.New("erpnet: GET GetVersion: no version in the answer")
	}
	return v.Version, nil
}

// decodeInto decodes an answer into out, when the caller wants it and there is one (204 has none).
func decodeInto(op string, body []byte, out any) error {
	if out == nil || len(strings.TrimSpace(string(body))) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("erpnet: %s: decoding the answer: %w", op, err)
	}
	return nil
}

// CompareVersions compares two Erp.Net versions such as "25.1.2.86" part by part, as numbers:
// -1, 0 or 1. A missing or unreadable part counts as 0.
func CompareVersions(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := range max(len(pa), len(pb)) {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		if x != y {
			return cmp.Compare(x, y)
		}
	}
	return 0
}
