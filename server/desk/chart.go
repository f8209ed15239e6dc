package desk

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"patrol-alpr/server/postgres"
)

// chartSpec is one chart of the quarterly report.
type chartSpec struct {
	File  string // its name under /report/chart/
	Title string
	rows  func(postgres.QuarterReport) []postgres.ReportRow
	hits  bool // stacked confirmed / rejected / pending instead of detections
}

var charts = []chartSpec{
	{File: "detections-by-month.svg", Title: "Detections by month", rows: func(r postgres.QuarterReport) []postgres.ReportRow { return r.ByMonth }},
	{File: "hits-by-month.svg", Title: "Hits by month", rows: func(r postgres.QuarterReport) []postgres.ReportRow { return r.ByMonth }, hits: true},
	{File: "detections-by-vehicle.svg", Title: "Detections by vehicle", rows: func(r postgres.QuarterReport) []postgres.ReportRow { return r.ByVehicle }},
	{File: "hits-by-list.svg", Title: "Hits by list", rows: func(r postgres.QuarterReport) []postgres.ReportRow { return r.ByList }, hits: true},
}

func chartByFile(name string) (chartSpec, bool) {
	for _, c := range charts {
		if c.File == name {
			return c, true
		}
	}
	return chartSpec{}, false
}

var (
	blue  = color.RGBA{R: 0x2b, G: 0x59, B: 0x8c, A: 0xff}
	green = color.RGBA{R: 0x2e, G: 0x7d, B: 0x32, A: 0xff}
	red   = color.RGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff}
	grey  = color.RGBA{R: 0x9e, G: 0x9e, B: 0x9e, A: 0xff}
)

// renderChart draws a chart of the report as "svg" (for the page) or "png" (for the PDF).
func renderChart(spec chartSpec, rep postgres.QuarterReport, format string) ([]byte, error) {
	rows := spec.rows(rep)
	p := plot.New()
	p.Title.Text = spec.Title
	p.Y.Min = 0
	names := make([]string, len(rows))
	for i, r := range rows {
		names[i] = r.Key
	}
	if len(rows) == 0 {
		names = []string{"no data"}
		rows = []postgres.ReportRow{{}}
	}
	width := vg.Points(min(40, 360/float64(len(rows))))
	bar := func(vals plotter.Values, c color.Color, label string, on *plotter.BarChart) (*plotter.BarChart, error) {
		b, err := plotter.NewBarChart(vals, width)
		if err != nil {
			return nil, err
		}
		b.Color, b.LineStyle.Width = c, 0
		if on != nil {
			b.StackOn(on)
		}
		p.Add(b)
		if label != "" {
			p.Legend.Add(label, b)
		}
		return b, nil
	}
	if spec.hits {
		conf, rej, pend := make(plotter.Values, len(rows)), make(plotter.Values, len(rows)), make(plotter.Values, len(rows))
		for i, r := range rows {
			conf[i], rej[i], pend[i] = float64(r.Confirmed), float64(r.Rejected), float64(r.Hits-r.Confirmed-r.Rejected)
		}
		c, err := bar(conf, green, "confirmed", nil)
		if err != nil {
			return nil, err
		}
		rj, err := bar(rej, red, "rejected", c)
		if err != nil {
			return nil, err
		}
		if _, err := bar(pend, grey, "pending", rj); err != nil {
			return nil, err
		}
		p.Legend.Top = true
	} else {
		vals := make(plotter.Values, len(rows))
		for i, r := range rows {
			vals[i] = float64(r.Detections)
		}
		if _, err := bar(vals, blue, "", nil); err != nil {
			return nil, err
		}
	}
	p.NominalX(names...)
	// Half a slot each side, so the first and last bars are not cut, and room above the
	// tallest bar for the legend.
	p.X.Min, p.X.Max = -0.6, float64(len(rows))-0.4
	var top float64
	for _, r := range rows {
		top = max(top, float64(r.Detections), float64(r.Hits))
	}
	if spec.hits {
		top = 0
		for _, r := range rows {
			top = max(top, float64(r.Hits))
		}
		p.Legend.Left = true
	}
	p.Y.Max = max(1, top) * 1.35
	p.Y.Tick.Marker = countTicks{}
	if len(names) > 6 {
		p.X.Tick.Label.Rotation = 0.6
		p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = -0.8, -0.5
	}
	wt, err := p.WriterTo(6*vg.Inch, 3*vg.Inch, format)
	if err != nil {
		return nil, fmt.Errorf("draw chart %s: %w", spec.File, err)
	}
	var buf bytes.Buffer
	if _, err := wt.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("draw chart %s: %w", spec.File, err)
	}
	return buf.Bytes(), nil
}

// countTicks marks a count axis with whole numbers only, about five of them.
type countTicks struct{}

func (countTicks) Ticks(lo, hi float64) []plot.Tick {
	step := math.Max(1, math.Ceil((hi-lo)/5))
	if p := math.Pow(10, math.Floor(math.Log10(step))); step > 10 {
		step = math.Ceil(step/p) * p // 20, 300, 4000: round steps
	}
	var out []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi; v += step {
		out = append(out, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', 0, 64)})
	}
	return out
}
