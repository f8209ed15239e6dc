// Package cli is the agency server's command line: serve, and the administrator's commands
// (cars and fixed cameras, operators, hot lists, retention and evidence holds). With no
// database address it runs its own PostgreSQL cluster under the data directory, so that
// `patrol-alpr-server serve` works on a fresh machine with nothing configured.
package cli
