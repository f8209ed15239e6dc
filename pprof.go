package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/app"
)

// profiler serves Go's profiles of the running app (net/http/pprof) and the frames each pane
// has shown, so the window can be profiled while an officer is signed in and reading, which
// is when its time and memory matter, without stopping it.
type profiler struct {
	srv  *http.Server
	ln   net.Listener
	done chan struct{}
}

// errNotLoopback: the profiles show memory, goroutine stacks and the command line, so they
// are served to this computer only.
var errNotLoopback = errors.New("not a loopback address")

// startProfiler listens on addr (host:port, the host a loopback address such as 127.0.0.1,
// [::1] or localhost) and serves /debug/pprof/ and /debug/panes until Close; frames reports
// each pane's frames shown and dropped (nil until the window exists).
func startProfiler(addr string, frames func() map[alpr.CameraID]app.PaneFrames) (*profiler, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("profile on %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("profile on %q: %w (use 127.0.0.1:PORT)", addr, errNotLoopback)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("profile on %q: %w", addr, err)
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); !ok || !tcp.IP.IsLoopback() { // localhost resolved elsewhere
		ln.Close()
		return nil, fmt.Errorf("profile on %q: %w", addr, errNotLoopback)
	}
	// Its own mux: importing net/http/pprof also registers on http.DefaultServeMux, which
	// nothing in the app serves.
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.HandleFunc("/debug/panes", func(w http.ResponseWriter, _ *http.Request) {
		n := map[alpr.CameraID]app.PaneFrames{}
		if frames != nil {
			n = frames()
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(n)
	})
	p := &profiler{
		srv:  &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second},
		ln:   ln,
		done: make(chan struct{}),
	}
	go func() {
		defer close(p.done)
		_ = p.srv.Serve(ln) // ErrServerClosed after Close
	}()
	return p, nil
}

// Addr is the address the profiles are served on (the port chosen when addr named port 0).
func (p *profiler) Addr() string { return p.ln.Addr().String() }

// Close stops serving, ending a profile in progress, and waits for the server to stop.
func (p *profiler) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := p.srv.Shutdown(ctx)
	if err != nil {
		err = p.srv.Close()
	}
	<-p.done
	return err
}
