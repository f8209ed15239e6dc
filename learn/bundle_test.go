package learn

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testCA stands in for the agency's; the car's tests do not import the server's packages.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

func newTestCA(t *testing.T) testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return testCA{cert, key}
}

// leaf issues a certificate for a client (the car) or a server on 127.0.0.1; it returns the
// certificate's and key's PEM.
func (ca testCA) leaf(t *testing.T, cn string, usage x509.ExtKeyUsage) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{usage}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder})
}

func (ca testCA) pem() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.cert.Raw})
}

// writeBundle lays out a bundle as the server's `car add` writes it.
func writeBundle(t *testing.T, ca testCA, vehicle string) string {
	t.Helper()
	dir := t.TempDir()
	certPEM, keyPEM := ca.leaf(t, vehicle, x509.ExtKeyUsageClientAuth)
	for name, data := range map[string][]byte{"car.crt": certPEM, "car.key": keyPEM, "ca.crt": ca.pem()} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// bundleServer is a TLS server that demands a car certificate from ca and answers with
// the car's name.
func bundleServer(t *testing.T, ca, serverCA testCA) *httptest.Server {
	t.Helper()
	certPEM, keyPEM := serverCA.leaf(t, "server", x509.ExtKeyUsageServerAuth)
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca.cert)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(r.TLS.PeerCertificates[0].Subject.CommonName))
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{pair}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is the test's point
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// getWithBundle fetches url with the car's TLS configuration and returns the body.
func getWithBundle(cfg *tls.Config, url string) (string, error) {
	tr := &http.Transport{TLSClientConfig: cfg}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr, Timeout: 10 * time.Second}).Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

func TestLoadBundleTalksToTheAgencyOnly(t *testing.T) {
	agency := newTestCA(t)
	cfg, err := LoadBundle(writeBundle(t, agency, "2317"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.MinVersion != tls.VersionTLS13 {
		t.Errorf("MinVersion %x, want TLS 1.3", cfg.MinVersion)
	}
	tests := []struct {
		name     string
		serverCA testCA
		ok       bool
	}{
		{"the agency's server", agency, true},
		{"a server certified by someone else", newTestCA(t), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			car, err := getWithBundle(cfg, bundleServer(t, agency, tt.serverCA).URL)
			if (err == nil) != tt.ok {
				t.Fatalf("request error %v, want success %v", err, tt.ok)
			}
			if tt.ok && car != "2317" {
				t.Errorf("server saw car %q, want 2317", car)
			}
		})
	}
}

func TestLoadBundleNamesTheFileThatFailed(t *testing.T) {
	agency := newTestCA(t)
	tests := []struct {
		name  string
		spoil func(t *testing.T, dir string)
		want  []string
	}{
		{"no car.crt", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, "car.crt")) }, []string{"car.crt"}},
		{"no car.key", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, "car.key")) }, []string{"car.key"}},
		{"no ca.crt", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, "ca.crt")) }, []string{"ca.crt"}},
		{"ca.crt not PEM", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "ca.crt"), []byte("not a certificate"), 0o600)
		}, []string{"ca.crt", "no PEM certificate"}},
		{"key of another certificate", func(t *testing.T, dir string) {
			_, otherKey := agency.leaf(t, "9999", x509.ExtKeyUsageClientAuth)
			os.WriteFile(filepath.Join(dir, "car.key"), otherKey, 0o600)
		}, []string{"car.crt", "car.key"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeBundle(t, agency, "2317")
			tt.spoil(t, dir)
			_, err := LoadBundle(dir)
			if err == nil {
				t.Fatal("LoadBundle succeeded")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %s", err, w)
				}
			}
		})
	}
}
