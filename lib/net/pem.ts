/**
 * DER to PEM, for TLS files given in binary form (wget's `--certificate-type=DER`,
 * `--private-key-type=DER`): the TLS stacks netkit uses take PEM only.
 *
 * @module
 */

/** What a DER file holds. */
export type DerKind = "certificate" | "private key";

/**
 * Wraps DER bytes as PEM: a certificate as `CERTIFICATE`, a private key under the label its
 * structure tells (PKCS#8 `PRIVATE KEY`, PKCS#1 `RSA PRIVATE KEY`, SEC 1 `EC PRIVATE KEY`).
 *
 * @param der The DER bytes.
 * @param kind What they hold.
 * @returns The PEM text.
 * @throws {SyntaxError} when the bytes are not a DER structure (a PEM file, say).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pemFromDer } from "@netkit/netkit/net";
 *
 * // SEQUENCE { INTEGER 0, SEQUENCE { ... } }: PKCS#8.
 * const der = new Uint8Array([0x30, 0x05, 0x02, 0x01, 0x00, 0x30, 0x00]);
 * assert.equal(pemFromDer(der, "private key"), "-----BEGIN PRIVATE KEY-----\nMAUCAQAwAA==\n-----END PRIVATE KEY-----\n");
 * assert.throws(() => pemFromDer(new TextEncoder().encode("-----BEGIN"), "certificate"), SyntaxError);
 * ```
 */
export function pemFromDer(der: Uint8Array, kind: DerKind): string {
  const contents = sequenceContents(der);
  if (contents === undefined) throw new SyntaxError(`Not a DER-encoded ${kind}`);
  let label = "CERTIFICATE";
  if (kind === "private key") {
    // The first field is the version INTEGER; what follows it tells the format.
    const next = contents[0] === 0x02 ? contents[2 + (contents[1] ?? 0)] : undefined;
    label = next === 0x30 ? "PRIVATE KEY" : next === 0x04 ? "EC PRIVATE KEY" : "RSA PRIVATE KEY";
  }
  let binary = "";
  for (const byte of der) binary += String.fromCharCode(byte);
  const lines = btoa(binary).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** The contents of the outer SEQUENCE when `der` is exactly one, else undefined. */
function sequenceContents(der: Uint8Array): Uint8Array | undefined {
  if (der[0] !== 0x30 || der.length < 2) return undefined;
  let length = der[1]!;
  let start = 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 4 || der.length < 2 + bytes) return undefined;
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + der[2 + i]!;
    start = 2 + bytes;
  }
  return start + length === der.length ? der.subarray(start) : undefined;
}
