package bench

import "testing"

func BenchmarkExplore(b *testing.B) {
	r := sharedRig(b)
	client := r.sessionClients(b, 1)[0]
	cookie := r.cookieHeader(b, client)
	for _, p := range []string{"/cc/orders?size=25", "/cc/orders?size=250", "/cc/", "/cc/profile", "/healthz"} {
		b.Run(p, func(b *testing.B) {
			inProcess(b, r.Server, r.PortalURL+p, cookie, 1)
			b.ReportAllocs()
			b.ResetTimer()
			inProcess(b, r.Server, r.PortalURL+p, cookie, b.N)
		})
	}
}
