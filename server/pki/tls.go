package pki

import (
	"crypto/tls"
)

// ServerTLS is the server's TLS configuration: TLS 1.3 only, and a client certificate
// verified against the agency CA when the client offers one. Offering none is allowed so that
// /healthz and /metrics work without one; the HTTP layer demands an Identity on /api/.
func ServerTLS(ca *CA, cert tls.Certificate) *tls.Config {
	return &tls.Config{
		MinVersion:   tls.VersionTLS13,
		Certificates: []tls.Certificate{cert},
		ClientAuth:   tls.VerifyClientCertIfGiven,
		ClientCAs:    ca.Pool(),
		Time:         ca.now,
	}
}

// Identity is the vehicle a verified client certificate names.
type Identity struct {
	Agency, Vehicle, Kind string
	Serial                string // SerialHex; the HTTP layer checks it against revocations
}

// IdentityOf reads the vehicle from a connection's verified client certificate; ok is false
// when the client offered none, or one that names no vehicle.
func IdentityOf(cs *tls.ConnectionState) (id Identity, ok bool) {
	if cs == nil || len(cs.VerifiedChains) == 0 || len(cs.VerifiedChains[0]) == 0 {
		return Identity{}, false
	}
	leaf := cs.VerifiedChains[0][0]
	s := leaf.Subject
	if len(s.Organization) != 1 || len(s.OrganizationalUnit) != 1 || s.CommonName == "" {
		return Identity{}, false
	}
	if kind := s.OrganizationalUnit[0]; kind != KindCar && kind != KindFixed {
		return Identity{}, false
	}
	return Identity{
		Agency:  s.Organization[0],
		Vehicle: s.CommonName,
		Kind:    s.OrganizationalUnit[0],
		Serial:  SerialHex(leaf.SerialNumber),
	}, true
}
