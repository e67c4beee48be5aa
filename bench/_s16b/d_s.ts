const m: Record<string, number> = {};
m.a = performance.now();
await import("./t0.ts");
m.first = performance.now();
await import("./s/root.ts");
m.nine = performance.now();
Deno.stderr.writeSync(new TextEncoder().encode(JSON.stringify(m) + "\n"));
