/**
 * Runs every benchmark script in `bench/` in turn (`deno task bench`), each against its named
 * anchor in the same run. Pass names to run only some: `deno task bench wget time_server`.
 *
 * @module
 */

const here = new URL(".", import.meta.url);
const wanted = new Set(Deno.args);
const scripts = [...Deno.readDirSync(here)]
  .map((entry) => entry.name)
  .filter((name) => name.endsWith(".ts") && !name.startsWith("_") && name !== "run_all.ts")
  .filter((name) => wanted.size === 0 || wanted.has(name.replace(/\.ts$/, "")))
  .sort();

let failures = 0;
for (const name of scripts) {
  console.log(`\n== bench/${name}`);
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-net", new URL(name, here).pathname],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) {
    failures++;
    console.error(`bench/${name} exited with ${code}`);
  }
}
Deno.exit(failures === 0 ? 0 : 1);
