/**
 * `node:util`'s `parseArgs` in strict mode with positionals allowed -- the part netkit uses --
 * with the same results and the same error messages, without `node:util`.
 *
 * Why: loading any `node:` module starts Deno's Node compatibility layer, which costs about
 * 4-6 ms of start-up on this machine against ~12 ms for `deno run` of an empty script; every
 * command parses its arguments, so with `node:util` none could start within 1.3x of an empty
 * script. `tests/parse_args_test.ts` checks this module against `node:util` as the oracle.
 *
 * @module
 */

import type { ParseArgsOptionsConfig } from "node:util";

interface OptionToken {
  name: string;
  rawName: string;
  value: string | undefined;
  inlineValue: boolean | undefined;
}

/** A malformed command line; the message is `node:util`'s. */
class ParseArgsError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = "TypeError";
  }
}

/**
 * Parses `args` as `parseArgs({ args, options, allowPositionals: true, strict: true })` of
 * `node:util` does.
 *
 * @throws {TypeError} with `node:util`'s message for an unknown option, a missing or unwanted
 * option value, or an option value that looks like an option.
 */
export function parseArgs(
  args: string[],
  options: ParseArgsOptionsConfig,
): { values: Record<string, string | boolean | (string | boolean)[]>; positionals: string[] } {
  return parseArgsBody(args, options);
}

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module").

/** {@linkcode parseArgs}, compiled with the module. */
const parseArgsBody = (function parseArgsBody(
  args: string[],
  options: ParseArgsOptionsConfig,
): { values: Record<string, string | boolean | (string | boolean)[]>; positionals: string[] } {
  const values: Record<string, string | boolean | (string | boolean)[]> = Object.create(null);
  const positionals: string[] = [];
  const remaining = [...args];
  const own = (name: string) => Object.hasOwn(options, name) ? options[name] : undefined;
  const longFor = (short: string) =>
    Object.keys(options).find((name) => own(name)?.short === short) ?? short;
  const isString = (name: string) => own(name)?.type === "string";

  while (remaining.length > 0) {
    const arg = remaining.shift()!;
    if (arg === "--") {
      positionals.push(...remaining);
      break;
    }
    let token: OptionToken;
    // A lone option (-p, --port) takes the next argument as its value when it is a string option.
    const lone = (name: string): OptionToken => {
      const takesNext = isString(name) && remaining.length > 0;
      return {
        name,
        rawName: arg,
        value: takesNext ? remaining.shift() : undefined,
        inlineValue: takesNext ? false : undefined,
      };
    };
    if (arg.length === 2 && arg[0] === "-" && arg[1] !== "-") {
      token = lone(longFor(arg.charAt(1)));
    } else if (arg.length > 2 && arg[0] === "-" && arg[1] !== "-") {
      const name = longFor(arg.charAt(1));
      if (!isString(name)) {
        // A group: -abc is -a -b -c, and -abfFILE is -a -b -fFILE.
        const expanded: string[] = [];
        for (let index = 1; index < arg.length; index++) {
          if (!isString(longFor(arg.charAt(index))) || index === arg.length - 1) {
            expanded.push(`-${arg[index]}`);
          } else {
            expanded.push(`-${arg.slice(index)}`);
            break;
          }
        }
        remaining.unshift(...expanded);
        continue;
      }
      token = { name, rawName: `-${arg[1]}`, value: arg.slice(2), inlineValue: true };
    } else if (arg.length > 2 && arg.startsWith("--") && !arg.includes("=", 3)) {
      token = lone(arg.slice(2));
    } else if (arg.startsWith("--")) {
      const equals = arg.indexOf("=", 3);
      const name = arg.slice(2, equals);
      token = { name, rawName: `--${name}`, value: arg.slice(equals + 1), inlineValue: true };
    } else {
      positionals.push(arg);
      continue;
    }
    checkToken(token, options);
    store(token, options, values);
  }
  for (const [name, option] of Object.entries(options)) {
    if (option.default !== undefined && values[name] === undefined) {
      values[name] = option.default as string | boolean | (string | boolean)[];
    }
  }
  return { values, positionals };
}).bind(undefined);

const checkToken = (function checkToken(token: OptionToken, options: ParseArgsOptionsConfig): void {
  const option = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
  if (option === undefined) {
    throw new ParseArgsError(
      `Unknown option '${token.rawName}'. To specify a positional argument starting with a '-', ` +
        `place it at the end of the command after '--', as in '-- ${JSON.stringify(token.rawName)}`,
    );
  }
  const shortAndLong = `${option.short ? `-${option.short}, ` : ""}--${token.name}`;
  if (option.type === "string" && typeof token.value !== "string") {
    throw new ParseArgsError(`Option '${shortAndLong} <value>' argument missing`);
  }
  if (option.type === "boolean" && token.value != null) {
    throw new ParseArgsError(`Option '${shortAndLong}' does not take an argument`);
  }
  if (
    !token.inlineValue && token.value !== undefined && token.value.length > 1 &&
    token.value[0] === "-"
  ) {
    const example = token.rawName.startsWith("--")
      ? `'${token.rawName}=-XYZ'`
      : `'--${token.name}=-XYZ' or '${token.rawName}-XYZ'`;
    throw new ParseArgsError(
      `Option '${token.rawName}' argument is ambiguous.\n` +
        `Did you forget to specify the option argument for '${token.rawName}'?\n` +
        `To specify an option argument starting with a dash use ${example}.`,
    );
  }
}).bind(undefined);

const store = (function store(
  token: OptionToken,
  options: ParseArgsOptionsConfig,
  values: Record<string, string | boolean | (string | boolean)[]>,
): void {
  if (token.name === "__proto__") return;
  const value = token.value ?? true;
  if (options[token.name]?.multiple) {
    const list = values[token.name];
    if (Array.isArray(list)) list.push(value);
    else values[token.name] = [value];
  } else {
    values[token.name] = value;
  }
}).bind(undefined);
