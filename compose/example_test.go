package compose_test

import (
	"fmt"
	"strings"
	"time"

	"stamp/compose"
)

// A message typed into the composer becomes an envelope for the SMTP
// session and a stream for its DATA; Bcc is in the first, never the second.
func Example() {
	to, err := compose.ParseAddressList("To", `"Lee, Ann" <ann@example.com>; bob@bücher.de,`)
	if err != nil {
		fmt.Println(err)
		return
	}
	m := &compose.Message{
		From:      compose.Address{Name: "Zoë", Addr: "zoe@example.com"},
		To:        to,
		Bcc:       []compose.Address{{Addr: "boss@example.com"}},
		Subject:   "Café tomorrow?",
		Text:      "Shall we meet at 10?\n",
		Date:      time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC),
		MessageID: "example-1@example.com",
	}
	env, err := m.Envelope()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("MAIL FROM:", env.From)
	fmt.Println("RCPT TO:", env.To)

	w, err := m.NewWriter(compose.WriteOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("size:", w.Size())
	var buf strings.Builder
	w.WriteTo(&buf)
	// The message has CRLF line endings; shown here with LF.
	fmt.Print(strings.ReplaceAll(buf.String(), "\r\n", "\n"))
	// Output:
	// MAIL FROM: zoe@example.com
	// RCPT TO: [ann@example.com bob@xn--bcher-kva.de boss@example.com]
	// size: 336
	// Date: Mon, 23 Nov 2026 09:30:00 +0000
	// From: =?UTF-8?Q?Zo=C3=AB?= <zoe@example.com>
	// To: "Lee, Ann" <ann@example.com>, bob@xn--bcher-kva.de
	// Subject: =?UTF-8?B?Q2Fmw6k=?= tomorrow?
	// Message-ID: <example-1@example.com>
	// MIME-Version: 1.0
	// Content-Type: text/plain; charset=utf-8
	// Content-Transfer-Encoding: 7bit
	//
	// Shall we meet at 10?
}

// Every problem names its field and the entry, for the UI to point at.
func ExampleParseAddressList() {
	_, err := compose.ParseAddressList("Cc", "ann@example.com, bob@")
	fmt.Println(err)
	// Output:
	// Cc: "bob@" is not a valid address
}
