package main

import (
	"strings"
	"testing"
)

func TestJSONAndDryRunAreFoundInTheArguments(t *testing.T) {
	for args, want := range map[string]bool{
		"--json": true, "-json": true, "--json=true": true, "--json=1": true,
		"--json=false": false, "--jsonx": false, "--quiet": false, "-- --json": false,
	} {
		if got := hasFlag(strings.Fields(args), "json"); got != want {
			t.Errorf("hasFlag(%q, json) = %v, want %v", args, got, want)
		}
	}
}
