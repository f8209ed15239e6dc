package hotlist

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/matcher"
)

// Limits on officer hot plates (policy IV.D).
const (
	// MaxHotPlateLife is the longest a hot plate may stay on the list (IV.D.1).
	MaxHotPlateLife = 30 * 24 * time.Hour
	// MaxGeneralHotPlateLife is the longest for an SVS, SLR or SFR hot plate (IV.D.4).
	MaxGeneralHotPlateLife = 7 * 24 * time.Hour
)

// Reasons ValidateHotPlate refuses a hot plate, for errors.Is.
var (
	ErrBadHotPlate     = errors.New("hot plate is not valid")
	ErrNoExpiry        = errors.New("hot plate has no expiry date")
	ErrExpiryTooLate   = errors.New("hot plate expires too late")
	ErrMissingDetails  = errors.New("hot plate lacks the details distribution requires")
	ErrNoHotPlateStore = errors.New("no store for hot plates")
)

// generalCategory reports whether a hot plate is of the SVS, SLR or SFR kind, which
// IV.D.4 limits to seven days. The officer's form puts the category in Code.
func generalCategory(e alpr.HotEntry) bool {
	switch strings.ToUpper(strings.TrimSpace(e.Code)) {
	case "SVS", "SLR", "SFR":
		return true
	}
	return false
}

// ValidateHotPlate checks an officer-entered hot plate against policy IV.D at now:
// a valid plate and state; an expiry after now and after entry (EnteredAt, or now when
// zero), at most 30 days after entry (IV.D.1) and at most 7 days for SVS, SLR and SFR
// plates (IV.D.4, by Code); and, when distributed to more than one officer, the
// entering officer's name and phone, the DR number and a synopsis (IV.D.2). It reports
// every problem at once, each matching one of the Err values with errors.Is.
func ValidateHotPlate(e alpr.HotEntry, distributed bool, now time.Time) error {
	var errs []error
	if _, why, ok := parsePlate(e.Plate); !ok {
		errs = append(errs, fmt.Errorf("%w: %s", ErrBadHotPlate, why))
	}
	if _, why, ok := parseState(e.State); !ok {
		errs = append(errs, fmt.Errorf("%w: %s", ErrBadHotPlate, why))
	}
	entered := e.EnteredAt
	if entered.IsZero() {
		entered = now
	}
	limit, rule := MaxHotPlateLife, "IV.D.1"
	if generalCategory(e) {
		limit, rule = MaxGeneralHotPlateLife, "IV.D.4, "+strings.ToUpper(e.Code)
	}
	switch exp := e.ExpiresAt; {
	case exp.IsZero():
		errs = append(errs, fmt.Errorf("%w: an expiry date is required, at most %d days ahead (%s)", ErrNoExpiry, days(limit), rule))
	case !exp.After(now) || !exp.After(entered):
		errs = append(errs, fmt.Errorf("%w: expiry %s is not after entry and now", ErrBadHotPlate, exp.Format(time.DateTime)))
	case exp.Sub(entered) > limit:
		errs = append(errs, fmt.Errorf("%w: expiry %s is %s after entry; at most %d days (%s)",
			ErrExpiryTooLate, exp.Format(time.DateTime), approxDays(exp.Sub(entered)), days(limit), rule))
	}
	if distributed {
		var missing []string
		for _, f := range []struct{ name, v string }{
			{"entering officer's name", e.EnteredBy}, {"contact phone", e.Phone},
			{"DR number", e.DRNumber}, {"synopsis", e.Synopsis},
		} {
			if strings.TrimSpace(f.v) == "" {
				missing = append(missing, f.name)
			}
		}
		if len(missing) > 0 {
			errs = append(errs, fmt.Errorf("%w: shared with more than one officer, it needs the %s (IV.D.2)",
				ErrMissingDetails, strings.Join(missing, ", ")))
		}
	}
	return errors.Join(errs...)
}

func days(d time.Duration) int { return int(d / (24 * time.Hour)) }

func approxDays(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%d days", days(d))
	}
	return fmt.Sprintf("%.1f days", d.Hours()/24)
}

// AddHotPlate validates an officer's hot plate (ValidateHotPlate), stores it, puts it
// into the index at once and returns the late hits of recent reads against it. The
// caller sets EnteredBy to the signed-in officer: the store audits every hot plate
// under its author, distributed or not.
func (m *Manager) AddHotPlate(ctx context.Context, e alpr.HotEntry, distributed bool) ([]alpr.Hit, error) {
	now := m.now()
	if err := ValidateHotPlate(e, distributed, now); err != nil {
		return nil, fmt.Errorf("add hot plate %s: %w", e.Plate, err)
	}
	if m.opt.HotPlates == nil {
		return nil, fmt.Errorf("add hot plate %s: %w", e.Plate, ErrNoHotPlateStore)
	}
	e.Plate, _, _ = parsePlate(e.Plate)
	e.State, _, _ = parseState(e.State)
	if e.EnteredAt.IsZero() {
		e.EnteredAt = now
	}
	if err := m.opt.HotPlates.AddHotPlate(ctx, &e); err != nil {
		return nil, fmt.Errorf("add hot plate %s: %w", e.Plate, err)
	}
	old, next, err := m.reloadHotPlates(ctx)
	if err != nil {
		return nil, err
	}
	return m.rematch(ctx, old, next, []string{m.opt.OfficerList.Name})
}

// reloadHotPlates rebuilds the officer list from the store's unexpired hot plates and
// returns the index before and after.
func (m *Manager) reloadHotPlates(ctx context.Context) (old, next *matcher.Index, err error) {
	now := m.now()
	plates, err := m.opt.HotPlates.HotPlates(ctx, now)
	if err != nil {
		return nil, nil, fmt.Errorf("load hot plates: %w", err)
	}
	l := m.opt.OfficerList
	l.LoadedAt, l.Entries = now, len(plates)
	m.swap(func(ix *matcher.Index) *matcher.Index {
		old, next = ix, ix.With(l, plates)
		return next
	})
	return old, next, nil
}
