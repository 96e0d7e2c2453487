package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/clientcenter/clientcenter/config"
)

// checkConfig runs "clientcenter check-config -config FILE [-online]": it lists every problem
// of the settings and exits 2, or prints "ok" with a summary and exits 0.
func (m *Main) checkConfig(ctx context.Context, args []string) error {
	fs := m.newFlags("check-config", "[-config FILE] [-online [-write-probe]]")
	path := fs.String("config", "config.yaml", "settings `file` (YAML)")
	online := fs.Bool("online", false, "also check the settings against the Erp.Net instance, and try every query the pages make")
	writeProbe := fs.Bool("write-probe", false, "with -online: also place a test order in a transaction that is rolled back (nothing is saved)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := config.Load(*path)
	if err != nil {
		fmt.Fprintf(m.Stdout, "%s: not ok\n", *path)
		printProblems(m.Stdout, err)
		return &ExitError{Code: ExitInvalid}
	}
	if *online {
		if m.CheckOnline == nil {
			return &ExitError{Code: ExitFailure, Err: errors.New("check-config -online: checks against Erp.Net are not available in this build")}
		}
		if ps := m.CheckOnline(ctx, cfg, OnlineOptions{Out: m.Stdout, WriteProbe: *writeProbe}); len(ps) > 0 {
			fmt.Fprintf(m.Stdout, "%s: not ok\n", *path)
			printProblems(m.Stdout, ps)
			return &ExitError{Code: ExitInvalid}
		}
	}
	fmt.Fprintf(m.Stdout, "%s: ok\n", *path)
	printSummary(m.Stdout, cfg)
	return nil
}

// printProblems writes each problem of a settings error on its own line.
func printProblems(w io.Writer, err error) {
	var ps config.Problems
	if errors.As(err, &ps) {
		for _, p := range ps {
			fmt.Fprintf(w, "  %s\n", p)
		}
		return
	}
	for line := range strings.SplitSeq(err.Error(), "\n") {
		fmt.Fprintf(w, "  %s\n", line)
	}
}

// printSummary writes what the settings will serve, secrets only as set or unset.
func printSummary(w io.Writer, c *config.Config) {
	fmt.Fprintf(w, "listen %s, public URL %s\n", c.Listen, c.PublicURL)
	fmt.Fprintf(w, "Erp.Net %s as %s, scopes %s\n", c.ErpNet.InstanceURL, c.ErpNet.ClientID, strings.Join(c.ErpNet.Scopes, " "))
	fmt.Fprintf(w, "secrets: %s\n", strings.Join(c.Secrets(), ", "))
	fmt.Fprintf(w, "%d instance(s):\n", len(c.Instances))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, in := range c.Instances {
		newOrder := "off"
		if in.IsNewOrderEnabled {
			newOrder = "on (" + in.NewOrderDocumentType + ")"
		}
		orders := "off"
		if in.IsOrdersEnabled {
			orders = "on"
		}
		fmt.Fprintf(tw, "  %s\t%s/\t%q\tenterprise company %q\torders %s, new order %s\tlanguages %s\n",
			in.Name, in.Path(), in.Title, in.EnterpriseCompany, orders, newOrder, strings.Join(in.Languages, ","))
	}
	_ = tw.Flush()
}
