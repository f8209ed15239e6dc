package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"patrol-alpr/wire"
)

// Generated describes an agency filled by Generate, for benchmarks of the desk at agency
// scale (issue 20: a quarter of a 20-car agency is 10 M detections and 50 k searches).
type Generated struct {
	Agency     string
	From, To   time.Time
	Vehicles   int
	Detections int64
	Hits       int64
	Searches   int64
}

// GenerateOptions size a generated agency.
type GenerateOptions struct {
	Agency     string
	From, To   time.Time // default: 2026-Q4
	Vehicles   int       // default 20
	Detections int64     // default 10 M
	Searches   int64     // default 50 k
	Seed       uint64
}

// Generate fills an agency with synthetic data by COPY, without images: detections spread
// over the period and the vehicles (three cameras each, three 8-hour shifts a day with their
// own operator), a hit for one detection in 200 (nine in ten with a disposition, one in five
// of those rejected), and searches made in the cars, each in the car's hash-chained audit log
// between the operator's shift entries, 3 % without a case number and 2 % after the shift.
// It is for benchmarks and demonstrations; it never runs in a server on its own.
func (db *DB) Generate(ctx context.Context, o GenerateOptions) (Generated, error) {
	if o.From.IsZero() {
		o.From, o.To = time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if o.Vehicles <= 0 {
		o.Vehicles = 20
	}
	if o.Detections <= 0 {
		o.Detections = 10_000_000
	}
	if o.Searches <= 0 {
		o.Searches = 50_000
	}
	g := Generated{Agency: o.Agency, From: o.From, To: o.To, Vehicles: o.Vehicles}
	if err := db.PutAgency(ctx, Agency{ID: o.Agency, Name: "Generated agency " + o.Agency}); err != nil {
		return g, err
	}
	for m := monthStart(o.From); m.Before(o.To); m = m.AddDate(0, 1, 0) {
		if err := db.ensurePartition(ctx, m); err != nil {
			return g, err
		}
	}
	days := int(o.To.Sub(o.From).Hours() / 24)
	vehicle := func(v int) string { return strconv.Itoa(2300 + v) }
	// The operator of vehicle v's shift s (0-2): 60 operators for 20 cars.
	operator := func(v, s int) string { return strconv.Itoa(5000 + 3*v + s) }
	var trainees []Trainee
	for v := 0; v < o.Vehicles; v++ {
		if err := db.PutVehicle(ctx, Vehicle{Agency: o.Agency, Number: vehicle(v)}); err != nil {
			return g, err
		}
		for s := 0; s < 3; s++ {
			trainees = append(trainees, Trainee{ID: operator(v, s), Name: "Officer " + operator(v, s), Active: true,
				TrainedOn: o.From.AddDate(-1, 0, 0), Certification: "Vendor ALPR course", CertifiedUntil: o.To.AddDate(1, 0, 0)})
		}
	}
	if err := db.PutTrainees(ctx, o.Agency, trainees, "generator"); err != nil {
		return g, err
	}
	rnd := rand.New(rand.NewPCG(o.Seed, 0x616c7072))
	uuid := func() string {
		return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", rnd.Uint32(), rnd.Uint32()&0xffff, rnd.Uint32()&0xfff,
			rnd.Uint32()&0xfff, rnd.Uint64()&0xffffffffffff)
	}
	span := o.To.Sub(o.From)
	cameras := [...]string{"Cam-1", "Cam-2", "Cam-3"}
	lists := [...]string{"NCIC", "SVS", "SFR", "SLR", "GANG"}
	reasons := [...]string{"misread", "wrong state", "vehicle not as listed", "list entry cleared"}
	var hitRows, dispRows [][]any
	var i int64
	now := db.now()
	n, err := db.pool.CopyFrom(ctx, pgx.Identifier{"detections"}, []string{"agency_id", "seen_at", "uuid", "vehicle",
		"operator_id", "camera", "plate", "state", "confidence", "lat", "lon", "received_at"},
		pgx.CopyFromFunc(func() ([]any, error) {
			if i >= o.Detections {
				return nil, nil
			}
			// Evenly spread in time, so the rows arrive roughly in time order as from a fleet.
			at := o.From.Add(time.Duration(float64(span) * (float64(i) + rnd.Float64()) / float64(o.Detections)))
			i++
			v := rnd.IntN(o.Vehicles)
			shift := at.Hour() / 8
			plate := fmt.Sprintf("%d%c%c%c%03d", rnd.IntN(10), 'A'+rnd.IntN(26), 'A'+rnd.IntN(26), 'A'+rnd.IntN(26), rnd.IntN(1000))
			id := uuid()
			if rnd.IntN(200) == 0 {
				hit := uuid()
				raised := at.Add(time.Second)
				hitRows = append(hitRows, []any{o.Agency, hit, id, vehicle(v), operator(v, shift), lists[rnd.IntN(len(lists))],
					plate, plate, "exact", "match", false, raised, []byte(`{}`)})
				if rnd.IntN(10) < 9 {
					outcome, reason := "confirmed", ""
					if rnd.IntN(5) == 0 {
						outcome, reason = "rejected", reasons[rnd.IntN(len(reasons))]
					}
					dispRows = append(dispRows, []any{o.Agency, uuid(), hit, outcome, reason, operator(v, shift), vehicle(v),
						raised.Add(time.Minute)})
				}
			}
			return []any{o.Agency, at, id, vehicle(v), operator(v, shift), cameras[rnd.IntN(3)], plate, "CA",
				float32(0.7 + 0.3*rnd.Float64()), 37.9 + 0.1*rnd.Float64(), -121.3 + 0.1*rnd.Float64(), now}, nil
		}))
	if err != nil {
		return g, fmt.Errorf("generate detections: %w", err)
	}
	g.Detections = n
	if g.Hits, err = db.pool.CopyFrom(ctx, pgx.Identifier{"hits"}, []string{"agency_id", "uuid", "detection_uuid", "vehicle",
		"operator_id", "list_name", "listed_plate", "read_plate", "match_kind", "state_check", "late", "raised_at", "match"},
		pgx.CopyFromRows(hitRows)); err != nil {
		return g, fmt.Errorf("generate hits: %w", err)
	}
	if _, err = db.pool.CopyFrom(ctx, pgx.Identifier{"dispositions"}, []string{"agency_id", "key", "hit_uuid", "outcome",
		"reason", "operator_id", "vehicle", "at"}, pgx.CopyFromRows(dispRows)); err != nil {
		return g, fmt.Errorf("generate dispositions: %w", err)
	}

	// Each car's audit log: per day and shift, shift.start, the shift's searches, shift.end;
	// a search after the shift now and then.
	perShift := float64(o.Searches) / float64(days*3*o.Vehicles)
	var auditRows, searchRows [][]any
	for v := 0; v < o.Vehicles; v++ {
		prev, seq := wire.Genesis, int64(0)
		entry := func(at time.Time, actor, action, detail string) {
			seq++
			h := wire.ChainHash(prev, seq, at, actor, action, detail)
			auditRows = append(auditRows, []any{o.Agency, vehicle(v), seq, at, at.UnixNano(), actor, action, detail, prev, h, now})
			prev = h
		}
		for d := 0; d < days; d++ {
			for s := 0; s < 3; s++ {
				start := o.From.AddDate(0, 0, d).Add(time.Duration(8*s)*time.Hour + 5*time.Minute)
				op := operator(v, s)
				entry(start, op, "shift.start", fmt.Sprintf("shift %d in vehicle %s", d*3+s, vehicle(v)))
				k := int(perShift)
				if rnd.Float64() < perShift-float64(k) {
					k++
				}
				var late []time.Time
				for j := 0; j < k; j++ {
					at := start.Add(time.Duration(j+1) * (7*time.Hour + 40*time.Minute) / time.Duration(k+1))
					if rnd.IntN(50) == 0 {
						late = append(late, start.Add(7*time.Hour+52*time.Minute+time.Duration(j)*time.Second))
						continue
					}
					searchRows = append(searchRows, search(o.Agency, vehicle(v), op, at, seq+1, rnd))
					entry(at, op, "search", string(searchRows[len(searchRows)-1][7].([]byte)))
				}
				entry(start.Add(7*time.Hour+50*time.Minute), op, "shift.end", fmt.Sprintf("shift %d", d*3+s))
				for _, at := range late {
					searchRows = append(searchRows, search(o.Agency, vehicle(v), op, at, seq+1, rnd))
					entry(at, op, "search", string(searchRows[len(searchRows)-1][7].([]byte)))
				}
			}
		}
		if _, err := db.pool.Exec(ctx, `INSERT INTO audit_heads (agency_id, vehicle, seq, hash) VALUES ($1, $2, $3, $4)
			ON CONFLICT (agency_id, vehicle) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`, o.Agency, vehicle(v), seq, prev); err != nil {
			return g, fmt.Errorf("generate audit heads: %w", err)
		}
	}
	if _, err = db.pool.CopyFrom(ctx, pgx.Identifier{"audit_entries"}, []string{"agency_id", "vehicle", "seq", "at", "at_ns",
		"actor", "action", "detail", "prev_hash", "hash", "received_at"}, pgx.CopyFromRows(auditRows)); err != nil {
		return g, fmt.Errorf("generate audit entries: %w", err)
	}
	if g.Searches, err = db.pool.CopyFrom(ctx, pgx.Identifier{"searches"}, []string{"agency_id", "id", "vehicle", "operator_id",
		"at", "purpose", "case_number", "query", "results"}, pgx.CopyFromRows(searchRows)); err != nil {
		return g, fmt.Errorf("generate searches: %w", err)
	}
	if _, err := db.pool.Exec(ctx, `ANALYZE detections, hits, dispositions, searches, audit_entries`); err != nil {
		return g, fmt.Errorf("analyze generated data: %w", err)
	}
	return g, nil
}

// search is one generated search row; its query (index 7) is also the audit entry's detail.
func search(agency, vehicle, op string, at time.Time, seq int64, rnd *rand.Rand) []any {
	caseNo := fmt.Sprintf("26-%06d", rnd.IntN(1_000_000))
	if rnd.IntN(33) == 0 {
		caseNo = ""
	}
	results := rnd.IntN(40)
	q, _ := json.Marshal(map[string]any{"operator_id": op, "purpose": "investigation", "case_number": caseNo,
		"plate": fmt.Sprintf("%dABC*", rnd.IntN(10)), "results": results})
	return []any{agency, vehicle + ":" + strconv.FormatInt(seq, 10), vehicle, op, at, "investigation", caseNo, q, results}
}
