package camera

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"patrol-alpr/synth"
)

// Kind is the type of feed a pane shows.
type Kind string

// Feed kinds, as written before the colon in a source string.
const (
	KindDevice    Kind = "device"
	KindFile      Kind = "file"
	KindURL       Kind = "url"
	KindFolder    Kind = "folder"
	KindSynthetic Kind = "synthetic"
)

// Config describes one pane's feed, parsed from strings such as "device:0",
// "device:/dev/video2", "file:/drive.mp4", "url:rtsp://cam/1", "folder:/stills"
// or "synthetic:seed=3,night,fps=15,size=1280x720".
type Config struct {
	Kind   Kind
	Target string  // device index or path, file path, URL or folder
	FPS    float64 // frames per second to deliver; 0: as fast as the feed gives them

	// Synthetic feeds only.
	Seed          int64
	Light         synth.Light
	Width, Height int
	Clock         bool // print the date and time into the frames' top left (synth.ClockZone)
}

// ParseConfig reads a pane's source string.
func ParseConfig(s string) (Config, error) {
	kind, target, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || target == "" {
		return Config{}, fmt.Errorf("camera source %q: want kind:target, e.g. device:0 or file:/drive.mp4", s)
	}
	c := Config{Kind: Kind(kind), Target: target}
	switch c.Kind {
	case KindDevice, KindFile, KindURL:
	case KindFolder:
		c.FPS = 2 // stills: slow enough to look at each
	case KindSynthetic:
		c.Target = ""
		c.FPS = 15
		if err := c.parseSynthetic(target); err != nil {
			return Config{}, fmt.Errorf("camera source %q: %w", s, err)
		}
	default:
		return Config{}, fmt.Errorf("camera source %q: unknown kind %q (device, file, url, folder or synthetic)", s, kind)
	}
	return c, nil
}

func (c *Config) parseSynthetic(opts string) error {
	for _, opt := range strings.Split(opts, ",") {
		key, val, _ := strings.Cut(strings.TrimSpace(opt), "=")
		var err error
		switch key {
		case "seed":
			c.Seed, err = strconv.ParseInt(val, 10, 64)
		case "fps":
			c.FPS, err = strconv.ParseFloat(val, 64)
			if err == nil && (c.FPS <= 0 || c.FPS > 120) {
				err = fmt.Errorf("want 0 < fps <= 120")
			}
		case "size":
			w, h, _ := strings.Cut(val, "x")
			c.Width, err = strconv.Atoi(w)
			if err == nil {
				c.Height, err = strconv.Atoi(h)
			}
		case "day":
			c.Light = synth.Day
		case "night", "dusk":
			c.Light = synth.Dusk
		case "ir", "infrared":
			c.Light = synth.Infrared
		case "clock":
			c.Clock = true
		case "":
		default:
			return fmt.Errorf("unknown synthetic option %q (seed, fps, size, day, night, infrared, clock)", key)
		}
		if err != nil {
			return fmt.Errorf("synthetic option %q: %w", opt, err)
		}
	}
	return nil
}

// String writes the config back in the form ParseConfig reads.
func (c Config) String() string {
	if c.Kind != KindSynthetic {
		return string(c.Kind) + ":" + c.Target
	}
	s := fmt.Sprintf("synthetic:seed=%d,%s", c.Seed, c.Light)
	if c.FPS > 0 {
		s += ",fps=" + strconv.FormatFloat(c.FPS, 'g', -1, 64)
	}
	if c.Width > 0 {
		s += fmt.Sprintf(",size=%dx%d", c.Width, c.Height)
	}
	if c.Clock {
		s += ",clock"
	}
	return s
}

// NewSource builds the Source the config describes.
func NewSource(c Config) (Source, error) {
	switch c.Kind {
	case KindDevice:
		return NewDevice(c.Target), nil
	case KindFile:
		return NewFile(c.Target), nil
	case KindURL:
		return NewURL(c.Target), nil
	case KindFolder:
		return NewFolder(c.Target), nil
	case KindSynthetic:
		opt := synth.SceneOptions{Width: c.Width, Height: c.Height, Seed: c.Seed, Light: c.Light}
		if c.Clock {
			opt.Clock = time.Now()
		}
		scene, err := synth.NewScene(opt)
		if err != nil {
			return nil, fmt.Errorf("camera source %s: %w", c, err)
		}
		return NewSynthetic(scene, c.FPS), nil
	}
	return nil, fmt.Errorf("camera source %s: unknown kind %q", c, c.Kind)
}
