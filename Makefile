# The two commands to start with: "make run" (the demo) and "make test".

GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/clientcenter/clientcenter/internal/app.Version=$(VERSION) \
           -X github.com/clientcenter/clientcenter/internal/server.Version=$(VERSION)

.PHONY: help run test check e2e bench lint build clean model generate axe

## help: this list
help:
	@sed -n 's/^## //p' $(MAKEFILE_LIST)

## run: the portal against a simulated Erp.Net with demo data (Ctrl+C stops it)
run:
	$(GO) run ./cmd/clientcenter demo

## test: every test, with the race detector, then a short run of the filter-literal fuzzer
test:
	$(GO) test -race -count=1 ./...
	$(GO) test -run '^$$' -fuzz '^FuzzStrLiteral$$' -fuzztime 10s ./internal/erpnet/

## check: the fast loop: lint, then every test but the browser tests, without the race detector
check: lint
	$(GO) test -count=1 $$($(GO) list ./... | grep -v /internal/e2e)

## e2e: the end-to-end tests (browser tests need Chromium)
e2e:
	$(GO) test -race -count=1 -run E2E ./...

## axe: axe-core (pinned), which the browser tests run on every page state they reach, into the
## git-ignored .tools/axe; without it they skip those checks, except in CI, where they fail
AXE_VERSION = 4.14.1
axe:
	npm install --no-save --no-audit --no-fund --no-package-lock --prefix .tools/axe axe-core@$(AXE_VERSION)

## bench: the benchmarks, without the tests: the portal as a whole (internal/bench: Erp.Net calls
## per page, warm throughput against a bare Gin handler, latency, cache memory, another customer's
## page view during an export storm; about two minutes on two cores), then every package's own.
## Counting benchmarks, and the storm (bounded in views and time), run once: their figures do not
## depend on repetition.
BENCH_PKGS = $(shell $(GO) list ./... | grep -v /internal/bench)
bench:
	$(GO) test -run '^$$' -bench 'Orders10k|WarmPages64' -benchtime 1s -timeout 10m ./internal/bench/
	$(GO) test -run '^$$' -bench 'UpstreamCalls|CacheMemory10kCustomers' -benchtime 1x -timeout 10m ./internal/bench/
	$(GO) test -run '^$$' -bench 'ExportStorm' -benchtime 1x -timeout 10m ./internal/bench/
	$(GO) test -run '^$$' -bench 'Replicas' -benchtime 5x -timeout 10m ./internal/bench/
	$(GO) test -run '^$$' -bench . -benchmem $(BENCH_PKGS)

## lint: go vet and staticcheck (pinned as a tool in go.mod), and gofmt must have nothing to say
lint:
	$(GO) vet ./...
	$(GO) tool staticcheck ./...
	@unformatted="$$(gofmt -l .)"; \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi

## build: a static binary in bin/
build:
	CGO_ENABLED=0 $(GO) build -ldflags "$(LDFLAGS)" -o bin/clientcenter ./cmd/clientcenter

## generate: the pages' Go code from their templ components (web/*.templ → web/*_templ.go, committed);
## templ is pinned as a tool in go.mod, so this needs only the module cache or the module proxy
generate:
	$(GO) tool templ generate -log-level warn -path web

## model: regenerate the simulator's model from a checkout of ErpNetDocs/model
## (make model DOCS=path/to/checkout), then review the diff of internal/erpnetsim/model/model.json
model:
	@test -n "$(DOCS)" || { echo "usage: make model DOCS=path/to/ErpNetDocs/model/checkout"; exit 2; }
	$(GO) run ./cmd/modelgen -docs "$(DOCS)" -out internal/erpnetsim/model/model.json

clean:
	rm -rf bin
