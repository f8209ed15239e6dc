package desk_test

import (
	"context"
	"encoding/csv"
	"reflect"
	"strings"
	"testing"
	"time"

	"patrol-alpr/server/desk"
	"patrol-alpr/server/postgres"
)

// wantQ4 is the fixture's 2026-Q4 report, worked out by hand from fill's table.
func wantQ4(agency string) postgres.QuarterReport {
	return postgres.QuarterReport{
		Agency: agency, From: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		Detections: 9, Hits: 5, Confirmed: 2, Rejected: 2, Pending: 1,
		RejectedBy: []postgres.ReasonCount{{Reason: "misread", Count: 2}},
		Searches:   3,
		ByMonth: []postgres.ReportRow{
			{Key: "2026-10", Detections: 3, Hits: 1, Confirmed: 1},
			{Key: "2026-11", Detections: 3, Hits: 2, Confirmed: 1, Rejected: 1},
			{Key: "2026-12", Detections: 3, Hits: 2, Rejected: 1},
		},
		ByVehicle: []postgres.ReportRow{
			{Key: "2317", Detections: 6, Hits: 3, Confirmed: 2, Rejected: 1},
			{Key: "2318", Detections: 3, Hits: 2, Rejected: 1},
		},
		ByCamera: []postgres.ReportRow{
			{Key: "Cam-1", Detections: 7, Hits: 4, Confirmed: 1, Rejected: 2},
			{Key: "Cam-2", Detections: 2, Hits: 1, Confirmed: 1},
		},
		ByList: []postgres.ReportRow{
			{Key: "LOCAL", Hits: 1},
			{Key: "NCIC", Hits: 2, Confirmed: 1, Rejected: 1},
			{Key: "SVS", Hits: 2, Confirmed: 1, Rejected: 1},
		},
	}
}

func TestQuarterReportFigures(t *testing.T) {
	e := newEnv(t, desk.Options{})
	got, err := e.db.Quarter(context.Background(), e.agency, time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	must(t, err)
	if len(got.Aided) != 1 || got.Aided[0].CaseNumber != "C-1" || got.Aided[0].HitUUID != e.hits["h1"] ||
		got.Aided[0].List != "NCIC" || got.Aided[0].FlaggedBy != "4711" {
		t.Errorf("aided = %+v, want hit h1 for case C-1 flagged by 4711", got.Aided)
	}
	got.Aided = nil
	got.From, got.To = got.From.UTC(), got.To.UTC()
	if want := wantQ4(e.agency); !reflect.DeepEqual(got, want) {
		t.Errorf("Q4 report\n got %+v\nwant %+v", got, want)
	}

	q3, err := e.db.Quarter(context.Background(), e.agency, time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC))
	must(t, err)
	if q3.Detections != 1 || q3.Hits != 1 || q3.Confirmed != 1 || len(q3.ByCamera) != 1 || q3.ByCamera[0].Key != "Cam-3" {
		t.Errorf("Q3 report = %+v, want the one Sep 30 detection with its confirmed hit", q3)
	}
}

// TestReportExports reads the CSV and the PDF as the administrator downloads them.
func TestReportExports(t *testing.T) {
	e := newEnv(t, desk.Options{})
	c := e.client(adminName, adminPassword)
	res, body := e.get(c, "/report/csv?q=2026-Q4")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Fatalf("CSV: %s %s", res.Status, res.Header.Get("Content-Type"))
	}
	checkReportCSV(t, body)

	res, body = e.get(c, "/report/pdf?q=2026-Q4")
	if res.StatusCode != 200 || !strings.HasPrefix(body, "%PDF-") {
		t.Fatalf("PDF: %s, starts %q", res.Status, body[:min(8, len(body))])
	}
	checkReportPDF(t, body)

	for _, chart := range []string{"detections-by-month.svg", "hits-by-month.svg", "detections-by-vehicle.svg", "hits-by-list.svg"} {
		res, body := e.get(c, "/report/chart/"+chart+"?q=2026-Q4")
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(body, "<svg") {
			t.Errorf("chart %s: %s %s", chart, res.Status, res.Header.Get("Content-Type"))
		}
	}
}

// checkReportCSV compares every line of the CSV with the fixture's report.
func checkReportCSV(t *testing.T, body string) {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v", err)
	}
	var got []string
	for _, r := range recs {
		if strings.HasPrefix(r[0], "aided ") && r[0] != "aided case" {
			r[1], r[3] = "hit", "" // the hit's uuid and the time it was flagged vary
		}
		got = append(got, strings.Join(r, ","))
	}
	want := []string{
		"section,key,detections,hits,confirmed,rejected",
		"total,,9,5,2,2",
		"month,2026-10,3,1,1,0", "month,2026-11,3,2,1,1", "month,2026-12,3,2,0,1",
		"vehicle,2317,6,3,2,1", "vehicle,2318,3,2,0,1",
		"camera,Cam-1,7,4,1,2", "camera,Cam-2,2,1,1,0",
		"list,LOCAL,0,1,0,0", "list,NCIC,0,2,1,1", "list,SVS,0,2,1,1",
		"rejected reason,misread,,,,2",
		"pending,,,1,,",
		"searches,,3,,,",
		"aided case,hit or search,flagged by,flagged at,note,",
		"aided C-1,hit,4711,,vehicle recovered,",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CSV\n got %q\nwant %q", got, want)
	}
}

// checkReportPDF looks for the figures in the PDF's text (written uncompressed) and for the
// four charts as images.
func checkReportPDF(t *testing.T, body string) {
	t.Helper()
	for _, want := range []string{
		"(ALPR Quarterly Report 2026-Q4)",
		"(Total detections)", "(9)", "(Hits generated)", "(5)", "(Hits confirmed)", "(Hits rejected)",
		"(Significant investigations aided)", "(misread)", "(2026-11)", "(2317)", "(Cam-1)", "(SVS)", "(C-1)",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("PDF lacks %s", want)
		}
	}
	if n := strings.Count(body, "/Subtype /Image"); n != 4 {
		t.Errorf("PDF holds %d images, want the 4 charts", n)
	}
}
