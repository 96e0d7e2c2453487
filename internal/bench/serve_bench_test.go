package bench

import (
	"net/http"
	"testing"
)

// BenchmarkServeWarm is the portal's own cost of one warm page, in process and one at a time:
// the handler from the request's cookie to the last byte, without the network or a client (its
// ns/op is CPU time per page; WarmPages64 shows what that becomes under load).
func BenchmarkServeWarm(b *testing.B) {
	r := sharedRig(b)
	clients := r.sessionClients(b, 1)
	cookie := r.cookieHeader(b, clients[0])
	for _, pg := range pages {
		path := r.resolve(b, pg.Path)
		target := r.PortalURL + path
		if status, _ := fetch(b, clients[0], target); status != http.StatusOK {
			continue
		}
		b.Run(pg.Name, func(b *testing.B) {
			b.ReportAllocs()
			inProcess(b, r.Server, target, cookie, b.N)
		})
	}
}
