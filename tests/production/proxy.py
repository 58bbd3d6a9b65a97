"""A tiny reverse proxy standing in for nginx in the production smoke test (docs/deploy.md, section 5):
it passes each request on to gunicorn with the client's address in X-Forwarded-For (overwriting any
the client sent, as the documented nginx does) and X-Forwarded-Proto: https, as nginx does after
ending HTTPS.

    python tests/production/proxy.py LISTEN_PORT UPSTREAM_PORT
"""

import http.client
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}


class Proxy(BaseHTTPRequestHandler):
    upstream_port = None

    def forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {name: value for name, value in self.headers.items()
                   if name.lower() not in HOP_BY_HOP | {"x-forwarded-for", "x-forwarded-proto"}}
        headers["X-Forwarded-For"] = self.client_address[0]
        headers["X-Forwarded-Proto"] = "https"
        upstream = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=120)
        try:
            upstream.request(self.command, self.path, body=body, headers=headers)
            response = upstream.getresponse()
            content = response.read()
        except OSError as error:
            self.send_error(502, f"upstream: {error}")
            return
        finally:
            upstream.close()
        self.send_response(response.status, response.reason)
        for name, value in response.getheaders():
            if name.lower() not in HOP_BY_HOP | {"content-length", "server", "date"}:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(content)

    do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = forward

    def log_message(self, format, *args):
        pass


if __name__ == "__main__":
    listen, Proxy.upstream_port = int(sys.argv[1]), int(sys.argv[2])
    ThreadingHTTPServer(("127.0.0.1", listen), Proxy).serve_forever()
