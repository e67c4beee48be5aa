/**
 * Answers as the test's dnsmasq would from {@linkcode generateFuzzConfig}'s records
 * (`--host-record`, `--cname`, `--mx-host`, `--address=/wild.test/`), for the random test of the
 * questions name servers see (tests/cmd/resolve-hostname_questions_random_test.ts), where a
 * scripted server ({@linkcode startScriptedDnsServer}) must log every message: dnsmasq's own log
 * does not show the flags and EDNS0 of a question. Authoritative for every name: an unknown one
 * is NXDOMAIN, a known one without records of the type asked no data; a CNAME chain is given
 * whole, with the records at its end; the reverse zones hold the host records' addresses.
 *
 * @module
 */

import type { DnsMessage, DnsRecord } from "../../lib/dns/message.ts";
import { DNS_RCODE, DNS_TYPE } from "../../lib/dns/codes.ts";
import { answerTo } from "./dns_peers.ts";
import { reverseLookupName } from "../../lib/dns/message.ts";
import { toAsciiHostName } from "../../lib/dns/host_name.ts";

/**
 * A record's name as dnsmasq (built with IDN) serves it: an international one in its `xn--`
 * form (`日本.sub.corp.test` is `xn--wgv71a.sub.corp.test`), others as written.
 */
function served(name: string): string {
  if ([...name].every((character) => character.charCodeAt(0) <= 0x7f)) return name;
  try {
    return toAsciiHostName(name);
  } catch {
    return name;
  }
}

/** The zone of a record list, names in lower case. */
interface RecordZone {
  addresses: Map<string, string[]>;
  cnames: Map<string, string>;
  /** Names that exist without addresses (an MX record only). */
  other: Set<string>;
  /** Reverse name -> the host record's name. */
  ptr: Map<string, string>;
  /** The wildcard domain's addresses (`--address=/wild.test/…`). */
  wild: string[];
  /** The TTL of a host record's address records, where its record names one. */
  ttls: Map<string, number>;
}

function recordZone(records: string[]): RecordZone {
  const zone: RecordZone = {
    addresses: new Map(),
    cnames: new Map(),
    other: new Set(),
    ptr: new Map(),
    wild: [],
    ttls: new Map(),
  };
  for (const record of records) {
    const [option, value = ""] = record.split(/=(.*)/s);
    if (option === "--host-record") {
      const [written = "", ...fields] = value.split(",");
      const name = served(written);
      // A last field of digits is the records' TTL (`--host-record=ttl0.test,10.0.0.1,0`).
      const ttl = /^[0-9]+$/.test(fields.at(-1) ?? "") ? Number(fields.pop()) : undefined;
      const addresses = fields;
      zone.addresses.set(name.toLowerCase(), addresses);
      if (ttl !== undefined) zone.ttls.set(name.toLowerCase(), ttl);
      for (const address of addresses) zone.ptr.set(reverseLookupName(address), name);
    } else if (option === "--cname") {
      const [alias = "", target = ""] = value.split(",");
      zone.cnames.set(served(alias).toLowerCase(), served(target));
    } else if (option === "--mx-host") zone.other.add(value.split(",")[0]!.toLowerCase());
    else if (option === "--address") zone.wild.push(value.split("/")[2] ?? "");
  }
  return zone;
}

/**
 * The answer function for {@linkcode startScriptedDnsServer} of a server holding `records`
 * (dnsmasq options, as {@linkcode generateFuzzConfig} makes them).
 */
export function recordsAnswer(
  records: string[],
): (query: DnsMessage, overTcp: boolean) => Uint8Array | undefined {
  const zone = recordZone(records);
  return (query) => {
    const question = query.questions[0];
    if (question === undefined) return undefined;
    const reply = (rcode: number, answers: DnsRecord[] = []) =>
      answerTo(query, { authoritative: true, rcode, answers });
    const asked = question.name.replace(/\.$/, "");
    if (question.type === DNS_TYPE.PTR) {
      const target = zone.ptr.get(asked.toLowerCase());
      return target === undefined
        ? reply(DNS_RCODE.NXDOMAIN)
        : reply(DNS_RCODE.NOERROR, [{ name: asked, type: DNS_TYPE.PTR, data: target }]);
    }
    const answers: DnsRecord[] = [];
    let owner = asked;
    for (let links = 0; links < 10; links++) {
      const target = zone.cnames.get(owner.toLowerCase());
      if (target === undefined) break;
      answers.push({ name: owner, type: DNS_TYPE.CNAME, data: target });
      owner = target;
    }
    const key = owner.toLowerCase();
    const wild = key === "wild.test" || key.endsWith(".wild.test");
    const addresses = zone.addresses.get(key) ?? (wild ? zone.wild : undefined);
    if (addresses === undefined && !zone.other.has(key) && answers.length === 0) {
      return reply(DNS_RCODE.NXDOMAIN);
    }
    for (const address of addresses ?? []) {
      const six = address.includes(":");
      if (question.type === (six ? DNS_TYPE.AAAA : DNS_TYPE.A)) {
        const ttl = zone.ttls.get(key);
        answers.push({
          name: owner,
          type: question.type,
          data: address,
          ...(ttl === undefined ? {} : { ttl }),
        });
      }
    }
    return reply(DNS_RCODE.NOERROR, answers);
  };
}
