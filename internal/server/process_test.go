package server

import (
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/clientcenter/clientcenter/config"
)

// TestReloadKeepsWhatTheSettingsDidNotChange: a settings reload builds a new Server on the same
// process: the cache, the Erp.Net client (its session and limiter), the ended sessions and the
// metrics stay unless their own settings changed; ended sessions and metrics always stay.
func TestReloadKeepsWhatTheSettingsDidNotChange(t *testing.T) {
	cfg := config.Defaults()
	cfg.ErpNet.InstanceURL, cfg.ErpNet.ClientID, cfg.ErpNet.ClientSecret = "http://127.0.0.1:1", "cc", "test-only"
	first, err := NewProcess(&cfg, zap.NewNop(), nil)
	if err != nil {
		t.Fatal(err)
	}
	first.Revocations.Revoke("session-1", time.Now().Add(time.Hour))

	titleOnly := cfg
	titleOnly.PublicURL = "https://portal.example"
	same, err := first.Next(&titleOnly, zap.NewNop(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if same.ERP != first.ERP || same.Cache != first.Cache || same.metrics != first.metrics {
		t.Error("a reload that changed neither erpnet nor cache rebuilt the client, the cache or the metrics")
	}

	moved := cfg
	moved.ErpNet.InstanceURL = "http://127.0.0.1:2" // another Erp.Net: its data is not the old one's
	other, err := first.Next(&moved, zap.NewNop(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if other.ERP == first.ERP || other.Cache == first.Cache {
		t.Error("another Erp.Net instance kept the old client or the old instance's cached data")
	}
	resized := cfg
	resized.Cache.MaxEntries = 123
	if next, err := first.Next(&resized, zap.NewNop(), nil); err != nil || next.Cache == first.Cache || next.ERP != first.ERP {
		t.Error("new cache settings kept the old cache, or rebuilt the unchanged client")
	}
	if other.metrics != first.metrics || !other.Revocations.IsRevoked("session-1") {
		t.Error("a reload lost the metrics or forgot a signed-out session")
	}
}
