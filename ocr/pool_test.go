package ocr

import "testing"

func TestPoolVotesOverViews(t *testing.T) {
	type view struct {
		spec string  // columnsOf spec of what this crop read
		p    float64 // how sure of each character
	}
	tests := []struct {
		name      string
		first     view
		views     []view
		wantPlate string
		wantCrop  int // 0 is the first read's crop, k the k-th view's
	}{
		{
			name:      "one sure misreading does not outvote three views",
			first:     view{"K 7 P 2 4 8", 0.8},
			views:     []view{{"K 7 P 2 4 B", 0.99}, {"K 7 P 2 4 8B", 0.85}, {"K 7 P 2 4 8B", 0.9}, {"K 7 P 2 4 8B", 0.8}},
			wantPlate: "K7P248",
			wantCrop:  3, // the surest of the crops that read it
		},
		{
			name:      "views that agree replace an unsure first read",
			first:     view{"K 7 P 2 4 B8", 0.55},
			views:     []view{{"K 7 P 2 4 8", 0.9}, {"K 7 P 2 4 8", 0.8}},
			wantPlate: "K7P248",
			wantCrop:  1,
		},
		{
			name:      "a read too short for a plate is not kept however sure",
			first:     view{"K 7 P 2 4 8B", 0.6},
			views:     []view{{"K 7 P 2", 0.99}, {"K 7 P 2", 0.99}, {"K 7 P 2", 0.99}},
			wantPlate: "K7P248",
			wantCrop:  0,
		},
		{
			name:      "a read may gain a character the first read lost",
			first:     view{"K 7 P 2 4", 0.7},
			views:     []view{{"K 7 P 2 4 8", 0.9}, {"K 7 P 2 4 8", 0.9}, {"K 7 P 2 4", 0.95}},
			wantPlate: "K7P248",
			wantCrop:  1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &Reader{opt: Options{}.withDefaults()}
			crop := func(k int) quadf {
				return quadf{{float64(k), 0}, {float64(k) + 10, 0}, {float64(k) + 10, 5}, {float64(k), 5}}
			}
			looks := []look{{at: crop(0), q: crop(0), rd: decode(columnsOf(tc.first.spec, tc.first.p), 5)}}
			var who []int
			var qs []quadf
			var rds []reading
			for k, v := range tc.views {
				who, qs, rds = append(who, 0), append(qs, crop(k+1)), append(rds, decode(columnsOf(v.spec, v.p), 5))
			}
			r.pool(looks, who, qs, rds)
			if got := looks[0].rd.plate; got != tc.wantPlate {
				t.Errorf("plate %q, want %q", got, tc.wantPlate)
			}
			if looks[0].q != crop(tc.wantCrop) {
				t.Errorf("kept crop %v, want crop %d %v", looks[0].q, tc.wantCrop, crop(tc.wantCrop))
			}
			if looks[0].at != crop(0) {
				t.Errorf("outline moved to %v: views only borrow it", looks[0].at)
			}
		})
	}
}
