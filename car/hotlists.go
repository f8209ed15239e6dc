package car

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/assets"
	"patrol-alpr/config"
	"patrol-alpr/hotlist"
	"patrol-alpr/learn"
	"patrol-alpr/store"
)

// newHotLists builds the hot-list manager from the configuration and loads the last good copy
// of every list, so a car that starts without network still has its lists (with their age).
// In classroom mode the only list is the training list built into the binary.
func newHotLists(ctx context.Context, cfg config.Config, db *store.DB, log *slog.Logger, late func(context.Context, []alpr.Hit), server *learn.Client) (*hotlist.Manager, error) {
	sources, err := hotlist.SourcesFromConfig(cfg.HotLists)
	if err != nil {
		return nil, err
	}
	var prepare func(context.Context) error
	if server != nil && !cfg.Classroom {
		sources, prepare = withServerLists(ctx, cfg.DataDir, *server, sources, log)
	}
	if cfg.Classroom {
		src, err := trainingList(cfg.DataDir)
		if err != nil {
			return nil, err
		}
		sources = []hotlist.Source{src}
	}
	m, err := hotlist.NewManager(hotlist.Options{
		Sources:       sources,
		Dir:           filepath.Join(cfg.DataDir, "hotlists"),
		Lists:         db,
		HotPlates:     db,
		Detections:    db,
		Interval:      cfg.HotListRefresh.Duration,
		RematchWindow: cfg.RematchWindow.Duration,
		LateHits:      late,
		Prepare:       prepare,
	})
	if err != nil {
		return nil, err
	}
	if err := m.Load(ctx); err != nil {
		log.Warn("hot lists: no last good copy of some lists yet", "err", err)
	}
	return m, nil
}

// trainingList writes the classroom's built-in list where the manager reads it, so it goes
// through the same parsing and loading as a downloaded list.
func trainingList(dataDir string) (hotlist.Source, error) {
	data, err := fs.ReadFile(assets.Classroom, "classroom/hotlist.csv")
	if err != nil {
		return hotlist.Source{}, fmt.Errorf("read training hot list: %w", err)
	}
	path := filepath.Join(dataDir, "training-hotlist.csv")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return hotlist.Source{}, fmt.Errorf("write training hot list: %w", err)
	}
	return hotlist.Source{
		List:   alpr.HotList{Name: "TRAINING", Kind: alpr.Training, Priority: 80, Tolerance: alpr.LookAlike},
		URL:    path,
		Format: hotlist.FormatCSV,
	}, nil
}

// lateHits shows the hits found when a list changed after the plate went by (they are raised
// like any other, marked late).
func (s *system) lateHits(ctx context.Context, hits []alpr.Hit) {
	if s.alerter == nil && len(hits) > 0 {
		s.log.Error("late hits before the screen is attached", "count", len(hits))
		return
	}
	for _, h := range hits {
		d, err := s.db.Detection(ctx, h.DetectionID)
		if err != nil {
			s.log.Error("late hit: load detection", "id", h.DetectionID, "err", err)
			continue
		}
		s.alerter.Raise(ctx, d, []alpr.Match{h.Match}, true)
	}
}

// hotPlateDesk is where the officer's hot plate form goes: through the manager, so the plate
// hits from the moment it is saved and recent reads are matched against it at once.
type hotPlateDesk struct{ s *system }

// AddHotPlate validates, stores and indexes an officer's hot plate; the screen has already
// applied the stricter rule for plates distributed to other officers (IV.D.2).
func (d hotPlateDesk) AddHotPlate(ctx context.Context, e *alpr.HotEntry) error {
	hits, err := d.s.lists.AddHotPlate(ctx, *e, false)
	if err != nil {
		return err
	}
	d.s.lateHits(ctx, hits)
	return nil
}

// withServerLists adds the agency server's lists to the configured ones (IV.C.1-2): their
// local copies, brought up to date before every refresh (at shift start and daily) by
// downloading only the lists that changed. A configured list whose url is "server:NAME"
// reads the server's list NAME with its own settings; every other list of the server's index
// is added with the server's. A car that starts without network uses the index it kept.
func withServerLists(ctx context.Context, dataDir string, server learn.Client, sources []hotlist.Source, log *slog.Logger) ([]hotlist.Source, func(context.Context) error) {
	f := serverLists(dataDir, server)
	fetch := func(ctx context.Context) error {
		_, changed, err := f.Fetch(ctx)
		if len(changed) > 0 {
			log.Info("hot lists: new versions from the agency server", "lists", changed)
		}
		return err
	}
	first, cancel := context.WithTimeout(ctx, 10*time.Second)
	if err := fetch(first); err != nil {
		log.Warn("hot lists: agency server not reached at start; using the copies kept", "err", err)
	}
	cancel()
	named := map[string]bool{}
	for i, s := range sources {
		if name, ok := strings.CutPrefix(s.URL, "server:"); ok {
			sources[i].URL = f.Path(name)
			named[name] = true
		}
		named[s.List.Name] = true
	}
	idx, err := f.Index()
	if err != nil {
		log.Warn("hot lists: no index of the agency server's lists yet", "err", err)
		return sources, fetch
	}
	for _, l := range idx.Lists {
		if named[l.Name] {
			continue
		}
		kind := alpr.ListKind(l.Kind)
		if kind != alpr.General && kind != alpr.Special {
			log.Warn("hot lists: the server's list has an unknown kind; left out", "list", l.Name, "kind", l.Kind)
			continue
		}
		sources = append(sources, hotlist.Source{
			List: alpr.HotList{Name: l.Name, Kind: kind, Priority: l.Priority, Tolerance: alpr.LookAlike,
				Departmental: l.Departmental},
			URL:    f.Path(l.Name),
			Format: hotlist.Format(l.Format),
		})
	}
	return sources, fetch
}
