package pki

import (
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCAReloadsTheSameCA(t *testing.T) {
	dir := t.TempDir()
	first, err := LoadOrCreateCA(dir, "Springfield PD", nil)
	if err != nil {
		t.Fatal(err)
	}
	again, err := LoadOrCreateCA(dir, "Springfield PD", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Certificate().Equal(first.Certificate()) || !again.key.Equal(first.key) {
		t.Fatal("reloading the CA gave another CA")
	}
	// What the reloaded CA signs, the first one's pool accepts.
	b := issue(t, again, "2317", KindCar, time.Hour)
	leaf, err := parseCert(b.CertPEM)
	if err != nil {
		t.Fatal(err)
	}
	opts := x509.VerifyOptions{Roots: first.Pool(), KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	if _, err := leaf.Verify(opts); err != nil {
		t.Errorf("car certificate from the reloaded CA: %v", err)
	}
	c := first.Certificate()
	if c.Subject.Organization[0] != "Springfield PD" || !c.IsCA {
		t.Errorf("CA subject %v, IsCA %v", c.Subject, c.IsCA)
	}
	if years := c.NotAfter.Sub(c.NotBefore).Hours() / 24 / 365; years < 9.9 || years > 10.1 {
		t.Errorf("CA valid for %.1f years, want 10", years)
	}
}

func TestCARefuses(t *testing.T) {
	tests := []struct {
		name   string
		spoil  func(t *testing.T, dir string) // applied to a directory holding a good CA
		agency string
		want   []string
	}{
		{"another agency's CA", func(*testing.T, string) {}, "Shelbyville PD", []string{`"Springfield PD"`, `"Shelbyville PD"`}},
		{"key readable by others", func(t *testing.T, dir string) {
			chmod(t, filepath.Join(dir, "ca.key"), 0o644)
		}, "Springfield PD", []string{"ca.key", "chmod 600"}},
		{"certificate without its key", func(t *testing.T, dir string) {
			remove(t, filepath.Join(dir, "ca.key"))
		}, "Springfield PD", []string{filepath.Join("ca.key") + " is not", "backup"}},
		{"key without its certificate", func(t *testing.T, dir string) {
			remove(t, filepath.Join(dir, "ca.crt"))
		}, "Springfield PD", []string{"ca.crt is not", "backup"}},
		{"key of another CA", func(t *testing.T, dir string) {
			other := t.TempDir()
			if _, err := LoadOrCreateCA(other, "Springfield PD", nil); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(filepath.Join(other, "ca.key"), filepath.Join(dir, "ca.key")); err != nil {
				t.Fatal(err)
			}
		}, "Springfield PD", []string{"is not the key of"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if _, err := LoadOrCreateCA(dir, "Springfield PD", nil); err != nil {
				t.Fatal(err)
			}
			tt.spoil(t, dir)
			_, err := LoadOrCreateCA(dir, tt.agency, nil)
			if err == nil {
				t.Fatal("LoadOrCreateCA succeeded")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

func TestNewCANeedsAnAgency(t *testing.T) {
	if _, err := LoadOrCreateCA(t.TempDir(), "", nil); err == nil {
		t.Fatal("made a CA for no agency")
	}
}

func TestFileModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pki")
	ca, err := LoadOrCreateCA(dir, "Springfield PD", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ca.ServerCertificate(dir, nil); err != nil {
		t.Fatal(err)
	}
	car := filepath.Join(t.TempDir(), "bundle")
	if err := issue(t, ca, "2317", KindCar, time.Hour).WriteDir(car, CreateOnly); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		want os.FileMode
	}{
		{dir, os.ModeDir | 0o700},
		{filepath.Join(dir, "ca.key"), 0o600},
		{filepath.Join(dir, "ca.crt"), 0o644},
		{filepath.Join(dir, "server.key"), 0o600},
		{filepath.Join(dir, "server.crt"), 0o644},
		{car, os.ModeDir | 0o700},
		{filepath.Join(car, "car.key"), 0o600},
		{filepath.Join(car, "car.crt"), 0o644},
		{filepath.Join(car, "ca.crt"), 0o644},
	}
	for _, tt := range tests {
		fi, err := os.Stat(tt.path)
		if err != nil {
			t.Error(err)
			continue
		}
		if fi.Mode() != tt.want {
			t.Errorf("%s: mode %v, want %v", tt.path, fi.Mode(), tt.want)
		}
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func chmod(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

func remove(t *testing.T, path string) {
	t.Helper()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
}
