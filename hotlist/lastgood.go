package hotlist

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The last good file of each list is kept in the manager's directory so that a car
// started without network still matches against the lists it last had. The file's
// modification time is when it was downloaded, which is what staleness is judged by.

// lastGoodPath is where list name's last good file lives.
func (m *Manager) lastGoodPath(name string) string {
	safe := strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, name)
	return filepath.Join(m.opt.Dir, safe+".hotlist")
}

// saveLastGood writes data as list name's last good file: to a temporary file first,
// synced, then renamed over the old one, so a crash leaves the old file or the new one,
// never half of either.
func (m *Manager) saveLastGood(name string, data []byte, at time.Time) error {
	if m.opt.Dir == "" {
		return nil
	}
	if err := os.MkdirAll(m.opt.Dir, 0o700); err != nil {
		return fmt.Errorf("save list %s: %w", name, err)
	}
	dst := m.lastGoodPath(name)
	f, err := os.CreateTemp(m.opt.Dir, filepath.Base(dst)+".*.tmp")
	if err != nil {
		return fmt.Errorf("save list %s: %w", name, err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chtimes(tmp, at, at)
	}
	if err == nil {
		err = os.Rename(tmp, dst)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("save list %s: %w", name, err)
	}
	return nil
}

// touchLastGood records that the list was downloaded again unchanged at at.
func (m *Manager) touchLastGood(name string, at time.Time) error {
	if m.opt.Dir == "" {
		return nil
	}
	if err := os.Chtimes(m.lastGoodPath(name), at, at); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("save list %s: %w", name, err)
	}
	return nil
}

// readLastGood returns list name's last good file and when it was downloaded;
// os.ErrNotExist when there is none.
func (m *Manager) readLastGood(name string) ([]byte, time.Time, error) {
	if m.opt.Dir == "" {
		return nil, time.Time{}, os.ErrNotExist
	}
	p := m.lastGoodPath(name)
	st, err := os.Stat(p)
	if err != nil {
		return nil, time.Time{}, err
	}
	b, err := m.readFile(p)
	if err != nil {
		return nil, time.Time{}, err
	}
	return b, st.ModTime(), nil
}
