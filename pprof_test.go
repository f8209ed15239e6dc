package main

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"patrol-alpr/alpr"
	"patrol-alpr/app"
)

func TestProfilerServesOnLoopbackOnly(t *testing.T) {
	for _, tc := range []struct {
		name, addr string
		refused    bool
	}{
		{"IPv4 loopback", "127.0.0.1:0", false},
		{"localhost", "localhost:0", false},
		{"every interface", ":0", true},
		{"every IPv4 interface", "0.0.0.0:0", true},
		{"a LAN address", "192.168.1.5:0", true},
		{"no port", "127.0.0.1", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := startProfiler(tc.addr, nil)
			if tc.refused {
				if err == nil {
					p.Close()
					t.Fatalf("startProfiler(%q) served, want refused", tc.addr)
				}
				return
			}
			if err != nil {
				t.Fatalf("startProfiler(%q): %v", tc.addr, err)
			}
			if err := p.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
	}
	if _, err := startProfiler("0.0.0.0:0", nil); !errors.Is(err, errNotLoopback) {
		t.Errorf("0.0.0.0: error %v, want errNotLoopback", err)
	}
}

func TestProfilerServesProfilesAndPaneFrames(t *testing.T) {
	frames := map[alpr.CameraID]app.PaneFrames{alpr.Cam1: {Shown: 150}, alpr.Cam2: {Shown: 149, Dropped: 2}, alpr.Cam3: {Shown: 151}}
	p, err := startProfiler("127.0.0.1:0", func() map[alpr.CameraID]app.PaneFrames { return frames })
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	get := func(path string) string {
		t.Helper()
		resp, err := http.Get("http://" + p.Addr() + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %s\n%s", path, resp.Status, b)
		}
		return string(b)
	}
	if heap := get("/debug/pprof/heap?debug=1"); !strings.Contains(heap, "heap profile") {
		t.Errorf("heap profile not served: %.200s", heap)
	}
	if g := get("/debug/pprof/goroutine?debug=1"); !strings.Contains(g, "goroutine profile") {
		t.Errorf("goroutine profile not served: %.200s", g)
	}
	if cpu := get("/debug/pprof/profile?seconds=1"); len(cpu) == 0 {
		t.Error("empty CPU profile")
	}
	var got map[alpr.CameraID]app.PaneFrames
	if err := json.Unmarshal([]byte(get("/debug/panes")), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[alpr.Cam2] != (app.PaneFrames{Shown: 149, Dropped: 2}) {
		t.Errorf("/debug/panes = %v, want %v", got, frames)
	}
}

func TestProfilerBeforeTheWindow(t *testing.T) {
	p, err := startProfiler("127.0.0.1:0", func() map[alpr.CameraID]app.PaneFrames { return nil })
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	resp, err := http.Get("http://" + p.Addr() + "/debug/panes")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if strings.TrimSpace(string(b)) != "null" && strings.TrimSpace(string(b)) != "{}" {
		t.Errorf("/debug/panes before the window = %q, want no panes", b)
	}
}
