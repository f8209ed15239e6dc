package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"patrol-alpr/alpr"
	"patrol-alpr/store"
)

var administrator = alpr.Operator{ID: "A-1", Name: "Lt. K. Moss", Role: alpr.RoleAdministrator}

// TestAdministratorEnrolsOperators: an administrator (even one not trained on the cameras)
// signs in, finds the Operators screen, and enrols an operator who can then sign in; the
// enrolment is audited under the administrator's id. Officers do not see the screen.
func TestAdministratorEnrolsOperators(t *testing.T) {
	f := newFixture(t, nil)
	f.u.deps.Operators = f.db // the store is made by the fixture; the screen reads Deps at sign-in
	ctx := context.Background()
	if err := f.db.PutOperator(ctx, administrator, testPIN); err != nil {
		t.Fatal(err)
	}

	f.signIn(officer)
	if _, ok := f.u.main.nav[viewOperators]; ok {
		t.Fatal("an officer sees the Operators screen")
	}
	f.u.signOut()
	f.settle()

	f.signIn(administrator)
	tile, ok := f.u.main.nav[viewOperators]
	if !ok {
		t.Fatal("no Operators screen for the administrator")
	}
	test.Tap(tile)
	form := f.u.main.operators
	f.settle()
	if !strings.Contains(form.list.Text, officer.ID) || !strings.Contains(form.list.Text, "cameras and search") {
		t.Errorf("list of operators %q, want %s with what they may do", form.list.Text, officer.ID)
	}

	cases := []struct {
		name, id, opName, pin, again string
		trained, certified           bool
		want                         string
		wantEnrolled                 bool
	}{
		{name: "no id", opName: "R. Diaz", pin: "8642", again: "8642", want: "Enter the operator ID"},
		{name: "short PIN", id: "4200", opName: "R. Diaz", pin: "86", again: "86", want: "at least 4"},
		{name: "PINs differ", id: "4200", opName: "R. Diaz", pin: "8642", again: "8643", want: "PINs differ"},
		{name: "certified untrained", id: "4200", opName: "R. Diaz", pin: "8642", again: "8642", certified: true, want: "only after the ALPR course"},
		{name: "id already enrolled", id: officer.ID, opName: "Someone Else", pin: "8642", again: "8642", want: "already enrolled"},
		{name: "enrolled", id: "4200", opName: "R. Diaz", pin: "8642", again: "8642", trained: true, certified: true, want: "R. Diaz (4200) enrolled", wantEnrolled: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			form.id.SetText(c.id)
			form.name.SetText(c.opName)
			form.pin.SetText(c.pin)
			form.pinAgain.SetText(c.again)
			form.trained.SetChecked(c.trained)
			form.certified.SetChecked(c.certified)
			test.Tap(form.add)
			f.settle()
			if !strings.Contains(form.message.Text, c.want) {
				t.Errorf("message %q, want %q", form.message.Text, c.want)
			}
			op, err := f.db.Authenticate(ctx, c.id, c.pin)
			if c.wantEnrolled != (err == nil) {
				t.Fatalf("sign-in of %q after the form: %v (want enrolled %v)", c.id, err, c.wantEnrolled)
			}
			if c.wantEnrolled && !op.MayOperateCameras() {
				t.Errorf("enrolled %+v may not run the cameras", op)
			}
		})
	}
	if !strings.Contains(form.list.Text, "4200") {
		t.Errorf("the list does not show the new operator: %q", form.list.Text)
	}
	if _, err := f.db.Authenticate(ctx, officer.ID, testPIN); err != nil {
		t.Errorf("the refused enrolment changed %s's PIN: %v", officer.ID, err)
	}
	log, err := f.db.AuditLog(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, e := range log {
		if e.Action == store.ActionOperatorPut && strings.Contains(e.Detail, "4200") {
			found = e.Actor == administrator.ID
		}
	}
	if !found {
		t.Errorf("no audit entry of the enrolment of 4200 by %s", administrator.ID)
	}
}
