/**
 * Runs a command file end to end in a child `deno run -A`, with optional stdin, and collects its
 * exit code and output.
 *
 * @module
 */

/** What a command run produced. */
export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `cmd/NAME.ts` with `args`, feeding `stdin` when given. */
export async function runCommand(
  name: string,
  args: string[],
  stdin?: string,
): Promise<CommandRun> {
  const script = new URL(`../cmd/${name}.ts`, import.meta.url).pathname;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  if (stdin !== undefined) await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const output = await child.output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}
