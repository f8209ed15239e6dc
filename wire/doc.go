// Package wire holds what the car and the agency server say to each other: the sync batch
// and its reply, the hot-list index, and the audit chain's hash, which both sides must
// compute alike. It imports nothing of either side, so the car never links the server's
// code (or pgx) and the server never links the car's.
package wire
