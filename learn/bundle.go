package learn

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"
)

// LoadBundle reads the bundle the agency's server wrote for this car (car.crt, car.key,
// ca.crt in dir) and returns the TLS configuration for talking to that server: TLS 1.3, this
// car's certificate, and the agency CA as the only root, so that no other server, however
// publicly trusted, can pass for the agency's.
func LoadBundle(dir string) (*tls.Config, error) {
	certPath, keyPath, caPath := filepath.Join(dir, "car.crt"), filepath.Join(dir, "car.key"), filepath.Join(dir, "ca.crt")
	certPEM, err := os.ReadFile(certPath)
	if err != nil {
		return nil, fmt.Errorf("load the car's certificate: %w", err)
	}
	keyPEM, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, fmt.Errorf("load the car's key: %w", err)
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("load the car's certificate and key from %s and %s: %w", certPath, keyPath, err)
	}
	caPEM, err := os.ReadFile(caPath)
	if err != nil {
		return nil, fmt.Errorf("load the agency CA: %w", err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(caPEM) {
		return nil, fmt.Errorf("load the agency CA: %s holds no PEM certificate", caPath)
	}
	return &tls.Config{
		MinVersion:   tls.VersionTLS13,
		Certificates: []tls.Certificate{pair},
		RootCAs:      roots,
	}, nil
}
