package pki

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestIssueVehicle(t *testing.T) {
	ca, err := LoadOrCreateCA(t.TempDir(), "Springfield PD", nil)
	if err != nil {
		t.Fatal(err)
	}
	b := issue(t, ca, "2317", KindCar, 365*24*time.Hour)
	leaf, err := parseCert(b.CertPEM)
	if err != nil {
		t.Fatal(err)
	}
	s := leaf.Subject
	if s.Organization[0] != "Springfield PD" || s.OrganizationalUnit[0] != KindCar || s.CommonName != "2317" {
		t.Errorf("subject %v", s)
	}
	if leaf.SerialNumber.BitLen() < 100 || b.Serial != SerialHex(leaf.SerialNumber) || len(b.Serial) != 32 {
		t.Errorf("serial %s (%d bits)", b.Serial, leaf.SerialNumber.BitLen())
	}
	if !b.NotAfter.Equal(leaf.NotAfter) || !bytes.Equal(b.CAPEM, ca.CertPEM()) {
		t.Error("bundle does not describe its certificate")
	}
	if other := issue(t, ca, "2317", KindCar, time.Hour); other.Serial == b.Serial {
		t.Error("two certificates with one serial")
	}
	if long := issue(t, ca, "2318", KindCar, 50*365*24*time.Hour); !long.NotAfter.Equal(ca.Certificate().NotAfter) {
		t.Errorf("a certificate outliving the CA: ends %v, CA %v", long.NotAfter, ca.Certificate().NotAfter)
	}
}

func TestIssueVehicleRefuses(t *testing.T) {
	ca, err := LoadOrCreateCA(t.TempDir(), "Springfield PD", nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, agency, vehicle, kind string
		validity                    time.Duration
		want                        string
	}{
		{"unknown kind", "Springfield PD", "2317", "truck", time.Hour, `"truck"`},
		{"no vehicle", "Springfield PD", "", KindCar, time.Hour, "vehicle"},
		{"no agency", "", "2317", KindCar, time.Hour, "agency"},
		{"control character", "Springfield PD", "23\n17", KindCar, time.Hour, "control"},
		{"no validity", "Springfield PD", "2317", KindCar, 0, "not positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ca.IssueVehicle(tt.agency, tt.vehicle, tt.kind, tt.validity)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one saying %s", err, tt.want)
			}
		})
	}
}

func TestWriteDirKeepsAnExistingKey(t *testing.T) {
	ca, err := LoadOrCreateCA(t.TempDir(), "Springfield PD", nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "2317")
	first, second := issue(t, ca, "2317", KindCar, time.Hour), issue(t, ca, "2317", KindCar, time.Hour)
	if err := first.WriteDir(dir, CreateOnly); err != nil {
		t.Fatal(err)
	}
	if err := second.WriteDir(dir, CreateOnly); !errors.Is(err, ErrBundleExists) {
		t.Fatalf("second WriteDir: %v, want ErrBundleExists", err)
	}
	assertFile(t, filepath.Join(dir, "car.key"), first.KeyPEM)
	assertFile(t, filepath.Join(dir, "car.crt"), first.CertPEM)
	if err := second.WriteDir(dir, Replace); err != nil {
		t.Fatalf("WriteDir(Replace): %v", err)
	}
	assertFile(t, filepath.Join(dir, "car.key"), second.KeyPEM)
	assertFile(t, filepath.Join(dir, "car.crt"), second.CertPEM)
	assertFile(t, filepath.Join(dir, "ca.crt"), ca.CertPEM())
}

func assertFile(t *testing.T, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s does not hold what was written", path)
	}
}
