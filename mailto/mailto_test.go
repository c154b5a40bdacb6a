package mailto

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

type want struct {
	to, cc, bcc   []string
	subject, body string
	ignored       []string // field names
	notes         int
}

func check(t *testing.T, raw string, w want) {
	t.Helper()
	l, err := Parse(raw)
	if err != nil {
		t.Fatalf("Parse(%q): %v", raw, err)
	}
	var ign []string
	for _, i := range l.Ignored {
		ign = append(ign, i.Field)
		if i.Reason == "" {
			t.Errorf("ignored field %q has no reason", i.Field)
		}
	}
	got := want{l.To, l.Cc, l.Bcc, l.Subject, l.Body, ign, len(l.Notes)}
	if !reflect.DeepEqual(got, w) {
		t.Errorf("Parse(%q)\n got %+v\nwant %+v", raw, got, w)
	}
}

// Every example of RFC 6068 §6, in the order the RFC gives them.
func TestRFC6068Examples(t *testing.T) {
	for _, tc := range []struct {
		name, raw string
		want      want
	}{
		{"6.1 an ordinary address", "mailto:chris@example.com", want{to: []string{"chris@example.com"}}},
		{"6.1 a subject", "mailto:infobot@example.com?subject=current-issue",
			want{to: []string{"infobot@example.com"}, subject: "current-issue"}},
		{"6.1 a body", "mailto:infobot@example.com?body=send%20current-issue",
			want{to: []string{"infobot@example.com"}, body: "send current-issue"}},
		{"6.1 a body of two lines: %0D%0A becomes a line break", "mailto:infobot@example.com?body=send%20current-issue%0D%0Asend%20index",
			want{to: []string{"infobot@example.com"}, body: "send current-issue\nsend index"}},
		{"6.1 In-Reply-To is ignored and said so", "mailto:list@example.org?In-Reply-To=%3C3469A91.D10AF4C@example.com%3E",
			want{to: []string{"list@example.org"}, ignored: []string{"In-Reply-To"}}},
		{"6.1 subscribe in the body", "mailto:majordomo@example.com?body=subscribe%20bamboo-l",
			want{to: []string{"majordomo@example.com"}, body: "subscribe bamboo-l"}},
		{"6.1 a cc and a body", "mailto:joe@example.com?cc=bob@example.com&body=hello",
			want{to: []string{"joe@example.com"}, cc: []string{"bob@example.com"}, body: "hello"}},
		// The RFC's wrong example: the second "?" is part of cc's value, so
		// there is no body, and the cc is not an address compose accepts.
		{"6.1 the WRONG example keeps ?body in the cc", "mailto:joe@example.com?cc=bob@example.com?body=hello",
			want{to: []string{"joe@example.com"}, cc: []string{"bob@example.com?body=hello"}}},
		{"6.1 a percent sign in the address", "mailto:gorby%25kremvax@example.com", want{to: []string{"gorby%kremvax@example.com"}}},
		{"6.1 a question mark in the address and an unknown field", "mailto:unlikely%3Faddress@example.com?blat=foop",
			want{to: []string{"unlikely?address@example.com"}, ignored: []string{"blat"}}},
		{"6.1 the HTML example once &amp; is decoded", "mailto:joe@an.example?cc=bob@an.example&body=hello",
			want{to: []string{"joe@an.example"}, cc: []string{"bob@an.example"}, body: "hello"}},
		{"6.1 an ampersand in the address", "mailto:Mike%26family@example.org", want{to: []string{"Mike&family@example.org"}}},
		{"6.2 a quoted local part with @", "mailto:%22not%40me%22@example.org", want{to: []string{`"not@me"@example.org`}}},
		{"6.2 a quoted local part with backslashes", "mailto:%22oh%5C%5Cno%22@example.org", want{to: []string{`"oh\\no"@example.org`}}},
		{"6.2 the ugly one", "mailto:%22%5C%5C%5C%22it's%5C%20ugly%5C%5C%5C%22%22@example.org",
			want{to: []string{`"\\\"it's\ ugly\\\""@example.org`}}},
		{"6.3 a UTF-8 subject", "mailto:user@example.org?subject=caf%C3%A9", want{to: []string{"user@example.org"}, subject: "café"}},
		{"6.3 a UTF-8 encoded word", "mailto:user@example.org?subject=%3D%3Futf-8%3FQ%3Fcaf%3DC3%3DA9%3F%3D",
			want{to: []string{"user@example.org"}, subject: "café"}},
		{"6.3 an ISO-8859-1 encoded word", "mailto:user@example.org?subject=%3D%3Fiso-8859-1%3FQ%3Fcaf%3DE9%3F%3D",
			want{to: []string{"user@example.org"}, subject: "café"}},
		{"6.3 subject and body in UTF-8", "mailto:user@example.org?subject=caf%C3%A9&body=caf%C3%A9",
			want{to: []string{"user@example.org"}, subject: "café", body: "café"}},
		{"6.3 an international domain", "mailto:user@%E7%B4%8D%E8%B1%86.example.org?subject=Test&body=NATTO",
			want{to: []string{"user@納豆.example.org"}, subject: "Test", body: "NATTO"}},
	} {
		t.Run(tc.name, func(t *testing.T) { check(t, tc.raw, tc.want) })
	}
}

func TestLinks(t *testing.T) {
	for _, tc := range []struct {
		name, raw string
		want      want
	}{
		{"the issue's example: two addresses in the path, a cc and a subject",
			"mailto:ann@example.com,bob@example.com?cc=carol@example.com&subject=Hello%20there&body=Hi%2C%0D%0Aall",
			want{to: []string{"ann@example.com", "bob@example.com"}, cc: []string{"carol@example.com"}, subject: "Hello there", body: "Hi,\nall"}},
		{"several to fields are joined after the path's", "mailto:a@x.example?to=b@x.example&TO=c@x.example,d@x.example",
			want{to: []string{"a@x.example", "b@x.example", "c@x.example", "d@x.example"}}},
		{"only to fields", "mailto:?to=addr1@an.example,addr2@an.example", want{to: []string{"addr1@an.example", "addr2@an.example"}}},
		{"plus is not a space", "mailto:bill+ietf@example.org?subject=1+1%3D2&body=a+b",
			want{to: []string{"bill+ietf@example.org"}, subject: "1+1=2", body: "a+b"}},
		{"the scheme and field names in any case", "MAILTO:a@x.example?SUBJECT=Hi&Bcc=b@x.example",
			want{to: []string{"a@x.example"}, bcc: []string{"b@x.example"}, subject: "Hi"}},
		{"a display name in a link", "mailto:Ann%20Lee%20%3Cann@example.com%3E", want{to: []string{"Ann Lee <ann@example.com>"}}},
		{"an empty link", "mailto:", want{}},
		{"empty fields and stray ampersands", "mailto:a@x.example?&&subject=&", want{to: []string{"a@x.example"}}},
		{"a lone CR in the body is a line break", "mailto:?body=a%0Db%0Ac", want{body: "a\nb\nc"}},
		{"the first subject wins", "mailto:?subject=one&subject=two", want{subject: "one", ignored: []string{"subject"}}},
		{"a field without =", "mailto:?subject", want{ignored: []string{"subject"}}},
		{"a fragment is dropped", "mailto:a@x.example#top", want{to: []string{"a@x.example"}, ignored: []string{"#"}}},
		{"an emoji subject", "mailto:?subject=%F0%9F%93%AE", want{subject: "📮"}},
		{"an unknown charset in an encoded word stays as written", "mailto:?subject=%3D%3Fx-nope%3FQ%3Fa%3F%3D", want{subject: "=?x-nope?Q?a?="}},
	} {
		t.Run(tc.name, func(t *testing.T) { check(t, tc.raw, tc.want) })
	}
}

// Links a hostile page could put behind an innocent text.
func TestHostileLinks(t *testing.T) {
	for _, tc := range []struct {
		name, raw string
		want      want
	}{
		{"attach= of a private key is ignored", "mailto:a@x.example?attach=/home/ann/.ssh/id_rsa&attachment=file:///etc/passwd&Attach=~/.gnupg",
			want{to: []string{"a@x.example"}, ignored: []string{"attach", "attachment", "Attach"}}},
		{"from, reply-to and X- headers are ignored", "mailto:a@x.example?from=ceo@bank.example&reply-to=evil@x.example&X-Mailer=evil&sender=s@x.example",
			want{to: []string{"a@x.example"}, ignored: []string{"from", "reply-to", "X-Mailer", "sender"}}},
		{"header injection in the subject becomes one line", "mailto:a@x.example?subject=Hi%0D%0ABcc:%20all@evil.example%0D%0A",
			want{to: []string{"a@x.example"}, subject: "Hi Bcc: all@evil.example", notes: 1}},
		{"header injection in an address becomes one line", "mailto:a@x.example%0D%0ABcc:evil@x.example",
			want{to: []string{"a@x.example Bcc:evil@x.example"}, notes: 1}},
		{"header injection in a cc", "mailto:?cc=b@x.example%0ASubject:%20spam",
			want{cc: []string{"b@x.example Subject: spam"}, notes: 1}},
		{"an encoded word cannot smuggle a line break into the subject", "mailto:?subject=%3D%3Futf-8%3FQ%3Fa%3D0D%3D0Ab%3F%3D",
			want{subject: "a b", notes: 1}},
		{"a very long field name is cut in the list", "mailto:?" + strings.Repeat("x", 200) + "=1",
			want{ignored: []string{strings.Repeat("x", 64) + "…"}}},
	} {
		t.Run(tc.name, func(t *testing.T) { check(t, tc.raw, tc.want) })
	}
}

func TestBadLinks(t *testing.T) {
	for _, tc := range []struct {
		name, raw, field, says string
	}{
		{"not a mailto link", "https://example.com/?to=a", "link", "does not start with mailto:"},
		{"a file name", "/home/ann/mailto:x", "link", "does not start with mailto:"},
		{"a broken escape", "mailto:?subject=50%", "subject", "broken %-escape"},
		{"a non-hex escape", "mailto:a%zz@x.example", "to", "broken %-escape"},
		{"invalid UTF-8 in the subject", "mailto:?subject=caf%E9", "subject", "not UTF-8"},
		{"invalid UTF-8 in the body", "mailto:?body=%C3%28", "body", "not UTF-8"},
		{"invalid UTF-8 in an address", "mailto:%FF@x.example", "to", "not UTF-8"},
		{"invalid UTF-8 in a field name", "mailto:?%FF=1", "field name", "not UTF-8"},
		{"a NUL byte in the body", "mailto:?body=a%00b", "body", "NUL"},
		{"raw invalid UTF-8", "mailto:?subject=\xff", "subject", "not UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.raw)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q) = %v, want an *Error", tc.raw, err)
			}
			if e.Field != tc.field || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("Parse(%q) = %q (field %q), want field %q saying %q", tc.raw, err, e.Field, tc.field, tc.says)
			}
		})
	}
}

func TestHugeLinkIsRefused(t *testing.T) {
	raw := "mailto:a@x.example?body=" + strings.Repeat("A", 1<<20) // 1 MB
	l, err := Parse(raw)
	if !errors.Is(err, ErrTooLong) || l != nil {
		t.Fatalf("Parse(1 MB link) = %v, %v; want ErrTooLong", l, err)
	}
	if !strings.Contains(err.Error(), "64 KiB") {
		t.Errorf("the error %q does not say the limit", err)
	}
	// Just under the limit still works.
	raw = "mailto:?body=" + strings.Repeat("A", MaxLength-len("mailto:?body="))
	if l, err := Parse(raw); err != nil || len(l.Body) != MaxLength-13 {
		t.Fatalf("a link of exactly MaxLength: %v", err)
	}
}

func TestMessage(t *testing.T) {
	l, err := Parse("mailto:Ann%20%3Cann@example.com%3E,bob@example.com?cc=carol@example.com&bcc=dan@example.com&subject=caf%C3%A9&body=a%0D%0Ab")
	if err != nil {
		t.Fatal(err)
	}
	m, err := l.Message()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.To) != 2 || m.To[0].Name != "Ann" || m.To[0].Addr != "ann@example.com" || m.To[1].Addr != "bob@example.com" ||
		len(m.Cc) != 1 || m.Cc[0].Addr != "carol@example.com" || len(m.Bcc) != 1 || m.Bcc[0].Addr != "dan@example.com" ||
		m.Subject != "café" || m.Text != "a\nb" || len(m.Attachments) != 0 || len(m.Headers) != 0 {
		t.Fatalf("Message() = %+v", m)
	}
	// The RFC's wrong example gives a cc compose refuses, by name.
	l, _ = Parse("mailto:joe@example.com?cc=bob@example.com?body=hello")
	if _, err := l.Message(); err == nil || !strings.Contains(err.Error(), "Cc") {
		t.Fatalf("Message() of a bad cc = %v, want an error naming Cc", err)
	}
	// Header injection in an address never becomes a header.
	l, _ = Parse("mailto:a@x.example%0D%0ABcc:evil@x.example")
	if _, err := l.Message(); err == nil || !strings.Contains(err.Error(), "To") {
		t.Fatalf("Message() of an injected address = %v, want an error naming To", err)
	}
}

func TestBuildRoundTrip(t *testing.T) {
	in := Link{
		To:      []string{"Ann, Lee <ann@example.com>", "bill+ietf@example.org"},
		Cc:      []string{`"not@me"@example.org`},
		Bcc:     []string{"dan@納豆.example.org"},
		Subject: "1+1=2 & more? #café 📮",
		Body:    "line one\nline two\r\n%20 stays\n",
	}
	raw := Build(in)
	if strings.ContainsAny(raw, " \r\n#+,") && strings.Count(raw, ",") != 1 {
		t.Errorf("Build left characters unescaped: %q", raw)
	}
	out, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	in.Body = "line one\nline two\n%20 stays\n"
	if !reflect.DeepEqual(out.To, in.To) || !reflect.DeepEqual(out.Cc, in.Cc) || !reflect.DeepEqual(out.Bcc, in.Bcc) ||
		out.Subject != in.Subject || out.Body != in.Body || out.Ignored != nil || out.Notes != nil {
		t.Fatalf("Parse(Build(l)) = %+v\nwant %+v", out, in)
	}
}

// A link of many fields says each ignored name once (whatever its case),
// the first MaxIgnoredShown of them, and counts the rest; each note once.
func TestIgnoredShownNamesEachFieldOnceAndCountsTheRest(t *testing.T) {
	l, err := Parse("mailto:a@example.com?x-1&x-2&attach=x&x-3&ATTACH=y&x-4&X-4&from=b&to=b@example.com%0A&to=c@example.com%0A")
	if err != nil {
		t.Fatal(err)
	}
	shown, more := l.IgnoredShown(MaxIgnoredShown)
	var names []string
	for _, ig := range shown {
		names = append(names, ig.Field)
	}
	if got := strings.Join(names, ","); got != "attach,from,x-1,x-2,x-3" || more != 1 {
		t.Fatalf("shown %q, %d more; want attach,from,x-1,x-2,x-3 and 1 more", got, more)
	}
	if len(l.Notes) != 1 {
		t.Fatalf("notes %q: want the line break said once", l.Notes)
	}
}

// A subject that looks like RFC 2047 encoded words comes back from
// Parse(Build(l)) as the same text, long and non-ASCII ones too.
func TestBuildKeepsASubjectThatLooksEncoded(t *testing.T) {
	for _, subject := range []string{
		"Why =?utf-8?q?Hello?= is not decoded",
		"=?",
		strings.Repeat("日本語 =?iso-8859-1?Q?caf=E9?= ", 20),
		"a =?utf-8?b?YQ0KYg==?= b",
	} {
		out, err := Parse(Build(Link{Subject: subject}))
		if err != nil {
			t.Fatal(err)
		}
		if out.Subject != subject || out.Notes != nil {
			t.Errorf("subject %q came back as %q (%v, notes %q)", subject, out.Subject, err, out.Notes)
		}
	}
}

// A link a page gives is held to MaxLength; one Build wrote, to
// MaxBuiltLength (the hand-over's bound).
func TestParseBuiltTakesTheHandOversBound(t *testing.T) {
	raw := Build(Link{To: []string{"ann@example.com"}, Body: strings.Repeat("你好", 8000)})
	if _, err := Parse(raw); !errors.Is(err, ErrTooLong) {
		t.Fatalf("Parse of a %d-byte link: %v", len(raw), err)
	}
	if l, err := ParseBuilt(raw); err != nil || l.Body != strings.Repeat("你好", 8000) {
		t.Fatalf("ParseBuilt of a %d-byte link: %v", len(raw), err)
	}
	if _, err := ParseBuilt("mailto:?body=" + strings.Repeat("A", MaxBuiltLength)); !errors.Is(err, ErrTooLong) {
		t.Fatalf("ParseBuilt over MaxBuiltLength: %v", err)
	}
}
