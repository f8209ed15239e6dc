package cli

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"testing"
	"time"

	"patrol-alpr/server/pki"
)

// TestConnectionMemory: a car's connection does not keep a batch-sized buffer once its batch
// is read. Each of conns cars posts bodies of bodySize over its own HTTP/2 connection and
// keeps the connection open, as cars do between syncs; the heap still in use afterwards,
// per connection, server's and client's together, must stay under one body (measured: 135 kB;
// with Go's default 1 MB frames, 656 kB, which was 215 MB of the server's heap at 500 cars).
func TestConnectionMemory(t *testing.T) {
	const (
		conns    = 40
		bodySize = 256 << 10
	)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dir := t.TempDir()
	ca, err := pki.LoadOrCreateCA(dir, "Springfield PD", time.Now)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := ca.ServerCertificate(dir, []string{"127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	read := func(w http.ResponseWriter, r *http.Request) {
		n, err := io.Copy(io.Discard, r.Body)
		if err != nil || n != bodySize {
			http.Error(w, fmt.Sprintf("read %d bytes: %v", n, err), http.StatusBadRequest)
		}
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := newHTTPServer(ctx, http.HandlerFunc(read), pki.ServerTLS(ca, cert), log)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.ServeTLS(ln, "", "")
	defer srv.Close()

	roots := x509.NewCertPool()
	roots.AddCert(ca.Certificate())
	body := bytes.Repeat([]byte{0xA5}, bodySize)
	url := "https://" + ln.Addr().String() + "/"
	before := heapInUse()
	clients := make([]*http.Client, conns)
	for i := range clients {
		tr := &http.Transport{TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS13, RootCAs: roots}, ForceAttemptHTTP2: true}
		clients[i] = &http.Client{Transport: tr, Timeout: 30 * time.Second}
		// Two batches: the first goes out before the server's settings have arrived, in
		// 16 kB frames whatever the server allows; the second in frames as large as allowed.
		for range 2 {
			resp, err := clients[i].Post(url, "application/octet-stream", bytes.NewReader(body))
			if err != nil {
				t.Fatalf("car %d: %v", i, err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || resp.ProtoMajor != 2 {
				t.Fatalf("car %d: %s over %s, want 200 over HTTP/2", i, resp.Status, resp.Proto)
			}
		}
	}
	perConn := (int64(heapInUse()) - int64(before)) / conns
	t.Logf("%d open HTTP/2 connections after %d kB bodies: %d kB of heap each (server and client)", conns, bodySize>>10, perConn>>10)
	if perConn > bodySize {
		t.Errorf("each connection keeps %d kB after its %d kB batches; want under one batch", perConn>>10, bodySize>>10)
	}
	for _, c := range clients { // the connections were open while the heap was measured
		c.CloseIdleConnections()
	}
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}
