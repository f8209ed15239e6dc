package ocr

import (
	"image"
	"testing"
)

func TestDropPhantoms(t *testing.T) {
	frame := image.Pt(1280, 720)
	read := func(plate string, x, y, w, h int) PlateRead {
		return PlateRead{Plate: plate, Quad: [4]image.Point{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}}}
	}
	tests := []struct {
		name  string
		reads []PlateRead
		want  []string
	}{
		{"a plate alone", []PlateRead{read("7ABC123", 600, 400, 120, 60)}, []string{"7ABC123"}},
		{"an all-digit plate mid-frame", []PlateRead{read("1234567", 600, 400, 120, 60)}, []string{"1234567"}},
		{"a plate near the top edge", []PlateRead{read("FD7U4U", 1180, 8, 95, 47)}, []string{"FD7U4U"}},
		{"a clock along the top edge", []PlateRead{read("17142016", 54, 0, 69, 20), read("7ABC123", 600, 400, 120, 60)}, []string{"7ABC123"}},
		{"a clock's date along the bottom edge", []PlateRead{read("2014042", 1211, 699, 53, 12)}, nil},
		{"a clock misread with a letter at the edge", []PlateRead{read("C04404", 1211, 699, 41, 11)}, nil},
		{"eight digits mid-frame", []PlateRead{read("20140428", 500, 300, 100, 40)}, nil},
		{"a grille", []PlateRead{read("1111111", 817, 569, 402, 93)}, nil},
		{"a line of text cut into two reads", []PlateRead{read("0817202", 660, 300, 133, 57), read("4205405", 800, 305, 130, 55)}, nil},
		{"two plates far apart on one row", []PlateRead{read("7ABC123", 100, 400, 120, 60), read("5XYZ987", 700, 400, 120, 60)}, []string{"7ABC123", "5XYZ987"}},
		{"a state name over its registration", []PlateRead{read("7ABC123", 600, 400, 120, 60), read("JERSEY", 620, 370, 80, 30)}, []string{"7ABC123"}},
		{"a small far plate well above a near one", []PlateRead{read("7ABC123", 600, 400, 120, 60), read("5XYZ987", 620, 200, 60, 30)}, []string{"7ABC123", "5XYZ987"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, rd := range dropPhantoms(tt.reads, frame) {
				got = append(got, rd.Plate)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("kept %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("kept %v, want %v", got, tt.want)
				}
			}
		})
	}
}
