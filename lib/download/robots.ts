/**
 * `robots.txt` rules (RFC 9309) for one user agent: the group naming the agent, else the `*`
 * group; `Allow` and `Disallow` by longest match, `Allow` winning a tie; `*` and `$` in paths.
 *
 * @module
 */

/** One `Allow` or `Disallow` line with a `*` or a final `$` in its path. */
interface PatternRule {
  allow: boolean;
  /** The path pattern, percent-encoding normalised. */
  pattern: string;
  /** Matches a path from its start. */
  matcher: RegExp;
}

/** The rules `robots.txt` gives one user agent. */
export class RobotsRules {
  /**
   * The plain rules (a path prefix, most of any file), by their prefix: whether it allows (`Allow`
   * wins when both name it). Looked up by the prefixes of a path, longest first, so a check costs
   * the path's length, not the number of rules (a robots.txt of 20,000 lines is no rarity).
   */
  readonly #prefixes = new Map<string, boolean>();
  /**
   * The plain prefixes' lengths, each once, longest first: the only slices of a path that can be
   * one (a robots.txt names a few lengths, a path has many).
   */
  readonly #lengths: number[];
  /** The rules with `*` or a final `$`, tried one by one. */
  readonly #patterns: PatternRule[] = [];

  /** Rules from already-parsed lines; most callers use {@linkcode parseRobotsTxt}. */
  constructor(rules: { allow: boolean; pattern: string }[] = []) {
    for (const rule of rules) {
      if (rule.pattern === "") continue;
      const pattern = normalisePath(rule.pattern);
      if (pattern.includes("*") || pattern.endsWith("$")) {
        this.#patterns.push({ allow: rule.allow, pattern, matcher: patternMatcher(pattern) });
      } else {
        this.#prefixes.set(pattern, rule.allow || this.#prefixes.get(pattern) === true);
      }
    }
    const lengths = new Set<number>();
    for (const prefix of this.#prefixes.keys()) lengths.add(prefix.length);
    this.#lengths = [...lengths].sort((a, b) => b - a);
  }

  /**
   * Whether the agent may fetch `path` (path and query, as in a request line): the longest
   * matching rule decides, `Allow` wins a tie, and no match allows.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { RobotsRules } from "@netkit/netkit/download";
   *
   * const rules = new RobotsRules([
   *   { allow: false, pattern: "/private/" },
   *   { allow: true, pattern: "/private/open" },
   * ]);
   * assert.equal(rules.allows("/private/x.html"), false);
   * assert.equal(rules.allows("/private/open.html"), true);
   * assert.equal(rules.allows("/"), true);
   * ```
   */
  allows(path: string): boolean {
    const target = normalisePath(path);
    // The longest matching rule decides, Allow winning a tie. Two plain prefixes of one length
    // cannot both start the path, so the longest one found is the only plain rule of its length.
    let bestLength = -1;
    let allowed = true;
    const lengths = this.#lengths;
    for (let i = 0; i < lengths.length; i++) {
      const length = lengths[i]!;
      if (length > target.length) continue;
      const allow = this.#prefixes.get(target.slice(0, length));
      if (allow !== undefined) {
        bestLength = length;
        allowed = allow;
        break;
      }
    }
    for (const rule of this.#patterns) {
      const length = rule.pattern.length;
      if (length < bestLength || (length === bestLength && !rule.allow)) continue;
      if (!rule.matcher.test(target)) continue;
      bestLength = length;
      allowed = rule.allow;
    }
    return allowed;
  }
}

/**
 * Parses `robots.txt` for `userAgent` (matched case-insensitively against each group's
 * `User-agent` product token, as GNU wget matches `wget`); the `*` group applies when no group
 * names the agent. Unknown lines and comments are skipped.
 *
 * @param text The file's text.
 * @param userAgent The product token to look for. @default {"wget"}
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseRobotsTxt } from "@netkit/netkit/download";
 *
 * const rules = parseRobotsTxt(
 *   "User-agent: *\nDisallow: /\n\nUser-agent: Wget\nDisallow: /secret # no\n",
 * );
 * assert.equal(rules.allows("/secret/a"), false);
 * assert.equal(rules.allows("/public"), true);
 * ```
 */
export function parseRobotsTxt(text: string, userAgent = "wget"): RobotsRules {
  return robotsRules(text, userAgent);
}

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module").

/** {@linkcode parseRobotsTxt}, compiled with the module (see above). */
const robotsRules = (function robotsRules(text: string, userAgent: string): RobotsRules {
  const agent = userAgent.toLowerCase();
  const mine: { allow: boolean; pattern: string }[] = [];
  const anyone: { allow: boolean; pattern: string }[] = [];
  let named = false;
  let groupAgents: string[] = [];
  let inRules = false;
  for (const rawLine of text.split(/\r\n|\r|\n/)) {
    const line = rawLine.replace(/#.*/, "").trim();
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === "user-agent") {
      if (inRules) groupAgents = [];
      inRules = false;
      groupAgents.push(value.toLowerCase());
    } else if (key === "allow" || key === "disallow") {
      inRules = true;
      const rule = { allow: key === "allow", pattern: value };
      if (groupAgents.includes(agent)) {
        named = true;
        mine.push(rule);
      } else if (groupAgents.includes("*")) {
        anyone.push(rule);
      }
    }
  }
  // A group naming the agent with no rule at all still replaces the * group.
  if (!named) {
    named = text.split(/\r\n|\r|\n/).some((l) => {
      const m = /^\s*user-agent\s*:\s*([^#\s]*)/i.exec(l);
      return m?.[1]?.toLowerCase() === agent;
    });
  }
  return new RobotsRules(named ? mine : anyone);
}).bind(undefined);

/** Upper-cases percent escapes and decodes the unreserved ones, so equal paths compare equal. */
function normalisePath(path: string): string {
  if (!path.includes("%")) return path;
  return path.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => {
    const c = String.fromCharCode(parseInt(hex, 16));
    return /[A-Za-z0-9\-._~]/.test(c) ? c : `%${hex.toUpperCase()}`;
  });
}

/** `*` matches any run of characters, a final `$` anchors the end; the rest is literal. */
function patternMatcher(pattern: string): RegExp {
  const anchored = pattern.endsWith("$");
  const body = (anchored ? pattern.slice(0, -1) : pattern)
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${body}${anchored ? "$" : ""}`);
}
