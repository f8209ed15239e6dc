package hotlist

import (
	"context"
	"fmt"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/matcher"
)

// rematch matches the reads of the last RematchWindow against the lists that changed
// and returns, as late hits, the matches the previous version of those lists did not
// already give: a plate that went by before the list arrived raises its hit now, and a
// plate that already hit is not raised twice.
func (m *Manager) rematch(ctx context.Context, old, next *matcher.Index, changed []string) ([]alpr.Hit, error) {
	if m.opt.Detections == nil || len(changed) == 0 || m.opt.RematchWindow < 0 {
		return nil, nil
	}
	now := m.now()
	dets, err := m.opt.Detections.DetectionsSince(ctx, now.Add(-m.opt.RematchWindow))
	if err != nil {
		return nil, fmt.Errorf("match recent reads again: %w", err)
	}
	return LateHits(dets, old.Only(changed...), next.Only(changed...), now), nil
}

// LateHits matches dets against next and returns a late hit for every match that before
// does not also give, raised at now. Entries are judged unexpired at now, not at the
// read: a hot entry that has since expired raises nothing.
func LateHits(dets []alpr.Detection, before, next *matcher.Index, now time.Time) []alpr.Hit {
	var hits []alpr.Hit
	for _, d := range dets {
		q := matcher.Query{Plate: d.Plate, State: d.State, Alternates: d.Alternates, At: now}
		got := next.Match(q)
		if len(got) == 0 {
			continue
		}
		had := map[string]bool{}
		for _, m := range before.Match(q) {
			had[matchKey(m)] = true
		}
		for _, m := range got {
			if had[matchKey(m)] {
				continue
			}
			hits = append(hits, alpr.Hit{DetectionID: d.ID, DetectionUUID: d.UUID, Match: m, RaisedAt: now, Late: true})
		}
	}
	return hits
}

// matchKey identifies a hot entry across two versions of a list.
func matchKey(m alpr.Match) string {
	e := m.Entry
	return e.List + "\x00" + e.Plate + "\x00" + e.State + "\x00" + e.Code + "\x00" + e.NCICNumber + "\x00" + e.Reason
}
