package erpnet

import "context"

// Context keys of the per-call options; unexported so only this package's helpers set them.
type (
	bulkKey    struct{}
	fairKey    struct{}
	cultureKey struct{}
	txKey      struct{}
)

// Bulk marks the calls made with the returned context as bulk work (printouts, ZIP and CSV
// exports that page through data): they wait behind every waiting page view, and when the client
// may send more than one request at a time, they never take the last free slot.
func Bulk(ctx context.Context) context.Context { return context.WithValue(ctx, bulkKey{}, true) }

// IsBulk reports whether ctx was marked with Bulk.
func IsBulk(ctx context.Context) bool {
	b, _ := ctx.Value(bulkKey{}).(bool)
	return b
}

// WithFairKey names who the calls made with the returned context are for (e.g. the customer's
// id): waiting calls of one lane are served round-robin across keys and in arrival order within
// a key, so one customer's burst cannot starve another's. Calls without a key share the key "".
func WithFairKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, fairKey{}, key)
}

// FairKey is the key set by WithFairKey, or "".
func FairKey(ctx context.Context) string {
	k, _ := ctx.Value(fairKey{}).(string)
	return k
}

// WithCulture makes the calls made with the returned context ask Erp.Net for answers in the
// viewer's language (e.g. "bg"): printouts and error messages. It is sent as the URL parameter
// culture=, which Erp.Net honours before the culture cookie and Accept-Language. An empty culture
// sends none, leaving Erp.Net's default (English).
func WithCulture(ctx context.Context, culture string) context.Context {
	return context.WithValue(ctx, cultureKey{}, culture)
}

// Culture is the language set by WithCulture, or "".
func Culture(ctx context.Context) string {
	c, _ := ctx.Value(cultureKey{}).(string)
	return c
}

// InTransaction makes the calls made with the returned context run inside tx: each carries the
// header "TransactionId: <id>", so Erp.Net applies its writes in memory (and calculates line
// prices) until tx is committed. A nil tx returns ctx unchanged.
func InTransaction(ctx context.Context, tx *Transaction) context.Context {
	if tx == nil {
		return ctx
	}
	return context.WithValue(ctx, txKey{}, tx)
}

// transactionFrom is the transaction set by InTransaction, or nil.
func transactionFrom(ctx context.Context) *Transaction {
	tx, _ := ctx.Value(txKey{}).(*Transaction)
	return tx
}
