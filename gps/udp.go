package gps

import (
	"context"
	"fmt"
	"io"
	"net"
	"sync"
)

// UDP receives NMEA sent as UDP datagrams, as in-car modems (Sierra Wireless, Cradlepoint)
// forward their GPS. Each datagram holds one or more whole sentences.
type UDP struct {
	Addr string // listen address, e.g. ":10110" (the NMEA-over-IP port) or "127.0.0.1:0"

	mu    sync.Mutex
	bound net.Addr
}

// Open listens on Addr.
func (u *UDP) Open(ctx context.Context) (io.ReadCloser, error) {
	var lc net.ListenConfig
	conn, err := lc.ListenPacket(ctx, "udp", u.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen udp %s: %w", u.Addr, err)
	}
	u.mu.Lock()
	u.bound = conn.LocalAddr()
	u.mu.Unlock()
	return &datagramReader{conn: conn, buf: make([]byte, 64<<10)}, nil
}

// LocalAddr is the address last listened on (useful with port 0), nil before Open.
func (u *UDP) LocalAddr() net.Addr {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.bound
}

// String names the listen address in logs.
func (u *UDP) String() string { return "udp " + u.Addr }

// datagramReader presents datagrams as a byte stream, ending each with a newline so a
// sentence cut short in one datagram cannot be completed by the next.
type datagramReader struct {
	conn    net.PacketConn
	buf     []byte
	pending []byte
}

func (d *datagramReader) Read(p []byte) (int, error) {
	for len(d.pending) == 0 { // an empty datagram is no data, not the end of the stream
		n, _, err := d.conn.ReadFrom(d.buf[:len(d.buf)-1])
		if err != nil {
			return 0, fmt.Errorf("read udp %s: %w", d.conn.LocalAddr(), err)
		}
		if n > 0 && d.buf[n-1] != '\n' {
			d.buf[n] = '\n'
			n++
		}
		d.pending = d.buf[:n]
	}
	n := copy(p, d.pending)
	d.pending = d.pending[n:]
	return n, nil
}

func (d *datagramReader) Close() error { return d.conn.Close() }
