package loadtest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"patrol-alpr/server/pgcluster"
)

// serverProc is the patrol-alpr-server process the load test started, and the database it
// serves from.
type serverProc struct {
	cmd     *exec.Cmd
	url     string             // https://127.0.0.1:PORT
	dsn     string             // the database, for registering cars and checking the result
	cluster *pgcluster.Cluster // the server's embedded cluster, adopted; nil with a DSN
	log     *os.File           // the server's stderr and stdout after its first line
	exited  chan struct{}      // closed when the process has been waited for
	waitErr error
}

// startServer runs `patrol-alpr-server serve` on dataDir, on a free loopback port, and waits
// until it says where it listens. With dsn empty the server runs its own cluster under
// dataDir/pg, which is then adopted for the load test's own connections.
func startServer(ctx context.Context, bin, dataDir, dsn, agency string, extra []string) (*serverProc, error) {
	args := []string{"serve", "-data", dataDir, "-agency", agency, "-agency-name", "Load test",
		"-listen", "127.0.0.1:0", "-demo=false"}
	if dsn != "" {
		args = append(args, "-dsn", dsn)
	}
	args = append(args, extra...)
	logf, err := os.Create(filepath.Join(dataDir, "server.log"))
	if err != nil {
		return nil, fmt.Errorf("start the server: %w", err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stderr = logf
	// If the load test dies without stopping it, the server is told to stop too (and stops
	// its embedded cluster on the way out).
	stopWithParent(cmd)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		logf.Close()
		return nil, fmt.Errorf("start the server: %w", err)
	}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	s := &serverProc{cmd: cmd, log: logf, exited: make(chan struct{}), dsn: dsn}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(logf, line)
			if _, rest, ok := strings.Cut(line, "listening on https://"); ok {
				if f := strings.Fields(rest); len(f) > 0 {
					select {
					case addr <- f[0]:
					default:
					}
				}
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		s.waitErr = cmd.Wait()
		close(s.exited)
	}()
	// A fresh data directory means initdb first, which takes a few seconds.
	wait := time.NewTimer(3 * time.Minute)
	defer wait.Stop()
	select {
	case a := <-addr:
		s.url = "https://" + a
	case <-s.exited:
		return nil, fmt.Errorf("the server exited before listening (%v); see %s", s.waitErr, logf.Name())
	case <-wait.C:
		s.stop()
		return nil, fmt.Errorf("the server did not listen within 3 minutes; see %s", logf.Name())
	case <-ctx.Done():
		s.stop()
		return nil, ctx.Err()
	}
	if dsn == "" {
		c, err := pgcluster.Start(ctx, filepath.Join(dataDir, "pg"), pgcluster.Options{})
		if err != nil {
			s.stop()
			return nil, fmt.Errorf("attach to the server's PostgreSQL: %w", err)
		}
		s.cluster, s.dsn = c, c.DSN("alpr")
	}
	return s, nil
}

// pid is the server's process id.
func (s *serverProc) pid() int { return s.cmd.Process.Pid }

// postmaster is the server's PostgreSQL postmaster when it runs on this machine under our
// eyes (the embedded cluster), else 0.
func (s *serverProc) postmaster() int {
	if s.cluster == nil {
		return 0
	}
	return s.cluster.PID()
}

// stop asks the server to shut down (it stops its embedded cluster itself), kills it if it
// has not within half a minute, and makes sure the cluster is down either way.
func (s *serverProc) stop() error {
	defer s.log.Close()
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	t := time.NewTimer(30 * time.Second)
	defer t.Stop()
	select {
	case <-s.exited:
	case <-t.C:
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
	var err error
	if s.cluster != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		// The server stopped it already unless it was killed.
		if e := s.cluster.Stop(ctx); e != nil && !errors.Is(e, pgcluster.ErrNotRunning) {
			err = fmt.Errorf("stop the server's PostgreSQL: %w", e)
		}
	}
	return err
}
