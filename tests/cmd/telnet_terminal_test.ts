/**
 * telnet at a terminal: a pseudo-terminal (tmux) runs the client against real telnet servers
 * (inetutils telnetd under xinetd, BusyBox telnetd), logging in as a throw-away user, and the
 * same session is run with Debian's telnet, the oracle.
 */

import assert from "node:assert/strict";
import { commandArgs } from "../harness/command.ts";
import { missingPeer } from "../harness/peers.ts";
import { TELNET, TELNET_OPTION } from "../../lib/telnet/protocol.ts";
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

/** Prints `MODES icanon echo` for a cooked terminal (`-icanon -echo` when raw). */
const PRINT_MODES =
  `echo MODES $(stty -a | tr ' ;' '\\n\\n' | grep -x -e '-\\{0,1\\}icanon' -e '-\\{0,1\\}echo')`;

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
      `${PRINT_MODES}; sleep 3600`,
    { columns: 100, rows: 30 },
  );
  const [, local = ""] = await pane.waitFor(/^LOCAL (.+)$/m);
  await pane.waitFor(/login:$/);
  await pane.type(user.name);
  await pane.waitFor(/Password:$/);
  await pane.type(user.password);
  await pane.waitFor(/\$$/);

  await pane.type("echo one-$((40+2))");
  await pane.waitFor(/^one-42$/m);
  const screen = await pane.capture();
  assert.equal(screen.split("echo one-$((40+2))").length - 1, 1, `echoed once:\n${screen}`);

  // Tab goes to the remote shell, whose completion finishes the command name.
  await pane.send("e", "c", "h", "Tab");
  await pane.type("tab-$((3+4))");
  await pane.waitFor(/^tab-7$/m);

  await pane.type('echo "REMOTE $TERM $(stty size)"');
  const [, remote = ""] = await pane.waitFor(/^REMOTE (.+)$/m);
  assert.equal(remote.split(" ").slice(1).join(" "), local.split(" ").slice(1).join(" "));

  // Ctrl-C goes to the remote side: the sleep ends, the list after it does not run, the prompt
  // comes back long before 300 s.
  await pane.type("echo sleep-$((1+2)); sleep 300 && echo slept-through");
  await pane.waitFor(/^sleep-3$/m); // the shell has started on the list
  // On a loaded machine two races remain, neither the client's doing: a Ctrl-C that reaches the
  // remote shell after `echo` but before `sleep` has started is taken by the shell, not the sleep;
  // and the interrupt flushes the remote terminal's input, dropping a line typed just before it.
  // So: interrupt, type the line, and try again (bounded) until the prompt is back and it ran.
  for (let attempt = 1;; attempt++) {
    await pane.send("C-c");
    await pane.type("echo after-$((1+1))");
    try {
      await pane.waitFor(/^after-2$/m, 10_000);
      break;
    } catch (error) {
      if (attempt >= 6) throw error;
    }
  }
  assert.doesNotMatch(await pane.capture(), /^slept-through$/m);

  await pane.resize(90, 25);
  // The new window size (SIGWINCH, then NAWS) and the typed keys race on a loaded machine: ask
  // again until the remote side has it (each answer prints a line, so this cannot pass early).
  for (let attempt = 1;; attempt++) {
    await pane.type('echo "RESIZED $(stty size)"');
    try {
      await pane.waitFor(/^RESIZED 25 90$/m, 5_000);
      break;
    } catch (error) {
      if (attempt >= 6) throw error;
    }
  }

  await pane.send("C-]");
  await pane.waitFor(/telnet>$/);
  await pane.type("quit");
  const [, code] = await pane.waitFor(/^EXIT=(\d+)$/m);
  // The terminal is cooked again: the pane's shell printed its modes after the client.
  await pane.waitFor(/^MODES icanon echo$/m);
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

/** Waits until `ready()` holds, polling (the bytes come from another process's keystrokes). */
async function waitUntil(ready: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`Never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Whether `haystack` holds `needle` as a contiguous run. */
function holds(haystack: number[], needle: number[]): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

const missingTmux = missingPeer(["tmux"]);
Deno.test({
  name:
    "telnet at a terminal negotiates, sends keys as typed and escape commands, restores on SIGTERM" +
    (missingTmux ? ` (ignored: "${missingTmux}" is not installed)` : ""),
  ignore: missingTmux !== undefined,
  fn: async () => {
    const { IAC, DO, DONT, WILL, SB, SE, AYT, IP } = TELNET;
    const { ECHO, SGA, TTYPE, NAWS, LINEMODE } = TELNET_OPTION;
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const received: number[] = [];
    const served = listener.accept().then(async (conn) => {
      listener.close();
      await conn.write(
        new Uint8Array([
          ...[IAC, DO, TTYPE, IAC, DO, NAWS, IAC, DO, LINEMODE, IAC, WILL, ECHO, IAC, WILL, SGA],
          ...[IAC, SB, TTYPE, 1, IAC, SE],
          ...new TextEncoder().encode("ready> "),
        ]),
      );
      const buffer = new Uint8Array(4096);
      try {
        for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
          received.push(...buffer.subarray(0, n));
        }
      } catch {
        // Reset when the client is killed.
      }
      conn.close();
    });
    await using pane = await startTmuxPane(
      `TERM=vt220 ${NETKIT} 127.0.0.1 ${listener.addr.port}; echo "EXIT=$?"; ${PRINT_MODES}; ` +
        "sleep 3600",
      { columns: 100, rows: 30 },
    );
    await pane.waitFor(/ready>$/);
    await waitUntil(() => holds(received, [IAC, SB, TTYPE, 0]), "TTYPE IS");
    assert.ok(holds(received, [IAC, DO, ECHO]) && holds(received, [IAC, DO, SGA]), "ECHO, SGA");
    assert.ok(holds(received, [IAC, WILL, NAWS, IAC, SB, NAWS, 0, 100, 0, 30, IAC, SE]), "NAWS");
    assert.ok(holds(received, [IAC, SB, TTYPE, 0, ...new TextEncoder().encode("vt220"), IAC, SE]));
    assert.ok(holds(received, [IAC, 252, LINEMODE]), "LINEMODE refused");

    // Character mode: keys go as typed, Ctrl-C and Tab as bytes, Enter as CR NUL.
    await pane.send("a", "b", "Tab", "C-c", "Enter");
    await waitUntil(() => holds(received, [0x61, 0x62, 0x09, 0x03, 0x0d, 0x00]), "keys as typed");
    // The escape prompt's send command.
    for (const [word, byte] of [["ayt", AYT], ["ip", IP]] as const) {
      await pane.send("C-]");
      await pane.waitFor(/telnet>$/);
      await pane.type(`send ${word}`);
      await waitUntil(() => holds(received, [IAC, byte]), `IAC ${word}`);
    }
    // mode line: the server is asked to stop echoing; the kernel edits and echoes the line,
    // which goes out with CR LF; Ctrl-C is the kernel's SIGINT, sent as IAC IP; the escape
    // character's line holds the prompt's command.
    await pane.send("C-]");
    await pane.waitFor(/telnet>$/);
    await pane.type("mode line");
    await waitUntil(
      () => holds(received, [IAC, DONT, ECHO]) && holds(received, [IAC, DONT, SGA]),
      "DONT ECHO, DONT SGA",
    );
    await pane.type("xz");
    await waitUntil(() => holds(received, [...new TextEncoder().encode("xz"), 0x0d, 0x0a]), "line");
    const interrupts = () => received.filter((b, i) => b === IAC && received[i + 1] === IP).length;
    await pane.send("C-c");
    await waitUntil(() => interrupts() === 2, "Ctrl-C as IAC IP in line mode");
    await pane.send("C-]");
    await pane.type("status");
    await pane.waitFor(/^Operating in obsolete linemode\nLocal character echo$/m);

    // A resize is told at once (SIGWINCH → NAWS).
    await pane.resize(90, 25);
    await waitUntil(() => holds(received, [IAC, SB, NAWS, 0, 90, 0, 25, IAC, SE]), "new NAWS");

    // SIGTERM: the terminal is restored, exit 1.
    const panePid = (await pane.shell(["display", "-p", "#{pane_pid}"])).trim();
    const children = await new Deno.Command("ps", {
      args: ["-o", "pid=", "--ppid", panePid],
      stdout: "piped",
    }).output();
    const clientPid = Number(new TextDecoder().decode(children.stdout).trim().split(/\s+/)[0]);
    Deno.kill(clientPid, "SIGTERM");
    await pane.waitFor(/^EXIT=1$/m);
    await pane.waitFor(/^MODES icanon echo$/m);
    await served;
  },
});

Deno.test({
  name: "telnet at a terminal: z suspends to the shell with the terminal cooked, fg resumes raw" +
    (missingTmux ? ` (ignored: "${missingTmux}" is not installed)` : ""),
  ignore: missingTmux !== undefined,
  fn: async () => {
    const { IAC, WILL } = TELNET;
    const { ECHO, SGA } = TELNET_OPTION;
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const received: number[] = [];
    const served = listener.accept().then(async (conn) => {
      listener.close();
      await conn.write(new Uint8Array([IAC, WILL, ECHO, IAC, WILL, SGA, ...bytesOf("ready> ")]));
      const buffer = new Uint8Array(4096);
      for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
        received.push(...buffer.subarray(0, n));
      }
      conn.close();
    });
    // An interactive shell, for job control.
    await using pane = await startTmuxPane("PS1='job$ ' bash --norc --noprofile -i", {
      columns: 100,
      rows: 30,
    });
    await pane.waitFor(/job\$$/);
    await pane.type(`${NETKIT} 127.0.0.1 ${listener.addr.port}`);
    await pane.waitFor(/ready>$/);
    await pane.send("C-]");
    await pane.waitFor(/telnet>$/);
    await pane.type("z");
    await pane.waitFor(/Stopped/);
    await pane.type(PRINT_MODES);
    await pane.waitFor(/^MODES icanon echo$/m);
    await pane.type("fg");
    await pane.send("q");
    await waitUntil(() => received.includes(0x71), "a key after fg"); // sent at once: raw again
    await pane.send("C-]");
    await pane.waitFor(/telnet>$/);
    await pane.type("quit");
    await pane.waitFor(/Connection closed\.\njob\$$/);
    await served;
  },
});

function bytesOf(text: string): number[] {
  return [...new TextEncoder().encode(text)];
}
