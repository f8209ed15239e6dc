package httpapi

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"patrol-alpr/wire"
)

// Metrics are what /metrics shows Prometheus: the ingest rate, batch latency, the cars seen
// and how far each is behind.
type Metrics struct {
	reg      *prometheus.Registry
	items    *prometheus.CounterVec
	batches  *prometheus.CounterVec
	latency  prometheus.Histogram
	unsent   *prometheus.GaugeVec
	carsSeen prometheus.GaugeFunc

	mu   sync.Mutex
	seen map[string]time.Time // vehicle -> last batch
	now  func() time.Time
}

// SeenWindow is how recently a car must have synced to count as seen.
const SeenWindow = 5 * time.Minute

// NewMetrics makes the server's metrics in a registry of their own.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		items: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "alpr_ingest_items_total", Help: "Items received in accepted batches, by kind."}, []string{"kind"}),
		batches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "alpr_sync_batches_total", Help: "Sync requests by HTTP status."}, []string{"status"}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "alpr_sync_batch_seconds", Help: "Time to file a sync batch and answer.",
			Buckets: []float64{.005, .01, .025, .05, .1, .2, .5, 1, 2.5, 5}}),
		unsent: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "alpr_car_oldest_unsent_seconds", Help: "Age of the oldest item in each car's outbox at its last batch."},
			[]string{"vehicle"}),
		seen: map[string]time.Time{},
		now:  time.Now,
	}
	m.carsSeen = prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "alpr_cars_seen", Help: "Vehicles that synced in the last five minutes."}, m.countSeen)
	m.reg.MustRegister(m.items, m.batches, m.latency, m.unsent, m.carsSeen,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics.
func (m *Metrics) Handler() http.Handler { return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}) }

func (m *Metrics) batch(status int, d time.Duration) {
	m.batches.WithLabelValues(strconv.Itoa(status)).Inc()
	if status == http.StatusOK {
		m.latency.Observe(d.Seconds())
	}
}

func (m *Metrics) ingested(vehicle string, b wire.Batch) {
	for _, it := range b.Items {
		m.items.WithLabelValues(it.Kind).Inc()
	}
	m.unsent.WithLabelValues(vehicle).Set(b.OldestUnsent)
	m.mu.Lock()
	m.seen[vehicle] = m.now()
	m.mu.Unlock()
}

func (m *Metrics) countSeen() float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	n, cut := 0, m.now().Add(-SeenWindow)
	for v, at := range m.seen {
		if at.Before(cut) {
			delete(m.seen, v)
			continue
		}
		n++
	}
	return float64(n)
}
