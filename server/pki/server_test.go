package pki

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestServerCertificate(t *testing.T) {
	start := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		later   time.Duration // the clock at the second call, after the first
		hosts   []string      // at the second call
		spoil   func(t *testing.T, dir string)
		renewed bool
	}{
		{"kept while fresh", 24 * time.Hour, nil, nil, false},
		{"kept 31 days before its end", 366 * 24 * time.Hour, nil, nil, false},
		{"renewed 29 days before its end", 368 * 24 * time.Hour, nil, nil, true},
		{"reissued for a new host name", 0, []string{"alpr.springfield.example"}, nil, true},
		{"reissued when key and certificate do not match", 0, nil, func(t *testing.T, dir string) {
			other := t.TempDir()
			ca, err := LoadOrCreateCA(other, "Springfield PD", nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ca.ServerCertificate(other, nil); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(filepath.Join(other, "server.key"), filepath.Join(dir, "server.key")); err != nil {
				t.Fatal(err)
			}
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := start
			dir := t.TempDir()
			ca, err := LoadOrCreateCA(dir, "Springfield PD", func() time.Time { return clock })
			if err != nil {
				t.Fatal(err)
			}
			first, err := ca.ServerCertificate(dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range []string{"localhost", "127.0.0.1", "::1"} {
				if err := first.Leaf.VerifyHostname(h); err != nil {
					t.Errorf("new server certificate: %v", err)
				}
			}
			if tt.spoil != nil {
				tt.spoil(t, dir)
			}
			clock = clock.Add(tt.later)
			second, err := ca.ServerCertificate(dir, tt.hosts)
			if err != nil {
				t.Fatal(err)
			}
			if renewed := !second.Leaf.Equal(first.Leaf); renewed != tt.renewed {
				t.Errorf("renewed = %v, want %v", renewed, tt.renewed)
			}
			for _, h := range tt.hosts {
				if err := second.Leaf.VerifyHostname(h); err != nil {
					t.Error(err)
				}
			}
			if second.Leaf.NotAfter.Sub(clock) < 30*24*time.Hour {
				t.Errorf("certificate ends %v, within 30 days of %v", second.Leaf.NotAfter, clock)
			}
		})
	}
}

func TestServerCertificateOfAnotherCAIsNotReplaced(t *testing.T) {
	dir, other := t.TempDir(), t.TempDir()
	ca, err := LoadOrCreateCA(dir, "Springfield PD", nil)
	if err != nil {
		t.Fatal(err)
	}
	foreign, err := LoadOrCreateCA(other, "Springfield PD", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := foreign.ServerCertificate(other, nil); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"server.crt", "server.key"} {
		if err := os.Rename(filepath.Join(other, f), filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	_, err = ca.ServerCertificate(dir, nil)
	if err == nil || !strings.Contains(err.Error(), "not issued by the agency CA") {
		t.Fatalf("error %v; want a refusal of the foreign certificate", err)
	}
}
