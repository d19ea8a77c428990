/* Loaded into decap-server before it starts (node --require; sitetools/cms/server.py): a request whose
   Host header is not a loopback name gets 403. decap-server checks no Host, so without this a page on
   another site whose name resolves to 127.0.0.1 (DNS rebinding) is its own origin to the browser and
   could read, rewrite and delete every file in content/. The same rule as sitetools/serve.py. */
"use strict";
const http = require("http");
const LOCAL = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/i;
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, request, response) {
  if (event === "request" && !LOCAL.test(String(request.headers.host || "").trim())) {
    response.writeHead(403, { "Content-Type": "text/plain; charset=utf-8", Connection: "close" });
    response.end("403 Forbidden: decap-server answers only to 127.0.0.1 or localhost.\n");
    return true;
  }
  return emit.apply(this, arguments);
};
