package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/car"
	"patrol-alpr/config"
	"patrol-alpr/store"
)

// cmdOperatorAdd enrols an operator in the car's store: how a configured car gets its first
// administrator, who then adds the others in the window. The PIN never appears on the command
// line (where ps and the shell history would keep it): it is typed twice at the terminal with
// echo off, or read as the first line of stdin for a script.
func cmdOperatorAdd(ctx context.Context, args []string, stdin *os.File, stdout io.Writer) error {
	fs := flag.NewFlagSet("operator add", flag.ContinueOnError)
	path := fs.String("config", config.DefaultPath(), "configuration file of the car")
	dataDir := fs.String("data", "", "data folder (overrides the configuration)")
	id := fs.String("id", "", "operator ID (badge or employee number), required")
	name := fs.String("name", "", "name as shown on the patrol screen, required")
	role := fs.String("role", string(alpr.RoleOperator), "operator, administrator or trainer")
	phone := fs.String("phone", "", "phone number")
	trained := fs.String("trained", "", "date of the ALPR course, YYYY-MM-DD (III.C.2)")
	certified := fs.String("certified", "", "date certified to run the cameras, YYYY-MM-DD (I.B)")
	dbTrained := fs.String("database-trained", "", "date of the privacy and CJIS course, YYYY-MM-DD: may search (III.C.1)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("operator add: unexpected %q (flags only; see operator add -h)", fs.Arg(0))
	}
	op := alpr.Operator{ID: strings.TrimSpace(*id), Name: strings.TrimSpace(*name), Role: alpr.Role(*role), Phone: *phone}
	if op.ID == "" || op.Name == "" {
		return errors.New("operator add: -id and -name are required")
	}
	for _, d := range []struct {
		flag, value string
		to          *time.Time
	}{{"trained", *trained, &op.TrainedAt}, {"certified", *certified, &op.CertifiedAt}, {"database-trained", *dbTrained, &op.DatabaseTrainedAt}} {
		if d.value == "" {
			continue
		}
		t, err := time.ParseInLocation(time.DateOnly, d.value, time.Local)
		if err != nil {
			return fmt.Errorf("operator add: -%s %q: want a date like 2026-03-14", d.flag, d.value)
		}
		*d.to = t
	}
	cfg, err := carConfig(*path, named(fs, "config"), *dataDir)
	if err != nil {
		return fmt.Errorf("operator add: %w", err)
	}
	pin, err := readPIN(stdin, stdout, op.ID)
	if err != nil {
		return fmt.Errorf("operator add: %w", err)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("operator add: create data folder %s: %w", cfg.DataDir, err)
	}
	db, err := store.Open(ctx, car.StorePath(cfg), store.Options{})
	if err != nil {
		return fmt.Errorf("operator add: %w", err)
	}
	defer db.Close()
	actor := shellActor()
	if err := db.AddOperator(ctx, actor, op, pin); err != nil {
		return fmt.Errorf("operator add: %w", err)
	}
	_, err = fmt.Fprintf(stdout, "Enrolled %s (%s, %s) in %s; recorded in the audit log as done by %s.\n",
		op.ID, op.Name, op.Role, db.Path(), actor)
	return err
}

// carConfig is the configuration of a real car: operators are never enrolled in the
// classroom's store, whose training accounts are seeded.
func carConfig(path string, named bool, dataDir string) (config.Config, error) {
	cfg, err := car.LoadConfig(path, named, false, dataDir)
	if err != nil {
		return cfg, err
	}
	if cfg.Classroom {
		if dataDir == "" {
			return cfg, fmt.Errorf("no configuration at %s: name the car's with -config FILE, or its data folder with -data DIR", path)
		}
		cfg = config.Config{DataDir: dataDir}
	}
	return cfg, nil
}

// shellActor names who ran the command, for the audit log: the account at the shell.
func shellActor() string {
	who := "unknown"
	if u, err := user.Current(); err == nil && u.Username != "" {
		who = u.Username
	}
	return "shell:" + who
}

// readPIN asks for the PIN twice with echo off at a terminal, or reads the first line of
// stdin otherwise.
func readPIN(stdin *os.File, prompt io.Writer, id string) (string, error) {
	if restore, err := echoOff(stdin); err == nil {
		defer restore()
		in := bufio.NewReader(stdin)
		fmt.Fprintf(prompt, "PIN for %s (at least %d characters): ", id, store.MinPINLength)
		first, err := in.ReadString('\n')
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("read PIN: %w", err)
		}
		fmt.Fprint(prompt, "The same PIN again: ")
		second, err := in.ReadString('\n')
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("read PIN: %w", err)
		}
		if strings.TrimRight(first, "\r\n") != strings.TrimRight(second, "\r\n") {
			return "", errors.New("the two PINs differ: nothing was saved")
		}
		return strings.TrimRight(first, "\r\n"), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", fmt.Errorf("read PIN from stdin (one line): %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
