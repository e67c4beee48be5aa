import assert from "node:assert/strict";
import { encodeTelnetData, TelnetNegotiator } from "../../../lib/telnet/negotiator.ts";
import { TELNET, TELNET_OPTION } from "../../../lib/telnet/protocol.ts";

const { DO, DONT, IAC, SB, SE, WILL, WONT } = TELNET;
const { ECHO, SGA, TTYPE, NAWS, LINEMODE, NEW_ENVIRON, TSPEED } = TELNET_OPTION;
const bytes = (text: string) => [...new TextEncoder().encode(text)];

function terminalNegotiator(size = { columns: 100, rows: 30 }) {
  return new TelnetNegotiator({
    remoteOptions: [ECHO, SGA],
    localOptions: [SGA, TTYPE, NAWS, NEW_ENVIRON],
    terminalType: "xterm-256color",
    windowSize: () => size,
    environment: { USER: "alice" },
  });
}

Deno.test("TelnetNegotiator accepts the policy's options and refuses the rest", () => {
  const negotiator = terminalNegotiator();
  const { reply, changed } = negotiator.receive(
    new Uint8Array([IAC, WILL, ECHO, IAC, WILL, SGA, IAC, DO, LINEMODE, IAC, DO, TSPEED]),
  );
  assert.deepEqual([...reply], [
    ...[IAC, DO, ECHO, IAC, DO, SGA],
    ...[IAC, WONT, LINEMODE, IAC, WONT, TSPEED],
  ]);
  assert.equal(changed, true);
  assert.equal(negotiator.isRemoteEnabled(ECHO), true);
  assert.equal(negotiator.isLocalEnabled(LINEMODE), false);
});

Deno.test("TelnetNegotiator answers an option once, not again when it is repeated", () => {
  const negotiator = terminalNegotiator();
  negotiator.receive(new Uint8Array([IAC, WILL, ECHO]));
  const again = negotiator.receive(new Uint8Array([IAC, WILL, ECHO, IAC, DONT, TTYPE]));
  assert.deepEqual([...again.reply], []);
  assert.equal(again.changed, false);
  // Turned off: acknowledged once.
  const off = negotiator.receive(new Uint8Array([IAC, WONT, ECHO, IAC, WONT, ECHO]));
  assert.deepEqual([...off.reply], [IAC, DONT, ECHO]);
  assert.equal(negotiator.isRemoteEnabled(ECHO), false);
});

Deno.test("TelnetNegotiator sends TTYPE IS with the terminal type (RFC 1091)", () => {
  const negotiator = terminalNegotiator();
  negotiator.receive(new Uint8Array([IAC, DO, TTYPE]));
  const { reply } = negotiator.receive(new Uint8Array([IAC, SB, TTYPE, 1, IAC, SE]));
  assert.deepEqual([...reply], [IAC, SB, TTYPE, 0, ...bytes("xterm-256color"), IAC, SE]);
});

Deno.test("TelnetNegotiator sends NAWS with the size after WILL, 255 doubled (RFC 1073)", () => {
  const size = { columns: 255, rows: 30 };
  const negotiator = terminalNegotiator(size);
  assert.deepEqual([...negotiator.windowSizeMessage()], [], "nothing before the server asks");
  const { reply } = negotiator.receive(new Uint8Array([IAC, DO, NAWS]));
  assert.deepEqual([...reply], [IAC, WILL, NAWS, IAC, SB, NAWS, 0, 255, 255, 0, 30, IAC, SE]);
  size.columns = 300;
  size.rows = 70000; // beyond 16 bits: clamped
  assert.deepEqual([...negotiator.windowSizeMessage()], [
    ...[IAC, SB, NAWS, 1, 44, 255, 255, 255, 255, IAC, SE],
  ]);
});

Deno.test("TelnetNegotiator answers NEW-ENVIRON SEND with the asked variables (RFC 1572)", () => {
  const negotiator = terminalNegotiator();
  negotiator.receive(new Uint8Array([IAC, DO, NEW_ENVIRON]));
  const askAll = negotiator.receive(new Uint8Array([IAC, SB, NEW_ENVIRON, 1, IAC, SE]));
  assert.deepEqual([...askAll.reply], [
    ...[IAC, SB, NEW_ENVIRON, 0, 0, ...bytes("USER"), 1, ...bytes("alice"), IAC, SE],
  ]);
  const askOther = negotiator.receive(
    new Uint8Array([IAC, SB, NEW_ENVIRON, 1, 0, ...bytes("DISPLAY"), IAC, SE]),
  );
  assert.deepEqual([...askOther.reply], [IAC, SB, NEW_ENVIRON, 0, IAC, SE]);
});

Deno.test("TelnetNegotiator leaves subnegotiations of refused options unanswered", () => {
  const negotiator = new TelnetNegotiator();
  const { data, reply } = negotiator.receive(
    new Uint8Array([IAC, SB, TTYPE, 1, IAC, SE, ...bytes("ok")]),
  );
  assert.deepEqual([...reply], []);
  assert.deepEqual([...data], bytes("ok"));
});

Deno.test("TelnetNegotiator drops the NUL of CR NUL (RFC 854), across reads too", () => {
  const negotiator = new TelnetNegotiator();
  const out = [
    [...bytes("a"), 13, 0, ...bytes("b")],
    [13],
    [0, 0, 13, 10],
  ].flatMap((chunk) => [...negotiator.receive(new Uint8Array(chunk)).data]);
  assert.deepEqual(out, [...bytes("a"), 13, ...bytes("b"), 13, 0, 13, 10]);
  const keep = new TelnetNegotiator({ dropNulAfterCr: false });
  assert.deepEqual([...keep.receive(new Uint8Array([13, 0])).data], [13, 0]);
});

Deno.test("TelnetNegotiator.requestRemote() asks once; the server's agreement is not answered", () => {
  const negotiator = terminalNegotiator();
  assert.deepEqual([...negotiator.requestRemote(ECHO, true)], [IAC, DO, ECHO]);
  assert.deepEqual([...negotiator.requestRemote(ECHO, true)], []);
  const agreed = negotiator.receive(new Uint8Array([IAC, WILL, ECHO]));
  assert.deepEqual([...agreed.reply], []);
  assert.equal(negotiator.isRemoteEnabled(ECHO), true);
  assert.deepEqual([...negotiator.requestRemote(ECHO, false)], [IAC, DONT, ECHO]);
  assert.deepEqual([...negotiator.receive(new Uint8Array([IAC, WONT, ECHO])).reply], []);
});

Deno.test("encodeTelnetData() doubles IAC and sends a bare CR as CR NUL", () => {
  const same = new Uint8Array(bytes("ls\x03"));
  assert.equal(encodeTelnetData(same), same);
  assert.deepEqual([...encodeTelnetData(new Uint8Array([13, 255, 13, 10]))], [
    ...[13, 0, 255, 255, 13, 10],
  ]);
});
