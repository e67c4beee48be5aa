/**
 * `telnet --raw` as a pipe to a TCP echo service, against `nc -N` (netcat-openbsd) moving the same
 * bytes through the same server in the same run: xinetd's built-in `echo` on loopback, a file of
 * random bytes sent and received whole, checked by SHA-256, wall time per run.
 *
 * Run: `deno run -A bench/telnet_raw.ts [MiB]` (default 100 MiB; needs xinetd and nc).
 *
 * @module
 */

const MIB = 1024 * 1024;
const size = Number(Deno.args[0] ?? "100") * MIB;
const RUNS = 3;
const root = new URL("..", import.meta.url).pathname;

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

async function sha256File(path: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const dir = await Deno.makeTempDir({ prefix: "netkit_bench_telnet_" });
const port = freePort();
await Deno.writeTextFile(
  `${dir}/xinetd.conf`,
  `defaults\n{\n}\nservice echo\n{\n  type = INTERNAL UNLISTED\n  id = echo-stream\n` +
    `  socket_type = stream\n  protocol = tcp\n  wait = no\n  port = ${port}\n` +
    `  bind = 127.0.0.1\n  disable = no\n}\n`,
);
const xinetd = new Deno.Command("xinetd", {
  args: [
    "-dontfork",
    "-f",
    `${dir}/xinetd.conf`,
    "-filelog",
    `${dir}/log`,
    "-pidfile",
    `${dir}/pid`,
  ],
  stdout: "null",
  stderr: "null",
}).spawn();
try {
  for (let tries = 0;; tries++) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      break;
    } catch (error) {
      if (tries > 200) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  const input = `${dir}/input`;
  {
    const bytes = new Uint8Array(size);
    for (let offset = 0; offset < size; offset += 65536) {
      crypto.getRandomValues(bytes.subarray(offset, Math.min(size, offset + 65536)));
    }
    await Deno.writeFile(input, bytes);
  }
  const expected = await sha256File(input);

  const clients: Record<string, string[]> = {
    "nc -N (anchor)": ["nc", "-N", "127.0.0.1", String(port)],
    "netkit telnet --raw": [
      Deno.execPath(),
      ...["run", "-A", "--quiet", `${root}cmd/telnet.ts`, "--raw", "127.0.0.1", String(port)],
    ],
  };
  const results: Record<string, number[]> = {};
  for (let run = 0; run < RUNS; run++) {
    for (const [name, argv] of Object.entries(clients)) {
      const output = `${dir}/output`;
      const started = performance.now();
      const { code } = await new Deno.Command("sh", {
        args: ["-c", 'exec "$@" < "$IN" > "$OUT" 2>/dev/null', "sh", ...argv],
        env: { IN: input, OUT: output },
      }).output();
      const ms = performance.now() - started;
      const same = (await sha256File(output)) === expected;
      if (code !== 0 || !same) throw new Error(`${name}: exit ${code}, same bytes: ${same}`);
      (results[name] ??= []).push(ms);
    }
  }
  console.log(`${size / MIB} MiB through xinetd's echo on loopback, ${RUNS} runs, median:`);
  console.log("| client | wall time | MiB/s | vs anchor |");
  console.log("| --- | --- | --- | --- |");
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
  const anchor = median(results["nc -N (anchor)"]!);
  for (const [name, times] of Object.entries(results)) {
    const ms = median(times);
    const rate = (size / MIB) / (ms / 1000);
    console.log(
      `| ${name} | ${ms.toFixed(0)} ms | ${rate.toFixed(0)} | ${(anchor / ms).toFixed(2)}× |`,
    );
  }
} finally {
  xinetd.kill("SIGTERM");
  await xinetd.status;
  await Deno.remove(dir, { recursive: true });
}
