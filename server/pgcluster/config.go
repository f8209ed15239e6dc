package pgcluster

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// confName is the file every Start rewrites with where the cluster listens; postgresql.conf
// includes it, so pg_ctl run by hand starts the cluster the same way.
const confName = "patrol-alpr.conf"

// includeLine is appended to postgresql.conf once.
const includeLine = "include_if_exists = '" + confName + "'"

var settingName = regexp.MustCompile(`^[a-z_][a-z0-9_.]*$`)

// writeConfig points postgresql.conf at the settings for this start: loopback TCP on port,
// the Unix socket in dir, and the caller's extra settings.
func writeConfig(dir, data string, port int, extra map[string]string, a account) error {
	main := filepath.Join(data, "postgresql.conf")
	conf, err := os.ReadFile(main)
	if err != nil {
		return fmt.Errorf("read postgresql.conf: %w", err)
	}
	if !bytes.Contains(conf, []byte(includeLine)) {
		f, err := os.OpenFile(main, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			return fmt.Errorf("include %s in postgresql.conf: %w", confName, err)
		}
		_, err = fmt.Fprintf(f, "\n# Where patrol-alpr's pgcluster starts this cluster.\n%s\n", includeLine)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("include %s in postgresql.conf: %w", confName, err)
		}
	}
	text, err := configText(dir, port, extra)
	if err != nil {
		return err
	}
	p := filepath.Join(data, confName)
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, []byte(text), 0o600); err != nil {
		return fmt.Errorf("write %s: %w", confName, err)
	}
	if a.cred != nil {
		if err := os.Chown(tmp, a.uid, a.gids[0]); err != nil {
			return fmt.Errorf("hand %s to %s: %w", confName, a.name, err)
		}
	}
	if err := os.Rename(tmp, p); err != nil {
		return fmt.Errorf("write %s: %w", confName, err)
	}
	return nil
}

// configText is the included file's text.
func configText(dir string, port int, extra map[string]string) (string, error) {
	var b strings.Builder
	b.WriteString("# Rewritten by patrol-alpr's pgcluster at every start; edits here are lost.\n")
	b.WriteString("listen_addresses = '127.0.0.1'\n")
	b.WriteString("port = " + strconv.Itoa(port) + "\n")
	b.WriteString("unix_socket_directories = " + confQuote(dir) + "\n")
	names := make([]string, 0, len(extra))
	for name := range extra {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if !settingName.MatchString(name) {
			return "", fmt.Errorf("postgres setting %q: not a setting name", name)
		}
		if name == "listen_addresses" || name == "port" || name == "unix_socket_directories" {
			return "", fmt.Errorf("postgres setting %q: set by pgcluster itself (use Options.Port)", name)
		}
		b.WriteString(name + " = " + confQuote(extra[name]) + "\n")
	}
	return b.String(), nil
}

// confQuote writes a postgresql.conf string value.
func confQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// dsnQuote writes a libpq keyword/value DSN value, quoting only when it must.
func dsnQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, ` '\`+"\t\n\r") {
		return s
	}
	s = strings.ReplaceAll(s, `\`, `\\`)
	return "'" + strings.ReplaceAll(s, `'`, `\'`) + "'"
}
