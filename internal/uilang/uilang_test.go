package uilang

import (
	"maps"
	"testing"
)

func TestSet(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want map[string]string
	}{
		{"Debian default", map[string]string{"LANG": "C.UTF-8"}, map[string]string{"LANG": "C.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}},
		{"POSIX", map[string]string{"LANG": "POSIX"}, map[string]string{"LANG": "POSIX", "LC_MESSAGES": "en_US.UTF-8"}},
		{"C in LC_ALL hides the rest", map[string]string{"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}, map[string]string{"LANG": "fr_FR.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}},
		{"nothing set", map[string]string{}, map[string]string{"LC_MESSAGES": "en_US.UTF-8"}},
		{"a language", map[string]string{"LANG": "es_US.UTF-8"}, map[string]string{"LANG": "es_US.UTF-8"}},
		{"messages in a language", map[string]string{"LC_MESSAGES": "de_DE.UTF-8", "LANG": "C.UTF-8"}, map[string]string{"LC_MESSAGES": "de_DE.UTF-8", "LANG": "C.UTF-8"}},
		{"Catalan is not C", map[string]string{"LANG": "ca_ES.UTF-8"}, map[string]string{"LANG": "ca_ES.UTF-8"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := maps.Clone(c.env)
			Set(func(k string) string { return env[k] },
				func(k, v string) error { env[k] = v; return nil },
				func(k string) error { delete(env, k); return nil })
			if !maps.Equal(env, c.want) {
				t.Errorf("environment %v, want %v", env, c.want)
			}
		})
	}
}
