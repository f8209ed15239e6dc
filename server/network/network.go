package network

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/hotlist"
	"patrol-alpr/matcher"
	"patrol-alpr/server/postgres"
	"patrol-alpr/wire"
)

// Store is what the network needs of the database.
type Store interface {
	HitReceivers(ctx context.Context, agency string) ([]string, error)
	ListVersions(ctx context.Context, agency string) ([]postgres.MatchList, error)
	MatchLists(ctx context.Context, agency string) ([]postgres.MatchList, error)
	CarsNear(ctx context.Context, agency string, lat, lon, radiusKm float64, maxAge time.Duration, except string) ([]postgres.Car, error)
	SaveNetworkHit(ctx context.Context, h wire.NetworkHit, cars []postgres.Car) ([]postgres.Event, error)
}

// Options tune the network; zero values take the defaults.
type Options struct {
	RadiusKm    float64       // how far from a sighting cars are told; default 15 km
	PositionAge time.Duration // a car's position older than this is not used; default 12 h (a shift)
	ListCheck   time.Duration // how often an agency's list versions are checked; default 5 s
	Queue       int           // sightings waiting to be matched; default 10,000
}

// Network matches sightings and delivers the hits.
type Network struct {
	store  Store
	broker *Broker
	log    *slog.Logger
	opt    Options
	queue  chan []postgres.Sighting

	mu      sync.Mutex
	indexes map[string]*agencyIndex
	order   map[string]*sync.Mutex // per receiving agency: store-and-publish in event order
}

func (n *Network) agencyLock(agency string) *sync.Mutex {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.order == nil {
		n.order = map[string]*sync.Mutex{}
	}
	if n.order[agency] == nil {
		n.order[agency] = &sync.Mutex{}
	}
	return n.order[agency]
}

// agencyIndex is one receiving agency's lists ready for matching.
type agencyIndex struct {
	sig       string // the lists' names and versions
	checked   time.Time
	all       *matcher.Index // for the agency's own detections
	shareable *matcher.Index // for other agencies' detections (IV.C.6)
}

// New makes a network over store, delivering through broker.
func New(store Store, broker *Broker, log *slog.Logger, opt Options) *Network {
	if opt.RadiusKm <= 0 {
		opt.RadiusKm = 15
	}
	if opt.PositionAge <= 0 {
		opt.PositionAge = 12 * time.Hour
	}
	if opt.ListCheck <= 0 {
		opt.ListCheck = 5 * time.Second
	}
	if opt.Queue <= 0 {
		opt.Queue = 10000
	}
	return &Network{store: store, broker: broker, log: log, opt: opt, queue: make(chan []postgres.Sighting, opt.Queue),
		indexes: map[string]*agencyIndex{}}
}

// Sighted queues newly stored detections for matching; when the queue is full the caller
// matches them itself, so a burst slows ingest down instead of losing a hit.
func (n *Network) Sighted(ctx context.Context, seen []postgres.Sighting) {
	if len(seen) == 0 {
		return
	}
	select {
	case n.queue <- seen:
	default:
		n.match(ctx, seen)
	}
}

// workers match sightings side by side: a hit's delivery is a few round trips to the
// database, which one worker would make one after the other.
const workers = 4

// Run matches queued sightings until ctx ends.
func (n *Network) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case seen := <-n.queue:
					n.match(ctx, seen)
				}
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}

// match matches one batch's sightings (all of one agency) for every receiving agency.
func (n *Network) match(ctx context.Context, seen []postgres.Sighting) {
	agency := seen[0].Agency
	receivers, err := n.store.HitReceivers(ctx, agency)
	if err != nil {
		n.log.Error("network: find receivers", "agency", agency, "err", err)
		return
	}
	for _, r := range receivers {
		ix, err := n.index(ctx, r)
		if err != nil {
			n.log.Error("network: lists", "agency", r, "err", err)
			continue
		}
		lists := ix.all
		if r != agency {
			lists = ix.shareable
		}
		for _, s := range seen {
			d := s.Detection
			for _, m := range lists.Match(matcher.Query{Plate: d.Plate, State: d.State, Alternates: d.Alternates, At: d.SeenAt}) {
				if err := n.deliver(ctx, r, s, m); err != nil {
					n.log.Error("network: deliver hit", "agency", r, "plate", d.Plate, "err", err)
				}
			}
		}
	}
}

// deliver stores one network hit and pushes it to the receiving agency's cars near the
// sighting, nearest first. The detecting car itself is left out: it alerted on its own.
func (n *Network) deliver(ctx context.Context, receiver string, s postgres.Sighting, m alpr.Match) error {
	d := s.Detection
	plate := d.PlateJPEG
	d.PlateJPEG, d.SceneJPEG = nil, nil
	h := wire.NetworkHit{ID: wire.NewUUID(), Agency: receiver, DetectingAgency: s.Agency, DetectingVehicle: s.Vehicle,
		Fixed: s.Fixed, Detection: d, Match: m, PlateJPEG: plate}
	var cars []postgres.Car
	if d.Fix.Valid() {
		except := ""
		if receiver == s.Agency {
			except = s.Vehicle
		}
		var err error
		if cars, err = n.store.CarsNear(ctx, receiver, d.Fix.Lat, d.Fix.Lon, n.opt.RadiusKm, n.opt.PositionAge, except); err != nil {
			return err
		}
	}
	// Events are numbered when stored and a car's stream takes them in that order, so one
	// agency's hits are stored and published one at a time (matching runs side by side).
	lock := n.agencyLock(receiver)
	lock.Lock()
	events, err := n.store.SaveNetworkHit(ctx, h, cars)
	if err == nil {
		n.broker.Publish(receiver, events...)
	}
	lock.Unlock()
	if err != nil {
		return err
	}
	n.log.Info("network hit", "receiver", receiver, "detecting", s.Agency, "vehicle", s.Vehicle, "plate", d.Plate,
		"list", m.Entry.List, "cars", len(cars))
	return nil
}

// index returns the agency's lists ready for matching, rebuilt when a version changed.
func (n *Network) index(ctx context.Context, agency string) (*agencyIndex, error) {
	n.mu.Lock()
	ix := n.indexes[agency]
	fresh := ix != nil && time.Since(ix.checked) < n.opt.ListCheck // checked is written under mu by other workers
	n.mu.Unlock()
	if fresh {
		return ix, nil
	}
	versions, err := n.store.ListVersions(ctx, agency)
	if err != nil {
		return nil, err
	}
	sig := signature(versions)
	if ix != nil && ix.sig == sig {
		n.mu.Lock()
		ix.checked = time.Now()
		n.mu.Unlock()
		return ix, nil
	}
	lists, err := n.store.MatchLists(ctx, agency)
	if err != nil {
		return nil, err
	}
	built, err := build(lists)
	if err != nil {
		n.log.Error("network: build lists", "agency", agency, "err", err) // match with the others
	}
	built.sig, built.checked = signature(lists), time.Now()
	n.mu.Lock()
	n.indexes[agency] = built
	n.mu.Unlock()
	return built, nil
}

func signature(ls []postgres.MatchList) string {
	var b strings.Builder
	for _, l := range ls {
		fmt.Fprintf(&b, "%s:%d:%t;", l.Info.Name, l.Info.Version, l.Shareable)
	}
	return b.String()
}

// build parses each list as a car would and indexes them; a list that does not parse is left
// out (it was parsed at import, so this means a bug) and reported.
func build(ls []postgres.MatchList) (*agencyIndex, error) {
	var all, shared []alpr.HotList
	var allEntries, sharedEntries []alpr.HotEntry
	var errs []string
	for _, l := range ls {
		entries, err := hotlist.Parse(hotlist.Format(l.Info.Format), bytes.NewReader(l.Body), l.Info.Name,
			hotlist.ParseOptions{List: l.Info.Name, Reason: hotlist.DefaultReason(l.Info.Name)})
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		meta := alpr.HotList{Name: l.Info.Name, Kind: alpr.ListKind(l.Info.Kind), Priority: l.Info.Priority,
			Tolerance: alpr.LookAlike, Departmental: l.Info.Departmental, ShareApproved: l.Shareable && l.Info.Departmental,
			Version: l.Info.SHA256, Entries: len(entries)}
		all, allEntries = append(all, meta), append(allEntries, entries...)
		if l.Shareable {
			shared, sharedEntries = append(shared, meta), append(sharedEntries, entries...)
		}
	}
	ix := &agencyIndex{all: matcher.NewIndex(all, allEntries), shareable: matcher.NewIndex(shared, sharedEntries)}
	if len(errs) > 0 {
		return ix, fmt.Errorf("lists left out of matching: %s", strings.Join(errs, "; "))
	}
	return ix, nil
}
