#!/usr/bin/env python3
"""The third-party side of a Magento 2.4.7 integration, with Python's standard
library only: what a connector written in Python does against Magento, or
against the magekit emulator in its test harness.

1. It serves the integration's endpoint ("Callback URL"), where Magento posts
   oauth_consumer_key, oauth_consumer_secret, store_base_url and
   oauth_verifier when the admin activates the integration.
2. It exchanges the verifier for a request token and an access token at
   <store_base_url>oauth/token/request and oauth/token/access.
3. It makes a signed GET.

Usage:
    python3 thirdparty.py [--listen 127.0.0.1:9000] [--call rest/V1/store/storeConfigs] [--bad-sort]

The first line on standard output is "endpoint listening on http://HOST:PORT/".
Create an integration whose endpoint is that URL and activate it; the program
prints one line per step and exits 0 once the signed GET answered 200. It
never prints a secret. With identity link URL http://HOST:PORT/identity the
admin's browser gets a sign-in page that returns it to Magento's
success_call_back.

Signing rules Magento 2.4.7 enforces (RFC 5849 with Magento's choices):
- HMAC-SHA256 only; HMAC-SHA1 is refused with "Signature method HMAC-SHA1 is
  not supported".
- The OAuth parameters go in the Authorization header; query parameters of the
  URL are signed too (only pieces with exactly one "=", "+" kept as "+", a
  later duplicate replacing an earlier one), form bodies only with
  Content-Type application/x-www-form-urlencoded, JSON bodies never.
- Parameters are sorted by encoded name in PHP's natural order: names that
  differ in a run of digits ("a[2]" and "a[10]") sort by number, not byte by
  byte as sorted() does. This program sorts them naturally; with --bad-sort
  it uses sorted(), and the emulator's journal then names the mistake (rule
  byte_order_sort) for a call with such names.
- The answer to the request-token step carries no oauth_callback_confirmed.
"""

import argparse
import base64
import functools
import hashlib
import hmac
import html
import http.server
import queue
import secrets
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request


def encode(s):
    """RFC 3986 percent-encoding, as OAuth 1.0a requires."""
    return urllib.parse.quote(s, safe="-._~")


def base_uri(url):
    """The base string URI: scheme and host lower-cased, default port dropped,
    no query."""
    u = urllib.parse.urlsplit(url)
    scheme, host = u.scheme.lower(), (u.hostname or "").lower()
    port = u.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host += ":%d" % port
    return "%s://%s%s" % (scheme, host, u.path or "/")


def query_params(url):
    """The query parameters Magento 2.4.7 signs: pieces with exactly one "=",
    percent-decoded with "+" kept as "+", a later duplicate replacing an
    earlier one."""
    params = {}
    for piece in urllib.parse.urlsplit(url).query.split("&"):
        if piece.count("=") != 1:
            continue
        name, value = piece.split("=")
        params[urllib.parse.unquote(name)] = urllib.parse.unquote(value)
    return list(params.items())


DIGITS = "0123456789"


def natcmp(a, b):
    """PHP's strnatcmp for encoded names, which hold no spaces: byte order,
    except that two runs of digits compare by value, or digit by digit when
    either starts with "0"."""
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i] in DIGITS and b[j] in DIGITS:
            ei, ej = i, j
            while ei < len(a) and a[ei] in DIGITS:
                ei += 1
            while ej < len(b) and b[ej] in DIGITS:
                ej += 1
            ra, rb = a[i:ei], b[j:ej]
            if ra[0] != "0" and rb[0] != "0" and len(ra) != len(rb):
                return len(ra) - len(rb)
            if ra != rb:
                return -1 if ra < rb else 1
            i, j = ei, ej
            continue
        if a[i] != b[j]:
            return -1 if a[i] < b[j] else 1
        i, j = i + 1, j + 1
    return (len(a) - i) - (len(b) - j)


def authorization(method, url, consumer_key, consumer_secret, token="", token_secret="", extra=None, byte_order=False):
    """The Authorization header of a request signed with HMAC-SHA256; with
    byte_order, the parameters sorted as sorted() sorts them, not as Magento."""
    oauth = {
        "oauth_consumer_key": consumer_key,
        "oauth_nonce": secrets.token_hex(16),
        "oauth_signature_method": "HMAC-SHA256",
        "oauth_timestamp": str(int(time.time())),
        "oauth_version": "1.0",
    }
    if token:
        oauth["oauth_token"] = token
    oauth.update(extra or {})
    signed = list(oauth.items()) + query_params(url)
    pairs = [(encode(k), encode(v)) for k, v in signed]
    if byte_order:
        pairs.sort()
    else:
        pairs.sort(key=functools.cmp_to_key(lambda x, y: natcmp(x[0], y[0])))
    params = "&".join("%s=%s" % kv for kv in pairs)
    base = "&".join([method.upper(), encode(base_uri(url)), encode(params)])
    key = ("%s&%s" % (encode(consumer_secret), encode(token_secret))).encode()
    oauth["oauth_signature"] = base64.b64encode(hmac.new(key, base.encode(), hashlib.sha256).digest()).decode()
    return "OAuth " + ", ".join('%s="%s"' % (encode(k), encode(v)) for k, v in oauth.items())


def send(method, url, auth):
    """Sends a request; returns (status, body). HTTP errors are answers too."""
    req = urllib.request.Request(url, method=method, headers={"Authorization": auth})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def token_pair(body):
    """oauth_token and oauth_token_secret of a token answer."""
    form = urllib.parse.parse_qs(body)
    return form["oauth_token"][0], form["oauth_token_secret"][0]


IDENTITY_PATH = "/identity"

IDENTITY_FORM = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in to the third party</title></head>
<body><h1>Sign in to the third party</h1>
<form id="tp-signin-form" method="post" action="%(action)s">
<input type="hidden" name="oauth_consumer_key" value="%(key)s">
<input type="hidden" name="success_call_back" value="%(callback)s">
<label>Email <input id="tp-email" name="email" type="email" required></label>
<label>Password <input id="tp-password" name="password" type="password" required></label>
<button id="tp-signin" type="submit">Sign in and link</button>
</form></body></html>
"""


def identity_page(handler):
    """The identity link ("Identity link URL" http://HOST:PORT/identity):
    GET shows a sign-in form; POST, with an email, redirects the browser to
    the success_call_back Magento's admin appended to the URL."""
    url = urllib.parse.urlsplit(handler.path)
    if url.path != IDENTITY_PATH:
        handler.send_error(404)
        return
    form = urllib.parse.parse_qs(url.query)
    if handler.command == "POST":
        length = int(handler.headers.get("Content-Length") or 0)
        form = urllib.parse.parse_qs(handler.rfile.read(length).decode())
    key = form.get("oauth_consumer_key", [""])[0]
    callback = form.get("success_call_back", [""])[0]
    parts = urllib.parse.urlsplit(callback)
    if not key or parts.scheme not in ("http", "https") or not parts.netloc:
        handler.send_error(400, "oauth_consumer_key and an absolute success_call_back URL are required")
        return
    if handler.command == "POST":
        if not form.get("email", [""])[0]:
            handler.send_error(400, "email is required")
            return
        handler.send_response(303)
        handler.send_header("Location", callback)
        handler.end_headers()
        return
    body = IDENTITY_FORM % {"action": IDENTITY_PATH, "key": html.escape(key), "callback": html.escape(callback)}
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.end_headers()
    handler.wfile.write(body.encode())


def serve(listen, posts):
    """Serves the endpoint on listen ("host:port") in a thread; returns its URL."""

    class Endpoint(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            identity_page(self)

        def do_POST(self):
            if urllib.parse.urlsplit(self.path).path == IDENTITY_PATH:
                identity_page(self)
                return
            length = int(self.headers.get("Content-Length") or 0)
            form = urllib.parse.parse_qs(self.rfile.read(length).decode())
            fields = ("oauth_consumer_key", "oauth_consumer_secret", "store_base_url", "oauth_verifier")
            if not all(f in form for f in fields):
                self.send_response(400)
                self.end_headers()
                return
            posts.put({f: form[f][0] for f in fields})
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):  # the default logs every request to stderr
            pass

    host, port = listen.rsplit(":", 1)
    server = http.server.ThreadingHTTPServer((host, int(port)), Endpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return "http://%s:%d/" % (host, server.server_address[1])


def main():
    flags = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    flags.add_argument("--listen", default="127.0.0.1:9000", help="address of the endpoint (port 0 picks one)")
    flags.add_argument("--call", default="rest/V1/store/storeConfigs", help="path of the signed GET, relative to the store base URL")
    flags.add_argument("--wait", type=float, default=600, help="seconds to wait for the credential POST")
    flags.add_argument("--bad-sort", action="store_true", help="sort the signed parameters byte by byte (RFC 5849), not in Magento's natural order")
    args = flags.parse_args()
    sign = functools.partial(authorization, byte_order=args.bad_sort)

    posts = queue.Queue()
    print("endpoint listening on " + serve(args.listen, posts), flush=True)
    try:
        post = posts.get(timeout=args.wait)
    except queue.Empty:
        sys.exit("no credential POST within %gs" % args.wait)
    key, secret, store = post["oauth_consumer_key"], post["oauth_consumer_secret"], post["store_base_url"]
    store = store.rstrip("/") + "/"
    print("credential post received: consumer key %s, store %s" % (key, store), flush=True)

    url = store + "oauth/token/request"
    status, body = send("POST", url, sign("POST", url, key, secret, extra={"oauth_callback": "oob"}))
    if status != 200:
        sys.exit("request token: %d %s" % (status, body))
    request_token, request_secret = token_pair(body)

    url = store + "oauth/token/access"
    status, body = send("POST", url, sign("POST", url, key, secret, request_token, request_secret,
                                          extra={"oauth_verifier": post["oauth_verifier"]}))
    if status != 200:
        sys.exit("access token: %d %s" % (status, body))
    access_token, access_secret = token_pair(body)
    print("handshake complete: access token issued", flush=True)

    url = store + args.call.lstrip("/")
    status, body = send("GET", url, sign("GET", url, key, secret, access_token, access_secret))
    print("GET %s: %d %s" % (args.call, status, body), flush=True)
    sys.exit(0 if status == 200 else 1)


if __name__ == "__main__":
    main()
