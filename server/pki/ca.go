package pki

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// caValidity is how long a new CA lasts; every car's certificate ends by then.
const caValidity = 10 * 365 * 24 * time.Hour

// skew is how far back a new certificate's validity starts, for clocks that run behind.
const skew = time.Hour

// CA is the agency's certificate authority.
type CA struct {
	cert    *x509.Certificate
	certPEM []byte
	key     *ecdsa.PrivateKey
	now     func() time.Time
}

// LoadOrCreateCA loads the CA from dir/ca.crt and dir/ca.key, or creates one for agency
// there when neither file exists. now is the clock for everything the CA issues; nil means
// time.Now. An agency other than the loaded CA's is an error; "" accepts any.
func LoadOrCreateCA(dir, agency string, now func() time.Time) (*CA, error) {
	if now == nil {
		now = time.Now
	}
	certPath, keyPath := filepath.Join(dir, "ca.crt"), filepath.Join(dir, "ca.key")
	_, certErr := os.Stat(certPath)
	_, keyErr := os.Stat(keyPath)
	switch {
	case certErr == nil && keyErr == nil:
		return loadCA(certPath, keyPath, agency, now)
	case errors.Is(certErr, os.ErrNotExist) && errors.Is(keyErr, os.ErrNotExist):
		return createCA(dir, agency, now)
	case certErr == nil && errors.Is(keyErr, os.ErrNotExist):
		return nil, fmt.Errorf("load the agency CA: %s is there but %s is not: restore the key from a backup, or move %s away to make a new CA (every car then needs a new bundle)", certPath, keyPath, certPath)
	case keyErr == nil && errors.Is(certErr, os.ErrNotExist):
		return nil, fmt.Errorf("load the agency CA: %s is there but %s is not: restore the certificate from a backup", keyPath, certPath)
	default:
		return nil, fmt.Errorf("load the agency CA from %s: %w", dir, errors.Join(certErr, keyErr))
	}
}

func createCA(dir, agency string, now func() time.Time) (*CA, error) {
	if err := checkName("agency", agency); err != nil {
		return nil, fmt.Errorf("create the agency CA: %w", err)
	}
	key, err := newKey()
	if err != nil {
		return nil, fmt.Errorf("create the agency CA: %w", err)
	}
	serial, err := newSerial()
	if err != nil {
		return nil, fmt.Errorf("create the agency CA: %w", err)
	}
	t := now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{Organization: []string{agency}, CommonName: agency + " Patrol ALPR CA"},
		NotBefore:             t.Add(-skew),
		NotAfter:              t.Add(caValidity),
		IsCA:                  true,
		BasicConstraintsValid: true,
		MaxPathLenZero:        true, // it signs cars and the server, never another CA
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("create the agency CA: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("create the agency CA: %w", err)
	}
	kp, err := keyPEM(key)
	if err != nil {
		return nil, fmt.Errorf("create the agency CA: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create the agency CA: %w", err)
	}
	// Never replace: another process creating the CA at the same moment must not end up
	// holding a CA that is not the one on disk.
	if err := writeFile(filepath.Join(dir, "ca.key"), kp, 0o600, false); err != nil {
		return nil, fmt.Errorf("create the agency CA: %w", err)
	}
	ca := &CA{cert: cert, certPEM: certPEM(der), key: key, now: now}
	if err := writeFile(filepath.Join(dir, "ca.crt"), ca.certPEM, 0o644, false); err != nil {
		return nil, fmt.Errorf("create the agency CA: %w", err)
	}
	return ca, nil
}

func loadCA(certPath, keyPath, agency string, now func() time.Time) (*CA, error) {
	fi, err := os.Stat(keyPath)
	if err != nil {
		return nil, fmt.Errorf("load the agency CA: %w", err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("load the agency CA: %s may be read by others (mode %v); chmod 600 it", keyPath, perm)
	}
	kb, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, fmt.Errorf("load the agency CA: %w", err)
	}
	key, err := parseKey(kb)
	if err != nil {
		return nil, fmt.Errorf("load the agency CA: %s: %w", keyPath, err)
	}
	cb, err := os.ReadFile(certPath)
	if err != nil {
		return nil, fmt.Errorf("load the agency CA: %w", err)
	}
	cert, err := parseCert(cb)
	if err != nil {
		return nil, fmt.Errorf("load the agency CA: %s: %w", certPath, err)
	}
	switch {
	case !cert.IsCA:
		return nil, fmt.Errorf("load the agency CA: %s is not a CA certificate", certPath)
	case !key.PublicKey.Equal(cert.PublicKey):
		return nil, fmt.Errorf("load the agency CA: %s is not the key of %s", keyPath, certPath)
	case agency != "" && agencyOf(cert) != agency:
		return nil, fmt.Errorf("load the agency CA: %s is %q's CA, not %q's", certPath, agencyOf(cert), agency)
	case !now().Before(cert.NotAfter):
		return nil, fmt.Errorf("load the agency CA: %s expired on %s; make a new CA and new bundles for every car", certPath, cert.NotAfter.Format(time.DateOnly))
	}
	return &CA{cert: cert, certPEM: certPEM(cert.Raw), key: key, now: now}, nil
}

// Agency is the agency the CA belongs to.
func (ca *CA) Agency() string { return agencyOf(ca.cert) }

// Certificate is the CA's own certificate.
func (ca *CA) Certificate() *x509.Certificate { return ca.cert }

// CertPEM is the CA's certificate as written to ca.crt, for bundles and for clients.
func (ca *CA) CertPEM() []byte { return ca.certPEM }

// Pool holds the CA alone, as the only root for verifying cars and the server.
func (ca *CA) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(ca.cert)
	return p
}

// issue signs a certificate for pub, ending no later than the CA does.
func (ca *CA) issue(tmpl *x509.Certificate, pub *ecdsa.PublicKey, validity time.Duration) (*x509.Certificate, error) {
	serial, err := newSerial()
	if err != nil {
		return nil, err
	}
	t := ca.now()
	tmpl.SerialNumber = serial
	tmpl.NotBefore = t.Add(-skew)
	tmpl.NotAfter = t.Add(validity)
	if tmpl.NotAfter.After(ca.cert.NotAfter) {
		tmpl.NotAfter = ca.cert.NotAfter
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, pub, ca.key)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

func agencyOf(c *x509.Certificate) string {
	if len(c.Subject.Organization) != 1 {
		return ""
	}
	return c.Subject.Organization[0]
}

// checkName refuses names that would make a confusing certificate subject.
func checkName(what, s string) error {
	if s == "" || len(s) > 64 {
		return fmt.Errorf("%s %q: must have 1 to 64 bytes", what, s)
	}
	for _, r := range s {
		if r < ' ' || r == 0x7f {
			return fmt.Errorf("%s %q: control characters are not allowed", what, s)
		}
	}
	return nil
}
