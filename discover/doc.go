// Package discover turns an email address into ranked, explained SMTP
// settings, the way Thunderbird's account setup does, and says where each
// answer came from.
//
// Discoverer.Discover looks at the built-in presets first (instant,
// offline). For any other domain it asks, in parallel and each within its
// own time limit:
//
//   - the domain's own autoconfig file over HTTPS
//     (https://autoconfig.DOMAIN/mail/config-v1.1.xml?emailaddress=ADDR,
//     then https://DOMAIN/.well-known/autoconfig/mail/config-v1.1.xml);
//   - the Thunderbird ISP database (Options.ISPDB + DOMAIN; never given
//     the address);
//   - the MX records: the lowest-preference mail host's domain, looked up
//     in the presets and the ISP database (aspmx.l.google.com → Google,
//     *.mail.protection.outlook.com → Microsoft 365);
//   - the RFC 6186 / RFC 8314 SRV records _submissions._tcp (implicit TLS)
//     and _submission._tcp (STARTTLS);
//   - plain-HTTP autoconfig, only with Options.AllowHTTP, marked
//     unverified.
//
// The first good answer by that priority wins and the slower, lower ones
// are cancelled. Only when nothing is found does it guess: it connects to
// smtp.DOMAIN and mail.DOMAIN on 465 and 587 (EHLO only, never AUTH, never
// a password) and reports the first that answers as a guess.
//
// Every Candidate says in words where it came from (From), and carries
// what a person must see before it is used: Unverified (plain HTTP),
// Server.OtherDomain (a server outside the address's domain) and
// Server.Plain (no TLS). Result.Chosen never picks a plain server. Each
// lookup's outcome is in Result.Attempts, including a clear "not usable"
// for a hostile or broken answer (garbage XML, an oversized response, a
// redirect loop, a port of 0 or 99999).
//
// Results are cached per domain for the Discoverer's life. The package
// does not import Fyne; everything it reaches over the network can be
// pointed at loopback servers through Options.
package discover
