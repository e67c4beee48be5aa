/**
 * The body of `telnet` when standard input is a terminal: a telnet client as Debian's and
 * BusyBox's are. It accepts the server's ECHO and SGA and then goes to character mode with the
 * terminal in raw mode (every keystroke sent as typed, Ctrl-C included), answers TTYPE from
 * `$TERM`, NAWS from the terminal's size (again on SIGWINCH) and NEW-ENVIRON with `USER` for
 * `-l`, and refuses the rest (LINEMODE included). The escape character opens a `telnet>` prompt.
 * The terminal is restored on every way out: the server closing, `quit`, SIGTERM, SIGHUP, an
 * error.
 *
 * Unlike the rest of `lib/`, this talks to the user, so it lives beside the command.
 *
 * @module
 */

import { writeAll } from "../../lib/io/write_all.ts";
import { TelnetNegotiator, type WindowSize } from "../../lib/telnet/negotiator.ts";
import { TELNET, TELNET_OPTION } from "../../lib/telnet/protocol.ts";
import { encodeTelnetData } from "../../lib/telnet/negotiator.ts";

const { ECHO, SGA, TTYPE, NAWS, NEW_ENVIRON } = TELNET_OPTION;

/** What {@linkcode runTerminalSession} needs besides the connection. */
export interface TerminalSessionOptions {
  /** The host as typed, for `status`. */
  host: string;
  /** The escape character's byte, or null for none (`-E`). */
  escape: number | null;
  /** `-l USER`: sent as NEW-ENVIRON's USER when the server asks. */
  user?: string | undefined;
  /** `telnet` (port 23) or `auto` (telnet once the server's first byte is IAC). */
  mode: "telnet" | "auto";
}

/**
 * How a character looks in messages: `^]` for a control character, `^?` for DEL, `off` for none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { showCharacter } from "./terminal.ts";
 *
 * assert.equal(showCharacter(0x1d), "^]");
 * ```
 */
export function showCharacter(byte: number | null): string {
  if (byte === null) return "off";
  if (byte < 0x20) return `^${String.fromCharCode(byte + 0x40)}`;
  if (byte === 0x7f) return "^?";
  return String.fromCharCode(byte);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const HELP = `Commands may be abbreviated.  Commands are:

close           close current connection
mode            try to enter line or character mode ('mode ?' for more)
quit            exit telnet
send            transmit special characters ('send ?' for more)
status          print status information
z               suspend telnet
?               print help information
`;

const SEND_HELP = `ao              Send Telnet Abort output
ayt             Send Telnet 'Are You There'
brk             Send Telnet Break
ec              Send Telnet Erase Character
el              Send Telnet Erase Line
escape          Send current escape character
ga              Send Telnet 'Go Ahead' sequence
ip              Send Telnet Interrupt Process
nop             Send Telnet 'No operation'
eor             Send Telnet 'End of Record'
abort           Send Telnet 'Abort Process'
susp            Send Telnet 'Suspend Process'
eof             Send Telnet End of File Character
?               Display send options
`;

const MODE_HELP = `format is:  'mode Mode', where 'Mode' is one of:

character       Disable LINEMODE option
                (or disable obsolete line-by-line mode)
line            Enable LINEMODE option
                (or enable obsolete line-by-line mode)

?               Print help information
`;

const SEND_COMMANDS: Record<string, number> = {
  ao: TELNET.AO,
  ayt: TELNET.AYT,
  brk: TELNET.BRK,
  ec: TELNET.EC,
  el: TELNET.EL,
  ga: TELNET.GA,
  ip: TELNET.IP,
  nop: TELNET.NOP,
  eor: TELNET.EOR,
  abort: TELNET.ABORT,
  susp: TELNET.SUSP,
  eof: TELNET.EOF,
};

/** The one name of `names` that `word` abbreviates, or undefined (none, or ambiguous). */
function pick(word: string, names: string[]): string | undefined {
  if (names.includes(word)) return word;
  const matches = names.filter((name) => name.startsWith(word));
  return matches.length === 1 ? matches[0] : undefined;
}

function terminalSize(): WindowSize {
  try {
    const { columns, rows } = Deno.consoleSize();
    return { columns, rows };
  } catch {
    return { columns: 80, rows: 24 };
  }
}

/**
 * Runs the session on the terminal until the server closes, the user quits or a signal ends it.
 * (Tried in a pseudo-terminal by tests/cmd/telnet_terminal_test.ts; it needs a real terminal.)
 *
 * @example
 * ```ts ignore
 * const conn = await Deno.connect({ hostname: "127.0.0.1", port: 23 });
 * Deno.exit(await runTerminalSession(conn, { host: "127.0.0.1", escape: 0x1d, mode: "telnet" }));
 * ```
 *
 * @param conn The open connection; closed when this returns.
 * @returns The exit code: 0 when the server closed or the user quit, 1 after SIGTERM or SIGHUP
 * or a failed connection.
 */
export async function runTerminalSession(
  conn: Deno.TcpConn,
  options: TerminalSessionOptions,
): Promise<number> {
  const stdin = Deno.stdin;
  const stdout = Deno.stdout;
  const negotiator = new TelnetNegotiator({
    remoteOptions: [ECHO, SGA],
    localOptions: [SGA, TTYPE, NAWS, ...(options.user !== undefined ? [NEW_ENVIRON] : [])],
    terminalType: Deno.env.get("TERM") || "UNKNOWN",
    windowSize: terminalSize,
    environment: options.user !== undefined ? { USER: options.user } : {},
  });
  let speaksTelnet: boolean | null = options.mode === "telnet" ? true : null;
  let closed = false;
  let exitCode = 0;
  let finished!: (message: string | null) => void;
  const done = new Promise<string | null>((resolve) => (finished = resolve));
  const finish = (code: number, message: string | null) => {
    if (closed) return;
    closed = true;
    exitCode = code;
    finished(message);
  };

  // Writes to the server go out one after another.
  let sending: Promise<void> = Promise.resolve();
  const send = (bytes: Uint8Array): void => {
    if (bytes.length === 0 || closed) return;
    sending = sending.then(() => writeAll(conn, bytes)).catch(() => {
      // The read side sees the connection fail or close and ends the session.
    });
  };
  const print = (text: string) => writeAll(stdout, encoder.encode(text)).catch(() => {});

  // The terminal: raw in character mode, cooked (the kernel's line editing and echo) otherwise.
  let raw = false;
  let atPrompt = false;
  const characterMode = () =>
    speaksTelnet === true &&
    (negotiator.isRemoteEnabled(ECHO) || negotiator.isRemoteEnabled(SGA));
  const setRaw = (on: boolean) => {
    if (raw === on) return;
    try {
      stdin.setRaw(on);
      raw = on;
    } catch {
      // Not a terminal after all (or gone): nothing to restore either.
    }
  };
  const applyMode = () => {
    if (!atPrompt && !closed) setRaw(characterMode());
  };

  const onInterrupt = () => {
    // Ctrl-C in line mode (the terminal is cooked, so the kernel turns it into SIGINT): the
    // remote process is interrupted, as Debian's client does with "Catching signals locally".
    if (speaksTelnet) send(new Uint8Array([TELNET.IAC, TELNET.IP]));
    else send(new Uint8Array([0x03]));
  };
  const onTerminate = () => finish(1, null);
  const onResize = () => send(negotiator.windowSizeMessage());
  const signals: [Deno.Signal, () => void][] = [
    ["SIGINT", onInterrupt],
    ["SIGTERM", onTerminate],
    ["SIGHUP", onTerminate],
    ["SIGWINCH", onResize],
  ];
  for (const [signal, handler] of signals) Deno.addSignalListener(signal, handler);

  const status = () => {
    const lines = [`Connected to ${options.host}.`];
    lines.push(
      characterMode() ? "Operating in single character mode" : "Operating in obsolete linemode",
    );
    lines.push(
      negotiator.isRemoteEnabled(ECHO) ? "Remote character echo" : "Local character echo",
    );
    lines.push(`Escape character is '${showCharacter(options.escape)}'.`);
    return lines.join("\n") + "\n";
  };

  /** Reads one line typed at the `telnet>` prompt (the terminal is cooked); null at the end. */
  const readPromptLine = async (): Promise<string | null> => {
    const buffer = new Uint8Array(1024);
    let line = "";
    while (!line.includes("\n")) {
      const n = await stdin.read(buffer);
      if (n === null) return line === "" ? null : line;
      line += decoder.decode(buffer.subarray(0, n));
    }
    return line.slice(0, line.indexOf("\n"));
  };

  /**
   * The `telnet>` prompt: runs commands until one returns to the session (or ends it). In line
   * mode the rest of the line typed after the escape character is the first command.
   */
  const prompt = async (typedAfterEscape = ""): Promise<void> => {
    atPrompt = true;
    setRaw(false);
    let pending: string | null = typedAfterEscape.trim() === "" ? null : typedAfterEscape;
    try {
      while (!closed) {
        let line: string | null;
        if (pending !== null) {
          line = pending;
          pending = null;
        } else {
          await print("\ntelnet> ");
          line = await readPromptLine();
        }
        if (line === null) return finish(0, "Connection closed.");
        const words = line.trim().split(/\s+/).filter((word) => word !== "");
        if (words.length === 0) return;
        const command = pick((words[0] ?? "").toLowerCase(), [
          "close",
          "quit",
          "send",
          "status",
          "mode",
          "z",
          "?",
          "help",
        ]);
        switch (command) {
          case "close":
          case "quit":
            return finish(0, "Connection closed.");
          case "status":
            await print(status());
            return;
          case "?":
          case "help":
            await print(HELP);
            continue;
          case "z":
            try {
              Deno.kill(Deno.pid, "SIGTSTP"); // stopped here until `fg`
            } catch (error) {
              await print(`?Cannot suspend: ${(error as Error).message}\n`);
            }
            return;
          case "send": {
            const what = words[1]?.toLowerCase();
            if (what === undefined || what === "?") {
              await print(
                what === undefined
                  ? "need at least one argument for 'send' command\n'send ?' for help\n"
                  : SEND_HELP,
              );
              continue;
            }
            const name = pick(what, [...Object.keys(SEND_COMMANDS), "escape"]);
            if (name === undefined) {
              await print(`?Unknown send argument '${words[1]}'\n'send ?' for help.\n`);
              continue;
            }
            if (name === "escape") {
              if (options.escape !== null) send(encodeTelnetData(new Uint8Array([options.escape])));
            } else {
              send(new Uint8Array([TELNET.IAC, SEND_COMMANDS[name] ?? TELNET.NOP]));
            }
            return;
          }
          case "mode": {
            const what = words[1] === undefined ? undefined : pick(words[1].toLowerCase(), [
              "line",
              "character",
            ]);
            if (what === "line") {
              send(negotiator.requestRemote(ECHO, false));
              send(negotiator.requestRemote(SGA, false));
              return;
            }
            if (what === "character") {
              send(negotiator.requestRemote(SGA, true));
              send(negotiator.requestRemote(ECHO, true));
              return;
            }
            await print(MODE_HELP);
            continue;
          }
          default:
            await print("?Invalid command\n");
            continue;
        }
      }
    } finally {
      atPrompt = false;
      applyMode();
    }
  };

  const escapeByte = options.escape;
  const pumpInput = async (): Promise<void> => {
    const buffer = new Uint8Array(4096);
    while (!closed) {
      let n: number | null;
      try {
        n = await stdin.read(buffer);
      } catch {
        n = null;
      }
      if (closed) return;
      if (n === null) {
        // End of input (Ctrl-D on an empty line in line mode): half-close, keep reading.
        await sending;
        await conn.closeWrite().catch(() => {});
        return;
      }
      let chunk = buffer.slice(0, n);
      while (chunk.length > 0 && !closed) {
        const at = escapeByte === null ? -1 : chunk.indexOf(escapeByte);
        const typed = at < 0 ? chunk : chunk.subarray(0, at);
        sendTyped(typed);
        if (at < 0) break;
        if (raw) {
          await prompt();
          chunk = chunk.subarray(at + 1); // keys typed ahead in character mode still count
        } else {
          // Line mode: the rest of the line after the escape is the prompt's first command.
          await prompt(decoder.decode(chunk.subarray(at + 1)).replace(/\r?\n$/, ""));
          chunk = new Uint8Array(0);
        }
      }
    }
  };
  const sendTyped = (typed: Uint8Array): void => {
    if (typed.length === 0) return;
    if (!raw) {
      // Line mode: the kernel edited and echoed the line; it ends in LF, sent as CR LF.
      let line = typed;
      if (line[line.length - 1] === 0x0a) {
        line = new Uint8Array(typed.length + 1);
        line.set(typed.subarray(0, -1));
        line.set([0x0d, 0x0a], typed.length - 1);
      }
      send(speaksTelnet ? encodeTelnetData(line) : line);
      return;
    }
    send(speaksTelnet ? encodeTelnetData(typed) : typed);
    if (!negotiator.isRemoteEnabled(ECHO)) {
      // Character mode without the server's echo: echo here.
      const shown = decoder.decode(typed).replaceAll("\r", "\r\n");
      print(shown);
    }
  };

  const pumpServer = async (): Promise<void> => {
    const buffer = new Uint8Array(64 * 1024);
    while (!closed) {
      let n: number | null;
      try {
        n = await conn.read(buffer);
      } catch {
        n = null;
      }
      if (closed) return;
      if (n === null) return finish(0, "Connection closed by foreign host.");
      let data: Uint8Array = buffer.subarray(0, n);
      speaksTelnet ??= buffer[0] === TELNET.IAC;
      if (speaksTelnet) {
        const received = negotiator.receive(data);
        send(received.reply);
        data = received.data;
        if (received.changed) applyMode();
      }
      try {
        if (data.length > 0) await writeAll(stdout, data);
      } catch {
        return finish(1, null); // The terminal has gone.
      }
    }
  };

  pumpInput();
  pumpServer();
  const message = await done;
  for (const [signal, handler] of signals) Deno.removeSignalListener(signal, handler);
  setRaw(false);
  try {
    conn.close();
  } catch {
    // Closed already.
  }
  if (message === "Connection closed.") await print(`${message}\n`);
  else if (message !== null) {
    await writeAll(Deno.stderr, encoder.encode(`${message}\n`)).catch(() => {});
  }
  return exitCode;
}
