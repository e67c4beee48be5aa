/**
 * What a process's first TLS handshake costs, and why: nginx with a self-signed certificate on
 * loopback; each variant runs in a fresh `deno run` (the cost is once per process) and reports its
 * first and second handshake (TCP connect included), median over interleaved rounds.
 *
 * The variants tell the suspects apart: the root store (`caCerts` or not, `DENO_TLS_CA_STORE`),
 * the API (`Deno.startTls` after a no-delay connect, `Deno.connectTls`, `node:tls`), and the
 * random generator's seeding (a WebCrypto P-256 key generated first, which seeds the same AWS-LC
 * generator on Deno's blocking thread pool; see `lib/net/tls_warm_up.ts`).
 *
 * Run: `deno run -A bench/tls_startup.ts [--runs N]` (about half a minute).
 *
 * @module
 */

import { makeCertificate, startNginx } from "../tests/harness/nginx.ts";
import { tempDir } from "../tests/harness/peers.ts";

const runsFlag = Deno.args.indexOf("--runs");
const RUNS = runsFlag >= 0 ? Number(Deno.args[runsFlag + 1]) : 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

await using dir = await tempDir("netkit_bench_tls_");
const tls = await makeCertificate(dir.path);
await using nginx = await startNginx(dir.path, { tls });
await Deno.writeTextFile(`${nginx.root}/a.txt`, "a\n");

// One child script for every variant: MODE picks the API, WARM what runs before the first one.
const child = `${dir.path}/child.ts`;
await Deno.writeTextFile(
  child,
  `
const [mode, warm] = Deno.args;
const ca = Deno.readTextFileSync(${JSON.stringify(tls.cert)});
const port = ${nginx.tlsPort};
const nodeTls = mode === "node" ? await import("node:tls") : undefined;
async function handshake() {
  const start = performance.now();
  if (nodeTls) {
    await new Promise((resolve, reject) => {
      const socket = nodeTls.connect({ host: "127.0.0.1", port, ca: [ca] }, () => {
        socket.destroy();
        resolve(undefined);
      });
      socket.on("error", reject);
    });
  } else {
    let conn;
    if (mode === "connectTls") {
      conn = await Deno.connectTls({ hostname: "127.0.0.1", port, caCerts: [ca] });
    } else {
      const tcp = await Deno.connect({ hostname: "127.0.0.1", port });
      tcp.setNoDelay(true);
      const caCerts = mode === "noCaCerts" ? undefined : [ca];
      conn = await Deno.startTls(tcp, { hostname: "127.0.0.1", caCerts });
    }
    // Without caCerts the self-signed certificate fails verification: the handshake still ran.
    await conn.handshake().catch(() => {});
    conn.close();
  }
  return performance.now() - start;
}
let ready;
if (warm !== "none") {
  ready = crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, false, ["deriveBits"]);
  if (warm === "awaited") await ready;
  // "overlapped": 15 ms of other main-thread work (module loading, say) meanwhile.
  if (warm === "overlapped") for (const end = performance.now() + 15; performance.now() < end;);
}
const first = await handshake();
const second = await handshake();
await ready;
console.log(JSON.stringify({ first, second }));
`,
);

const variants: { name: string; args: string[]; env?: Record<string, string> }[] = [
  { name: "Deno.startTls (no-delay TCP), caCerts", args: ["startTls", "none"] },
  { name: "Deno.startTls, no caCerts (verification fails)", args: ["noCaCerts", "none"] },
  {
    name: "Deno.startTls, caCerts, DENO_TLS_CA_STORE=system",
    args: ["startTls", "none"],
    env: { DENO_TLS_CA_STORE: "system" },
  },
  { name: "Deno.connectTls, caCerts", args: ["connectTls", "none"] },
  { name: "node:tls connect, ca (module loaded before)", args: ["node", "none"] },
  { name: "Deno.startTls after a P-256 generateKey (awaited)", args: ["startTls", "awaited"] },
  {
    name: "Deno.startTls, generateKey started 15 ms of work before",
    args: ["startTls", "overlapped"],
  },
];
const firsts = variants.map(() => [] as number[]);
const seconds = variants.map(() => [] as number[]);
for (let round = 0; round < RUNS; round++) {
  for (const [i, variant] of variants.entries()) {
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", child, ...variant.args],
      env: variant.env ?? {},
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (code !== 0) throw new Error(`${variant.name}: ${new TextDecoder().decode(stderr)}`);
    const { first, second } = JSON.parse(new TextDecoder().decode(stdout));
    firsts[i]!.push(first);
    seconds[i]!.push(second);
  }
}
console.log(`Median of ${RUNS} interleaved runs, each in a fresh process, nginx on loopback`);
console.log("| Variant | First handshake ms | Second handshake ms |");
console.log("|---|---:|---:|");
for (const [i, variant] of variants.entries()) {
  console.log(
    `| ${variant.name} | ${median(firsts[i]!).toFixed(1)} | ${median(seconds[i]!).toFixed(1)} |`,
  );
}
console.log(
  `\nMachine: ${Deno.build.target}, ${navigator.hardwareConcurrency} CPUs, Deno ${Deno.version.deno}`,
);
