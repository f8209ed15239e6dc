package loadtest

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"patrol-alpr/learn"
	"patrol-alpr/server/pki"
	"patrol-alpr/server/postgres"
)

// operatorID is the officer every simulated car's detections name; it is put on the roster.
const operatorID = "L0001"

// register puts the operator on the agency's roster and registers n cars, each with a
// certificate of its own issued by the agency CA in dataDir/ca, as `car add` does but many
// at once. Each car's bundle is written to dataDir/cars/NUMBER and read back with
// learn.LoadBundle, the car's own code, so the TLS configuration is exactly a car's.
func register(ctx context.Context, db *postgres.DB, dataDir, agency string, n int) ([]vehicle, error) {
	ca, err := pki.LoadOrCreateCA(filepath.Join(dataDir, "ca"), agency, time.Now)
	if err != nil {
		return nil, err
	}
	if err := db.PutOperator(ctx, postgres.Operator{Agency: agency, ID: operatorID, Name: "Load Test Officer",
		Active: true, TrainedOn: time.Now()}, "loadtest"); err != nil {
		return nil, err
	}
	cars := make([]vehicle, n)
	errs := make(chan error, n)
	work := make(chan int)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				v, err := registerCar(ctx, db, ca, dataDir, agency, fmt.Sprintf("L%05d", i+1), nil)
				if err != nil {
					errs <- err
					continue
				}
				cars[i] = v
			}
		}()
	}
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return nil, err
	}
	return cars, nil
}

// vehicle is a registered car: its number and the bundle folder holding its certificate.
type vehicle struct {
	number string
	bundle string
	fixed  bool // a fixed camera site
}

// registerCar registers a car, or a fixed camera site when site is set ({lat, lon}).
func registerCar(ctx context.Context, db *postgres.DB, ca *pki.CA, dataDir, agency, number string, site []float64) (vehicle, error) {
	v := postgres.Vehicle{Agency: agency, Number: number, Kind: pki.KindCar}
	if site != nil {
		v.Kind, v.FixedLat, v.FixedLon = pki.KindFixed, site[0], site[1]
	}
	if err := db.PutVehicle(ctx, v); err != nil {
		return vehicle{}, err
	}
	b, err := ca.IssueVehicle(agency, number, v.Kind, 24*time.Hour)
	if err != nil {
		return vehicle{}, fmt.Errorf("issue car %s: %w", number, err)
	}
	dir := filepath.Join(dataDir, "cars", number)
	if err := b.WriteDir(dir, pki.Replace); err != nil { // a -data folder used before holds the last run's
		return vehicle{}, fmt.Errorf("write car %s's bundle: %w", number, err)
	}
	if err := db.AddCertificate(ctx, postgres.Certificate{Agency: agency, Serial: b.Serial, Vehicle: number,
		IssuedAt: time.Now(), NotAfter: b.NotAfter}, "loadtest"); err != nil {
		return vehicle{}, err
	}
	return vehicle{number: number, bundle: dir, fixed: site != nil}, nil
}

// registerSites registers n fixed camera sites spread over the fleet's area (issue 19: they
// post like cars, their detections placed at the site by the server).
func registerSites(ctx context.Context, db *postgres.DB, dataDir, agency string, n int, place func(i int) (lat, lon float64)) ([]vehicle, error) {
	ca, err := pki.LoadOrCreateCA(filepath.Join(dataDir, "ca"), "", time.Now)
	if err != nil {
		return nil, err
	}
	out := make([]vehicle, n)
	for i := range n {
		lat, lon := place(i)
		if out[i], err = registerCar(ctx, db, ca, dataDir, agency, fmt.Sprintf("F%04d", i+1), []float64{lat, lon}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// client is the car's connection to the server, made as the car makes it.
func (v vehicle) client(url string) (learn.Client, error) {
	cfg, err := learn.LoadBundle(v.bundle)
	if err != nil {
		return learn.Client{}, fmt.Errorf("car %s: %w", v.number, err)
	}
	return learn.NewClient(url, cfg), nil
}
