/**
 * A pseudo-terminal for tests: a detached tmux session on a private server socket, driven with
 * `send-keys` and read with `capture-pane`. Used to try interactive clients (telnet) as a user
 * at a terminal would.
 *
 * Reading the screen means polling it: tmux tells nobody when the pane changes. `waitFor` polls
 * until the text appears or a generous limit passes (a failure, not a timing assertion).
 *
 * @module
 */

/** A tmux pane running one shell command; disposing it kills its private tmux server. */
export interface TmuxPane extends AsyncDisposable {
  /** Sends keys as `tmux send-keys` takes them: text, or names such as `Enter`, `C-c`, `C-]`. */
  send(...keys: string[]): Promise<void>;
  /** Sends text literally (no key names), then Enter. */
  type(text: string): Promise<void>;
  /** The pane's whole history and screen, lines without trailing blanks. */
  capture(): Promise<string>;
  /** Waits until the captured text matches `pattern`; returns the match. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resizes the window (and so the pane). */
  resize(columns: number, rows: number): Promise<void>;
  /** Runs another tmux command on this pane's server (`display -p …`); returns its stdout. */
  shell(args: string[]): Promise<string>;
}

async function tmux(socket: string, args: string[]): Promise<string> {
  const output = await new Deno.Command("tmux", {
    args: ["-L", socket, "-f", "/dev/null", ...args],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(output.stdout);
  if (!output.success) {
    throw new Error(`tmux ${args[0]} failed: ${new TextDecoder().decode(output.stderr)}`);
  }
  return text;
}

/** Starts `command` (run by `sh -c`) in a new detached tmux session of `columns` × `rows`. */
export async function startTmuxPane(
  command: string,
  options: { columns?: number; rows?: number; env?: Record<string, string> } = {},
): Promise<TmuxPane> {
  const socket = `netkit-test-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  const env = Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${shellQuote(v)} `).join(
    "",
  );
  await tmux(socket, [
    "new-session",
    "-d",
    "-s",
    "test",
    "-x",
    String(options.columns ?? 100),
    "-y",
    String(options.rows ?? 30),
    `${env}${command}`,
  ]);
  await tmux(socket, ["set-option", "-t", "test", "status", "off"]);
  await tmux(socket, ["set-option", "-t", "test", "history-limit", "10000"]);
  const pane: TmuxPane = {
    async send(...keys) {
      await tmux(socket, ["send-keys", "-t", "test", ...keys]);
    },
    async type(text) {
      await tmux(socket, ["send-keys", "-t", "test", "-l", text]);
      await tmux(socket, ["send-keys", "-t", "test", "Enter"]);
    },
    async capture() {
      const text = await tmux(socket, ["capture-pane", "-p", "-J", "-t", "test", "-S", "-"]);
      return text.split("\n").map((line) => line.trimEnd()).join("\n").trimEnd();
    },
    async waitFor(pattern, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (true) {
        const text = await pane.capture();
        const match = text.match(pattern);
        if (match) return match;
        if (Date.now() > deadline) {
          throw new Error(`The pane never showed ${pattern}; it shows:\n${text}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async resize(columns, rows) {
      await tmux(socket, [
        "resize-window",
        "-t",
        "test",
        "-x",
        String(columns),
        "-y",
        String(rows),
      ]);
    },
    shell(args) {
      const [command = "display", ...rest] = args;
      return tmux(socket, [command, "-t", "test", ...rest]);
    },
    async [Symbol.asyncDispose]() {
      await tmux(socket, ["kill-server"]).catch(() => {});
    },
  };
  return pane;
}

/** Quotes `text` for `sh`. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
