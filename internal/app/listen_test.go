package app

import (
	"net"
	"testing"
)

func TestListenDefaultsToLoopback(t *testing.T) {
	tests := []struct {
		addr        string
		wantLoop    bool
		wantExposed bool
	}{
		{":0", true, false},
		{"127.0.0.1:0", true, false},
		{"localhost:0", true, false},
		{"0.0.0.0:0", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			ln, exposed, err := listen(tt.addr)
			if err != nil {
				t.Fatalf("listen(%q): %v", tt.addr, err)
			}
			defer ln.Close()
			ip := ln.Addr().(*net.TCPAddr).IP
			if got := ip.IsLoopback(); got != tt.wantLoop {
				t.Errorf("listen(%q) bound %s; loopback = %v, want %v", tt.addr, ip, got, tt.wantLoop)
			}
			if exposed != tt.wantExposed {
				t.Errorf("listen(%q) exposed = %v, want %v", tt.addr, exposed, tt.wantExposed)
			}
		})
	}
	if _, _, err := listen("8090"); err == nil {
		t.Error(`listen("8090") succeeded; want an error for an address without a port`)
	}
}
