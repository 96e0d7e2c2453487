package app

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"text/tabwriter"
	"time"

	"github.com/clientcenter/clientcenter/internal/erpnetsim"
)

// simulate runs "clientcenter simulate": only the simulated Erp.Net instance, for trying the
// portal or another client against it, until ctx ends.
func (m *Main) simulate(ctx context.Context, args []string) error {
	fs := m.newFlags("simulate", "[-addr HOST:PORT] [flags]")
	addr := fs.String("addr", "127.0.0.1:8090", "listen `address`; an address without a host listens on loopback only")
	scale := fs.Int("scale", 1, "multiply the main customer's documents by `N`")
	latency := fs.Duration("latency", 0, "delay every request by `D`")
	errorRate := fs.Float64("error-rate", 0, "fail this `fraction` (0..1) of Domain API requests with 500")
	outage := fs.Bool("outage", false, "answer every request with 503")
	rateLimit := fs.Int("rate-limit", 0, "answer 429 above `N` Domain API requests a minute (0: no limit)")
	tokenLifetime := fs.Duration("token-lifetime", time.Hour, "lifetime `D` of access tokens")
	clientID := fs.String("client-id", erpnetsim.DemoClientID, "the trusted application's client `id` (demo only)")
	clientSecret := fs.String("client-secret", erpnetsim.DemoClientSecret, "the trusted application's `secret` (demo only)")
	password := fs.String("password", erpnetsim.DemoPassword, "the `password` of every seeded user (demo only)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *errorRate < 0 || *errorRate > 1 {
		fmt.Fprintf(m.Stderr, "clientcenter simulate: -error-rate %v is not between 0 and 1\n", *errorRate)
		return errUsage
	}

	ln, exposed, err := listen(*addr)
	if err != nil {
		return fmt.Errorf("simulate: %w", err)
	}
	base := baseURL(ln)
	opts := erpnetsim.Options{
		BaseURL:       base,
		ClientID:      *clientID,
		ClientSecret:  *clientSecret,
		Password:      *password,
		Scale:         *scale,
		TokenLifetime: *tokenLifetime,
		Faults: erpnetsim.Faults{
			Latency:   *latency,
			ErrorRate: *errorRate,
			Outage:    *outage,
			RateLimit: *rateLimit,
		},
	}
	if ln.Addr().(*net.TCPAddr).IP.IsUnspecified() {
		// Reached under several names: let each request's Host name the instance.
		opts.BaseURL = ""
	}
	sim := erpnetsim.New(opts)

	if exposed {
		fmt.Fprintf(m.Stderr, "warning: the simulator listens on %s and is reachable from other machines; it holds demo data and demo credentials only\n", ln.Addr())
	}
	fmt.Fprintln(m.Stdout, "Simulated Erp.Net instance (demo data; not a real Erp.Net)")
	printRows(m.Stdout, append(simURLs(base),
		[2]string{"trusted app", fmt.Sprintf("client id %s, secret %s (demo only)", *clientID, *clientSecret)}))
	fmt.Fprintln(m.Stdout)
	printSignIns(m.Stdout, sim.DemoUsers(), *password)

	m.setReady(ln.Addr().String(), "")
	return m.serveAll(ctx, served{simServer(sim), ln})
}

// simServer serves the simulator with the same timeouts as the portal.
func simServer(sim http.Handler) *http.Server {
	return &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
}

// simURLs lists the simulator's addresses a person or a client needs.
func simURLs(base string) [][2]string {
	return [][2]string{
		{"instance", base},
		{"identity", base + "/id"},
		{"domain api", base + "/api/domain/odata/"},
		{"auto-discovery", base + "/sys/auto-discovery"},
		{"fault knobs", base + "/_sim/faults"},
	}
}

// printRows writes name/value rows as an indented, aligned table.
func printRows(w io.Writer, rows [][2]string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range rows {
		fmt.Fprintf(tw, "  %s\t%s\n", r[0], r[1])
	}
	_ = tw.Flush()
}

// printSignIns lists the seeded users with their role and customer.
func printSignIns(w io.Writer, users []erpnetsim.DemoUser, password string) {
	fmt.Fprintf(w, "Demo sign-ins (password %q):\n", password)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  LOGIN\tROLE\tCUSTOMER")
	for _, u := range users {
		customer := u.Customer
		if customer == "" {
			customer = "-"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", u.Login, u.Role, customer)
	}
	_ = tw.Flush()
}
