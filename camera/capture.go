package camera

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"sync"

	"gocv.io/x/gocv"
)

// Capture is a Source read through OpenCV's VideoCapture: a V4L2 device, a
// video file or a network stream. Use NewDevice, NewFile or NewURL.
type Capture struct {
	name string // shown in errors: "device /dev/video0", "file x.mp4"
	open func() (*gocv.VideoCapture, error)
	loop bool // rewind at the end (files)

	mu sync.Mutex
	vc *gocv.VideoCapture
}

// NewDevice reads a V4L2 camera by index ("0") or path ("/dev/video2").
func NewDevice(device string) *Capture {
	return &Capture{
		name: "device " + device,
		open: func() (*gocv.VideoCapture, error) {
			if i, err := strconv.Atoi(device); err == nil {
				return gocv.OpenVideoCaptureWithAPI(i, gocv.VideoCaptureV4L2)
			}
			// A missing node would otherwise surface as OpenCV's terse "can't open".
			if _, err := os.Stat(device); err != nil {
				return nil, err
			}
			return gocv.OpenVideoCaptureWithAPI(device, gocv.VideoCaptureV4L2)
		},
	}
}

// NewFile reads a video file, starting again at the end so a recorded drive
// can stand in for a camera.
func NewFile(path string) *Capture {
	return &Capture{
		name: "file " + path,
		loop: true,
		open: func() (*gocv.VideoCapture, error) {
			if _, err := os.Stat(path); err != nil {
				return nil, err
			}
			return gocv.OpenVideoCaptureWithAPI(path, gocv.VideoCaptureFFmpeg)
		},
	}
}

// NewURL reads a network stream (rtsp://, http://) through FFmpeg.
func NewURL(url string) *Capture {
	return &Capture{
		name: "stream " + redact(url),
		open: func() (*gocv.VideoCapture, error) {
			return gocv.OpenVideoCaptureWithAPI(url, gocv.VideoCaptureFFmpeg)
		},
	}
}

// Open connects to the feed and checks it yields a first frame, so a corrupt
// file or dead device fails here with a clear error instead of later.
func (c *Capture) Open(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("open %s: %w", c.name, err)
	}
	vc, err := c.open()
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("open %s: %w", c.name, err)
	}
	if err != nil {
		return fmt.Errorf("open %s: %w (%v)", c.name, ErrCannotOpen, err)
	}
	if !vc.IsOpened() {
		vc.Close()
		return fmt.Errorf("open %s: %w", c.name, ErrCannotOpen)
	}
	c.mu.Lock()
	if c.vc != nil {
		c.vc.Close()
	}
	c.vc = vc
	c.mu.Unlock()
	return nil
}

// Read fills dst with the next frame; at the end of a file it starts again.
func (c *Capture) Read(dst *gocv.Mat) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.vc == nil {
		return fmt.Errorf("read %s: %w", c.name, ErrNotOpen)
	}
	if c.vc.Read(dst) && !dst.Empty() {
		return nil
	}
	if c.loop {
		c.vc.Set(gocv.VideoCapturePosFrames, 0)
		if c.vc.Read(dst) && !dst.Empty() {
			return nil
		}
	}
	return fmt.Errorf("read %s: %w", c.name, ErrNoFrames)
}

// Close disconnects; it is safe to call more than once.
func (c *Capture) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.vc == nil {
		return nil
	}
	err := c.vc.Close()
	c.vc = nil
	if err != nil {
		return fmt.Errorf("close %s: %w", c.name, err)
	}
	return nil
}

// redact hides a stream's password: names end up in logs and on screen.
func redact(url string) string {
	scheme, rest, ok := strings.Cut(url, "://")
	if !ok {
		return url
	}
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		if user, _, hasPass := strings.Cut(rest[:at], ":"); hasPass {
			return scheme + "://" + user + ":***" + rest[at:]
		}
	}
	return url
}
