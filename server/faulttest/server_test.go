package faulttest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// buildServer builds the real patrol-alpr-server into a temporary folder.
func buildServer(t *testing.T) string {
	t.Helper()
	gocmd, err := exec.LookPath("go")
	if err != nil {
		gocmd = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(t.TempDir(), "patrol-alpr-server")
	cmd := exec.Command(gocmd, "build", "-o", bin, "patrol-alpr/cmd/patrol-alpr-server")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build the server: %v\n%s", err, out)
	}
	return bin
}

// serverProcess is the real server binary on a data folder and a database that outlive it,
// started again after each kill.
type serverProcess struct {
	bin, dataDir, dsn string
	agency            string    // the test's own, so that runs on one database do not see each other
	log               io.Writer // its stderr and stdout, across restarts

	cmd    *exec.Cmd
	addr   string
	exited chan struct{}
	kills  int
}

// start runs the server on a free loopback port and waits until it listens.
func (s *serverProcess) start(ctx context.Context) error {
	cmd := exec.Command(s.bin, "serve", "-data", s.dataDir, "-dsn", s.dsn, "-agency", s.agency, "-listen", "127.0.0.1:0")
	cmd.Stderr = s.log
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start the server: %w", err)
	}
	s.cmd, s.exited = cmd, make(chan struct{})
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			fmt.Fprintln(s.log, sc.Text())
			if _, rest, ok := strings.Cut(sc.Text(), "listening on https://"); ok {
				if f := strings.Fields(rest); len(f) > 0 {
					addr <- f[0]
				}
			}
		}
		_ = cmd.Wait()
		close(s.exited)
	}()
	wait := time.NewTimer(30 * time.Second)
	defer wait.Stop()
	select {
	case s.addr = <-addr:
		return nil
	case <-s.exited:
		return fmt.Errorf("the server exited before it listened: %v", cmd.ProcessState)
	case <-wait.C:
		err = fmt.Errorf("the server did not listen within 30 s")
	case <-ctx.Done():
		err = fmt.Errorf("the server did not listen: %w", ctx.Err())
	}
	s.kill()
	return err
}

// kill ends the server with SIGKILL, as a power cut or the OOM killer would.
func (s *serverProcess) kill() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	<-s.exited
	s.cmd = nil
	s.kills++
}

// carProcess is the car: this test binary run again as the car program (see runCar), on a
// store file that outlives it.
type carProcess struct {
	env []string
	log io.Writer

	cmd    *exec.Cmd
	exited chan struct{}
	err    error // how it ended, once exited is closed
	kills  int
}

func (c *carProcess) start() error {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), c.env...)
	cmd.Stdout, cmd.Stderr = c.log, c.log
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start the car: %w", err)
	}
	c.cmd, c.exited, c.err = cmd, make(chan struct{}), nil
	go func() {
		c.err = cmd.Wait()
		close(c.exited)
	}()
	return nil
}

// done reports whether the car has exited by itself, having sent everything.
func (c *carProcess) done() bool {
	select {
	case <-c.exited:
		return true
	default:
		return false
	}
}

// kill ends the car with SIGKILL, mid-sync or mid-save, as a power cut would.
func (c *carProcess) kill() {
	if c.cmd == nil {
		return
	}
	_ = c.cmd.Process.Kill()
	<-c.exited
	c.cmd = nil
	c.kills++
}

// wait waits for the car to exit by itself.
func (c *carProcess) wait(ctx context.Context) error {
	select {
	case <-c.exited:
		c.cmd = nil
		return c.err
	case <-ctx.Done():
		return ctx.Err()
	}
}
