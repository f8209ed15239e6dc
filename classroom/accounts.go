package classroom

import (
	"context"
	"fmt"
	"time"

	"patrol-alpr/alpr"
)

// Account is a training login the trainer hands out.
type Account struct {
	Operator alpr.Operator
	PIN      string
}

// Accounts returns the classroom's logins: a certified trainee who runs the cameras, a civilian
// trained only for database access who may search but not activate the cameras (I.B,
// III.C.1–2), and the trainer.
func Accounts(now time.Time) []Account {
	trained := now.AddDate(0, -1, 0)
	return []Account{
		{alpr.Operator{ID: "TRAINEE", Name: "Trainee Officer", Role: alpr.RoleOperator, Phone: "209-555-0101",
			TrainedAt: trained, CertifiedAt: trained, DatabaseTrainedAt: trained}, "1234"},
		{alpr.Operator{ID: "CIVILIAN", Name: "Civilian Analyst", Role: alpr.RoleOperator, Phone: "209-555-0102",
			DatabaseTrainedAt: trained}, "1234"},
		{alpr.Operator{ID: "TRAINER", Name: "ALPR Trainer", Role: alpr.RoleTrainer, Phone: "209-555-0100",
			TrainedAt: trained, CertifiedAt: trained, DatabaseTrainedAt: trained}, "4321"},
	}
}

// Operators keeps operator accounts (store.DB implements it).
type Operators interface {
	PutOperator(ctx context.Context, op alpr.Operator, pin string) error
}

// Seed writes the training accounts.
func Seed(ctx context.Context, ops Operators, now time.Time) error {
	for _, a := range Accounts(now) {
		if err := ops.PutOperator(ctx, a.Operator, a.PIN); err != nil {
			return fmt.Errorf("seed training account %s: %w", a.Operator.ID, err)
		}
	}
	return nil
}
