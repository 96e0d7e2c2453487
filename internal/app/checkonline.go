package app

import (
	"context"
	"fmt"
	"io"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
	"github.com/clientcenter/clientcenter/internal/portal"
)

func init() { DefaultOnlineCheck = checkOnline }

// minVersion is the oldest Erp.Net the portal supports: Finance_Payments_PaymentBalances (Due
// Payments, invoice statuses) has its name, DueStatus and RemainingAmount from 25.1.2.86 on.
const minVersion = "25.1.2.86"

// checkOnline checks what only Erp.Net can tell. It reports the server's version and whether it
// is one the portal supports; for each instance, that New Order's settings name a document type
// of sales orders (CC009), a distribution channel and a store the server knows; and it sends
// every query shape the instance's pages use, one at a time, reporting each one the server
// refuses with its message and the page it would break. With WriteProbe it also places a test
// order inside a front-end transaction that it rolls back, and reports the prices calculated.
func checkOnline(ctx context.Context, c *config.Config, o OnlineOptions) config.Problems {
	out := o.Out
	if out == nil {
		out = io.Discard
	}
	var ps config.Problems
	erp, err := erpnet.NewClient(ctx, erpnet.Config{InstanceURL: c.ErpNet.InstanceURL, ClientID: c.ErpNet.ClientID,
		ClientSecret: c.ErpNet.ClientSecret.Value(), Scopes: c.ErpNet.Scopes, MaxConcurrent: 1,
		RequestsPerMinute: c.ErpNet.RequestsPerMinute, Timeout: c.ErpNet.Timeout, MaxRetries: c.ErpNet.MaxRetries})
	if err != nil {
		return append(ps, config.Problem{Key: "erpnet.instance_url", Message: err.Error()})
	}
	version, err := erp.GetVersion(ctx)
	if err != nil {
		return append(ps, config.Problem{Key: "erpnet.instance_url", Message: "Erp.Net could not be asked its version: " + err.Error()})
	}
	if erpnet.CompareVersions(version, minVersion) < 0 {
		ps = append(ps, config.Problem{Key: "erpnet.instance_url", Message: fmt.Sprintf(
			"Erp.Net %s is older than %s, the oldest the portal supports (Finance_Payments_PaymentBalances)", version, minVersion)})
	}
	fmt.Fprintf(out, "Erp.Net %s (the portal supports %s and later)\n", version, minVersion)
	for i, in := range c.Instances {
		svc := portal.New(portal.Deps{Instance: in, ERP: erp, Cache: cache.New(cache.Config{})})
		at := func(setting string) string { return fmt.Sprintf("instances[%d].%s", i, setting) }
		if svc.NewOrderOn() {
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
				ps = append(ps, config.Problem{Key: at(p.Setting), Message: msg})
			}
			if len(found) > 0 {
				continue // the pages' probes would only repeat it
			}
		}
		probes, err := svc.SelfTest(ctx)
		if err != nil {
			ps = append(ps, config.Problem{Key: at("enterprise_company"), Message: "the pages could not be tried: " + err.Error()})
			continue
		}
		refused := 0
		for _, p := range probes {
			if p.Err != nil {
				refused++
				ps = append(ps, config.Problem{Key: fmt.Sprintf("instances[%d] (%s) page %s", i, in.Name, p.Page),
					Message: fmt.Sprintf("Erp.Net refused the query for %s: %v", p.What, p.Err)})
			}
		}
		fmt.Fprintf(out, "instances[%d] (%s): %d queries of its pages tried, %d refused\n", i, in.Name, len(probes), refused)
		if o.WriteProbe && svc.NewOrderOn() {
			report, err := svc.WriteProbe(ctx)
			if err != nil {
				ps = append(ps, config.Problem{Key: at("new_order_document_type"), Message: "the test order failed: " + err.Error()})
				continue
			}
			fmt.Fprintf(out, "instances[%d] (%s): %s\n", i, in.Name, report)
		}
	}
	return ps
}
