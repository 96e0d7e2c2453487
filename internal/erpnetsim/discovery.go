package erpnetsim

import (
	"net/http"
	"net/url"
)

// simDBName is the database name the instance reports, also carried in tokens as client_db.
const simDBName = "demo"

// discoveryDoc is the auto-discovery answer: the instance and its web sites.
type discoveryDoc struct {
	Host     string          `json:"Host"`
	DbName   string          `json:"DbName"`
	WebSites []discoverySite `json:"WebSites"`
}

// discoverySite is one web site of the instance.
type discoverySite struct {
	Type                 string            `json:"Type"`   // ID | DomainAPI | ClientCenter | WebClient | TableAPI
	Status               string            `json:"Status"` // Working | NotWorking | Unknown
	URL                  string            `json:"Url"`
	System               bool              `json:"System"`
	AdditionalProperties map[string]string `json:"AdditionalProperties,omitempty"`
}

// autoDiscovery handles "GET /sys/auto-discovery" and its older path "GET /tools/auto-discovery".
// The ClientCenter, WebClient and TableAPI sites are listed, as a real instance lists its sites,
// but the simulator does not serve them.
func (s *Sim) autoDiscovery(w http.ResponseWriter, r *http.Request) {
	base := s.baseURL(r)
	host := r.Host
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		host = u.Host
	}
	writePlainJSON(w, http.StatusOK, discoveryDoc{Host: host, DbName: simDBName, WebSites: []discoverySite{
		{Type: "ID", Status: "Working", URL: base + "/id", System: true},
		{Type: "DomainAPI", Status: "Working", URL: base + "/api", System: false,
			AdditionalProperties: map[string]string{"ODataServiceRoot": s.odataRoot(r)}},
		{Type: "ClientCenter", Status: "Working", URL: base + "/cc", System: false},
		{Type: "WebClient", Status: "Working", URL: base + "/client", System: false},
		{Type: "TableAPI", Status: "NotWorking", URL: base + "/api/table", System: false},
	}})
}
