package camera

import (
	"strings"
	"testing"

	"patrol-alpr/synth"
)

func TestParseConfig(t *testing.T) {
	cases := []struct {
		in   string
		want Config
	}{
		{"device:0", Config{Kind: KindDevice, Target: "0"}},
		{"device:/dev/video2", Config{Kind: KindDevice, Target: "/dev/video2"}},
		{"file:/drives/a.mp4", Config{Kind: KindFile, Target: "/drives/a.mp4"}},
		{"url:rtsp://cam:554/s1", Config{Kind: KindURL, Target: "rtsp://cam:554/s1"}},
		{"folder:/stills", Config{Kind: KindFolder, Target: "/stills", FPS: 2}},
		{"synthetic:seed=1", Config{Kind: KindSynthetic, Seed: 1, FPS: 15}},
		{"synthetic:seed=3,night", Config{Kind: KindSynthetic, Seed: 3, FPS: 15, Light: synth.Dusk}},
		{"synthetic:seed=2,ir,fps=30,size=640x360", Config{Kind: KindSynthetic, Seed: 2, FPS: 30, Light: synth.Infrared, Width: 640, Height: 360}},
		{"synthetic:seed=5,clock", Config{Kind: KindSynthetic, Seed: 5, FPS: 15, Clock: true}},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseConfig(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			again, err := ParseConfig(got.String())
			if err != nil || again != got {
				t.Errorf("round trip through %q: %+v, %v", got.String(), again, err)
			}
		})
	}
}

func TestParseConfigErrors(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", "kind:target"},
		{"device", "kind:target"},
		{"webcam:0", `unknown kind "webcam"`},
		{"synthetic:seed=x", `"seed=x"`},
		{"synthetic:fps=0", "fps"},
		{"synthetic:size=big", "size"},
		{"synthetic:fog", `unknown synthetic option "fog"`},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			_, err := ParseConfig(tc.in)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want mention of %s", err, tc.want)
			}
		})
	}
}

func TestNewSource(t *testing.T) {
	cases := []struct {
		in      string
		wantErr bool
	}{
		{"device:0", false}, {"file:/a.mp4", false}, {"url:rtsp://x", false},
		{"folder:/tmp", false}, {"synthetic:seed=1,size=320x180", false},
		{"synthetic:seed=1,size=10x10", true},
	}
	for _, tc := range cases {
		c, err := ParseConfig(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := NewSource(c); (err != nil) != tc.wantErr {
			t.Errorf("NewSource(%s): err %v, want error %v", tc.in, err, tc.wantErr)
		}
	}
}
