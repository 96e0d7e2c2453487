// Command modelgen writes the simulator's model.json from a checkout of ErpNetDocs/model:
//
//	go run ./cmd/modelgen -docs DIR [-out internal/erpnetsim/model/model.json] [-entities FILE]
//
// The repositories are those of internal/erpnetsim/modelgen/entities.txt unless -entities names
// another list. "make model DOCS=DIR" runs it.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/clientcenter/clientcenter/internal/erpnetsim/model"
	"github.com/clientcenter/clientcenter/internal/erpnetsim/modelgen"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

// run is main without the process, for the test; it returns the exit status (2: bad usage).
func run(args []string, stderr io.Writer) int {
	fl := flag.NewFlagSet("modelgen", flag.ContinueOnError)
	fl.SetOutput(stderr)
	docs := fl.String("docs", "", "a checkout of ErpNetDocs/model (or its entities directory)")
	out := fl.String("out", "internal/erpnetsim/model/model.json", "the JSON file to write")
	list := fl.String("entities", "", "a list of repositories, one a line (default: the embedded entities.txt)")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if *docs == "" || fl.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: modelgen -docs DIR [-out FILE] [-entities FILE]")
		return 2
	}
	repos := modelgen.Repositories()
	if *list != "" {
		b, err := os.ReadFile(*list)
		if err != nil {
			fmt.Fprintln(stderr, "modelgen:", err)
			return 1
		}
		repos = modelgen.ParseList(string(b))
	}
	m, err := modelgen.Generate(*docs, repos)
	if err == nil {
		err = write(*out, m)
	}
	if err != nil {
		fmt.Fprintln(stderr, "modelgen:", err)
		return 1
	}
	attrs, refs := 0, 0
	for _, e := range m.Entities {
		attrs += len(e.Attributes)
		refs += len(e.References)
	}
	fmt.Fprintf(stderr, "modelgen: %d entities, %d attributes, %d references written to %s\n",
		len(m.Entities), attrs, refs, *out)
	return 0
}

// write replaces path only when the model encodes, so that a failed run leaves the old file.
func write(path string, m *modelgen.Model) error {
	b, err := model.Marshal(m)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
