package pgcluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ErrNotRunning means the cluster has no running postmaster.
var ErrNotRunning = errors.New("PostgreSQL is not running")

// Options say how to start a cluster; the zero value is a good default.
type Options struct {
	// Port is the TCP port on 127.0.0.1; 0 picks a free one at every start.
	Port int
	// Superuser is the role initdb creates; default "alpr".
	Superuser string
	// Log receives postgres's log; nil appends it to dir/postgres.log. A postmaster that
	// Start adopts keeps logging where it was started.
	Log io.Writer
	// BinDir holds initdb, pg_ctl, postgres and psql. Default: the installed version that
	// made the cluster, else the newest /usr/lib/postgresql/*/bin.
	BinDir string
	// Settings are extra postgresql.conf settings, such as fsync=off for tests.
	Settings map[string]string
}

// Cluster is a PostgreSQL cluster in a directory of its own.
type Cluster struct {
	dir, data, binDir, superuser string
	acct                         account
	log                          io.Writer
	settings                     map[string]string
	wantPort                     int

	mu       sync.Mutex
	port     int
	pid      int
	attached bool
	logDone  chan struct{} // closed when postgres's output pipe to Log is drained; nil without one
}

// Start starts the cluster in dir, creating it first when dir holds none, and returns once it
// accepts connections. A postmaster already running on dir (left by a process that was
// killed, or serving another command) is adopted as it is, with the port it has. Lock files
// left by a crash are cleared.
func Start(ctx context.Context, dir string, opt Options) (*Cluster, error) {
	if dir == "" {
		return nil, errors.New("start PostgreSQL: no cluster directory given")
	}
	if opt.Port < 0 || opt.Port > 65535 {
		return nil, fmt.Errorf("start PostgreSQL in %s: port %d is out of range", dir, opt.Port)
	}
	if _, err := configText("", 0, opt.Settings); err != nil {
		return nil, fmt.Errorf("start PostgreSQL in %s: %w", dir, err)
	}
	c := &Cluster{superuser: opt.Superuser, log: opt.Log, settings: opt.Settings, wantPort: opt.Port}
	if c.superuser == "" {
		c.superuser = "alpr"
	}
	var err error
	if c.acct, err = runAccount(); err != nil {
		return nil, err
	}
	if c.dir, err = c.prepareDir(dir); err != nil {
		return nil, err
	}
	c.data = filepath.Join(c.dir, "data")
	version, err := clusterVersion(c.data)
	if err != nil {
		return nil, fmt.Errorf("start PostgreSQL in %s: %w", c.dir, err)
	}
	if version == "" {
		if _, err := os.Stat(c.data); err == nil {
			return nil, fmt.Errorf("start PostgreSQL: %s exists but holds no cluster (no PG_VERSION); move it away", c.data)
		}
	}
	if c.binDir, err = resolveBinDir(opt.BinDir, version); err != nil {
		return nil, err
	}
	if version != "" {
		if err := c.checkVersion(ctx, version); err != nil {
			return nil, err
		}
	}
	if ok, err := c.attach(ctx); err != nil || ok {
		if err != nil {
			return nil, err
		}
		return c, nil
	}
	if err := removeStaleLocks(c.dir, c.data); err != nil {
		return nil, err
	}
	if version == "" {
		if err := c.initdb(ctx); err != nil {
			return nil, err
		}
	}
	if err := c.start(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// prepareDir makes dir and, as root, hands it to the postgres user; it returns dir's real path.
func (c *Cluster) prepareDir(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("start PostgreSQL in %s: %w", dir, err)
	}
	// Parents are made 0755 so that the postgres user can pass through them when we are root.
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return "", fmt.Errorf("create cluster directory: %w", err)
	}
	if err := os.Mkdir(abs, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return "", fmt.Errorf("create cluster directory: %w", err)
	}
	if abs, err = filepath.EvalSymlinks(abs); err != nil {
		return "", fmt.Errorf("start PostgreSQL in %s: %w", dir, err)
	}
	// The Unix socket's path must fit in sockaddr_un (108 bytes with its NUL).
	if n := len(abs) + len("/.s.PGSQL.65535"); n > 107 {
		return "", fmt.Errorf("start PostgreSQL: the cluster directory %s is too long for its Unix socket (%d bytes, at most 107); choose a shorter path", abs, n)
	}
	if c.acct.cred == nil {
		return abs, nil
	}
	if err := checkReachable(abs, c.acct); err != nil {
		return "", err
	}
	owned := []string{abs}
	if c.log == nil {
		owned = append(owned, filepath.Join(abs, "postgres.log"))
	}
	for _, p := range owned {
		if err := os.Chown(p, c.acct.uid, c.acct.gids[0]); err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("hand %s to the %s user: %w", p, c.acct.name, err)
		}
	}
	return abs, nil
}

// checkVersion refuses binaries of another major version than the cluster's, which postgres
// would refuse less clearly.
func (c *Cluster) checkVersion(ctx context.Context, version string) error {
	out, err := c.command(ctx, "pg_ctl", "--version").Output()
	if err != nil {
		return fmt.Errorf("run %s/pg_ctl --version: %w", c.binDir, err)
	}
	if got := parseVersion(string(out)); got != version {
		return fmt.Errorf("start PostgreSQL: the cluster in %s was made by PostgreSQL %s, but %s holds PostgreSQL %s", c.data, version, c.binDir, got)
	}
	return nil
}

// attach adopts a postmaster that is already running on this cluster.
func (c *Cluster) attach(ctx context.Context) (bool, error) {
	deadline := time.Now().Add(time.Minute)
	for {
		pf, ok, err := readPIDFile(c.data)
		if err != nil {
			return false, fmt.Errorf("start PostgreSQL in %s: %w", c.dir, err)
		}
		if !ok || !isPostmasterOf(pf.pid, c.data) {
			return false, nil
		}
		if pf.status == "ready" && pf.port > 0 {
			c.pid, c.port, c.attached = pf.pid, pf.port, true
			return true, nil
		}
		// Starting (perhaps recovering) or stopping: wait until it is one or the other.
		if time.Now().After(deadline) {
			return false, fmt.Errorf("start PostgreSQL in %s: postmaster %d is still %q after a minute", c.dir, pf.pid, pf.status)
		}
		select {
		case <-ctx.Done():
			return false, fmt.Errorf("wait for postmaster %d in %s: %w", pf.pid, c.dir, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// initdb creates the cluster beside its final place and renames it there, so that a crash
// mid-way leaves no half-made cluster to trip over.
func (c *Cluster) initdb(ctx context.Context) error {
	tmp := c.data + ".new"
	if err := os.RemoveAll(tmp); err != nil {
		return fmt.Errorf("remove a half-made cluster: %w", err)
	}
	args := []string{"-D", tmp, "-U", c.superuser, "--auth=trust", "--encoding=UTF8", "--locale=C"}
	if c.settings["fsync"] == "off" {
		// A cluster that does not sync its writes gains nothing from syncing its birth.
		args = append(args, "--no-sync")
	}
	out, err := c.command(ctx, "initdb", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("initdb in %s: %w: %s", c.dir, err, lastLines(out, 5))
	}
	if err := os.Rename(tmp, c.data); err != nil {
		return fmt.Errorf("initdb in %s: %w", c.dir, err)
	}
	return nil
}

// start runs the postmaster, retrying what a retry can fix: a free port taken by someone
// else meanwhile, and a crashed postmaster's children still holding its shared memory.
func (c *Cluster) start(ctx context.Context) error {
	var err error
	for attempt := 1; ; attempt++ {
		port := c.wantPort
		if port == 0 {
			if port, err = freePort(); err != nil {
				return err
			}
		}
		var why string
		if why, err = c.startOn(ctx, port); err == nil {
			return nil
		}
		retry := (c.wantPort == 0 && strings.Contains(why, "already in use")) ||
			strings.Contains(why, "pre-existing shared memory block")
		if !retry || attempt == 20 {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// startOn runs pg_ctl start on port; on failure it also returns the last words of pg_ctl and
// postgres.
func (c *Cluster) startOn(ctx context.Context, port int) (string, error) {
	if err := writeConfig(c.dir, c.data, port, c.settings, c.acct); err != nil {
		return "", fmt.Errorf("start PostgreSQL in %s: %w", c.dir, err)
	}
	args := []string{"start", "-D", c.data, "-w", "-t", "60", "-s"}
	var out bytes.Buffer
	var done chan struct{}
	var tail *tailBuffer
	var runErr error
	if c.log == nil {
		cmd := c.command(ctx, "pg_ctl", append(args, "-l", filepath.Join(c.dir, "postgres.log"))...)
		cmd.Stdout, cmd.Stderr = &out, &out
		runErr = cmd.Run()
	} else {
		// postgres inherits pg_ctl's output, so it gets a pipe of its own that outlives
		// pg_ctl, drained into Log until the last postgres process has exited.
		r, w, err := os.Pipe()
		if err != nil {
			return "", fmt.Errorf("start PostgreSQL in %s: %w", c.dir, err)
		}
		tail = &tailBuffer{}
		done = make(chan struct{})
		go drain(r, c.log, tail, done)
		cmd := c.command(ctx, "pg_ctl", args...)
		cmd.Stdout, cmd.Stderr = w, w
		runErr = cmd.Run()
		w.Close()
	}
	if runErr != nil {
		c.stopHalfStarted()
		var why string
		if tail != nil {
			select {
			case <-done:
			case <-time.After(2 * time.Second):
			}
			why = tail.lastLines(8)
		} else {
			log, _ := os.ReadFile(filepath.Join(c.dir, "postgres.log"))
			why = lastLines(append(out.Bytes(), log...), 8)
		}
		return why, fmt.Errorf("start PostgreSQL in %s on 127.0.0.1:%d: %w: %s", c.dir, port, runErr, why)
	}
	pf, ok, err := readPIDFile(c.data)
	if err != nil || !ok {
		return "", fmt.Errorf("start PostgreSQL in %s: pg_ctl said it started but there is no postmaster.pid: %v", c.dir, err)
	}
	c.mu.Lock()
	c.pid, c.port, c.logDone, c.attached = pf.pid, port, done, false
	c.mu.Unlock()
	return "", nil
}

// stopHalfStarted shuts down a postmaster that pg_ctl gave up waiting for, so that a failed
// Start leaves nothing running.
func (c *Cluster) stopHalfStarted() {
	if pf, ok, _ := readPIDFile(c.data); ok && isPostmasterOf(pf.pid, c.data) {
		_ = signal(pf.pid, sigQuit) // immediate shutdown
	}
}

// Stop shuts the cluster down in fast mode (sessions are ended, open transactions roll back)
// and waits until it is down. Stopping a stopped cluster does nothing. Stop also stops a
// postmaster that Start adopted; see Attached.
func (c *Cluster) Stop(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	pf, ok, err := readPIDFile(c.data)
	if err != nil {
		return fmt.Errorf("stop PostgreSQL in %s: %w", c.dir, err)
	}
	if ok && isPostmasterOf(pf.pid, c.data) {
		out, err := c.command(ctx, "pg_ctl", "stop", "-D", c.data, "-m", "fast", "-w", "-t", "60", "-s").CombinedOutput()
		if err != nil {
			return fmt.Errorf("stop PostgreSQL in %s: %w: %s", c.dir, err, lastLines(out, 5))
		}
	}
	c.pid = 0
	return c.waitLog(ctx)
}

// Kill ends the postmaster and its children with SIGKILL, as a power cut would, for fault
// tests; the next Start recovers the cluster from its write-ahead log.
func (c *Cluster) Kill() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	pf, ok, err := readPIDFile(c.data)
	if err != nil {
		return fmt.Errorf("kill PostgreSQL in %s: %w", c.dir, err)
	}
	if !ok || !isPostmasterOf(pf.pid, c.data) {
		return fmt.Errorf("kill PostgreSQL in %s: %w", c.dir, ErrNotRunning)
	}
	// Stopped, the postmaster forks no new children while we list the ones it has; its
	// children are in sessions of their own, so they cannot be killed as a process group.
	_ = signal(pf.pid, sigStop)
	for i := 0; i < 100 && !stopped(pf.pid); i++ {
		time.Sleep(time.Millisecond)
	}
	victims := append([]int{pf.pid}, childrenOf(pf.pid)...)
	for _, pid := range victims {
		_ = signal(pid, sigKill)
	}
	deadline := time.Now().Add(10 * time.Second)
	for _, pid := range victims {
		for alive(pid) {
			if time.Now().After(deadline) {
				return fmt.Errorf("kill PostgreSQL in %s: process %d still alive after 10 s", c.dir, pid)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	c.pid = 0
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return c.waitLog(ctx)
}

// waitLog waits until every postgres process has closed the pipe to Log.
func (c *Cluster) waitLog(ctx context.Context) error {
	if c.logDone == nil {
		return nil
	}
	select {
	case <-c.logDone:
		c.logDone = nil
		return nil
	case <-ctx.Done():
		return fmt.Errorf("wait for postgres's last log lines: %w", ctx.Err())
	}
}

// DSN is a libpq/pgx keyword DSN for database over the cluster's Unix socket, whose path
// Start has checked fits (prepareDir). The socket skips the TCP stack: at 500 cars sending
// each detection alone, that was about 5 % of the server's and PostgreSQL's CPU, for the
// images going to the database. Loopback TCP stays open (Port) for tools given host and port.
func (c *Cluster) DSN(database string) string {
	return fmt.Sprintf("host=%s port=%d user=%s dbname=%s sslmode=disable",
		dsnQuote(c.dir), c.Port(), dsnQuote(c.superuser), dsnQuote(database))
}

// Port is the TCP port the cluster listens on at 127.0.0.1.
func (c *Cluster) Port() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.port
}

// PID is the postmaster's process id; 0 after Stop or Kill.
func (c *Cluster) PID() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pid
}

// Attached reports whether Start found the postmaster already running rather than starting
// it; a short-lived command that attached may want to leave it running for its owner.
func (c *Cluster) Attached() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.attached
}

// Dir is the cluster's directory, which also holds its Unix socket.
func (c *Cluster) Dir() string { return c.dir }

// BinDir holds the PostgreSQL programs the cluster runs, psql among them.
func (c *Cluster) BinDir() string { return c.binDir }

// DataDir is the PostgreSQL data directory inside Dir.
func (c *Cluster) DataDir() string { return c.data }

// command prepares one of the PostgreSQL programs, run as the account that owns the cluster.
func (c *Cluster) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(c.binDir, name), args...)
	cmd.Dir = c.dir
	cmd.Env = c.acct.env()
	runAs(cmd, c.acct.cred)
	return cmd
}

// freePort asks the kernel for a loopback port nobody is using at the moment.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port for PostgreSQL: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// stopped reports whether pid has been stopped by a signal.
func stopped(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true // gone, or no /proc to tell: do not wait
	}
	_, rest, _ := bytes.Cut(b, []byte(") "))
	return len(rest) > 0 && rest[0] == 'T'
}
