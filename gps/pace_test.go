package gps

import (
	"context"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestPacer(t *testing.T) {
	rmc := func(hms string) string {
		return string(appendSentence(nil, "GPRMC,"+hms+",V,,,,,,,140325,,,N"))
	}
	gsv := string(appendSentence(nil, "GPGSV,1,1,01,03,03,111,00"))
	tests := []struct {
		name      string
		recording string
		speed     float64
		want      []time.Duration
	}{
		{"one epoch a second", rmc("170000.00") + gsv + rmc("170001.00") + gsv + rmc("170002.00"), 1, []time.Duration{time.Second, time.Second}},
		{"sentences of one epoch do not wait", rmc("170000.00") + rmc("170000.00") + gsv + rmc("170000.50"), 1, []time.Duration{500 * time.Millisecond}},
		{"ten times faster", rmc("170000.00") + rmc("170001.00"), 10, []time.Duration{100 * time.Millisecond}},
		{"across midnight", rmc("235959.00") + rmc("000000.00"), 1, []time.Duration{time.Second}},
		{"a long gap is shortened", rmc("170000.00") + rmc("171000.00"), 1, []time.Duration{maxPause}},
		{"time going backwards does not wait", rmc("170005.00") + rmc("170001.00") + rmc("170006.00"), 1, []time.Duration{time.Second}},
		{"bad checksum does not pace", rmc("170000.00") + strings.Replace(rmc("170009.00"), "9", "8", 1) + rmc("170001.00"), 1, []time.Duration{time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var waits []time.Duration
			sleep := func(ctx context.Context, d time.Duration) error { waits = append(waits, d); return nil }
			p := newPacer(context.Background(), io.NopCloser(strings.NewReader(tt.recording)), tt.speed, sleep)
			got, err := io.ReadAll(p)
			if err != nil || string(got) != tt.recording {
				t.Fatalf("ReadAll = %q, %v; want the recording unchanged", got, err)
			}
			if !slices.Equal(waits, tt.want) {
				t.Errorf("waits = %v, want %v", waits, tt.want)
			}
		})
	}
}

func TestPacerCloseStopsWait(t *testing.T) {
	rec := string(appendSentence(nil, "GPGGA,170000,,,,,0,00,,,M,,M,,")) + string(appendSentence(nil, "GPGGA,170005,,,,,0,00,,,M,,M,,"))
	p := newPacer(context.Background(), io.NopCloser(strings.NewReader(rec)), 1, nil) // real timers
	first := make([]byte, 64)
	if _, err := p.Read(first); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := p.Read(make([]byte, 64)) // waits 5 s for the next epoch
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	p.Close()
	select {
	case err := <-done:
		if err == nil {
			t.Error("Read after Close returned no error")
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Close did not stop the wait")
	}
}
