import assert, { equal, throws } from "node:assert/strict";
import {
  basicCredentials,
  buildHttpRequest,
  DEFAULT_USER_AGENT,
} from "../../../lib/http/request.ts";
import { parseHttpUrl } from "../../../lib/http/url.ts";
import { VERSION } from "../../../lib/internal/version.ts";

Deno.test("buildHttpRequest() writes the request line and default headers", () => {
  const head = buildHttpRequest(parseHttpUrl("http://[::1]:8080/a?b"));
  equal(
    head,
    `GET /a?b HTTP/1.1\r\nHost: [::1]:8080\r\nUser-Agent: netkit-wget/${VERSION}\r\n` +
      "Accept: */*\r\nConnection: close\r\n\r\n",
  );
  equal(DEFAULT_USER_AGENT, `netkit-wget/${VERSION}`);
});

Deno.test("buildHttpRequest() adds Basic auth, extra headers, and lets them replace defaults", () => {
  const head = buildHttpRequest(parseHttpUrl("https://me:s%C3%A9cret@h/"), {
    method: "HEAD",
    userAgent: "agent/1",
    headers: [["accept", "text/plain"], ["X-Extra", " yes "]],
  });
  assert(head.startsWith("HEAD / HTTP/1.1\r\nHost: h\r\nUser-Agent: agent/1\r\n"), head);
  assert(head.includes(`\r\nAuthorization: Basic ${basicCredentials("me", "sécret")}\r\n`), head);
  assert(head.includes("\r\naccept: text/plain\r\n") && !head.includes("*/*"), head);
  assert(head.includes("\r\nX-Extra: yes\r\n"), head);
});

Deno.test("buildHttpRequest() refuses header injection and bad tokens", () => {
  const url = parseHttpUrl("http://h/");
  const bad: Parameters<typeof buildHttpRequest>[1][] = [
    { method: "GET /x HTTP/1.1\r\nX:" },
    { method: "" },
    { headers: [["X", "a\r\nInjected: 1"]] },
    { headers: [["X", "a\nb"]] },
    { headers: [["X", "nul\0"]] },
    { headers: [["Bad Name", "v"]] },
    { headers: [["", "v"]] },
    { userAgent: "ua\r\nX: 1" },
  ];
  for (const options of bad) {
    throws(() => buildHttpRequest(url, options), TypeError, JSON.stringify(options));
  }
});

Deno.test("basicCredentials() encodes UTF-8 then base64", () => {
  equal(basicCredentials("Aladdin", "open sesame"), "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  equal(atob(basicCredentials("é", "")), "\xc3\xa9:");
});
