package learn

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"patrol-alpr/wire"
)

// ListFetcher keeps local copies of the agency's hot lists as the server distributes them
// (IV.C.1-2): it reads the index, downloads only the lists whose SHA-256 differs from the
// copy held (asking with If-None-Match, resuming a cut-off download with Range), checks
// each file against its hash, and moves it into place whole. A failed or corrupt download
// leaves the previous copy where it was.
type ListFetcher struct {
	Client Client
	Dir    string // Dir/NAME.list, Dir/index.json; partial downloads in Dir/NAME.part
}

// ErrListCorrupt means a downloaded list did not match the hash in the index.
var ErrListCorrupt = errors.New("downloaded list does not match its SHA-256")

// Fetch brings the local copies up to date and returns the index with the lists it
// downloaded. An error for one list does not stop the others; it is returned joined.
func (f ListFetcher) Fetch(ctx context.Context) (wire.ListIndex, []string, error) {
	var idx wire.ListIndex
	if err := os.MkdirAll(f.Dir, 0o700); err != nil {
		return idx, nil, fmt.Errorf("make hot-list folder: %w", err)
	}
	body, err := f.get(ctx, wire.ListsPath, nil, 1<<20)
	if err != nil {
		return idx, nil, fmt.Errorf("fetch hot-list index: %w", err)
	}
	if err := json.Unmarshal(body, &idx); err != nil {
		return idx, nil, fmt.Errorf("read hot-list index: %w", err)
	}
	var changed []string
	var errs []error
	for _, l := range idx.Lists {
		if !safeName(l.Name) {
			errs = append(errs, fmt.Errorf("hot list %q: not a usable name", l.Name))
			continue
		}
		got, err := f.fetchList(ctx, l)
		if err != nil {
			errs = append(errs, fmt.Errorf("hot list %s: %w", l.Name, err))
			continue
		}
		if got {
			changed = append(changed, l.Name)
		}
	}
	if b, err := json.MarshalIndent(idx, "", "  "); err == nil {
		if err := writeAtomic(filepath.Join(f.Dir, "index.json"), b); err != nil {
			errs = append(errs, err)
		}
	}
	return idx, changed, errors.Join(errs...)
}

// Path is where the local copy of list name is kept.
func (f ListFetcher) Path(name string) string { return filepath.Join(f.Dir, name+".list") }

// fetchList downloads one list unless the copy held already has its hash.
func (f ListFetcher) fetchList(ctx context.Context, l wire.ListInfo) (bool, error) {
	final := f.Path(l.Name)
	if sum, err := fileSHA256(final); err == nil && sum == l.SHA256 {
		return false, nil
	}
	part := filepath.Join(f.Dir, l.Name+".part")
	have := int64(0)
	if st, err := os.Stat(part); err == nil && st.Size() < l.Size {
		have = st.Size()
	} else {
		_ = os.Remove(part)
	}
	hdr := http.Header{}
	if have > 0 {
		hdr.Set("Range", fmt.Sprintf("bytes=%d-", have))
		hdr.Set("If-Range", `"`+l.SHA256+`"`) // a newer version restarts from the beginning
	}
	path := l.Path
	if path == "" {
		path = wire.ListsPath + "/" + url.PathEscape(l.Name)
	}
	resp, err := f.do(ctx, path, hdr)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	flags := os.O_CREATE | os.O_WRONLY | os.O_TRUNC
	switch resp.StatusCode {
	case http.StatusPartialContent:
		flags = os.O_CREATE | os.O_WRONLY | os.O_APPEND
	case http.StatusOK:
	default:
		return false, fmt.Errorf("download: %s", resp.Status)
	}
	out, err := os.OpenFile(part, flags, 0o600)
	if err != nil {
		return false, fmt.Errorf("download: %w", err)
	}
	_, cerr := io.Copy(out, io.LimitReader(resp.Body, l.Size+1))
	if err := errors.Join(cerr, out.Sync(), out.Close()); err != nil {
		return false, fmt.Errorf("download (kept %s to resume): %w", part, err)
	}
	sum, err := fileSHA256(part)
	if err != nil {
		return false, err
	}
	if sum != l.SHA256 {
		_ = os.Remove(part)
		return false, fmt.Errorf("%w (got %.12s, index says %.12s); the previous copy is kept", ErrListCorrupt, sum, l.SHA256)
	}
	if err := os.Rename(part, final); err != nil {
		return false, fmt.Errorf("put list in place: %w", err)
	}
	return true, nil
}

func (f ListFetcher) get(ctx context.Context, path string, hdr http.Header, limit int64) ([]byte, error) {
	resp, err := f.do(ctx, path, hdr)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s", resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, limit))
}

func (f ListFetcher) do(ctx context.Context, path string, hdr http.Header) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.Client.BaseURL+path, nil)
	if err != nil {
		return nil, err
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	hc := f.Client.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	return hc.Do(req)
}

func fileSHA256(path string) (string, error) {
	fh, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer fh.Close()
	h := sha256.New()
	if _, err := io.Copy(h, fh); err != nil {
		return "", fmt.Errorf("hash %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func writeAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// safeName keeps a list's name from escaping the folder.
func safeName(s string) bool {
	return s != "" && s != "." && s != ".." && !strings.ContainsAny(s, `/\`) && len(s) <= 64
}

// Index is the index as last fetched, kept on disk, so that a car that starts without
// network still knows the server's lists.
func (f ListFetcher) Index() (wire.ListIndex, error) {
	var idx wire.ListIndex
	b, err := os.ReadFile(filepath.Join(f.Dir, "index.json"))
	if err != nil {
		return idx, fmt.Errorf("read the last hot-list index: %w", err)
	}
	if err := json.Unmarshal(b, &idx); err != nil {
		return idx, fmt.Errorf("read the last hot-list index: %w", err)
	}
	return idx, nil
}
