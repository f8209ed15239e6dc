package pki

import (
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"slices"
	"time"
)

const (
	// serverValidity stays under the 398 days clients accept for a server certificate.
	serverValidity = 397 * 24 * time.Hour
	// renewBefore is how close to its end a server certificate is replaced at start.
	renewBefore = 30 * 24 * time.Hour
)

// defaultHosts are always in the server certificate, so that the server can be reached on the
// machine it runs on.
var defaultHosts = []string{"localhost", "127.0.0.1", "::1"}

// ServerCertificate loads the server's certificate from dir/server.crt and dir/server.key, or
// issues a new one when there is none or only a broken one, when it ends within 30 days, or
// when it does not name every host in hosts (plus localhost, 127.0.0.1 and ::1). It is
// checked only when called, so a server that runs for a year should call it again, say daily.
func (ca *CA) ServerCertificate(dir string, hosts []string) (tls.Certificate, error) {
	want := slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(hosts), defaultHosts...))))
	certPath, keyPath := filepath.Join(dir, "server.crt"), filepath.Join(dir, "server.key")
	cert, err := tls.LoadX509KeyPair(certPath, keyPath)
	if err == nil && cert.Leaf == nil {
		cert.Leaf, err = x509.ParseCertificate(cert.Certificate[0])
	}
	var pathErr *fs.PathError
	switch {
	case err == nil:
		ok, err := ca.stillGood(cert.Leaf, want)
		if err != nil {
			return tls.Certificate{}, fmt.Errorf("server certificate %s: %w", certPath, err)
		}
		if ok {
			return cert, nil
		}
	case errors.As(err, &pathErr) && !errors.Is(err, fs.ErrNotExist):
		return tls.Certificate{}, fmt.Errorf("load the server certificate: %w", err)
	}
	// Missing, expiring, for other hosts, or unreadable as a pair (as after a crash between
	// writing the key and the certificate): a new one costs nothing, the cars trust the CA.
	return ca.issueServer(certPath, keyPath, want)
}

// stillGood reports whether a server certificate may be kept. One the agency CA did not
// issue is an error, not replaced: cars trust only the agency CA, and someone put it there.
func (ca *CA) stillGood(leaf *x509.Certificate, hosts []string) (bool, error) {
	if err := leaf.CheckSignatureFrom(ca.cert); err != nil {
		return false, fmt.Errorf("not issued by the agency CA, which is all the cars trust; move it away to have one issued: %w", err)
	}
	if ca.now().Add(renewBefore).After(leaf.NotAfter) {
		return false, nil
	}
	for _, h := range hosts {
		if leaf.VerifyHostname(h) != nil {
			return false, nil
		}
	}
	return true, nil
}

func (ca *CA) issueServer(certPath, keyPath string, hosts []string) (tls.Certificate, error) {
	key, err := newKey()
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("issue the server certificate: %w", err)
	}
	tmpl := &x509.Certificate{
		Subject:     pkix.Name{Organization: []string{ca.Agency()}, CommonName: "patrol-alpr-server"},
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	leaf, err := ca.issue(tmpl, &key.PublicKey, serverValidity)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("issue the server certificate: %w", err)
	}
	kp, err := keyPEM(key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("issue the server certificate: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(certPath), 0o700); err != nil {
		return tls.Certificate{}, fmt.Errorf("issue the server certificate: %w", err)
	}
	// A crash between the two leaves a pair that does not load, and the next start issues
	// another.
	if err := writeFile(keyPath, kp, 0o600, true); err != nil {
		return tls.Certificate{}, fmt.Errorf("issue the server certificate: %w", err)
	}
	if err := writeFile(certPath, certPEM(leaf.Raw), 0o644, true); err != nil {
		return tls.Certificate{}, fmt.Errorf("issue the server certificate: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{leaf.Raw}, PrivateKey: key, Leaf: leaf}, nil
}
