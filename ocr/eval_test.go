package ocr

import (
	"context"
	"fmt"
	"image"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gocv.io/x/gocv"
)

// benchDir is the openalpr benchmark beside the checkout; OCR_EVAL_DIR
// points the evaluation at another labelled folder (e.g. a split of it).
func benchDir(t testing.TB) string {
	if d := os.Getenv("OCR_EVAL_DIR"); d != "" {
		return d
	}
	d, err := filepath.Abs(filepath.Join("..", "..", "shared", "alpr-bench", "dev"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(d, "labels.csv")); err != nil {
		t.Skipf("no benchmark photos at %s", d)
	}
	return d
}

// TestEvaluateDev measures the reader on the real benchmark photos. The
// floors are well under the goals: they catch a broken pipeline
// without tying the test to one model's figures (those go in the report).
func TestEvaluateDev(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("reads 113 photos; run without -short and -race")
	}
	dir := benchDir(t)
	r := openTestReader(t)
	rep, err := Evaluate(context.Background(), r, dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	rep.WriteTo(&b)
	t.Logf("evaluation of %s:\n%s", dir, b.String())
	if rep.DetectionRecall < 0.95 || rep.Top1 < 0.84 || rep.Top3 < 0.88 {
		t.Errorf("reader far below goals: recall %.2f, top-1 %.2f, top-3 %.2f", rep.DetectionRecall, rep.Top1, rep.Top3)
	}
	// Burned-in clocks alone made 0.4 a photo before the phantom rules (0.57 in all).
	if rep.FalsePerImage > 0.3 {
		t.Errorf("%.2f false reads a photo, want at most 0.3 (issue 21's goal is 0.2)", rep.FalsePerImage)
	}
}

func TestReportListsMisses(t *testing.T) {
	res := func(plate, read string, iou float64, top3 bool) ImageResult {
		return ImageResult{Labelled: Labelled{File: plate + ".jpg", Plate: plate}, Read: read, IoU: iou, InTop3: top3}
	}
	rep := Report{Images: 4, Results: []ImageResult{
		res("7ABC123", "7ABC123", 0.8, true), // right: not listed
		res("4XYZ567", "4XY2567", 0.7, true), // wrong, its plate an alternate
		res("6KLM890", "6KLM8", 0.6, false),  // wrong, not among the alternates
		res("2DEF345", "2DEF345", 0.4, true), // right text, box off the label
		res("9GHI012", "", 0, false),         // not found
	}}
	var b strings.Builder
	if _, err := rep.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	misses := map[string]string{}
	for _, line := range strings.Split(b.String(), "\n") {
		if f := strings.Fields(line); len(f) > 1 && f[0] == "miss" {
			misses[strings.TrimSuffix(f[1], ".jpg")] = line
		}
	}
	for plate, top3 := range map[string]bool{"4XYZ567": true, "6KLM890": false, "2DEF345": false, "9GHI012": false} {
		line, ok := misses[plate]
		if !ok {
			t.Errorf("%s not listed as a miss:\n%s", plate, b.String())
			continue
		}
		if got := strings.HasSuffix(line, "in top-3"); got != top3 {
			t.Errorf("%s: marked in top-3 %v, want %v: %q", plate, got, top3, line)
		}
	}
	if _, listed := misses["7ABC123"]; listed || len(misses) != 4 {
		t.Errorf("listed %d misses, want the 4 wrong ones:\n%s", len(misses), b.String())
	}
}

// BenchmarkReadDevPhotos is the whole pipeline on the benchmark's real
// photos (busier than synthetic traffic: grilles, signs, van lettering), one
// OpenCV thread; run with -cpu 1.
func BenchmarkReadDevPhotos(b *testing.B) {
	dir := benchDir(b)
	labels, err := LoadLabels(dir)
	if err != nil {
		b.Fatal(err)
	}
	var photos []gocv.Mat
	for _, l := range labels {
		img := gocv.IMRead(filepath.Join(dir, l.File), gocv.IMReadColor)
		if img.Empty() {
			b.Fatalf("cannot read %s", l.File)
		}
		defer img.Close()
		photos = append(photos, img)
	}
	SetOpenCVThreads(1)
	defer SetOpenCVThreads(-1)
	benchmarkRead(b, photos)
}

// TestHalfOf checks the split that choices are made on: fixed by the name,
// two halves of about even size.
func TestHalfOf(t *testing.T) {
	count := map[string]int{}
	for i := range 2000 {
		name := fmt.Sprintf("photo-%04d.jpg", i)
		h := HalfOf(name)
		if h != HalfOf(name) {
			t.Fatalf("%s falls in both halves", name)
		}
		count[h]++
	}
	if len(count) != 2 || count[HalfTune] < 900 || count[HalfHeld] < 900 {
		t.Errorf("2000 names split %v, want two halves of about 1000", count)
	}
}

// TestReportHalf checks that a half's figures are those of its photos alone,
// taken from the whole run's results.
func TestReportHalf(t *testing.T) {
	var results []ImageResult
	want := map[string]int{}
	right := map[string]int{}
	for i := range 12 {
		name := fmt.Sprintf("p%d.jpg", i)
		res := ImageResult{Labelled: Labelled{File: name, Plate: "ABC123"}, IoU: 0.8, Millis: float64(i)}
		if i%3 == 0 { // every third photo read right
			res.Read, res.InTop3 = "ABC123", true
			right[HalfOf(name)]++
		} else {
			res.Read = "ABC12"
		}
		results = append(results, res)
		want[HalfOf(name)]++
	}
	if want[HalfTune] == 0 || want[HalfHeld] == 0 {
		t.Fatalf("made-up names all in one half: %v", want)
	}
	rep := summarise(results)
	if rep.Images != 12 || rep.Top1 != 4.0/12 {
		t.Fatalf("whole run: %d images, top-1 %.3f, want 12 and %.3f", rep.Images, rep.Top1, 4.0/12)
	}
	for _, h := range []string{HalfTune, HalfHeld} {
		got := rep.Half(h)
		if got.Images != want[h] {
			t.Errorf("half %s: %d images, want %d", h, got.Images, want[h])
		}
		if top1 := float64(right[h]) / float64(want[h]); got.Top1 != top1 {
			t.Errorf("half %s: top-1 %.3f, want %.3f", h, got.Top1, top1)
		}
		for _, res := range got.Results {
			if HalfOf(res.File) != h {
				t.Errorf("half %s holds %s of the other half", h, res.File)
			}
		}
	}
	if empty := rep.Half("train"); empty.Images != 0 || len(empty.Results) != 0 {
		t.Errorf("a half no photo is in: %d images", empty.Images)
	}
}

func TestLoadLabelsFormats(t *testing.T) {
	tests := []struct {
		name, csv string
		want      []Labelled
		wantErr   string
	}{
		{"photos without a header", "a.jpg,7abc123,10,20,30,15\n",
			[]Labelled{{File: "a.jpg", Plate: "7ABC123", Box: image.Rect(10, 20, 40, 35)}}, ""},
		{"photos with a state", "file,plate,x,y,w,h,state,case\na.jpg,7ABC123,10,20,30,15,ca,night\n",
			[]Labelled{{File: "a.jpg", Plate: "7ABC123", Box: image.Rect(10, 20, 40, 35), State: "CA"}}, ""},
		{"crops", "file,state,plate\nx.png,NV,ABC 123\n",
			[]Labelled{{File: "x.png", Plate: "ABC123", State: "NV"}}, ""},
		{"a bad box", "file,plate,x,y,w,h\na.jpg,7ABC123,10,twenty,30,15\n", nil, "column y"},
		{"no plate column", "file,state\nx.png,NV\n", nil, "no plate column"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "labels.csv"), []byte(tt.csv), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := LoadLabels(dir)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) || got[0] != tt.want[0] {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			if got[0].IsCrop() != tt.want[0].Box.Empty() {
				t.Errorf("IsCrop = %v", got[0].IsCrop())
			}
		})
	}
}

// TestReportStates checks the state figures on made-up results: precision over the states
// named, coverage over the plates labelled, California apart.
func TestReportStates(t *testing.T) {
	res := func(state, named string) ImageResult {
		return ImageResult{Labelled: Labelled{File: "p.jpg", Plate: "ABC123", State: state}, Read: "ABC123", ReadState: named, IoU: 1}
	}
	rep := summarise([]ImageResult{
		res("CA", "CA"), res("CA", "CA"), res("CA", ""), res("NV", "NV"), res("NV", "CA"), res("TX", ""),
		res("", "CA"), // no state labelled: not counted
	})
	if rep.StateLabelled != 6 || rep.StateNamed != 4 || rep.StateRight != 3 || rep.CALabelled != 3 || rep.CARight != 2 {
		t.Fatalf("labelled %d named %d right %d, California %d/%d; want 6, 4, 3, 2/3",
			rep.StateLabelled, rep.StateNamed, rep.StateRight, rep.CARight, rep.CALabelled)
	}
	if rep.StatePrecision != 0.75 || rep.StateCoverage != 4.0/6 {
		t.Errorf("precision %.3f coverage %.3f, want 0.75 and 0.667", rep.StatePrecision, rep.StateCoverage)
	}
	var b strings.Builder
	rep.WriteSummary(&b)
	for _, want := range []string{"state precision   75.0 % (3 right of 4 named)", "state coverage    66.7 % (4 named of 6 plates)", "California right  66.7 % (2 of 3)"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, b.String())
		}
	}
}

// TestReportDoubt: score marks the reads the car shows as doubtful, and the report counts
// them apart for right, wrong and false reads.
func TestReportDoubt(t *testing.T) {
	box := image.Rect(100, 100, 200, 150)
	quad := [4]image.Point{{100, 100}, {200, 100}, {200, 150}, {100, 150}}
	far := [4]image.Point{{400, 400}, {480, 400}, {480, 440}, {400, 440}}
	cases := []struct {
		name            string
		reads           []PlateRead
		wantRead        string
		wantDoubt       bool
		wantFalseDoubts int
	}{
		{"sure and right", []PlateRead{{Plate: "ABC123", Confidence: 0.95, Quad: quad}}, "ABC123", false, 0},
		{"doubtful and wrong", []PlateRead{{Plate: "A8C123", Confidence: 0.55, Quad: quad}}, "A8C123", true, 0},
		{"confidence unknown", []PlateRead{{Plate: "ABC123", Quad: quad}}, "ABC123", false, 0},
		{"a doubtful false read beside", []PlateRead{{Plate: "ABC123", Confidence: 0.9, Quad: quad},
			{Plate: "SHOP", Confidence: 0.3, Quad: far}, {Plate: "EXIT", Confidence: 0.99, Quad: far}}, "ABC123", false, 1},
	}
	var results []ImageResult
	for _, tc := range cases {
		res := Score(Labelled{File: "p.jpg", Plate: "ABC123", Box: box}, tc.reads)
		if res.Read != tc.wantRead || res.Doubtful != tc.wantDoubt || res.FalseDoubtful != tc.wantFalseDoubts {
			t.Errorf("%s: read %q doubtful %v, %d false reads doubtful; want %q %v %d",
				tc.name, res.Read, res.Doubtful, res.FalseDoubtful, tc.wantRead, tc.wantDoubt, tc.wantFalseDoubts)
		}
		results = append(results, res)
	}
	rep := summarise(results)
	if rep.Right != 3 || rep.RightDoubtful != 0 || rep.Wrong != 1 || rep.WrongDoubtful != 1 || rep.FalseReads != 2 || rep.FalseDoubtful != 1 {
		t.Errorf("right %d (%d doubtful), wrong %d (%d), false %d (%d); want 3 (0), 1 (1), 2 (1)",
			rep.Right, rep.RightDoubtful, rep.Wrong, rep.WrongDoubtful, rep.FalseReads, rep.FalseDoubtful)
	}
	var b strings.Builder
	rep.WriteSummary(&b)
	if want := "shown doubtful    1 of 1 wrong reads, 0 of 3 right, 1 of 2 false (confidence under 0.80)"; !strings.Contains(b.String(), want) {
		t.Errorf("summary lacks %q:\n%s", want, b.String())
	}
}

// TestWilson: the summary's intervals against textbook values of the 95 % Wilson score
// interval, and the line that prints one.
func TestWilson(t *testing.T) {
	cases := []struct {
		p      float64
		n      int
		lo, hi float64
	}{
		{0.5, 100, 0.4038, 0.5962},
		{0, 10, 0, 0.2775},
		{1, 10, 0.7225, 1},
		{52.0 / 59, 59, 0.7749, 0.9413},
	}
	for _, tc := range cases {
		lo, hi := wilson(tc.p, tc.n)
		if math.Abs(lo-tc.lo) > 5e-4 || math.Abs(hi-tc.hi) > 5e-4 {
			t.Errorf("wilson(%.3f, %d) = %.4f-%.4f, want %.4f-%.4f", tc.p, tc.n, lo, hi, tc.lo, tc.hi)
		}
	}
	if got := interval(0.5, 0); got != "" {
		t.Errorf("interval of nothing %q, want none", got)
	}
	rep := summarise([]ImageResult{
		{Labelled: Labelled{File: "a.jpg", Plate: "ABC123", Box: image.Rect(0, 0, 10, 5)}, Read: "ABC123", IoU: 1, InTop3: true},
		{Labelled: Labelled{File: "b.jpg", Plate: "XYZ789", Box: image.Rect(0, 0, 10, 5)}, Read: "XYZ78", IoU: 1},
	})
	var b strings.Builder
	rep.WriteSummary(&b)
	if want := "plate exact top-1 50.0 %  (95 % interval 9.5-90.5)"; !strings.Contains(b.String(), want) {
		t.Errorf("summary lacks %q:\n%s", want, b.String())
	}
}
