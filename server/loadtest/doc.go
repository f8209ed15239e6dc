// Package loadtest drives the agency server the way a fleet would. It starts the real
// patrol-alpr-server binary on loopback, registers simulated cars each with its own
// certificate from the agency CA, and has every car send one detection a second with its plate
// crop and scene (about 30 KB together) as a real car does: a wire.Batch over TLS 1.3 with the
// car's client certificate, waiting out a busy server's Retry-After with jitter. It measures
// how long every request takes to be acknowledged, samples the CPU of the server and its
// PostgreSQL and the server's memory, and at the end checks on the database that every
// acknowledged detection is stored exactly once.
package loadtest
