package compose

import "testing"

func TestWithSignature(t *testing.T) {
	for _, c := range []struct{ name, body, sig, want string }{
		{"a new message gets two empty lines, the delimiter and the signature", "", "Ann\nExample Ltd", "\n\n-- \nAnn\nExample Ltd"},
		{"text without a final line break gets a blank line first", "Hello", "Ann", "Hello\n\n-- \nAnn"},
		{"text ending in a line break gets one more", "Hello\n", "Ann", "Hello\n\n-- \nAnn"},
		{"text ending in a blank line gets none", "Hello\n\n", "Ann", "Hello\n\n-- \nAnn"},
		{"an empty signature adds nothing", "Hello", " \n\n", "Hello"},
		{"a body that has the signature is left alone (draft restore)", "Hello\n\n-- \nAnn", "Ann", "Hello\n\n-- \nAnn"},
		{"a body with a signature the person typed is left alone", "Hello\n-- \nmy own", "Ann", "Hello\n-- \nmy own"},
		{"a signature typed with its own delimiter gets one delimiter", "", "-- \nAnn", "\n\n-- \nAnn"},
		{"CRLF in the signature and trailing blanks are normalised", "x", "Ann\r\nLtd  \r\n\r\n", "x\n\n-- \nAnn\nLtd"},
		{"a quoted delimiter is not a signature", "> -- \n> Bob", "Ann", "> -- \n> Bob\n\n-- \nAnn"},
		{"dash dash without the space is not a delimiter", "a\n--\nb", "Ann", "a\n--\nb\n\n-- \nAnn"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := WithSignature(c.body, c.sig)
			if got != c.want {
				t.Fatalf("WithSignature(%q, %q) = %q, want %q", c.body, c.sig, got, c.want)
			}
			if again := WithSignature(got, c.sig); again != got {
				t.Errorf("inserting again gave %q: not idempotent", again)
			}
		})
	}
}

func TestSwapSignature(t *testing.T) {
	for _, c := range []struct {
		name, body, old, new, want string
		swapped                    bool
	}{
		{"the old signature is replaced by the new one", "Hi Bob\n\n-- \nAnn at work", "Ann at work", "Ann at home", "Hi Bob\n\n-- \nAnn at home", true},
		{"a multi-line signature is replaced whole", "Hi\n\n-- \nAnn\nWork Ltd\n+1 555", "Ann\nWork Ltd\n+1 555", "Ann", "Hi\n\n-- \nAnn", true},
		{"blank lines typed after the signature do not stop the swap", "Hi\n\n-- \nAnn\n\n \n", "Ann", "Bob", "Hi\n\n-- \nBob", true},
		{"an edited signature is kept", "Hi\n\n-- \nAnn, back Monday", "Ann", "Bob", "Hi\n\n-- \nAnn, back Monday", false},
		{"text typed under the signature is kept", "Hi\n\n-- \nAnn\nP.S. call me", "Ann", "Bob", "Hi\n\n-- \nAnn\nP.S. call me", false},
		{"a removed signature is not brought back", "Hi, no signature please", "Ann", "Bob", "Hi, no signature please", false},
		{"an account without a signature removes the old one", "Hi\n\n-- \nAnn", "Ann", "", "Hi", true},
		{"a new message with only the signature becomes empty", "\n\n-- \nAnn", "Ann", "", "", true},
		{"from no signature to one adds it", "Hi", "", "Bob", "Hi\n\n-- \nBob", true},
		{"from no signature to one keeps a signature the person typed", "Hi\n\n-- \nmine", "", "Bob", "Hi\n\n-- \nmine", false},
		{"the same signature changes nothing", "Hi\n\n-- \nAnn", "Ann", "Ann", "Hi\n\n-- \nAnn", false},
		{"CRLF bodies are compared as LF", "Hi\r\n\r\n-- \r\nAnn", "Ann", "Bob", "Hi\n\n-- \nBob", true},
		{"only the last signature is swapped", "-- \nAnn\n\nquoted\n\n-- \nAnn", "Ann", "Bob", "-- \nAnn\n\nquoted\n\n-- \nBob", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, swapped := SwapSignature(c.body, c.old, c.new)
			if got != c.want || swapped != c.swapped {
				t.Fatalf("SwapSignature(%q, %q, %q) = %q, %v; want %q, %v", c.body, c.old, c.new, got, swapped, c.want, c.swapped)
			}
		})
	}
}

func TestSwapSignatureThereAndBack(t *testing.T) {
	body := WithSignature("Dear Bob,\nthanks.", "Ann\nWork")
	for i := 0; i < 3; i++ {
		var ok bool
		if body, ok = SwapSignature(body, "Ann\nWork", "Ann (home)"); !ok {
			t.Fatal("no swap to home")
		}
		if body, ok = SwapSignature(body, "Ann (home)", "Ann\nWork"); !ok {
			t.Fatal("no swap back")
		}
	}
	if want := "Dear Bob,\nthanks.\n\n-- \nAnn\nWork"; body != want {
		t.Fatalf("after swapping back and forth: %q, want %q", body, want)
	}
}

func TestSplitSignature(t *testing.T) {
	for _, c := range []struct {
		body, text, sig string
		ok              bool
	}{
		{"Hi\n\n-- \nAnn\nLtd", "Hi\n", "Ann\nLtd", true},
		{"Hi\r\n-- \r\nAnn", "Hi", "Ann", true},
		{"-- \nAnn", "", "Ann", true},
		{"Hi\n-- ", "Hi", "", true},
		{"Hi\n--\nAnn", "Hi\n--\nAnn", "", false},
		{"Hi -- \nAnn", "Hi -- \nAnn", "", false},
		{"a\n-- \nold\n-- \nnew", "a\n-- \nold", "new", true},
	} {
		text, sig, ok := SplitSignature(c.body)
		if text != c.text || sig != c.sig || ok != c.ok {
			t.Errorf("SplitSignature(%q) = %q, %q, %v; want %q, %q, %v", c.body, text, sig, ok, c.text, c.sig, c.ok)
		}
	}
}
