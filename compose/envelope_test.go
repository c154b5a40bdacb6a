package compose

import (
	"errors"
	"reflect"
	"testing"
)

func TestEnvelope(t *testing.T) {
	a := func(addr string) Address { return Address{Name: "Some Name", Addr: addr} }
	tests := []struct {
		name string
		msg  Message
		want Envelope
	}{
		{"to, cc and bcc all become recipients in form order",
			Message{From: a("me@example.com"), To: []Address{a("to@example.com")}, Cc: []Address{a("cc@example.com")}, Bcc: []Address{a("bcc@example.com")}},
			Envelope{From: "me@example.com", To: []string{"to@example.com", "cc@example.com", "bcc@example.com"}}},
		{"a recipient in both To and Bcc gets one RCPT TO, at its first place",
			Message{From: a("me@example.com"), To: []Address{a("x@example.com"), a("y@example.com")}, Bcc: []Address{a("x@example.com")}},
			Envelope{From: "me@example.com", To: []string{"x@example.com", "y@example.com"}}},
		{"duplicates are found whatever their case",
			Message{From: a("me@example.com"), To: []Address{a("Ann@Example.com")}, Cc: []Address{a("ann@example.COM")}},
			Envelope{From: "me@example.com", To: []string{"Ann@Example.com"}}},
		{"an international domain goes to the wire as punycode",
			Message{From: a("me@bücher.de"), To: []Address{a("j@münchen.example")}},
			Envelope{From: "me@xn--bcher-kva.de", To: []string{"j@xn--mnchen-3ya.example"}}},
		{"the same domain in Unicode and punycode is one recipient",
			Message{From: a("me@example.com"), To: []Address{a("j@bücher.de")}, Cc: []Address{a("j@xn--bcher-kva.de")}},
			Envelope{From: "me@example.com", To: []string{"j@xn--bcher-kva.de"}}},
		{"a non-ASCII local part needs SMTPUTF8 and 8BITMIME",
			Message{From: a("me@example.com"), To: []Address{a("用户@例子.中国")}},
			Envelope{From: "me@example.com", To: []string{"用户@例子.中国"}, SMTPUTF8: true, EightBitMIME: true}},
		{"a non-ASCII sender needs SMTPUTF8",
			Message{From: a("jörg@example.com"), To: []Address{a("x@example.com")}},
			Envelope{From: "jörg@example.com", To: []string{"x@example.com"}, SMTPUTF8: true, EightBitMIME: true}},
		{"a local part with a space is quoted on the wire",
			Message{From: a("me@example.com"), To: []Address{a("john doe@example.com")}},
			Envelope{From: "me@example.com", To: []string{`"john doe"@example.com`}}},
		{"only bcc recipients still make an envelope",
			Message{From: a("me@example.com"), Bcc: []Address{a("b1@example.com"), a("b2@example.com")}},
			Envelope{From: "me@example.com", To: []string{"b1@example.com", "b2@example.com"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.msg.Envelope()
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Envelope() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestEnvelopeRefusesInvalidAddresses(t *testing.T) {
	m := Message{From: Address{"", "me@example.com"}, Bcc: []Address{{"", "bob@"}}}
	_, err := m.Envelope()
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "Bcc" || fe.Entry != "bob@" {
		t.Errorf("Envelope() error = %v, want a Bcc field error", err)
	}
}
