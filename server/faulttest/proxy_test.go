package faulttest

import (
	"math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Timing that tells a request from its reply in a stream the proxy cannot read (TLS).
const (
	burstGap   = 20 * time.Millisecond // car-to-server silence that ends one upload and lets the next begin
	replyQuiet = 2 * time.Millisecond  // server-to-car bytes this long after the upload went quiet are the reply,
	minReply   = 160                   // unless fewer than this: HTTP/2 WINDOW_UPDATEs or a PING in TLS records (48 bytes each)
	minRequest = 8 << 10               // an upload this big is a batch, not a handshake or a control frame
	maxCutAt   = 400 << 10             // a request is cut at a random byte up to this far in
)

// fate is what the proxy does to one upload and its reply.
type fate int

const (
	pass       fate = iota
	cutRequest      // close both sides at a random byte of the upload: the server never gets it whole
	cutReply        // let the upload through, drop the reply: the server committed, the car does not know
)

// cuttingProxy forwards loopback TCP connections from the car to wherever the server listens
// now (a restarted server gets a new port) and, while faults are on, cuts some uploads part
// way and drops some replies.
type cuttingProxy struct {
	ln       net.Listener
	upstream atomic.Pointer[string]
	faults   atomic.Bool
	lastBig  atomic.Int64 // unix nanoseconds of the last byte of a batch-sized upload

	mu     sync.Mutex
	rng    *rand.Rand
	conns  map[net.Conn]struct{}
	closed bool
	wg     sync.WaitGroup

	cutRequests, cutReplies atomic.Int64
}

func newCuttingProxy(t *testing.T, seed uint64) *cuttingProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cuttingProxy{ln: ln, rng: rand.New(rand.NewPCG(seed, 18)), conns: map[net.Conn]struct{}{}}
	p.faults.Store(true)
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(p.close)
	return p
}

// addr is where the car connects.
func (p *cuttingProxy) addr() string { return p.ln.Addr().String() }

// setUpstream points new connections at a (re)started server.
func (p *cuttingProxy) setUpstream(addr string) { p.upstream.Store(&addr) }

func (p *cuttingProxy) close() {
	p.ln.Close()
	p.mu.Lock()
	p.closed = true
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}

func (p *cuttingProxy) accept() {
	defer p.wg.Done()
	for {
		car, err := p.ln.Accept()
		if err != nil {
			return // closed
		}
		up := p.upstream.Load()
		if up == nil {
			car.Close()
			continue
		}
		server, err := net.DialTimeout("tcp", *up, time.Second)
		if err != nil { // the server is down: the car sees a reset, as across a real network
			car.Close()
			continue
		}
		if !p.track(car, server) {
			car.Close()
			server.Close()
			return
		}
		c := &proxyConn{p: p, car: car, server: server}
		p.wg.Add(2)
		go c.upload()
		go c.download()
	}
}

// track registers a connection's two sides for close; false when the proxy is closing.
func (p *cuttingProxy) track(conns ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	for _, c := range conns {
		p.conns[c] = struct{}{}
	}
	return true
}

func (p *cuttingProxy) untrack(conns ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range conns {
		delete(p.conns, c)
	}
}

// choose draws the fate of a new upload: half pass, a quarter lose the request, a quarter
// lose the reply.
func (p *cuttingProxy) choose() (fate, int) {
	if !p.faults.Load() {
		return pass, 0
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	switch r := p.rng.IntN(4); r {
	case 0:
		return cutRequest, 1 + p.rng.IntN(maxCutAt)
	case 1:
		return cutReply, 0
	}
	return pass, 0
}

// uploading waits up to d for a batch to be on its way to the server, so that a kill lands
// mid-batch; false when none came.
func (p *cuttingProxy) uploading(d time.Duration) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if time.Since(time.Unix(0, p.lastBig.Load())) < 5*time.Millisecond {
			return true
		}
		time.Sleep(time.Millisecond)
	}
	return false
}

// proxyConn is one car connection and its way to the server.
type proxyConn struct {
	p           *cuttingProxy
	car, server net.Conn
	once        sync.Once

	mu     sync.Mutex
	fate   fate
	cutAt  int
	burst  int // bytes of the current upload
	lastUp time.Time
}

func (c *proxyConn) close() {
	c.once.Do(func() {
		c.car.Close()
		c.server.Close()
		c.p.untrack(c.car, c.server)
	})
}

func (c *proxyConn) upload() {
	defer c.p.wg.Done()
	defer c.close()
	buf := make([]byte, 32<<10)
	for {
		n, err := c.car.Read(buf)
		if n > 0 {
			now := time.Now()
			c.mu.Lock()
			if now.Sub(c.lastUp) > burstGap {
				c.burst = 0
				c.fate, c.cutAt = c.p.choose()
			}
			c.lastUp = now
			c.burst += n
			burst, f, cutAt := c.burst, c.fate, c.cutAt
			c.mu.Unlock()
			if f == cutRequest && burst >= cutAt {
				_, _ = c.server.Write(buf[:n-(burst-cutAt)])
				c.p.cutRequests.Add(1)
				return
			}
			if _, werr := c.server.Write(buf[:n]); werr != nil {
				return
			}
			if burst >= minRequest {
				c.p.lastBig.Store(now.UnixNano())
			}
		}
		if err != nil {
			return
		}
	}
}

func (c *proxyConn) download() {
	defer c.p.wg.Done()
	defer c.close()
	buf := make([]byte, 32<<10)
	for {
		n, err := c.server.Read(buf)
		if n > 0 {
			c.mu.Lock()
			drop := c.fate == cutReply && c.burst >= minRequest && time.Since(c.lastUp) >= replyQuiet && n >= minReply
			c.mu.Unlock()
			if drop {
				c.p.cutReplies.Add(1)
				return
			}
			if _, werr := c.car.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
