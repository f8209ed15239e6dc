package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The test binary doubles as the app: with PATROL_ALPR_AS_APP set it runs main's run() with the
// arguments in PATROL_ALPR_ARGS, so the Xvfb test starts the real program without building it
// a second time.
func TestMain(m *testing.M) {
	if os.Getenv("PATROL_ALPR_AS_APP") == "1" {
		args := strings.Split(os.Getenv("PATROL_ALPR_ARGS"), "\x1f")
		if err := runMain(args); err != nil {
			fmt.Fprintln(os.Stderr, "patrol-alpr:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func runMain(args []string) error {
	ctx, stop := signalContext()
	defer stop()
	return run(ctx, args, os.Stdin, os.Stdout)
}

// startXvfb starts a virtual display and returns its name (":N").
func startXvfb(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("Xvfb"); err != nil {
		t.Skip("Xvfb not installed (make setup installs it)")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1024x768x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start Xvfb: %v", err)
	}
	w.Close()
	// SIGTERM lets Xvfb remove its lock and socket for the next test's display.
	t.Cleanup(func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait() })
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		t.Fatalf("read Xvfb display number: %v", err)
	}
	display := ":" + strings.TrimSpace(line)
	// One run's app failed to open the display straight after Xvfb named it (GLFW's "Failed
	// to open display"): start the app only once a client gets through.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if exec.Command("xwininfo", "-display", display, "-root").Run() == nil {
			return display
		}
		if time.Now().After(deadline) {
			t.Fatalf("Xvfb display %s takes no connection after 10 s", display)
		}
	}
}

// TestWindowUnderXvfb starts the real program with no configuration and checks that its
// window comes up in classroom mode, then that SIGTERM closes it cleanly, and that under a C
// locale Fyne did not complain about the interface language.
func TestWindowUnderXvfb(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole program")
	}
	display := startXvfb(t)
	home := t.TempDir()
	profiles := freeLoopbackAddr(t)
	app := exec.Command(os.Args[0], "-test.run=^$")
	app.Env = append(os.Environ(),
		"PATROL_ALPR_AS_APP=1",
		"PATROL_ALPR_ARGS="+strings.Join([]string{"-data", filepath.Join(home, "data"), "-pprof", profiles}, "\x1f"),
		"DISPLAY="+display, "HOME="+home, "XDG_CONFIG_HOME="+home+"/config", "XDG_CACHE_HOME="+home+"/cache",
		// Debian's default locale, which names no language: the binary itself tells Fyne
		// the interface language (internal/uilang), so Fyne must not complain.
		"LANG=C.UTF-8", "LC_ALL=", "LC_MESSAGES=",
	)
	var out bytes.Buffer
	app.Stdout, app.Stderr = &out, &out
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- app.Wait() }()
	defer func() {
		_ = app.Process.Kill()
	}()

	deadline := time.Now().Add(90 * time.Second)
	for {
		tree, _ := exec.Command("xwininfo", "-display", display, "-root", "-tree").Output()
		if bytes.Contains(tree, []byte("Patrol ALPR — TRAINING")) {
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("app exited before its window appeared: %v\n%s", err, out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no Patrol ALPR window after 90 s; output:\n%s", out.String())
		}
		time.Sleep(250 * time.Millisecond)
	}
	// -pprof serves the running window's profiles and its panes' frame counts.
	var panes map[string]struct{ Shown, Dropped *uint64 }
	if err := getJSON("http://"+profiles+"/debug/panes", &panes); err != nil || len(panes) != 3 || panes["Cam-1"].Shown == nil || panes["Cam-1"].Dropped == nil {
		t.Errorf("-pprof %s: /debug/panes = %v (%v), want the three panes", profiles, panes, err)
	}
	if err := getJSON("http://"+profiles+"/debug/pprof/heap?debug=1", nil); err != nil {
		t.Errorf("-pprof %s: heap profile: %v", profiles, err)
	}
	if dir := os.Getenv("PATROL_ALPR_SCREENSHOT_DIR"); dir != "" {
		time.Sleep(2 * time.Second) // let the first frames paint
		shot := filepath.Join(dir, "login.png")
		if err := exec.Command("import", "-display", display, "-window", "root", shot).Run(); err != nil {
			t.Errorf("screenshot: %v", err)
		}
	}
	if err := app.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if strings.Contains(out.String(), "Error parsing user locale") {
			t.Errorf("Fyne could not tell the interface language under LANG=C.UTF-8:\n%s", out.String())
		}
	}()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("app did not exit cleanly on SIGTERM: %v\n%s", err, out.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("app still running 20 s after SIGTERM\n%s", out.String())
	}
}

// freeLoopbackAddr is a loopback address with a port nobody listens on now.
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// getJSON fetches url and decodes its body into v (only checks the status when v is nil).
func getJSON(url string, v any) error {
	c := http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	if v == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// TestProfileFlagRefusesOtherComputers: -pprof on an address other computers reach is refused
// before anything starts.
func TestProfileFlagRefusesOtherComputers(t *testing.T) {
	err := run(context.Background(), []string{"-pprof", "0.0.0.0:0", "-data", t.TempDir()}, nil, io.Discard)
	if !errors.Is(err, errNotLoopback) {
		t.Fatalf("-pprof 0.0.0.0:0: %v, want refused as not loopback", err)
	}
}

func TestReadCommandBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "broken.jpg")
	if err := os.WriteFile(bad, []byte("this is not a JPEG"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err := run(context.Background(), []string{"read", "--json", bad}, nil, &out)
	if err == nil || !strings.Contains(err.Error(), "broken.jpg") {
		t.Fatalf("read of a corrupt image: err = %v, want an error naming the file", err)
	}
	if err := run(context.Background(), []string{"read"}, nil, &out); err == nil {
		t.Fatal("read with no files: want a usage error")
	}
	if err := run(context.Background(), []string{"eval", "--halves", dir}, nil, &out); err == nil || !strings.Contains(err.Error(), "labels.csv") {
		t.Fatalf("eval of a folder without labels: err = %v, want one naming labels.csv", err)
	}
	var l readLine
	for _, line := range bytes.Split(bytes.TrimSpace(out.Bytes()), []byte("\n")) {
		if len(line) > 0 && json.Unmarshal(line, &l) != nil {
			t.Errorf("output line is not JSON: %q", line)
		}
	}
}

// TestHelpListsEveryCommand: --help (and its spellings) lists every command and the program
// exits 0; an unknown command is an error that points to --help.
func TestHelpListsEveryCommand(t *testing.T) {
	for _, arg := range []string{"--help", "-help", "-h", "help"} {
		t.Run(arg, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "PATROL_ALPR_AS_APP=1", "PATROL_ALPR_ARGS="+arg)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("patrol-alpr %s: %v (want exit 0)\n%s", arg, err, out)
			}
			for _, c := range []string{"patrol-alpr [-config FILE]", "patrol-alpr operator add", "patrol-alpr config check",
				"patrol-alpr read", "patrol-alpr eval", "patrol-alpr version", "patrol-alpr help"} {
				if !strings.Contains(string(out), c) {
					t.Errorf("usage does not list %q:\n%s", c, out)
				}
			}
		})
	}
	err := run(context.Background(), []string{"frobnicate"}, nil, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--help") {
		t.Errorf("unknown command: %v, want an error pointing to --help", err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"--version"}, nil, &out); err != nil || out.String() != "patrol-alpr dev\n" {
		t.Errorf("--version: %q (%v), want the release (dev when not built by make package)", out.String(), err)
	}
	if err := run(context.Background(), []string{"read", "-h"}, nil, io.Discard); err != nil {
		t.Errorf("read -h: %v, want its usage and no error", err)
	}
}

// TestConfigCheck: `config check` names every problem of a file by its place (the file's own
// rules and an unknown camera kind alike) and fails; a good file passes with a summary.
func TestConfigCheck(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := write("bad.json", `{
  "cameras": {"Cam-1": "webcam:0", "Cam-2": "device:0", "Cam-4": "device:1"},
  "hot_lists": [{"name": "SVS", "url": "svs.txt", "format": "xml", "kind": "general"}],
  "hot_list_refresh": "48h"
}`)
	good := write("good.json", `{"vehicle_number": "2317", "cameras": {"Cam-1": "device:0"}}`)
	cases := []struct {
		name    string
		file    string
		wantOut []string
		wantErr bool
	}{
		{"every problem by its place", bad, []string{"4 problems", "hot_list_refresh: 48h0m0s", "cameras.Cam-4:", "hot_lists[0] (SVS).format:", `cameras.Cam-1: camera source "webcam:0": unknown kind`}, true},
		{"good file", good, []string{"good.json: OK", `vehicle "2317"`, "1 camera,"}, false},
		{"no such file", filepath.Join(dir, "none.json"), nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), []string{"config", "check", c.file}, nil, &out)
			if (err != nil) != c.wantErr {
				t.Fatalf("err = %v, want error %v\n%s", err, c.wantErr, out.String())
			}
			for _, w := range c.wantOut {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output does not say %q:\n%s", w, out.String())
				}
			}
		})
	}
	// The app refuses the same file before anything starts, with the same places.
	err := run(context.Background(), []string{"-config", bad}, nil, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "cameras.Cam-1") {
		t.Fatalf("app on a bad file: %v, want the problems named by place", err)
	}
}
