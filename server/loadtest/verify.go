package loadtest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// storedKeys counts how many times each of the agency's detection UUIDs is stored. It asks
// with psql, as an outside auditor would, rather than through the server's own code, whose
// correctness is what is being checked (and pgx stays the postgres package's alone).
func storedKeys(ctx context.Context, psql, dsn, agency string) (map[string]int, error) {
	cmd := exec.CommandContext(ctx, psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-v", "agency="+agency, "-d", dsn)
	cmd.Stdin = strings.NewReader("COPY (SELECT uuid, count(*) FROM detections WHERE agency_id = :'agency' GROUP BY uuid) TO STDOUT;\n")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("read the stored detections with psql: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	stored := make(map[string]int)
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		key, n, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			return nil, fmt.Errorf("psql printed %q, not a key and a count", sc.Text())
		}
		count, err := strconv.Atoi(n)
		if err != nil {
			return nil, fmt.Errorf("psql printed %q, not a key and a count", sc.Text())
		}
		stored[key] = count
	}
	return stored, nil
}

// findPsql is the embedded cluster's psql, else the newest installed, else the one on PATH.
func findPsql(srv *serverProc) (string, error) {
	if srv.cluster != nil {
		return filepath.Join(srv.cluster.BinDir(), "psql"), nil
	}
	if found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/psql"); len(found) > 0 {
		return found[len(found)-1], nil // Glob sorts; a one-digit version would sort wrong, but those are long gone
	}
	p, err := exec.LookPath("psql")
	if err != nil {
		return "", fmt.Errorf("psql is needed to check the stored detections: %w", err)
	}
	return p, nil
}
