package pki

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// clientTLS is what the car's learn.LoadBundle builds from a bundle, built here from memory
// because server packages do not import the car's.
func clientTLS(t *testing.T, b Bundle) *tls.Config {
	t.Helper()
	pair, err := tls.X509KeyPair(b.CertPEM, b.KeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	cfg := trustOnly(t, b.CAPEM)
	cfg.Certificates = []tls.Certificate{pair}
	return cfg
}

// trustOnly is a TLS 1.3 client config with no certificate of its own.
func trustOnly(t *testing.T, caPEM []byte) *tls.Config {
	t.Helper()
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(caPEM) {
		t.Fatal("no CA certificate")
	}
	return &tls.Config{MinVersion: tls.VersionTLS13, RootCAs: roots}
}

func issue(t *testing.T, ca *CA, vehicle, kind string, validity time.Duration) Bundle {
	t.Helper()
	b, err := ca.IssueVehicle("Springfield PD", vehicle, kind, validity)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// reply is what the test server says about the connection it was asked over.
type reply struct {
	OK       bool
	Identity Identity
}

func TestHandshake(t *testing.T) {
	const agency = "Springfield PD"
	dir := t.TempDir()
	ca, err := LoadOrCreateCA(dir, agency, nil)
	if err != nil {
		t.Fatal(err)
	}
	serverCert, err := ca.ServerCertificate(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := IdentityOf(r.TLS)
		json.NewEncoder(w).Encode(reply{ok, id})
	}))
	srv.TLS = ServerTLS(ca, serverCert)
	srv.Config.ErrorLog = log.New(testLog{t}, "server: ", 0) // refused handshakes, shown with -v
	srv.StartTLS()
	defer srv.Close()

	// An impostor CA with the same agency name, as someone copying the subject would make.
	impostor, err := LoadOrCreateCA(t.TempDir(), agency, nil)
	if err != nil {
		t.Fatal(err)
	}
	pastCA, err := LoadOrCreateCA(dir, agency, func() time.Time { return time.Now().Add(-48 * time.Hour) })
	if err != nil {
		t.Fatal(err)
	}
	car := issue(t, ca, "2317", KindCar, 24*time.Hour)
	camera := issue(t, ca, "BRIDGE-7", KindFixed, 24*time.Hour)
	serverAsClient := trustOnly(t, ca.CertPEM())
	serverAsClient.Certificates = []tls.Certificate{serverCert}
	tls12 := clientTLS(t, car)
	tls12.MinVersion, tls12.MaxVersion = tls.VersionTLS12, tls.VersionTLS12

	tests := []struct {
		name   string
		client *tls.Config
		want   *Identity // nil: the handshake fails
	}{
		{"car", clientTLS(t, car), &Identity{agency, "2317", KindCar, car.Serial}},
		{"fixed camera", clientTLS(t, camera), &Identity{agency, "BRIDGE-7", KindFixed, camera.Serial}},
		{"no certificate", trustOnly(t, ca.CertPEM()), &Identity{}},
		{"car of another CA", clientTLS(t, issue(t, impostor, "2317", KindCar, 24*time.Hour)), nil},
		{"expired car", clientTLS(t, issue(t, pastCA, "2317", KindCar, 24*time.Hour)), nil},
		{"server certificate used as a car's", serverAsClient, nil},
		{"TLS 1.2", tls12, nil},
		{"car trusting another CA", trustOnly(t, impostor.CertPEM()), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := &http.Transport{TLSClientConfig: tt.client}
			defer tr.CloseIdleConnections()
			resp, err := (&http.Client{Transport: tr, Timeout: 10 * time.Second}).Get(srv.URL)
			if tt.want == nil {
				if err == nil {
					resp.Body.Close()
					t.Fatalf("request succeeded with status %s; want the handshake refused", resp.Status)
				}
				return
			}
			if err != nil {
				t.Fatalf("request: %v", err)
			}
			defer resp.Body.Close()
			if resp.TLS.Version != tls.VersionTLS13 {
				t.Errorf("TLS version %x, want 1.3", resp.TLS.Version)
			}
			var got reply
			if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
				t.Fatal(err)
			}
			if wantOK := *tt.want != (Identity{}); got.OK != wantOK || got.Identity != *tt.want {
				t.Errorf("IdentityOf = %+v, %v; want %+v, %v", got.Identity, got.OK, *tt.want, wantOK)
			}
		})
	}
}

// testLog sends a logger's lines to the test's log.
type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func TestIdentityOfNothing(t *testing.T) {
	if id, ok := IdentityOf(nil); ok {
		t.Errorf("IdentityOf(nil) = %+v", id)
	}
	if id, ok := IdentityOf(&tls.ConnectionState{}); ok {
		t.Errorf("IdentityOf(no chains) = %+v", id)
	}
}
