package car

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"patrol-alpr/config"
	"patrol-alpr/internal/dirlock"
	"patrol-alpr/store"
)

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestOneCarPerDataFolder: a second car on the same data folder is refused with a message
// that says what to do, and starts once the first has closed.
func TestOneCarPerDataFolder(t *testing.T) {
	ctx := context.Background()
	cfg := config.Classroom(t.TempDir())
	first, err := newSystem(ctx, cfg, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	_, err = newSystem(ctx, cfg, quietLog())
	if !errors.Is(err, dirlock.ErrLocked) || !strings.Contains(err.Error(), "close the other window") || !strings.Contains(err.Error(), cfg.DataDir) {
		t.Fatalf("second car on %s: %v, want ErrLocked naming the folder and what to do", cfg.DataDir, err)
	}
	first.Close()
	again, err := newSystem(ctx, cfg, quietLog())
	if err != nil {
		t.Fatalf("after the first closed: %v", err)
	}
	again.Close()
}

// TestShiftCutOffIsClosedAtNextStart: a car killed mid-shift (no sign-out, no Close of the
// shift) finds the shift open at its next start and closes it, with an audit entry.
func TestShiftCutOffIsClosedAtNextStart(t *testing.T) {
	ctx := context.Background()
	cfg := config.Classroom(t.TempDir())
	first, err := newSystem(ctx, cfg, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := first.db.StartShift(ctx, "TRAINEE", "TRAINING-1"); err != nil {
		t.Fatal(err)
	}
	first.Close() // as the process dying would: the shift is never ended
	next, err := newSystem(ctx, cfg, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer next.Close()
	if left, err := next.db.CloseOpenShifts(ctx); err != nil || len(left) != 0 {
		t.Fatalf("shifts still open after the next start: %+v (%v)", left, err)
	}
	log, err := next.db.AuditLog(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range log {
		if e.Action == store.ActionShiftClosedAtStart && strings.Contains(e.Detail, "TRAINEE") {
			return
		}
	}
	t.Error("no audit entry of the shift closed at the next start")
}
