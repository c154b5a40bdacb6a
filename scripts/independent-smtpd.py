#!/usr/bin/python3
"""An independent SMTP server for Stamp's tests, from Debian's packages.

Built on python3-aiosmtpd (not on go-smtp, which our sandbox uses), so the
client is checked against someone else's reading of the RFCs. It listens on
127.0.0.1 only, requires STARTTLS (certificate and key given as files),
offers AUTH PLAIN and LOGIN only after TLS, and saves each message to the
spool folder as N.eml (the bytes received) plus N.json (the envelope).

The password comes from the environment variable named by --password-env,
never from the command line (it would show in ps).

    independent-smtpd.py --cert C --key K --spool DIR --user U \
        --password-env VAR --ready-file F

When it is ready it writes its port to the ready file.
"""

import argparse
import asyncio
import json
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Spool:
    """Saves every message and its envelope."""

    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.folder, "%06d" % self.count)
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogateescape")
        with open(base + ".eml.tmp", "wb") as f:
            f.write(content)
        with open(base + ".json.tmp", "w") as f:
            json.dump({
                "mail_from": envelope.mail_from,
                "rcpt_tos": envelope.rcpt_tos,
                "mail_options": envelope.mail_options,
                "tls": session.ssl is not None,
                "authenticated": bool(session.authenticated),
                "size": len(content),
            }, f)
        # The JSON appears last: a reader that sees it sees the whole message.
        os.rename(base + ".eml.tmp", base + ".eml")
        os.rename(base + ".json.tmp", base + ".json")
        return "250 2.0.0 Ok: queued as IND%06d" % self.count


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--spool", required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--password-env", required=True)
    p.add_argument("--ready-file", required=True)
    args = p.parse_args()
    if args.host not in ("127.0.0.1", "::1", "localhost"):
        sys.exit("independent-smtpd: loopback addresses only")
    password = os.environ.get(args.password_env, "").encode()
    if not password:
        sys.exit("independent-smtpd: $%s is empty" % args.password_env)
    os.makedirs(args.spool, exist_ok=True)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == args.user.encode()
              and auth_data.password == password)
        return AuthResult(success=ok, handled=False)

    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.minimum_version = ssl.TLSVersion.TLSv1_2
    tls.load_cert_chain(args.cert, args.key)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    handler = Spool(args.spool)

    def factory():
        return SMTP(handler,
                    hostname="independent.stamp.test",
                    tls_context=tls,
                    require_starttls=True,
                    auth_require_tls=True,
                    authenticator=authenticator,
                    auth_exclude_mechanism=["CRAM-MD5", "XOAUTH2"],
                    data_size_limit=0,
                    decode_data=False,
                    enable_SMTPUTF8=True,
                    loop=loop)

    server = loop.run_until_complete(loop.create_server(factory, host=args.host, port=args.port))
    port = server.sockets[0].getsockname()[1]
    with open(args.ready_file + ".tmp", "w") as f:
        f.write("%d\n" % port)
    os.rename(args.ready_file + ".tmp", args.ready_file)
    print("independent-smtpd: listening on %s:%d" % (args.host, port), flush=True)

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, loop.stop)
    try:
        loop.run_forever()
    finally:
        server.close()
        loop.run_until_complete(server.wait_closed())
        loop.close()


if __name__ == "__main__":
    main()
