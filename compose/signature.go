package compose

import "strings"

// SignatureDelimiter is the line that introduces a signature: dash, dash,
// space (RFC 3676 §4.3). Mail readers recognise it to fold or strip the
// signature, and trim it when quoting a reply.
const SignatureDelimiter = "-- "

// A signature is plain text in both modes: in a Markdown body the lines
// under the delimiter are not Markdown (MarkdownHTML shows them line for
// line), so "-- " can never become a heading rule and an address or a
// phone number in it stays as typed.

// NormalizeSignature returns a signature as it is inserted: LF line
// breaks, no trailing blanks or empty lines, and without a delimiter line
// of its own at the top (someone who typed "-- " into the signature gets
// one, not two). An empty result means no signature.
func NormalizeSignature(sig string) string {
	sig = lfNewlines(sig)
	sig = strings.TrimRight(sig, " \t\n")
	for _, d := range []string{SignatureDelimiter + "\n", "--\n"} {
		if strings.HasPrefix(sig, d) {
			sig = sig[len(d):]
			break
		}
	}
	if sig == SignatureDelimiter || sig == "--" {
		return ""
	}
	return strings.TrimLeft(sig, "\n")
}

// SplitSignature splits a body at its last signature delimiter line: the
// text above it (without the line break before the delimiter), the
// signature under it, and whether there was one. Line breaks may be \n,
// \r\n or \r; the parts returned use \n.
func SplitSignature(body string) (text, sig string, ok bool) {
	body = lfNewlines(body)
	i := lastDelimiter(body)
	if i < 0 {
		return body, "", false
	}
	text = strings.TrimSuffix(body[:i], "\n")
	rest := body[i+len(SignatureDelimiter):]
	return text, strings.TrimPrefix(rest, "\n"), true
}

// lastDelimiter returns the index of the last line that is exactly the
// delimiter, or -1.
func lastDelimiter(body string) int {
	end := len(body)
	for {
		i := strings.LastIndex(body[:end], SignatureDelimiter)
		if i < 0 {
			return -1
		}
		after := i + len(SignatureDelimiter)
		if (i == 0 || body[i-1] == '\n') && (after == len(body) || body[after] == '\n') {
			return i
		}
		end = i
	}
}

// signatureBlock is the delimiter line and the signature.
func signatureBlock(sig string) string { return SignatureDelimiter + "\n" + sig }

// WithSignature returns body with sig under a delimiter at its end, after
// a blank line. It changes nothing when sig is empty or when the body
// already has a signature delimiter (the signature shown, one the person
// typed, or a draft restored with its signature): inserting twice never
// gives two signatures.
func WithSignature(body, sig string) string {
	sig = NormalizeSignature(sig)
	if sig == "" {
		return body
	}
	body = lfNewlines(body)
	if lastDelimiter(body) >= 0 {
		return body
	}
	switch {
	case body == "" || strings.HasSuffix(body, "\n\n"):
		if body == "" {
			body = "\n\n"
		}
	case strings.HasSuffix(body, "\n"):
		body += "\n"
	default:
		body += "\n\n"
	}
	return body + signatureBlock(sig)
}

// SwapSignature replaces the signature oldSig at the end of body with
// newSig, as when the From account changes. It swaps only when the body
// still ends with oldSig under its delimiter exactly as inserted (blank
// lines or spaces after it do not count); when the person edited it, or
// it is not there, the body comes back unchanged and swapped is false, so
// nothing typed is ever lost. With oldSig empty it adds newSig as
// WithSignature does; with newSig empty it removes the old one and the
// blank lines above it.
func SwapSignature(body, oldSig, newSig string) (result string, swapped bool) {
	oldSig, newSig = NormalizeSignature(oldSig), NormalizeSignature(newSig)
	body = lfNewlines(body)
	if oldSig == "" {
		out := WithSignature(body, newSig)
		return out, out != body
	}
	trimmed := strings.TrimRight(body, " \t\n")
	i := lastDelimiter(trimmed)
	if i < 0 || trimmed[i:] != signatureBlock(oldSig) {
		return body, false
	}
	if oldSig == newSig {
		return body, false
	}
	if newSig == "" {
		return strings.TrimRight(trimmed[:i], "\n"), true
	}
	return trimmed[:i] + signatureBlock(newSig), true
}

// lfNewlines turns \r\n and \r into \n.
func lfNewlines(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}
