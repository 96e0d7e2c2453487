package app

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// Version is the release, set at build time with
// -ldflags "-X github.com/clientcenter/clientcenter/internal/app.Version=v1.2.3".
var Version = ""

// version runs "clientcenter version".
func (m *Main) version(args []string) error {
	fs := m.newFlags("version", "")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "clientcenter %s (%s)\n", versionString(), runtime.Version())
	return nil
}

// versionString is Version, or the module version the binary was built from, or "dev".
func versionString() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
