package pgcluster

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
)

// createDatabase creates the database named by psql's variable "name" unless it exists.
const createDatabase = `SELECT format('CREATE DATABASE %I', :'name')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'name') \gexec
`

// CreateDatabase creates the database unless it already exists.
func (c *Cluster) CreateDatabase(ctx context.Context, name string) error {
	if name == "" || len(name) > 63 || strings.ContainsRune(name, 0) {
		return fmt.Errorf("create database %q: a database name has 1 to 63 bytes", name)
	}
	if _, err := c.psql(ctx, "postgres", createDatabase, "-v", "name="+name); err != nil {
		// Someone else may have created it between our check and our CREATE; if so, the
		// second run finds it there.
		if _, again := c.psql(ctx, "postgres", createDatabase, "-v", "name="+name); again != nil {
			return fmt.Errorf("create database %s: %w", name, err)
		}
	}
	return nil
}

// psql runs script in database through the Unix socket and returns its unaligned output.
func (c *Cluster) psql(ctx context.Context, database, script string, args ...string) (string, error) {
	all := append([]string{"-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
		"-h", c.dir, "-p", strconv.Itoa(c.Port()), "-U", c.superuser,
		"-d", "dbname=" + dsnQuote(database)}, args...)
	cmd := c.command(ctx, "psql", all...)
	cmd.Stdin = strings.NewReader(script)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("psql: %w: %s", err, lastLines(stderr.Bytes(), 3))
	}
	return stdout.String(), nil
}
