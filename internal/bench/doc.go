// Package bench measures the portal as a whole: the simulator and the portal run in-process and
// are driven the way browsers drive them. It holds benchmarks only (run them with `make bench`):
// upstream calls per page view, cold and warm; warm-page throughput as a ratio to a bare Gin
// handler writing the same bytes, under one and under 64 concurrent sessions; latency
// percentiles; allocations; the memory the cache holds for 10,000 customers; and the wait of
// another customer's page view while one person exports.
package bench
