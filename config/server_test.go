package config

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateServerSettings(t *testing.T) {
	tests := []struct {
		name   string
		cfg    Config
		places []string // the places the problems name; none: valid
	}{
		{"no server", Config{}, nil},
		{"https with bundle", Config{ServerURL: "https://alpr.example:8443", ServerBundle: "/etc/patrol-alpr/bundle"}, nil},
		{"https without bundle", Config{ServerURL: "https://alpr.example:8443"}, []string{"server_bundle"}},
		{"bundle without server", Config{ServerBundle: "/etc/patrol-alpr/bundle"}, []string{"server_bundle"}},
		{"not a URL", Config{ServerURL: "alpr.example"}, []string{"server_url"}},
		{"negative warning", Config{OutboxWarn: -1}, []string{"outbox_warn"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if len(tc.places) == 0 {
				if err != nil {
					t.Fatalf("Validate() = %v", err)
				}
				return
			}
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("Validate() = %v, want Problems", err)
			}
			var got []string
			for _, p := range ps {
				got = append(got, p.Place)
			}
			if strings.Join(got, ",") != strings.Join(tc.places, ",") {
				t.Fatalf("problems at %v, want %v (%v)", got, tc.places, err)
			}
		})
	}
}
