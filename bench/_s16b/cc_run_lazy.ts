const m: Record<string, number> = {};
m.a = performance.now();
const { f } = await import("./cc_lazy.ts");
m.imported = performance.now();
f(3);
m.call1 = performance.now();
f(4);
m.call2 = performance.now();
Deno.stderr.writeSync(new TextEncoder().encode(JSON.stringify(m) + "\n"));
