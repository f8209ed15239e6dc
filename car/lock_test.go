package car

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"patrol-alpr/config"
	"patrol-alpr/internal/dirlock"
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
