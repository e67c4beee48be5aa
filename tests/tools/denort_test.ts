import assert, { deepEqual as assertEquals } from "node:assert/strict";
import {
  DenortMissingError,
  denortZipPath,
  locateDenort,
  type LocateDenortOptions,
} from "../../tools/denort.ts";
import { tempDir } from "../harness/peers.ts";
import { storedZip } from "../harness/zip.ts";

const VERSION = "2.9.6";
const TARGET = "x86_64-unknown-linux-gnu";
const ELF = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);

async function rejection(options: LocateDenortOptions): Promise<string> {
  try {
    await locateDenort(options);
  } catch (error) {
    assert(error instanceof DenortMissingError, String(error));
    return error.message;
  }
  throw new Error("locateDenort() found a runtime");
}

function assertOneLineNamingDenortBin(message: string): void {
  assert(!message.includes("\n"), message);
  assert(message.includes("DENORT_BIN"), message);
}

Deno.test("locateDenort() without DENORT_BIN or a cached zip says both are missing in one line", async () => {
  await using dir = await tempDir();
  const message = await rejection({ denoDir: dir.path, version: VERSION, target: TARGET });
  assertOneLineNamingDenortBin(message);
  assert(message.includes(denortZipPath(dir.path, VERSION, TARGET)), message);
  assert(message.includes("not set"), message);
});

Deno.test("locateDenort() uses DENORT_BIN when it names an executable for the target", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/denort`;
  await Deno.writeFile(path, ELF, { mode: 0o755 });
  assertEquals(
    await locateDenort({ denortBin: path, denoDir: dir.path, version: VERSION, target: TARGET }),
    {
      kind: "env",
      path,
    },
  );
});

Deno.test("locateDenort() rejects a DENORT_BIN that cannot be a runtime", async () => {
  await using dir = await tempDir();
  await Deno.writeTextFile(`${dir.path}/script.sh`, "#!/bin/sh\n");
  await Deno.writeFile(`${dir.path}/empty`, new Uint8Array());
  await Deno.writeFile(`${dir.path}/windows.exe`, new Uint8Array([0x4d, 0x5a, 0x90, 0]));
  const cases: [string, string][] = [
    [`${dir.path}/absent`, "does not exist"],
    [dir.path, "is not a file"],
    [`${dir.path}/script.sh`, "is not an executable"],
    [`${dir.path}/empty`, "is not an executable"],
    [`${dir.path}/windows.exe`, "is not an executable"],
    [Deno.execPath(), "is the deno CLI"],
  ];
  for (const [denortBin, problem] of cases) {
    const message = await rejection({
      denortBin,
      denoDir: dir.path,
      version: VERSION,
      target: TARGET,
      cliPath: Deno.execPath(),
    });
    assertOneLineNamingDenortBin(message);
    assert(message.includes(`"${denortBin}" ${problem}`), message);
  }
});

Deno.test("locateDenort() does not fall back to the cached zip when DENORT_BIN is wrong", async () => {
  await using dir = await tempDir();
  const zip = denortZipPath(dir.path, VERSION, TARGET);
  await Deno.mkdir(zip.slice(0, zip.lastIndexOf("/")), { recursive: true });
  await Deno.writeFile(zip, storedZip({ denort: ELF }));
  const message = await rejection({
    denortBin: `${dir.path}/absent`,
    denoDir: dir.path,
    version: VERSION,
    target: TARGET,
  });
  assert(message.includes("does not exist"), message);
});

Deno.test("locateDenort() uses the pre-seeded zip in DENO_DIR when it holds denort", async () => {
  await using dir = await tempDir();
  const zip = denortZipPath(dir.path, VERSION, TARGET);
  await Deno.mkdir(zip.slice(0, zip.lastIndexOf("/")), { recursive: true });
  await Deno.writeFile(zip, storedZip({ "README": new Uint8Array([1]), denort: ELF }));
  assertEquals(await locateDenort({ denoDir: dir.path, version: VERSION, target: TARGET }), {
    kind: "cache",
    path: zip,
  });
});

Deno.test("locateDenort() rejects a cached zip that deno could not unpack into denort", async () => {
  await using dir = await tempDir();
  const zip = denortZipPath(dir.path, VERSION, TARGET);
  await Deno.mkdir(zip.slice(0, zip.lastIndexOf("/")), { recursive: true });
  const bad: [string, Uint8Array][] = [
    ["junk", new TextEncoder().encode("junk\n")],
    ["empty", new Uint8Array()],
    ["zip without denort", storedZip({ deno: ELF })],
    ["truncated zip", storedZip({ denort: ELF }).subarray(0, 40)],
  ];
  for (const [label, bytes] of bad) {
    await Deno.writeFile(zip, bytes);
    const message = await rejection({ denoDir: dir.path, version: VERSION, target: TARGET });
    assertOneLineNamingDenortBin(message);
    assert(message.includes("is not a denort runtime zip"), `${label}: ${message}`);
  }
});

Deno.test("locateDenort() looks for denort.exe in a Windows target's zip", async () => {
  await using dir = await tempDir();
  const target = "x86_64-pc-windows-msvc";
  const zip = denortZipPath(dir.path, VERSION, target);
  await Deno.mkdir(zip.slice(0, zip.lastIndexOf("/")), { recursive: true });
  await Deno.writeFile(zip, storedZip({ denort: ELF }));
  const message = await rejection({ denoDir: dir.path, version: VERSION, target });
  assert(message.includes('no "denort.exe"'), message);
  await Deno.writeFile(zip, storedZip({ "denort.exe": ELF }));
  assertEquals((await locateDenort({ denoDir: dir.path, version: VERSION, target })).kind, "cache");
});
