const m: Record<string, number> = {};
m.a = performance.now();
const mm = import.meta.main;
m.meta = performance.now();
const args = Deno.args;
m.args = performance.now();
async function f(x: string[]) { return x.length; }
await f(args);
m.asynccall = performance.now();
async function g(x: string[]) { try { return await f(x); } catch { return 1; } }
await g(args);
m.asynccall2 = performance.now();
const st = Deno.statSync("/etc/hosts");
m.stat = performance.now();
const st2 = Deno.statSync("/etc/nsswitch.conf");
m.stat2 = performance.now();
const t = Deno.readTextFileSync("/etc/hosts");
m.read = performance.now();
const e = new TextEncoder().encode("hello\n");
m.enc = performance.now();
Deno.stdout.writeSync(e);
m.write = performance.now();
Deno.stderr.writeSync(new TextEncoder().encode(JSON.stringify(m) + "\n"));
