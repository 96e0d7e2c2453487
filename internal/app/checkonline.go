package app

import (
	"context"
	"fmt"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
	"github.com/clientcenter/clientcenter/internal/portal"
)

func init() { DefaultOnlineCheck = checkNewOrderSetup }

// checkNewOrderSetup checks what only Erp.Net can tell: that each instance with New Order on
// names a document type of sales orders (CC009), and a distribution channel and store it knows.
// An instance Erp.Net cannot be asked about is reported against erpnet.instance_url.
func checkNewOrderSetup(ctx context.Context, c *config.Config) config.Problems {
	var ps config.Problems
	var erp *erpnet.Client
	for i, in := range c.Instances {
		if !in.IsNewOrderEnabled || in.NewOrderDocumentType == "" {
			continue
		}
		if erp == nil {
			var err error
			erp, err = erpnet.NewClient(ctx, erpnet.Config{InstanceURL: c.ErpNet.InstanceURL, ClientID: c.ErpNet.ClientID,
				ClientSecret: c.ErpNet.ClientSecret.Value(), Scopes: c.ErpNet.Scopes, MaxConcurrent: c.ErpNet.MaxConcurrent,
				RequestsPerMinute: c.ErpNet.RequestsPerMinute, Timeout: c.ErpNet.Timeout, MaxRetries: c.ErpNet.MaxRetries})
			if err != nil {
				return append(ps, config.Problem{Key: "erpnet.instance_url", Message: err.Error()})
			}
		}
		svc := portal.New(portal.Deps{Instance: in, ERP: erp, Cache: cache.New(cache.Config{})})
		found, err := svc.SetupProblems(ctx)
		if err != nil {
			ps = append(ps, config.Problem{Key: "erpnet.instance_url",
				Message: fmt.Sprintf("Erp.Net could not be asked about instances[%d] (%s): %v", i, in.Name, err)})
			continue
		}
		for _, p := range found {
			msg := p.Detail
			if p.Code != "" {
				msg = p.Code + ": " + msg
			}
			ps = append(ps, config.Problem{Key: fmt.Sprintf("instances[%d].%s", i, p.Setting), Message: msg})
		}
	}
	return ps
}
