package compose

import (
	"errors"
	"io"
	"net/mail"
	"reflect"
	"strings"
	"testing"
)

func TestParseAddressList(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Address
		bad  []string // the entries reported as bad, in order
	}{
		{"a bare address is one recipient without a name",
			"bob@example.com", []Address{{"", "bob@example.com"}}, nil},
		{"a name with an address in angle brackets keeps both",
			"Bob Smith <bob@example.com>", []Address{{"Bob Smith", "bob@example.com"}}, nil},
		{"commas and semicolons both separate entries",
			"a@example.com, b@example.com; c@example.com",
			[]Address{{"", "a@example.com"}, {"", "b@example.com"}, {"", "c@example.com"}}, nil},
		{"a comma inside a quoted name does not split it",
			`"Last, First" <lf@example.com>, x@example.com`,
			[]Address{{"Last, First", "lf@example.com"}, {"", "x@example.com"}}, nil},
		{"a semicolon inside a quoted name does not split it",
			`"A; B" <ab@example.com>`, []Address{{"A; B", "ab@example.com"}}, nil},
		{"trailing and doubled separators are ignored",
			"a@example.com,, ;b@example.com ; ,",
			[]Address{{"", "a@example.com"}, {"", "b@example.com"}}, nil},
		{"an empty field is an empty list, not an error",
			"  , ; ", nil, nil},
		{"spaces around entries are ignored",
			"   Ann <ann@example.com>   ", []Address{{"Ann", "ann@example.com"}}, nil},
		{"an address in angle brackets alone has no name",
			"<ann@example.com>", []Address{{"", "ann@example.com"}}, nil},
		{"a comment after the address becomes the name",
			"ann@example.com (Ann Example)", []Address{{"Ann Example", "ann@example.com"}}, nil},
		{"a non-ASCII name is kept as typed",
			"Zoë Ünïcode 中文 <z@example.com>", []Address{{"Zoë Ünïcode 中文", "z@example.com"}}, nil},
		{"an international domain is accepted and kept in Unicode",
			"Jürgen <j@bücher.de>", []Address{{"Jürgen", "j@bücher.de"}}, nil},
		{"a non-ASCII local part is accepted (SMTPUTF8)",
			"用户@例子.中国", []Address{{"", "用户@例子.中国"}}, nil},
		{"an unquoted name with an @ is taken from before the angle bracket",
			"bob@home <bob@example.com>", []Address{{"bob@home", "bob@example.com"}}, nil},
		{"a name with a dot is accepted without quotes",
			"John Q. Public <jqp@example.com>", []Address{{"John Q. Public", "jqp@example.com"}}, nil},
		{"an address without a domain is reported",
			"ok@example.com, bob@", []Address{{"", "ok@example.com"}}, []string{"bob@"}},
		{"an address without @ is reported",
			"bob", nil, []string{"bob"}},
		{"every bad entry is reported and the good ones kept",
			"bad1, good@example.com, @bad2.com", []Address{{"", "good@example.com"}}, []string{"bad1", "@bad2.com"}},
		{"a domain with an empty label is reported",
			"a@example..com", nil, []string{"a@example..com"}},
		{"a local part longer than 64 characters is reported",
			strings.Repeat("x", 65) + "@example.com", nil, []string{strings.Repeat("x", 65) + "@example.com"}},
		{"a domain with a space is reported",
			"a@exa mple.com", nil, []string{"a@exa mple.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseAddressList("Cc", tt.in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseAddressList(%q) = %#v, want %#v", tt.in, got, tt.want)
			}
			var bad []string
			var ve *ValidationError
			if errors.As(err, &ve) {
				for _, p := range ve.Problems {
					if p.Field != "Cc" {
						t.Errorf("problem %v names field %q, want Cc", p, p.Field)
					}
					bad = append(bad, p.Entry)
				}
			} else if err != nil {
				t.Fatalf("error %v is not a *ValidationError", err)
			}
			if !reflect.DeepEqual(bad, tt.bad) {
				t.Errorf("bad entries = %q, want %q (err %v)", bad, tt.bad, err)
			}
		})
	}
}

func TestFieldErrorNamesFieldAndEntry(t *testing.T) {
	_, err := ParseAddressList("Cc", "bob@")
	if got, want := err.Error(), `Cc: "bob@" is not a valid address`; got != want {
		t.Errorf("error = %q, want %q", got, want)
	}
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "Cc" || fe.Entry != "bob@" {
		t.Errorf("errors.As did not find the field error: %#v", fe)
	}
}

func TestParseAddress(t *testing.T) {
	a, err := ParseAddress("From", " Me <me@example.com> ")
	if err != nil || a != (Address{"Me", "me@example.com"}) {
		t.Errorf("ParseAddress = %v, %v", a, err)
	}
	if _, err := ParseAddress("From", ""); err == nil || err.Error() != "From: is required" {
		t.Errorf("empty From: err = %v", err)
	}
	if _, err := ParseAddress("From", "a@example.com, b@example.com"); err == nil || !strings.Contains(err.Error(), "single address") {
		t.Errorf("two From addresses: err = %v", err)
	}
}

func TestAddressString(t *testing.T) {
	tests := []struct {
		name string
		in   Address
		want string
	}{
		{"an address without a name is bare", Address{"", "a@example.com"}, "a@example.com"},
		{"a name of atoms is not quoted", Address{"Ann Lee", "a@example.com"}, "Ann Lee <a@example.com>"},
		{"a name with a comma is quoted", Address{"Lee, Ann", "a@example.com"}, `"Lee, Ann" <a@example.com>`},
		{"quotes and backslashes in a name are escaped", Address{`Ann "the \ one"`, "a@example.com"}, `"Ann \"the \\ one\"" <a@example.com>`},
		{"a non-ASCII name is an encoded word", Address{"Zoë", "z@example.com"}, "=?UTF-8?Q?Zo=C3=AB?= <z@example.com>"},
		{"an international domain becomes punycode", Address{"", "j@bücher.de"}, "j@xn--bcher-kva.de"},
		{"a non-ASCII local part stays UTF-8", Address{"", "用户@例子.中国"}, "用户@例子.中国"},
		{"a local part with a space is quoted", Address{"", "john doe@example.com"}, `"john doe"@example.com`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.in.String()
			if got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			// An independent parser reads back what we wrote.
			var dec mail.AddressParser
			back, err := dec.Parse(got)
			if err != nil {
				t.Fatalf("net/mail cannot parse %q: %v", got, err)
			}
			if back.Name != tt.in.Name {
				t.Errorf("name reads back as %q, want %q", back.Name, tt.in.Name)
			}
		})
	}
}

func TestProblemsCollectsEveryFieldErrorOfAnError(t *testing.T) {
	_, err := ParseAddressList("Cc", "bob@, ann@example.com, @x")
	if got := Problems("Cc", err); len(got) != 2 || got[0].Entry != "bob@" || got[1].Entry != "@x" {
		t.Fatalf("Problems = %v", got)
	}
	if Problems("To", nil) != nil {
		t.Fatal("no error should give no problems")
	}
	if got := Problems("To", io.ErrUnexpectedEOF); len(got) != 1 || got[0].Field != "To" {
		t.Fatalf("a plain error: %v", got)
	}
}
