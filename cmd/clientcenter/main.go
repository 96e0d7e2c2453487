// Command clientcenter is the Client Center portal for Erp.Net: serve, demo, simulate,
// check-config and version. Run it without arguments for usage.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/clientcenter/clientcenter/internal/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	m := app.NewMain(os.Args[1:], os.Stdout, os.Stderr)
	err := m.Run(ctx)
	stop()
	if cerr := m.Close(); err == nil && cerr != nil {
		err = cerr
	}
	os.Exit(app.Report(os.Stderr, err))
}
