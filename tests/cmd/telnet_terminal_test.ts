/**
 * telnet at a terminal: a pseudo-terminal (tmux) runs the client against real telnet servers
 * (inetutils telnetd under xinetd, BusyBox telnetd), logging in as a throw-away user, and the
 * same session is run with Debian's telnet, the oracle.
 */

import assert from "node:assert/strict";
import { commandArgs } from "../harness/command.ts";
import { missingPeer } from "../harness/peers.ts";
import { shellQuote, startTmuxPane } from "../harness/tmux.ts";
import {
  busyboxHasTelnetd,
  canRunTelnetd,
  createTestUser,
  startBusyboxTelnetd,
  startXinetdTelnetd,
  type TelnetServer,
  type TestUser,
} from "../harness/telnetd.ts";

/** Registers a terminal test, ignored (with the reason in its name) where it cannot run. */
function terminalTest(
  name: string,
  peers: string[],
  fn: () => Promise<void>,
  otherReason?: string,
): void {
  const missing = missingPeer(["tmux", ...peers]);
  const reason = missing ? `"${missing}" is not installed` : canRunTelnetd() ?? otherReason;
  Deno.test({
    name: reason ? `${name} (ignored: ${reason})` : name,
    ignore: reason !== undefined,
    // tmux's server and the telnet servers are processes of their own, stopped on dispose.
    fn,
  });
}

const NETKIT = [Deno.execPath(), ...commandArgs("telnet")].map(shellQuote).join(" ");

/**
 * Logs in through `client` (a shell command line taking HOST PORT) and checks the list:
 * the password never on screen, each command echoed once, Ctrl-C interrupting a remote sleep,
 * the remote terminal type and size those of the pane (after a resize too), Ctrl-] quit → 0.
 */
async function loginSession(
  client: string,
  server: TelnetServer,
  user: TestUser,
): Promise<{ local: string; remote: string }> {
  await using pane = await startTmuxPane(
    `echo "LOCAL $TERM $(stty size)"; ${client} 127.0.0.1 ${server.port}; echo "EXIT=$?"; ` +
      "sleep 3600",
    { columns: 100, rows: 30 },
  );
  const [, local] = await pane.waitFor(/^LOCAL (.+)$/m);
  await pane.waitFor(/login:$/);
  await pane.type(user.name);
  await pane.waitFor(/Password:$/);
  await pane.type(user.password);
  await pane.waitFor(/\$$/);

  await pane.type("echo one-$((40+2))");
  await pane.waitFor(/^one-42$/m);
  const screen = await pane.capture();
  assert.equal(screen.split("echo one-$((40+2))").length - 1, 1, `echoed once:\n${screen}`);

  await pane.type('echo "REMOTE $TERM $(stty size)"');
  const [, remote] = await pane.waitFor(/^REMOTE (.+)$/m);
  assert.equal(remote.split(" ").slice(1).join(" "), local.split(" ").slice(1).join(" "));

  // Ctrl-C goes to the remote side: the sleep ends, the list after it does not run, the prompt
  // comes back long before 300 s.
  await pane.type("sleep 300 && echo slept-through");
  await pane.waitFor(/sleep 300 && echo slept-through$/);
  await pane.send("C-c");
  await pane.type("echo after-$((1+1))");
  await pane.waitFor(/^after-2$/m, 60_000);
  assert.doesNotMatch(await pane.capture(), /^slept-through$/m);

  await pane.resize(90, 25);
  await pane.type('echo "RESIZED $(stty size)"');
  await pane.waitFor(/^RESIZED 25 90$/m);

  await pane.send("C-]");
  await pane.waitFor(/telnet>$/);
  await pane.type("quit");
  const [, code] = await pane.waitFor(/^EXIT=(\d+)$/m);
  const all = await pane.capture();
  assert.ok(!all.includes(user.password), `the password is on screen:\n${all}`);
  assert.equal(code, "0", all);
  assert.match(
    all,
    /^Trying 127\.0\.0\.1\.\.\.\nConnected to 127\.0\.0\.1\.\nEscape character is '\^\]'\.$/m,
  );
  return { local, remote };
}

terminalTest(
  "telnet at a terminal logs in to inetutils telnetd (xinetd) as a telnet client does",
  ["xinetd", "telnetd"],
  async () => {
    await using user = await createTestUser();
    await using server = await startXinetdTelnetd();
    const { local, remote } = await loginSession(`${NETKIT} -l ${user.name}`, server, user);
    assert.equal(remote, local); // TERM (sent as TTYPE) and the size (NAWS)
  },
);

terminalTest(
  "Debian's telnet passes the same terminal session against inetutils telnetd (the oracle)",
  ["xinetd", "telnetd", "inetutils-telnet"],
  async () => {
    await using user = await createTestUser();
    await using server = await startXinetdTelnetd();
    const { local, remote } = await loginSession("inetutils-telnet", server, user);
    assert.equal(remote, local);
  },
);

terminalTest(
  "telnet at a terminal logs in to BusyBox telnetd as Debian's telnet does",
  ["busybox", "inetutils-telnet"],
  async () => {
    await using user = await createTestUser();
    await using server = await startBusyboxTelnetd();
    // BusyBox telnetd asks for no terminal type (its sessions get TERM=xterm), so the oracle
    // is Debian's telnet against the same server; the size must be the pane's for both.
    const oracle = await loginSession("inetutils-telnet", server, user);
    const netkit = await loginSession(NETKIT, server, user);
    assert.equal(netkit.remote, oracle.remote);
  },
  missingPeer(["busybox"]) || await busyboxHasTelnetd()
    ? undefined
    : "this BusyBox has no telnetd (Debian's busybox-static has)",
);
