package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/store"
)

var officer = alpr.Operator{ID: "P1234", Name: "J. Rivera", Role: alpr.RoleOperator, Phone: "209-555-0100",
	TrainedAt: t0.AddDate(-1, 0, 0), CertifiedAt: t0.AddDate(-1, 0, 7), DatabaseTrainedAt: t0.AddDate(-1, 1, 0)}

func TestPutOperatorValidates(t *testing.T) {
	db, _ := openTest(t)
	cases := []struct {
		name string
		op   alpr.Operator
		pin  string
	}{
		{"no id", alpr.Operator{Name: "X", Role: alpr.RoleOperator}, "1234"},
		{"no name", alpr.Operator{ID: "P9", Role: alpr.RoleOperator}, "1234"},
		{"unknown role", alpr.Operator{ID: "P9", Name: "X", Role: "chief"}, "1234"},
		{"short PIN", alpr.Operator{ID: "P9", Name: "X", Role: alpr.RoleTrainer}, "123"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := db.PutOperator(context.Background(), c.op, c.pin); !errors.Is(err, store.ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
		})
	}
	if ops, _ := db.Operators(context.Background()); len(ops) != 0 {
		t.Fatalf("invalid operators were stored: %+v", ops)
	}
}

func TestOperatorRoundTripAndPINKept(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	if err := db.PutOperator(ctx, officer, "482916"); err != nil {
		t.Fatal(err)
	}
	got, err := db.Operator(ctx, officer.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got != officer {
		t.Fatalf("got %+v, want %+v", got, officer)
	}
	// Updating without a PIN keeps the old PIN.
	changed := officer
	changed.Role = alpr.RoleTrainer
	if err := db.PutOperator(ctx, changed, ""); err != nil {
		t.Fatal(err)
	}
	op, err := db.Authenticate(ctx, officer.ID, "482916")
	if err != nil || op.Role != alpr.RoleTrainer {
		t.Fatalf("Authenticate after update = %+v, %v", op, err)
	}
	if _, err := db.Operator(ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Operator(nobody) = %v, want ErrNotFound", err)
	}
}

func TestAuthenticateLocksOutAfterFiveWrongPINs(t *testing.T) {
	ctx := context.Background()
	db, c := openTest(t)
	if err := db.PutOperator(ctx, officer, "482916"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Authenticate(ctx, "nobody", "482916"); !errors.Is(err, store.ErrBadCredentials) {
		t.Fatalf("unknown operator: %v, want ErrBadCredentials", err)
	}
	for i := 1; i < store.MaxPINFailures; i++ {
		if _, err := db.Authenticate(ctx, officer.ID, "000000"); !errors.Is(err, store.ErrBadCredentials) {
			t.Fatalf("wrong PIN %d: %v, want ErrBadCredentials", i, err)
		}
	}
	if _, err := db.Authenticate(ctx, officer.ID, "000000"); !errors.Is(err, store.ErrLockedOut) {
		t.Fatalf("wrong PIN %d: %v, want ErrLockedOut", store.MaxPINFailures, err)
	}
	// Locked: even the right PIN is refused until the period is over.
	c.Advance(store.LockoutPeriod - time.Second)
	if _, err := db.Authenticate(ctx, officer.ID, "482916"); !errors.Is(err, store.ErrLockedOut) {
		t.Fatalf("right PIN while locked: %v, want ErrLockedOut", err)
	}
	c.Advance(time.Second)
	if _, err := db.Authenticate(ctx, officer.ID, "482916"); err != nil {
		t.Fatalf("right PIN after lockout: %v", err)
	}
	// A success resets the count: four more wrong PINs do not lock.
	for i := 1; i < store.MaxPINFailures; i++ {
		db.Authenticate(ctx, officer.ID, "000000")
	}
	if _, err := db.Authenticate(ctx, officer.ID, "482916"); err != nil {
		t.Fatalf("right PIN after four failures: %v", err)
	}

	counts := map[string]int{}
	es, _ := db.AuditLog(ctx, time.Time{})
	for _, e := range es {
		counts[e.Action]++
	}
	want := map[string]int{store.ActionLogin: 2, store.ActionLoginFailed: 1 + 4 + 1 + 4, store.ActionLockedOut: 1}
	for a, n := range want {
		if counts[a] != n {
			t.Errorf("audit has %d %q entries, want %d", counts[a], a, n)
		}
	}
}

func TestShifts(t *testing.T) {
	ctx := context.Background()
	db, c := openTest(t)
	if _, err := db.StartShift(ctx, "nobody", "4512"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("shift for unknown operator: %v, want ErrNotFound", err)
	}
	if err := db.PutOperator(ctx, officer, "482916"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.StartShift(ctx, officer.ID, " "); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("shift without vehicle: %v, want ErrInvalid", err)
	}
	s, err := db.StartShift(ctx, officer.ID, "4512")
	if err != nil || s.ID == 0 || !s.StartedAt.Equal(t0) {
		t.Fatalf("StartShift = %+v, %v", s, err)
	}
	c.Advance(10 * time.Hour)
	if err := db.EndShift(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.EndShift(ctx, s.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("ending a shift twice: %v, want ErrNotFound", err)
	}
}

// TestAddOperatorAuditsWhoAndRefusesAnExistingID: enrolling an operator names the actor in
// the audit log, the PIN works at once, and a second enrolment under the same id is refused
// without touching the first one's PIN.
func TestAddOperatorAuditsWhoAndRefusesAnExistingID(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	if err := db.AddOperator(ctx, "shell:root", officer, "482916"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Authenticate(ctx, officer.ID, "482916"); err != nil {
		t.Fatalf("new operator's PIN: %v", err)
	}
	log, err := db.AuditLog(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var put *store.AuditEntry
	for i := range log {
		if log[i].Action == store.ActionOperatorPut {
			put = &log[i]
		}
	}
	if put == nil || put.Actor != "shell:root" || !strings.Contains(put.Detail, officer.ID) || !strings.Contains(put.Detail, "PIN set") {
		t.Fatalf("audit entry of the enrolment: %+v, want actor shell:root naming %s and the PIN", put, officer.ID)
	}

	cases := []struct {
		name, actor, id, pin string
		want                 error
	}{
		{"same id again", "A100", officer.ID, "999999", store.ErrExists},
		{"no actor", "", "P2", "999999", store.ErrInvalid},
		{"no PIN", "A100", "P2", "", store.ErrInvalid},
		{"short PIN", "A100", "P2", "12", store.ErrInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			op := officer
			op.ID = c.id
			if err := db.AddOperator(ctx, c.actor, op, c.pin); !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
	if _, err := db.Authenticate(ctx, officer.ID, "482916"); err != nil {
		t.Fatalf("the first enrolment's PIN no longer works: %v", err)
	}
	if _, err := db.Operator(ctx, "P2"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a refused enrolment was stored: %v", err)
	}
}
