/**
 * Real telnet servers for tests: inetutils `telnetd` under xinetd and BusyBox `telnetd`, both on
 * a free loopback port and running `/bin/login`, and a throw-away login user to log in as.
 * Both need root (login, useradd); tests check {@linkcode canRunTelnetd} first.
 *
 * @module
 */

import { peerPath, startPeerOnFreePort } from "./peers.ts";
import { startXinetd } from "./xinetd.ts";

/** A user created for one test, removed (home included) on dispose. */
export interface TestUser extends AsyncDisposable {
  name: string;
  password: string;
}

/** Whether this process can start telnetd and create users (root, with the programs present). */
export function canRunTelnetd(): string | undefined {
  if (Deno.uid?.() !== 0) return "not root";
  for (const program of ["useradd", "userdel", "chpasswd"]) {
    if (!peerPath(program)) return `"${program}" is not installed`;
  }
  return undefined;
}

async function run(program: string, args: string[], stdin?: string): Promise<void> {
  const child = new Deno.Command(program, {
    args,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const output = await child.output();
  if (!output.success) {
    throw new Error(`${program} failed: ${new TextDecoder().decode(output.stderr)}`);
  }
}

/** Creates a login user with a random name and password and bash as its shell. */
export async function createTestUser(): Promise<TestUser> {
  const suffix = crypto.randomUUID().replaceAll("-", "").slice(0, 10);
  const name = `nkt${suffix}`;
  const password = `Pw-${crypto.randomUUID().slice(0, 13)}`;
  await run("useradd", ["--create-home", "--shell", "/bin/bash", name]);
  try {
    await run("chpasswd", [], `${name}:${password}\n`);
    // A plain prompt ending in "$ ", the same on every machine.
    await Deno.writeTextFile(`/home/${name}/.bashrc`, "PS1='\\u$ '\n");
  } catch (error) {
    await run("userdel", ["--force", "--remove", name]).catch(() => {});
    throw error;
  }
  return {
    name,
    password,
    async [Symbol.asyncDispose]() {
      await run("userdel", ["--force", "--remove", name]).catch(() => {});
    },
  };
}

/** A telnet server listening on `port` of 127.0.0.1; disposing it stops it. */
export interface TelnetServer extends AsyncDisposable {
  port: number;
}

/** Starts inetutils telnetd under xinetd on a free loopback port. */
export async function startXinetdTelnetd(): Promise<TelnetServer> {
  return await startXinetd([{
    name: "telnet",
    socketType: "stream",
    server: { path: peerPath("telnetd") ?? "/usr/sbin/telnetd", user: "root" },
  }]);
}

/** Whether this BusyBox has the telnetd applet (Debian's busybox-static does, busybox not). */
export async function busyboxHasTelnetd(): Promise<boolean> {
  try {
    const { stdout } = await new Deno.Command("busybox", { args: ["--list"] }).output();
    return new TextDecoder().decode(stdout).split("\n").includes("telnetd");
  } catch {
    return false;
  }
}

/** Starts BusyBox telnetd in the foreground on a free loopback port. */
export async function startBusyboxTelnetd(): Promise<TelnetServer> {
  // Started again on another port if the one found free was taken before telnetd bound it.
  const busybox = await startPeerOnFreePort((port) => [
    "busybox",
    "telnetd",
    "-F",
    "-p",
    String(port),
    "-b",
    "127.0.0.1",
    "-l",
    "/bin/login",
  ]);
  return { port: busybox.port, [Symbol.asyncDispose]: () => busybox[Symbol.asyncDispose]() };
}
