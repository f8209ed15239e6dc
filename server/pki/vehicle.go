package pki

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// The kinds of vehicle a certificate can name, in its Subject's OU.
const (
	KindCar   = "car"   // a patrol car's in-car reader
	KindFixed = "fixed" // a fixed camera
)

// ErrBundleExists means a directory already holds a car key that WriteDir was not told to replace.
var ErrBundleExists = errors.New("a car key is already there")

// Bundle is what a car needs to talk to the server: its key and certificate, and the CA.
type Bundle struct {
	CertPEM, KeyPEM, CAPEM []byte
	Serial                 string // SerialHex of the certificate; the key revocation is looked up by
	NotAfter               time.Time
	Agency, Vehicle, Kind  string
}

// IssueVehicle makes a key and a client certificate for a car or fixed camera: Subject
// O=agency, OU=kind, CN=vehicle, usable only for TLS client authentication, valid for
// validity but not past the CA's own end.
func (ca *CA) IssueVehicle(agency, vehicle, kind string, validity time.Duration) (Bundle, error) {
	if err := checkName("agency", agency); err != nil {
		return Bundle{}, fmt.Errorf("issue a certificate for %s: %w", vehicle, err)
	}
	if err := checkName("vehicle", vehicle); err != nil {
		return Bundle{}, fmt.Errorf("issue a certificate: %w", err)
	}
	if kind != KindCar && kind != KindFixed {
		return Bundle{}, fmt.Errorf("issue a certificate for %s: kind %q is neither %q nor %q", vehicle, kind, KindCar, KindFixed)
	}
	if validity <= 0 {
		return Bundle{}, fmt.Errorf("issue a certificate for %s: validity %v is not positive", vehicle, validity)
	}
	key, err := newKey()
	if err != nil {
		return Bundle{}, fmt.Errorf("issue a certificate for %s: %w", vehicle, err)
	}
	leaf, err := ca.issue(&x509.Certificate{
		Subject:     pkix.Name{Organization: []string{agency}, OrganizationalUnit: []string{kind}, CommonName: vehicle},
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}, &key.PublicKey, validity)
	if err != nil {
		return Bundle{}, fmt.Errorf("issue a certificate for %s: %w", vehicle, err)
	}
	kp, err := keyPEM(key)
	if err != nil {
		return Bundle{}, fmt.Errorf("issue a certificate for %s: %w", vehicle, err)
	}
	return Bundle{
		CertPEM:  certPEM(leaf.Raw),
		KeyPEM:   kp,
		CAPEM:    ca.CertPEM(),
		Serial:   SerialHex(leaf.SerialNumber),
		NotAfter: leaf.NotAfter,
		Agency:   agency,
		Vehicle:  vehicle,
		Kind:     kind,
	}, nil
}

// WriteMode says whether WriteDir may replace a bundle that is already there.
type WriteMode int

const (
	// CreateOnly refuses, with ErrBundleExists, a directory that holds a car key.
	CreateOnly WriteMode = iota
	// Replace overwrites the bundle in the directory, as when a car's certificate is renewed.
	Replace
)

// WriteDir writes the bundle as the car reads it: dir/car.key (0600), dir/car.crt and
// dir/ca.crt.
func (b Bundle) WriteDir(dir string, mode WriteMode) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("write %s's bundle: %w", b.Vehicle, err)
	}
	// The key goes first and, unless replacing, only where there is none, so that a car's
	// working key is never lost to a slip of the operator.
	err := writeFile(filepath.Join(dir, "car.key"), b.KeyPEM, 0o600, mode == Replace)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("write %s's bundle to %s: %w", b.Vehicle, dir, ErrBundleExists)
	}
	if err != nil {
		return fmt.Errorf("write %s's bundle: %w", b.Vehicle, err)
	}
	for _, f := range []struct {
		name string
		data []byte
	}{{"car.crt", b.CertPEM}, {"ca.crt", b.CAPEM}} {
		if err := writeFile(filepath.Join(dir, f.name), f.data, 0o644, true); err != nil {
			return fmt.Errorf("write %s's bundle: %w", b.Vehicle, err)
		}
	}
	return nil
}
