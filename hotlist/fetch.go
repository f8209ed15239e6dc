package hotlist

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
)

// fetch reads a list file whole: over HTTP(S), or from a file:// URL or a path.
func (m *Manager) fetch(ctx context.Context, src string) ([]byte, error) {
	u, err := url.Parse(src)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "file") {
		return m.readFile(src)
	}
	if u.Scheme == "file" {
		return m.readFile(u.Path)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", src, err)
	}
	resp, err := m.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", src, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
		return nil, fmt.Errorf("download %s: server said %s: %s", src, resp.Status, strings.TrimSpace(string(msg)))
	}
	// A body shorter than its Content-Length fails here with io.ErrUnexpectedEOF.
	b, err := io.ReadAll(io.LimitReader(resp.Body, m.maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", src, err)
	}
	if int64(len(b)) > m.maxBytes {
		return nil, fmt.Errorf("download %s: larger than %d bytes", src, m.maxBytes)
	}
	return b, nil
}

func (m *Manager) readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read list %s: %w", path, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, m.maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read list %s: %w", path, err)
	}
	if int64(len(b)) > m.maxBytes {
		return nil, fmt.Errorf("read list %s: larger than %d bytes", path, m.maxBytes)
	}
	return b, nil
}
