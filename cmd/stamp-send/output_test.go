package main

import (
	"encoding/json"
	"testing"
)

func TestPrintableJSONKeepsOrderAndNumbers(t *testing.T) {
	in := []byte(`{"kind":"line","n":12345678901234567,"text":"a\u001b[2J \"q\" \\ ` + "\u202e\u0085\x7f" + `","list":["ok","\u0007"],"ok":true}`)
	want := `{"kind":"line","n":12345678901234567,"text":"a\\x1b[2J \"q\" \\ \\u202e\\u0085\\x7f","list":["ok","\\x07"],"ok":true}`
	got := printableJSON(in)
	if string(got) != want {
		t.Errorf("printableJSON\n got %s\nwant %s", got, want)
	}
	if !json.Valid(got) {
		t.Errorf("not JSON: %s", got)
	}
}
