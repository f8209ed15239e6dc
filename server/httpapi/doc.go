// Package httpapi is the agency server's API for cars and fixed cameras: sync batches in,
// hot lists out, health and metrics. Handlers are thin: they establish who is calling (the
// client certificate of the agency's CA, checked against the database on every request so a
// revocation acts at once), decode, call the store, and encode. Under load the server says so
// (503 with Retry-After) instead of queueing without bound.
package httpapi
