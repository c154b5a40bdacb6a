package main

import (
	"errors"
	"reflect"
	"testing"

	"stamp/instance"
	"stamp/ui"
)

// Once the app's loop is ending (ui.Stopped), a hand-over is neither
// applied nor reported as done, also when the loop ends between the
// hand-over being queued for the UI goroutine and its turn (ATTACK2 item 8).
// The test stops the ui package for good, so it is the only one here that
// touches ui.
func TestAHandOverIsRefusedOnceTheAppStops(t *testing.T) {
	args := []instance.Arg{{Kind: instance.File, Value: "/tmp/report.pdf"}}
	var applied [][]instance.Arg
	apply := func(a []instance.Arg) { applied = append(applied, a) }
	now := func(f func()) { f() }

	if err := handOverOnUI(now, args, apply); err != nil || len(applied) != 1 {
		t.Fatalf("a running app: %v, applied %v; want the files applied and nil", err, applied)
	}

	// The hand-over is queued; the master window closes before it runs.
	queue := make(chan func(), 1)
	res := make(chan error, 1)
	go func() { res <- handOverOnUI(func(f func()) { queue <- f }, args, apply) }()
	f := <-queue
	ui.Stopped()
	f()
	if err := <-res; !errors.Is(err, errClosing) {
		t.Fatalf("a hand-over whose turn came after the stop: %v, want %v", err, errClosing)
	}
	if len(applied) != 1 {
		t.Fatalf("applied after the stop: %v", applied[1:])
	}

	// After the stop nothing is queued at all.
	err := handOverOnUI(func(func()) { t.Error("queued for a stopped UI") }, args, apply)
	if !errors.Is(err, errClosing) || len(applied) != 1 {
		t.Fatalf("after the stop: %v, applied %v", err, applied)
	}
}

func TestTheAccountsRequestIsTakenOutOfTheFiles(t *testing.T) {
	file := instance.Arg{Kind: instance.File, Value: "/tmp/a.pdf"}
	rest, accounts := splitAccounts([]instance.Arg{file, {Kind: instance.Accounts}})
	if !accounts || !reflect.DeepEqual(rest, []instance.Arg{file}) {
		t.Fatalf("got %v %v", rest, accounts)
	}
	if rest, accounts := splitAccounts([]instance.Arg{file}); accounts || len(rest) != 1 {
		t.Fatalf("no request: got %v %v", rest, accounts)
	}
}
