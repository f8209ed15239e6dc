// Package pki is the agency's certificate authority: it issues the server's TLS certificate
// and one client certificate per car or fixed camera, and tells the HTTP layer which vehicle
// is on the other end of a connection.
//
// Keys are ECDSA P-256 and live in PEM files readable by their owner only. Revocation is not
// decided here: the HTTP layer looks the certificate's serial up in the database on every
// request, so a revoked car is shut out at once without CRLs.
package pki
