package learn

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"patrol-alpr/wire"
)

// listServer serves an index and files the way the agency server does (ETag = SHA-256,
// If-None-Match, Range), counting the bytes it sends; it can cut a file short or corrupt it.
type listServer struct {
	mu      sync.Mutex
	files   map[string][]byte
	cut     int  // send only this many bytes of the next file, then drop the connection
	corrupt bool // serve a file that does not match the index
	sent    int
}

func (s *listServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.URL.Path == wire.ListsPath {
		var idx wire.ListIndex
		for name, b := range s.files {
			sum := sha256.Sum256(b)
			idx.Lists = append(idx.Lists, wire.ListInfo{Name: name, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(b)),
				Path: wire.ListsPath + "/" + name})
		}
		_ = json.NewEncoder(w).Encode(idx)
		return
	}
	name := filepath.Base(r.URL.Path)
	b, ok := s.files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	sum := sha256.Sum256(b)
	w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:])+`"`)
	if s.corrupt {
		b = bytes.ReplaceAll(b, []byte("7"), []byte("1"))
	}
	if s.cut > 0 {
		cut := s.cut
		s.cut = 0
		w.Header().Set("Content-Length", "100000")
		_, _ = w.Write(b[:cut])
		s.sent += cut
		return // the client sees the body end early
	}
	cw := &countingWriter{ResponseWriter: w}
	http.ServeContent(cw, r, name, time.Time{}, bytes.NewReader(b))
	s.sent += cw.n
}

// set changes the server's behaviour between requests.
func (s *listServer) set(f func(s *listServer)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

func (s *listServer) bytesSent() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sent
}

type countingWriter struct {
	http.ResponseWriter
	n int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.ResponseWriter.Write(p)
	c.n += n
	return n, err
}

func TestListFetcher(t *testing.T) {
	ctx := context.Background()
	ncic := bytes.Repeat([]byte("7ABC123;CA\n"), 2000)
	srv := &listServer{files: map[string][]byte{"NCIC": ncic}}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	f := ListFetcher{Client: Client{BaseURL: hs.URL}, Dir: t.TempDir()}

	// A download cut off part way resumes from where it stopped.
	srv.set(func(s *listServer) { s.cut = 5000 })
	if _, _, err := f.Fetch(ctx); err == nil {
		t.Fatal("a cut-off download reported no error")
	}
	if _, err := os.Stat(f.Path("NCIC")); !os.IsNotExist(err) {
		t.Fatal("a cut-off download was put in place")
	}
	srv.set(func(s *listServer) { s.sent = 0 })
	_, changed, err := f.Fetch(ctx)
	if err != nil || len(changed) != 1 {
		t.Fatalf("resume: changed %v, %v", changed, err)
	}
	if got, _ := os.ReadFile(f.Path("NCIC")); !bytes.Equal(got, ncic) {
		t.Fatal("resumed copy differs from the list")
	}
	if sent := srv.bytesSent(); sent != len(ncic)-5000 {
		t.Fatalf("resume sent %d bytes, want %d", sent, len(ncic)-5000)
	}

	// Unchanged: nothing is downloaded.
	srv.set(func(s *listServer) { s.sent = 0 })
	if _, changed, err := f.Fetch(ctx); err != nil || len(changed) != 0 || srv.bytesSent() != 0 {
		t.Fatalf("unchanged: changed %v, sent %d, %v", changed, srv.bytesSent(), err)
	}

	// A new version that arrives corrupt keeps the previous copy.
	srv.set(func(s *listServer) {
		s.files["NCIC"] = append(bytes.Clone(ncic), []byte("8XYZ999;NV\n")...)
		s.corrupt = true
	})
	if _, _, err := f.Fetch(ctx); !errors.Is(err, ErrListCorrupt) {
		t.Fatalf("corrupt: %v", err)
	}
	if got, _ := os.ReadFile(f.Path("NCIC")); !bytes.Equal(got, ncic) {
		t.Fatal("a corrupt download replaced the previous copy")
	}
}
