package gps

import (
	"context"
	"fmt"
	"io"

	"go.bug.st/serial"
)

// Serial is a GPS receiver on a serial port, the usual USB or RS-232 puck.
type Serial struct {
	Port string // e.g. /dev/ttyUSB0; a stable symlink (/dev/serial/by-id/...) survives re-plugging
	Baud int    // 4800 (the NMEA 0183 standard) or 9600 usually; 0 means 4800
}

// Open opens the port at Baud, 8 data bits, no parity, one stop bit, as NMEA 0183 specifies.
func (s Serial) Open(ctx context.Context) (io.ReadCloser, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p, err := serial.Open(s.Port, &serial.Mode{
		BaudRate: s.baud(),
		DataBits: 8,
		Parity:   serial.NoParity,
		StopBits: serial.OneStopBit,
	})
	if err != nil {
		return nil, fmt.Errorf("open serial %s: %w", s.Port, err)
	}
	return p, nil
}

func (s Serial) baud() int {
	if s.Baud <= 0 {
		return 4800
	}
	return s.Baud
}

// String names the port and speed in logs.
func (s Serial) String() string { return fmt.Sprintf("serial %s at %d baud", s.Port, s.baud()) }
