package desk

import (
	"bytes"
	"fmt"
	"strconv"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"patrol-alpr/server/postgres"
)

// reportPDF lays out the quarterly report for the Technical Services Division Commander
// (III.B.1.c): the totals, the breakdowns, the charts and the investigations aided.
func reportPDF(rep postgres.QuarterReport, quarter, by string, now time.Time) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	// Text stays searchable and testable; the charts inside are PNG, compressed already.
	pdf.SetCompression(false)
	pdf.SetTitle("ALPR Quarterly Report "+quarter, true)
	pdf.SetCreator("patrol-alpr-server", true)
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont("Helvetica", "", 8)
		pdf.CellFormat(0, 6, tr(fmt.Sprintf("Agency %s - ALPR Quarterly Report %s - page %d", rep.Agency, quarter, pdf.PageNo())),
			"", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 16)
	pdf.CellFormat(0, 10, tr("ALPR Quarterly Report "+quarter), "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 10)
	pdf.CellFormat(0, 6, tr(fmt.Sprintf("Agency %s, %s to %s (General Order J-4, III.B.1.c). Prepared by %s on %s.",
		rep.Agency, rep.From.Format(time.DateOnly), rep.To.AddDate(0, 0, -1).Format(time.DateOnly), by,
		now.UTC().Format(time.DateOnly))), "", 1, "L", false, 0, "")
	pdf.Ln(3)

	n := func(v int64) string { return strconv.FormatInt(v, 10) }
	table := func(title string, head []string, widths []float64, rows [][]string) {
		pdf.SetFont("Helvetica", "B", 12)
		pdf.CellFormat(0, 8, tr(title), "", 1, "L", false, 0, "")
		pdf.SetFont("Helvetica", "B", 9)
		pdf.SetFillColor(230, 234, 240)
		for i, h := range head {
			align := "R"
			if i == 0 {
				align = "L"
			}
			pdf.CellFormat(widths[i], 6, tr(h), "1", 0, align, true, 0, "")
		}
		pdf.Ln(-1)
		pdf.SetFont("Helvetica", "", 9)
		for _, row := range rows {
			for i, c := range row {
				align := "R"
				if i == 0 {
					align = "L"
				}
				pdf.CellFormat(widths[i], 6, tr(c), "1", 0, align, false, 0, "")
			}
			pdf.Ln(-1)
		}
		pdf.Ln(3)
	}
	table("Totals", []string{"Figure", "Count"}, []float64{80, 30}, [][]string{
		{"Total detections", n(rep.Detections)},
		{"Hits generated", n(rep.Hits)},
		{"Hits confirmed", n(rep.Confirmed)},
		{"Hits rejected", n(rep.Rejected)},
		{"Hits without disposition", n(rep.Pending)},
		{"Searches of ALPR data", n(rep.Searches)},
		{"Significant investigations aided", strconv.Itoa(len(rep.Aided))},
	})
	var reasons [][]string
	for _, rc := range rep.RejectedBy {
		reasons = append(reasons, []string{rc.Reason, n(rc.Count)})
	}
	if len(reasons) > 0 {
		table("Hits rejected, by reason", []string{"Reason", "Hits"}, []float64{80, 30}, reasons)
	}
	head := []string{"", "Detections", "Hits", "Confirmed", "Rejected"}
	widths := []float64{50, 30, 25, 25, 25}
	breakdown := func(title, first string, rows []postgres.ReportRow, detections bool) {
		var out [][]string
		for _, r := range rows {
			d := n(r.Detections)
			if !detections {
				d = "-"
			}
			out = append(out, []string{r.Key, d, n(r.Hits), n(r.Confirmed), n(r.Rejected)})
		}
		h := append([]string{first}, head[1:]...)
		table(title, h, widths, out)
	}
	breakdown("By month", "Month", rep.ByMonth, true)
	breakdown("By vehicle", "Vehicle", rep.ByVehicle, true)
	breakdown("By camera", "Camera", rep.ByCamera, true)
	breakdown("By list", "List", rep.ByList, false)

	var aided [][]string
	for _, a := range rep.Aided {
		what := "hit " + a.List + " " + a.Plate
		if a.SearchID != "" {
			what = "search " + a.SearchID
		}
		aided = append(aided, []string{a.CaseNumber, what, a.FlaggedBy, a.At.UTC().Format(time.DateOnly), a.Note})
	}
	if len(aided) == 0 {
		aided = [][]string{{"none flagged", "", "", "", ""}}
	}
	table("Significant investigations aided", []string{"Case", "By", "Flagged by", "On", "Note"},
		[]float64{30, 50, 30, 25, 55}, aided)

	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 12)
	pdf.CellFormat(0, 8, "Charts", "", 1, "L", false, 0, "")
	for _, c := range charts {
		png, err := renderChart(c, rep, "png")
		if err != nil {
			return nil, err
		}
		pdf.RegisterImageOptionsReader(c.File, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(png))
		pdf.ImageOptions(c.File, 15, pdf.GetY(), 150, 0, true, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
		pdf.Ln(2)
		if pdf.GetY() > 210 {
			pdf.AddPage()
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("write report PDF: %w", err)
	}
	return buf.Bytes(), nil
}
