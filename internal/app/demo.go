package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/erpnetsim"
	"github.com/clientcenter/clientcenter/internal/server"
)

// demo runs "clientcenter demo": the simulated Erp.Net instance and the portal against it, with
// built-in settings, until ctx ends.
func (m *Main) demo(ctx context.Context, args []string) error {
	fs := m.newFlags("demo", "[-addr HOST:PORT] [-sim-addr HOST:PORT] [-scale N]")
	addr := fs.String("addr", "127.0.0.1:8080", "portal listen `address`; an address without a host listens on loopback only")
	simAddr := fs.String("sim-addr", "127.0.0.1:8090", "simulator listen `address`; an address without a host listens on loopback only")
	scale := fs.Int("scale", 1, "multiply the main customer's documents by `N`")
	if err := parseFlags(fs, args); err != nil {
		return err
	}

	simLn, simExposed, err := listen(*simAddr)
	if err != nil {
		return fmt.Errorf("demo: simulator: %w", err)
	}
	ln, exposed, err := listen(*addr)
	if err != nil {
		simLn.Close()
		return fmt.Errorf("demo: portal: %w", err)
	}
	simBase, portalBase := baseURL(simLn), baseURL(ln)
	sim := erpnetsim.New(erpnetsim.Options{BaseURL: simBase, Scale: *scale})
	// The simulator serves first: building the portal already asks it for auto-discovery.
	g := m.newGroup()
	g.start(served{simServer(sim), simLn})
	// fail releases the portal's listener, which no server owns yet, and stops the simulator.
	fail := func(err error) error {
		ln.Close()
		return errors.Join(fmt.Errorf("demo: %w", err), g.shutdown(ctx))
	}

	cfg := demoSettings(ln.Addr().String(), portalBase, simBase)
	if err := cfg.Validate(); err != nil {
		return fail(err)
	}
	logger, _, err := NewLogger(cfg.Log, m.Stderr)
	if err != nil {
		return fail(err)
	}
	defer func() { _ = logger.Sync() }()
	h, err := server.NewServer(server.Deps{Config: cfg, Logger: logger, Version: versionString()})
	if err != nil {
		return fail(err)
	}

	if simExposed || exposed {
		fmt.Fprintln(m.Stderr, "warning: the demo is reachable from other machines; it holds demo data and demo credentials only")
	}
	fmt.Fprintln(m.Stdout, "Client Center demo (demo data and demo credentials; not for production)")
	fmt.Fprintln(m.Stdout)
	fmt.Fprintln(m.Stdout, "Portal:")
	var rows [][2]string
	for _, in := range cfg.Instances {
		rows = append(rows, [2]string{in.Title, portalBase + in.Path() + "/"})
	}
	printRows(m.Stdout, rows)
	fmt.Fprintln(m.Stdout)
	fmt.Fprintln(m.Stdout, "Simulated Erp.Net:")
	printRows(m.Stdout, simURLs(simBase))
	fmt.Fprintln(m.Stdout)
	printSignIns(m.Stdout, sim.DemoUsers(), erpnetsim.DemoPassword)
	fmt.Fprintln(m.Stdout)
	fmt.Fprintf(m.Stdout, "Metrics (a token made for this run): curl -H 'Authorization: Bearer %s' %s/metrics\n", cfg.Metrics.Token.Value(), portalBase)
	fmt.Fprintln(m.Stdout)
	fmt.Fprintln(m.Stdout, "Stop with Ctrl+C.")

	g.start(served{newHTTPServer(h, logger), ln})
	m.setReady(ln.Addr().String(), simLn.Addr().String())
	return g.wait(ctx)
}

// demoSettings are the demo's built-in settings: the simulator's demo application, fresh session
// keys on every run, and two Client Centers, one with New Order on.
func demoSettings(listen, portalBase, simBase string) *config.Config {
	c := config.Defaults()
	c.Listen = listen
	c.PublicURL = portalBase
	c.Log = config.Log{Level: "info", Format: "console"}
	c.Session.HashKey, c.Session.BlockKey = randomKey(), randomKey()
	c.Metrics.Token = config.Secret(strings.NewReplacer("+", "", "/", "", "=", "").Replace(randomKey().Value()))
	c.ErpNet.InstanceURL = simBase
	// The simulator's demo trusted application; these credentials are demo-only.
	c.ErpNet.ClientID = erpnetsim.DemoClientID
	c.ErpNet.ClientSecret = erpnetsim.DemoClientSecret

	cc := config.DefaultInstance()
	cc.Name, cc.RelativeURL, cc.Title = "cc", "cc", "Client Center"
	cc.EnterpriseCompany = erpnetsim.EnterpriseCompanyName

	b2b := config.DefaultInstance()
	b2b.Name, b2b.RelativeURL, b2b.Title = "b2b", "b2b", "B2B Orders"
	b2b.EnterpriseCompany = erpnetsim.EnterpriseCompanyName
	b2b.IsNewOrderEnabled = true
	b2b.NewOrderDocumentType = erpnetsim.SalesOrderTypeCode
	b2b.DefaultStore = "MAIN" // New Order's lines show what the main store can promise

	c.Instances = []config.Instance{cc, b2b}
	return &c
}

// randomKey returns a fresh session key, base64 of config.KeyLen random bytes, so demo sessions
// never outlive the run.
func randomKey() config.Secret {
	b := make([]byte, config.KeyLen)
	_, _ = rand.Read(b) // crypto/rand.Read never returns an error; it aborts the process instead
	return config.Secret(base64.StdEncoding.EncodeToString(b))
}
