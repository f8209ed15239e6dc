package hotlist

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/matcher"
)

// ListStore keeps each list as it is applied (store.DB implements it).
type ListStore interface {
	ReplaceHotList(ctx context.Context, l alpr.HotList, entries []alpr.HotEntry) error
}

// HotPlateStore keeps officer-entered hot plates (store.DB implements it).
type HotPlateStore interface {
	AddHotPlate(ctx context.Context, e *alpr.HotEntry) error
	HotPlates(ctx context.Context, now time.Time) ([]alpr.HotEntry, error)
}

// DetectionSource gives the recent reads to match again when a list changes
// (store.DB implements it).
type DetectionSource interface {
	DetectionsSince(ctx context.Context, since time.Time) ([]alpr.Detection, error)
}

// Options configure a Manager. Only Sources is required.
type Options struct {
	Sources []Source
	// Dir keeps the last good file of each list; "" keeps none.
	Dir string
	// Client downloads the lists; a client with a 5-minute timeout when nil.
	Client *http.Client
	// Lists, HotPlates and Detections are usually the store; each may be nil.
	Lists      ListStore
	HotPlates  HotPlateStore
	Detections DetectionSource
	// OfficerList describes the list of officer hot plates; Name "OFFICER", Kind Officer,
	// LookAlike tolerance when zero.
	OfficerList alpr.HotList
	// Interval is how often Run downloads the lists: 12 h when zero, at most 24 h (IV.C.1).
	Interval time.Duration
	// RetryInterval is how soon Run tries again after a failure: 5 min when zero.
	RetryInterval time.Duration
	// MaxAge is the age past which a list turns the System light red: 24 h when zero.
	MaxAge time.Duration
	// RematchWindow is how far back reads are matched again when a list changes: 6 h
	// when zero; negative disables it.
	RematchWindow time.Duration
	// MaxBytes bounds one downloaded file: 512 MiB when zero.
	MaxBytes int64
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// LateHits receives the late hits found by Run's refreshes (Refresh and
	// AddHotPlate return theirs). The caller saves them and alerts.
	LateHits func(ctx context.Context, hits []alpr.Hit)
	// Prepare runs before every refresh, e.g. to bring the local copies of the agency
	// server's lists up to date; its error is reported with the refresh's, which goes on
	// with the copies there are.
	Prepare func(ctx context.Context) error
}

// ListStatus is what the manager knows of one list.
type ListStatus struct {
	// List is the list as last applied; LoadedAt is zero when it never was.
	List alpr.HotList
	// LastAttempt is when the list was last downloaded or read.
	LastAttempt time.Time
	// Err is why the last attempt failed (a *ParseError names file and line); nil after
	// a success. The previous version of the list stays in force.
	Err error
	// Skipped lists the records of the list in force that could not be read and were left
	// out (nil when none): the rest of the file was applied.
	Skipped *SkippedLines
}

// Manager keeps the hot lists current and the matcher's index in step with them.
// All its methods are safe to call from any goroutine: a download does not hold up
// matching or an officer's hot plate.
type Manager struct {
	opt      Options
	client   *http.Client
	maxBytes int64
	now      func() time.Time

	index atomic.Pointer[matcher.Index]
	// swapMu is held while a new index is built from the current one and stored, so
	// that two changes do not lose one another. Downloads and parsing happen outside it.
	swapMu sync.Mutex
	// refreshMu keeps two refreshes (shift start and Run) from overlapping.
	refreshMu sync.Mutex

	statusMu sync.Mutex
	status   map[string]*ListStatus
}

// NewManager checks the sources and returns a manager with no lists loaded yet: call
// Load (last good files), then Refresh at shift start, and Run in a goroutine.
func NewManager(opt Options) (*Manager, error) {
	if opt.Interval == 0 {
		opt.Interval = 12 * time.Hour
	}
	if opt.Interval < 0 || opt.Interval > 24*time.Hour {
		return nil, fmt.Errorf("hot lists: refresh interval %s: lists must be downloaded at least once a day (IV.C.1)", opt.Interval)
	}
	if opt.RetryInterval <= 0 {
		opt.RetryInterval = 5 * time.Minute
	}
	if opt.MaxAge <= 0 {
		opt.MaxAge = 24 * time.Hour
	}
	if opt.RematchWindow == 0 {
		opt.RematchWindow = 6 * time.Hour
	}
	if opt.OfficerList.Name == "" {
		opt.OfficerList = alpr.HotList{Name: "OFFICER", Kind: alpr.Officer, Priority: 5, Tolerance: alpr.LookAlike}
	}
	opt.Sources = append([]Source(nil), opt.Sources...)
	m := &Manager{opt: opt, client: opt.Client, maxBytes: opt.MaxBytes, now: opt.Now, status: map[string]*ListStatus{}}
	if m.client == nil {
		m.client = &http.Client{Timeout: 5 * time.Minute}
	}
	if m.maxBytes <= 0 {
		m.maxBytes = 512 << 20
	}
	if m.now == nil {
		m.now = time.Now
	}
	for i, s := range opt.Sources {
		name := s.List.Name
		switch {
		case strings.TrimSpace(name) == "":
			return nil, fmt.Errorf("hot list source %d: no name", i+1)
		case s.URL == "":
			return nil, fmt.Errorf("hot list %s: no URL or path", name)
		case m.status[name] != nil:
			return nil, fmt.Errorf("hot list %s: named twice", name)
		case name == opt.OfficerList.Name:
			return nil, fmt.Errorf("hot list %s: the name is reserved for officer hot plates", name)
		case s.List.Kind != alpr.General && s.List.Kind != alpr.Special && s.List.Kind != alpr.Training:
			return nil, fmt.Errorf("hot list %s: kind %q: want general or special", name, s.List.Kind)
		}
		switch s.Format {
		case FormatNCIC, FormatCADOJ, FormatCSV, FormatPlateState:
		default:
			return nil, fmt.Errorf("hot list %s: unknown format %q (want ncic, cadoj, csv or plate-state)", name, s.Format)
		}
		if s.List.Kind == alpr.Special {
			// IV.C.4: hits from Special lists are informational, whatever the file says.
			opt.Sources[i].List.Informational = true
		}
		m.status[name] = &ListStatus{List: opt.Sources[i].List}
	}
	m.opt.Sources = opt.Sources
	m.index.Store(matcher.NewIndex(nil, nil))
	return m, nil
}

// Index returns the current index. It is replaced, never changed: a caller may keep
// using the one it got.
func (m *Manager) Index() *matcher.Index { return m.index.Load() }

// Load applies the last good file of every list (a start without network still has
// its lists, with their age) and the unexpired officer hot plates. A list with no file
// yet is left for Refresh. The error joins every list that could not be loaded.
func (m *Manager) Load(ctx context.Context) error {
	m.refreshMu.Lock()
	defer m.refreshMu.Unlock()
	var errs []error
	for _, s := range m.opt.Sources {
		data, at, err := m.readLastGood(s.List.Name)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err == nil {
			_, err = m.apply(ctx, s, data, version(data), at, false)
		}
		if err != nil {
			err = fmt.Errorf("load last good hot list %s: %w", s.List.Name, err)
			m.setStatus(s.List.Name, func(st *ListStatus) { st.LastAttempt, st.Err = m.now(), err })
			errs = append(errs, err)
		}
	}
	if m.opt.HotPlates != nil {
		if _, _, err := m.reloadHotPlates(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Refresh downloads every list now (at shift start, IV.C.5) and applies each one that
// parses, one at a time. A list that fails keeps its previous version; the error joins
// every failure, each naming its list (and, for bad content, the file and line). It
// returns the late hits of recent reads against the lists that changed.
func (m *Manager) Refresh(ctx context.Context) ([]alpr.Hit, error) {
	m.refreshMu.Lock()
	defer m.refreshMu.Unlock()
	old := m.Index()
	var changed []string
	var errs []error
	if m.opt.Prepare != nil {
		if err := m.opt.Prepare(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	for _, s := range m.opt.Sources {
		if err := ctx.Err(); err != nil {
			errs = append(errs, err)
			break
		}
		didChange, err := m.refreshOne(ctx, s)
		if err != nil {
			errs = append(errs, fmt.Errorf("hot list %s: %w", s.List.Name, err))
		}
		if didChange {
			changed = append(changed, s.List.Name)
		}
	}
	hits, err := m.rematch(ctx, old, m.Index(), changed)
	if err != nil {
		errs = append(errs, err)
	}
	return hits, errors.Join(errs...)
}

// refreshOne downloads one list and applies it if it changed. The error is recorded
// in the list's status.
func (m *Manager) refreshOne(ctx context.Context, s Source) (changed bool, err error) {
	now := m.now()
	defer func() {
		m.setStatus(s.List.Name, func(st *ListStatus) { st.LastAttempt, st.Err = now, err })
	}()
	data, err := m.fetch(ctx, s.URL)
	if err != nil {
		return false, err
	}
	v := version(data)
	if st := m.StatusOf(s.List.Name); !st.List.LoadedAt.IsZero() && st.List.Version == v {
		// Same file as the one in force: it is current as of now, nothing to rebuild.
		m.setStatus(s.List.Name, func(st *ListStatus) { st.List.LoadedAt = now })
		return false, m.touchLastGood(s.List.Name, now)
	}
	return m.apply(ctx, s, data, v, now, true)
}

// apply parses a whole list file and, only if all of it parses, swaps it into the
// index; fresh downloads are also saved as the last good file and to the store. applied
// is true once the list is in force, even if saving it then failed.
func (m *Manager) apply(ctx context.Context, s Source, data []byte, v string, at time.Time, fresh bool) (applied bool, err error) {
	opt := s.Parse
	opt.List = s.List.Name
	opt.Lines = bytes.Count(data, []byte{'\n'}) + 1
	if opt.Reason == "" {
		opt.Reason = DefaultReason(s.List.Name)
	}
	entries, err := Parse(s.Format, bytes.NewReader(data), s.URL, opt)
	var skipped *SkippedLines
	if err != nil && !errors.As(err, &skipped) {
		return false, err
	}
	l := s.List
	l.Source, l.Version, l.LoadedAt, l.Entries = s.URL, v, at, len(entries)
	m.swap(func(ix *matcher.Index) *matcher.Index { return ix.With(l, entries) })
	m.setStatus(l.Name, func(st *ListStatus) { st.List, st.Skipped = l, skipped })
	if !fresh {
		return true, nil
	}
	var errs []error
	if err := m.saveLastGood(l.Name, data, at); err != nil {
		errs = append(errs, fmt.Errorf("list applied, but not kept for a restart: %w", err))
	}
	if m.opt.Lists != nil {
		if err := m.opt.Lists.ReplaceHotList(ctx, l, entries); err != nil {
			errs = append(errs, fmt.Errorf("list applied, but not stored: %w", err))
		}
	}
	return true, errors.Join(errs...)
}

// swap replaces the index with change(current index).
func (m *Manager) swap(change func(*matcher.Index) *matcher.Index) {
	m.swapMu.Lock()
	defer m.swapMu.Unlock()
	m.index.Store(change(m.Index()))
}

// version identifies a list file by its content.
func version(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// Run downloads the lists again every Interval until ctx is cancelled, sooner
// (RetryInterval) while a list is failing, and hands late hits to Options.LateHits.
// Call Refresh at shift start first; Run returns ctx's error.
func (m *Manager) Run(ctx context.Context) error {
	for {
		t := time.NewTimer(m.nextWait())
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		hits, _ := m.Refresh(ctx) // failures are in Status and Lists
		if len(hits) > 0 && m.opt.LateHits != nil {
			m.opt.LateHits(ctx, hits)
		}
	}
}

// nextWait is how long until some list is due: Interval after its last download, or
// RetryInterval after a failed attempt.
func (m *Manager) nextWait() time.Duration {
	now := m.now()
	wait := m.opt.Interval
	for _, st := range m.Lists() {
		var due time.Time
		switch {
		case st.Err != nil || st.List.LoadedAt.IsZero():
			due = st.LastAttempt.Add(m.opt.RetryInterval)
		default:
			due = st.List.LoadedAt.Add(m.opt.Interval)
		}
		wait = min(wait, due.Sub(now))
	}
	return max(wait, 0)
}

// Status says whether every list is current: not when a list was never loaded, is older
// than MaxAge (24 h), or failed its last download. reason names each problem; the
// System light shows it.
func (m *Manager) Status(now time.Time) (ok bool, reason string) {
	var problems []string
	for _, st := range m.Lists() {
		name := st.List.Name
		switch age := now.Sub(st.List.LoadedAt); {
		case st.List.LoadedAt.IsZero():
			problems = append(problems, fmt.Sprintf("%s list never loaded", name))
		case age > m.opt.MaxAge:
			problems = append(problems, fmt.Sprintf("%s list is %s old", name, age.Round(time.Minute)))
		}
		if st.Err != nil {
			problems = append(problems, fmt.Sprintf("%s: last update failed: %v", name, st.Err))
		}
	}
	return len(problems) == 0, strings.Join(problems, "; ")
}

// Warnings names the lists in force with records left out as unreadable, and the first of
// their lines, for the System light (amber: the list works, short of those lines); "" when
// none.
func (m *Manager) Warnings() string {
	var parts []string
	for _, st := range m.Lists() {
		if sk := st.Skipped; sk != nil {
			parts = append(parts, fmt.Sprintf("%s list: %d of %d lines skipped as unreadable (%s)",
				st.List.Name, len(sk.Lines), sk.Records, sk.Summary(3)))
		}
	}
	return strings.Join(parts, "; ")
}

// Lists returns the status of every configured list, in configuration order.
func (m *Manager) Lists() []ListStatus {
	m.statusMu.Lock()
	defer m.statusMu.Unlock()
	out := make([]ListStatus, 0, len(m.opt.Sources))
	for _, s := range m.opt.Sources {
		out = append(out, *m.status[s.List.Name])
	}
	return out
}

// StatusOf returns the status of one list (zero when not configured).
func (m *Manager) StatusOf(name string) ListStatus {
	m.statusMu.Lock()
	defer m.statusMu.Unlock()
	if st := m.status[name]; st != nil {
		return *st
	}
	return ListStatus{}
}

func (m *Manager) setStatus(name string, f func(*ListStatus)) {
	m.statusMu.Lock()
	defer m.statusMu.Unlock()
	if st := m.status[name]; st != nil {
		f(st)
	}
}
