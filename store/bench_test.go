package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/wire"
)

// benchJPEG stands in for a plate crop (~4 KB) and a scene image (~16 KB); the bytes
// are random so nothing compresses them away.
func benchJPEG(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// benchPlate draws a plate: mostly California's 1ABC234, some older and vanity shapes.
func benchPlate(r *rand.Rand) string {
	const letters, digits = "ABCDEFGHJKLMNPRSTUVWXYZ", "0123456789"
	l := func() byte { return letters[r.IntN(len(letters))] }
	d := func() byte { return digits[r.IntN(len(digits))] }
	switch r.IntN(10) {
	case 0: // 123ABC
		return string([]byte{d(), d(), d(), l(), l(), l()})
	case 1: // ABC1234
		return string([]byte{l(), l(), l(), d(), d(), d(), d()})
	default: // 7ABC123
		return string([]byte{d(), l(), l(), l(), d(), d(), d()})
	}
}

// BenchmarkInsertDetection saves detections with ~20 KB of images each, durable
// when SaveDetection returns. "serial" is one caller; "3cameras" is one caller per
// camera, whose saves share commits. Goal: >= 1,000 detections/s.
func BenchmarkInsertDetection(b *testing.B) {
	for _, writers := range []int{1, 3} {
		name := "serial"
		if writers > 1 {
			name = fmt.Sprintf("%dcameras", writers)
		}
		b.Run(name, func(b *testing.B) { benchInsert(b, writers) })
	}
}

func benchInsert(b *testing.B, writers int) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "insert.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	r := rand.New(rand.NewPCG(1, 2))
	plate, scene := benchJPEG(r, 4<<10), benchJPEG(r, 16<<10)
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	b.SetBytes(int64(len(plate) + len(scene)))
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 7))
			for i := w; i < b.N; i += writers {
				d := &alpr.Detection{Camera: alpr.Cameras[w%3], SeenAt: at.Add(time.Duration(i) * time.Second), Plate: benchPlate(r),
					State: "CA", Confidence: 0.9, Alternates: []alpr.Alternate{{Plate: "8ABC123", Score: 0.5}},
					Fix: alpr.Fix{Lat: 37.95, Lon: -121.29, Quality: alpr.Fix3D, Satellites: 8, HDOP: 1}, PlateJPEG: plate, SceneJPEG: scene}
				if err := db.SaveDetection(ctx, d); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "detections/s")
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
}

// benchDetections is the size of the search benchmark's database: two years of a
// busy car (about 4,100 reads a day).
const benchDetections = 3_000_000

// benchSearchDB returns a store holding benchDetections detections. It is built once
// and kept in the system temp directory, keyed by schema version and size, because
// building it takes minutes.
func benchSearchDB(b *testing.B) *DB {
	b.Helper()
	ctx := context.Background()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("patrol-alpr-bench-schema%d-%d.db", SchemaVersion(), benchDetections))
	if _, err := os.Stat(path); err != nil {
		b.Logf("building %s (once; takes a few minutes)", path)
		tmp := path + ".building"
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(tmp + suffix)
		}
		if err := buildSearchDB(ctx, tmp); err != nil {
			b.Fatal(err)
		}
		if err := os.Rename(tmp, path); err != nil {
			b.Fatal(err)
		}
	}
	db, err := Open(ctx, path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	return db
}

// buildSearchDB bulk-loads detections in large transactions (the per-detection fsync
// of SaveDetection would take an hour), through the same schema and triggers.
func buildSearchDB(ctx context.Context, path string) error {
	db, err := Open(ctx, path, Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	// One connection with bulk-load settings: no fsync (a crash here only means
	// rebuilding the fixture) and a cache large enough to hold the indexes.
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, p := range []string{`PRAGMA synchronous = OFF`, `PRAGMA cache_size = -400000`} {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			return err
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	start := time.Now().Add(-2 * 365 * 24 * time.Hour).UnixNano()
	step := int64(2*365*24*time.Hour) / benchDetections
	const batch = 100_000
	for done := 0; done < benchDetections; done += batch {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		ins, err := tx.PrepareContext(ctx, `INSERT INTO detections (uuid, camera, seen_at, plate, state, confidence,
			alternates, lat, lon, fix_quality, satellites, hdop) VALUES (?, ?, ?, ?, 'CA', ?, '[]', ?, ?, 3, 8, 1.0)`)
		if err != nil {
			tx.Rollback()
			return err
		}
		for i := done; i < done+batch && i < benchDetections; i++ {
			if _, err := ins.ExecContext(ctx, wire.NewUUID(), string(alpr.Cameras[i%3]), start+int64(i)*step, benchPlate(r),
				0.7+0.3*r.Float64(), 37.9+0.1*r.Float64(), -121.35+0.1*r.Float64()); err != nil {
				tx.Rollback()
				return err
			}
		}
		ins.Close()
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	// Merge the trigram index into one segment, as a car's would be after months
	// of automatic merging, then fold the WAL into the file.
	for _, s := range []string{`INSERT INTO detection_plate_grams (detection_plate_grams) VALUES ('optimize')`,
		`PRAGMA wal_checkpoint(TRUNCATE)`} {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}

// BenchmarkSearchPartialPlate searches 3 million detections by full and partial
// plate, each search audited as in the field. Goal: p95 <= 100 ms for every shape.
func BenchmarkSearchPartialPlate(b *testing.B) {
	ctx := context.Background()
	db := benchSearchDB(b)
	defer db.Close()
	// Real plates from the store, so exact and partial searches find something.
	var plates []string
	rows, err := db.sql.QueryContext(ctx, `SELECT plate FROM detections WHERE id % 9973 = 0 AND length(plate) = 7`)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var p string
		rows.Scan(&p)
		plates = append(plates, p)
	}
	rows.Close()
	if len(plates) == 0 {
		b.Fatal("no plates in the benchmark database")
	}
	shapes := []struct {
		name string
		of   func(p string) string
	}{
		{"exact", func(p string) string { return p }},
		{"contains3", func(p string) string { return "*" + p[1:4] + "*" }},
		{"prefix3", func(p string) string { return p[:3] + "*" }},
		{"suffix3", func(p string) string { return "*" + p[4:] }},
		{"oneUnknown", func(p string) string { return p[:3] + "?" + p[4:] }},
		{"twoUnknown", func(p string) string { return "?" + p[1:3] + "?" + p[4:] }},
		{"prefix1", func(p string) string { return p[:1] + "*" }},
		{"sparse", func(p string) string { return "?" + p[1:2] + "?" + p[3:4] + "*" }},
	}
	who := Purpose{OperatorID: "bench", Purpose: "benchmark", CaseNumber: "BENCH-1"}
	for _, s := range shapes {
		b.Run(s.name, func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			found := 0
			for i := 0; i < b.N; i++ {
				q := Query{Plate: s.of(plates[i%len(plates)]), Limit: 100}
				t := time.Now()
				ds, err := db.SearchDetections(ctx, q, who)
				lat = append(lat, time.Since(t))
				if err != nil {
					b.Fatal(err)
				}
				found += len(ds)
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
			b.ReportMetric(float64(found)/float64(b.N), "results/op")
		})
	}
}
