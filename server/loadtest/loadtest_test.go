package loadtest_test

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"patrol-alpr/server/loadtest"
	"patrol-alpr/server/pgcluster/pgtest"
)

var dsn string

func TestMain(m *testing.M) { pgtest.Main(m, &dsn) }

// TestSmoke: ten cars for five seconds against the real server binary on the test's own
// PostgreSQL: every detection made is acknowledged and stored once, and the report ends with
// the three lines make loadtest promises.
func TestSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := loadtest.Run(ctx, loadtest.Config{Server: buildServer(t), DataDir: t.TempDir(), DSN: dsn,
		Phases: []loadtest.PhaseSpec{{Cars: 10, Duration: 5 * time.Second}}, Drain: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	loadtest.Report(&out, res)
	t.Logf("\n%s", out.String())
	if res.Lost != 0 || res.Duplicates != 0 {
		t.Errorf("lost %d, duplicates %d; want 0 and 0", res.Lost, res.Duplicates)
	}
	p := res.Phases[0]
	// Ten cars making one detection a second for five seconds make about fifty.
	if p.Made < 40 || p.Acked != p.Made || res.Stored.Detections != int64(p.Made) || res.Stored.Images != 2*int64(p.Made) ||
		res.Stored.IncompleteImages != 0 {
		t.Errorf("made %d, acknowledged %d, server holds %+v", p.Made, p.Acked, res.Stored)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if n := len(lines); n < 3 || !strings.HasPrefix(lines[n-3], "p99-ms ") || lines[n-2] != "lost 0" || lines[n-1] != "duplicates 0" {
		t.Errorf("the report does not end with p99-ms, lost 0, duplicates 0:\n%s", out.String())
	}
}

// buildServer builds the real patrol-alpr-server into a temporary folder.
func buildServer(t *testing.T) string {
	t.Helper()
	gocmd, err := exec.LookPath("go")
	if err != nil {
		gocmd = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(t.TempDir(), "patrol-alpr-server")
	if out, err := exec.Command(gocmd, "build", "-o", bin, "patrol-alpr/cmd/patrol-alpr-server").CombinedOutput(); err != nil {
		t.Fatalf("build the server: %v\n%s", err, out)
	}
	return bin
}
