const m: Record<string, number> = {};
await import("../t0.ts");
m.a = performance.now();
await import("../../../lib/dns/codes.ts");
m.b = performance.now();
Deno.stderr.writeSync(new TextEncoder().encode(JSON.stringify({ import: m.b - m.a }) + "\n"));
