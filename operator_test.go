package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"patrol-alpr/store"
)

// pinOnStdin is a pipe whose first line is the PIN, as a set-up script gives it.
func pinOnStdin(t *testing.T, pin string) *os.File {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(w, pin+"\n"); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { r.Close() })
	return r
}

// TestOperatorAddEnrolsTheFirstAdministrator: on a configured car with nobody enrolled,
// `operator add` makes an administrator who can then sign in; the audit log names who ran
// it; an id enrolled already, a missing configuration and bad flags are refused.
func TestOperatorAddEnrolsTheFirstAdministrator(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	cfg := filepath.Join(dir, "car.json")
	if err := os.WriteFile(cfg, []byte(`{"vehicle_number": "2317", "data_dir": "`+data+`"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	admin := []string{"operator", "add", "-config", cfg, "-id", "A-1", "-name", "Lt. K. Moss", "-role", "administrator",
		"-trained", "2026-01-05", "-certified", "2026-01-06"}
	var out bytes.Buffer
	if err := run(ctx, admin, pinOnStdin(t, "739104"), &out); err != nil {
		t.Fatalf("operator add: %v", err)
	}
	if !strings.Contains(out.String(), "Enrolled A-1") || !strings.Contains(out.String(), "shell:") {
		t.Errorf("output %q does not say who was enrolled and by whom", out.String())
	}

	cases := []struct {
		name string
		args []string
		pin  string
		want string
	}{
		{"same id again", admin, "111111", "already exists"},
		{"no configuration", []string{"operator", "add", "-config", filepath.Join(dir, "none.json"), "-id", "B", "-name", "B"}, "111111", "none.json not found"},
		{"default path empty", []string{"operator", "add", "-id", "B", "-name", "B"}, "111111", "-data DIR"},
		{"no name", []string{"operator", "add", "-config", cfg, "-id", "B"}, "111111", "-id and -name are required"},
		{"bad date", []string{"operator", "add", "-config", cfg, "-id", "B", "-name", "B", "-trained", "5 Jan"}, "111111", "-trained"},
		{"unknown role", []string{"operator", "add", "-config", cfg, "-id", "B", "-name", "B", "-role", "chief"}, "111111", "unknown role"},
		{"short PIN", []string{"operator", "add", "-config", cfg, "-id", "B", "-name", "B"}, "12", "PIN shorter"},
		{"no PIN", []string{"operator", "add", "-config", cfg, "-id", "B", "-name", "B"}, "", "no PIN"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("XDG_CONFIG_HOME", t.TempDir()) // the default configuration path is empty
			err := run(ctx, c.args, pinOnStdin(t, c.pin), io.Discard)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want one saying %q", err, c.want)
			}
		})
	}

	db, err := store.Open(ctx, filepath.Join(data, "patrol-alpr.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	op, err := db.Authenticate(ctx, "A-1", "739104")
	if err != nil {
		t.Fatalf("the administrator cannot sign in: %v", err)
	}
	if op.Role != "administrator" || !op.MayOperateCameras() {
		t.Errorf("enrolled %+v, want a trained and certified administrator", op)
	}
	if _, err := db.Operator(ctx, "B"); err == nil {
		t.Error("a refused enrolment was stored")
	}
	log, err := db.AuditLog(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var by string
	for _, e := range log {
		if e.Action == store.ActionOperatorPut {
			by = e.Actor
		}
	}
	if !strings.HasPrefix(by, "shell:") || by == "shell:" {
		t.Errorf("enrolment audited as done by %q, want the shell account", by)
	}
}

// TestOperatorAddAsksForThePINAtATerminal: typed at a terminal, the PIN is asked twice with
// echo off (never shown), and two different PINs save nothing.
func TestOperatorAddAsksForThePINAtATerminal(t *testing.T) {
	data := t.TempDir()
	for _, c := range []struct {
		name, first, second string
		wantErr             string
	}{
		{"PINs differ", "482916", "482917", "differ"},
		{"PIN twice", "482916", "482916", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			ptmx, tty, err := pty.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer ptmx.Close()
			defer tty.Close()
			prompts, promptsW := io.Pipe()
			done := make(chan error, 1)
			go func() {
				done <- run(context.Background(), []string{"operator", "add", "-data", data, "-id", "P7", "-name", "R. Diaz"}, tty, promptsW)
				promptsW.Close()
			}()
			pr := bufio.NewReader(prompts)
			for _, pin := range []string{c.first, c.second} {
				// Type only once the prompt is out, so echo is off by then.
				if _, err := pr.ReadString(':'); err != nil {
					t.Fatalf("no prompt: %v", err)
				}
				if _, err := io.WriteString(ptmx, pin+"\n"); err != nil {
					t.Fatal(err)
				}
			}
			go io.Copy(io.Discard, pr)
			err = <-done
			if c.wantErr == "" && err != nil || c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)) {
				t.Fatalf("err = %v, want %q", err, c.wantErr)
			}
			tty.Close()
			echoed, _ := io.ReadAll(ptmx) // what the terminal showed (EIO once the tty is closed)
			if bytes.Contains(echoed, []byte(c.first)) {
				t.Errorf("the terminal echoed the PIN: %q", echoed)
			}
		})
	}
}
