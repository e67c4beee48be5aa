/**
 * What the recursion's walk (`recursive.ts`) passes between its parts: queued URLs, what a fetch
 * is to do and what it gave, the names fetches hold with several threads, and the signals thrown
 * out of a download. Private to `lib/download/`.
 *
 * @module
 */

import type { HttpStatusError } from "../http/errors.ts";
import type { UrlParts } from "../http/url.ts";
import type { DownloadResult } from "./download.ts";
import type { HeldBody } from "./_held_body.ts";
import type { FetchLog, RejectReason } from "./recursive_options.ts";

/**
 * With several threads, a change a visit made to the maps of the run's files, and the place in
 * the queue of its URL: a fetch's registration (GNU's register_download, and register_redirection
 * when `url` was redirected to `finalUrl`), or a file its page's reading removed and forgot.
 */
export type Registration =
  & { order: number }
  & ({ url: string; finalUrl: string; file: string } | { deleted: string });

/** One URL waiting in the queue. */
export interface QueueItem {
  url: string;
  /** `url` parsed, when the link checks parsed it already. */
  parsed?: UrlParts | undefined;
  depth: number;
  expectHtml: boolean;
  expectCss: boolean;
  /** The page the link was found on, sent as `Referer` (GNU's recur.c); none for a start URL. */
  referer?: string | undefined;
}

/** A walk's start URL with the parts `-np` compares each link's with (see `#startParts`). */
export interface StartParts {
  start: URL;
  hostname: string;
  protocol: string;
  port: string;
  directory: string;
}

/** The refusals of `#refusalBeforeRobots` on one page: of links not inline, then inline. */
export type PageRefusals = [Map<string, RejectReason>, Map<string, RejectReason>];

/** `#mayFollow`'s refusal when nobody is told of it (no `onRejected`). */
export const refuseQuietly = (_reason: RejectReason): undefined => undefined;

/** What one fetch gave. */
export interface Fetched {
  path: string | undefined;
  finalUrl: string;
  kind: "html" | "css" | "other";
  /** The body's text, kept as it streamed in when it was to be read for links (and not large). */
  text: string | undefined;
  /**
   * A page not saved (read beside another fetch's file: see FileFetch's `#beside`) and too
   * large for its text to be kept: its bytes, its links read from them; the caller disposes it.
   */
  body?: HeldBody | undefined;
}

/** A queued URL fetched (or found saved already), to be read for links. */
export interface Visited {
  path: string | undefined;
  kind: Fetched["kind"];
  /** Whether its links are to be read (a page or stylesheet as expected). */
  descend: boolean;
  text: string | undefined;
  /** Its bytes where its file does not hold them (see `Fetched`); disposed when its visit ends. */
  body?: HeldBody | undefined;
  /** Where it came from after redirects. */
  finalUrl: string;
}

/** A fetch that holds a file's name, with several threads (see `Walker.#fetchReserved`). */
export interface NameHolder {
  /** Its URL's place in the queue; none for robots.txt. */
  order: number | undefined;
  /** Settles when its fetch is done. */
  fetched: Promise<void>;
  /** Settles when it lets the name go: its page read too. */
  settled: Promise<void>;
}

/** A fetch saving a file whose name a redirect may give (see `Walker.holdName`). */
export interface NameHeld extends NameHolder {
  order: number;
  /** Its fetch is done writing the name, or went elsewhere. */
  done: boolean;
  /** Its fetch saved a file there (not an error's nothing, nor an answer read beside). */
  wrote: boolean;
}

/** A file's name held in the order of the queue (see `Walker.holdName`), and how to let it go. */
export interface HeldName {
  /** A fetch after it in the queue wrote the name, or is writing it, first. */
  overtaken: boolean;
  /** The fetch is done (`wrote` a file there, or not): others wait for its page to be read. */
  written: (wrote: boolean) => void;
  /** The fetch was redirected and writes another name: the name is free at once. */
  moved: () => void;
}

/** What {@linkcode Walker.#fetch} is to do besides saving the file. */
export interface FetchHow {
  /**
   * With several threads and `--wait`: waits before a redirect's request, for its host's turn when
   * it leads to another host (see `#fetchAfterWait`).
   */
  redirectWait?: (from: string, to: string) => Promise<void>;
  /** robots.txt: asked without HEAD or `-N`, and a failure is reported but counts for nothing. */
  robots?: boolean;
  /** Keep the body's text for reading links when it is HTML (`expectHtml`) or CSS (either). */
  expectHtml?: boolean;
  expectCss?: boolean;
  /** Keep the body's text whatever its type. */
  keepText?: boolean;
  /** The URL parsed already, to name its file. */
  parsed?: UrlParts | undefined;
  /** Saved under a name of its own (never over a file that is there) and removed once read. */
  temporary?: boolean;
  /** Where `--spider`'s HEAD was redirected to: the GET goes there, as GNU wget's. */
  landed?: string | undefined;
  /** `--spider --content-disposition`: the name the HEAD's header gave, the GET's likely too. */
  headName?: string | undefined;
  /** `--spider`'s HEAD was answered 500 or 501: the GET is the next try (GNU's count). */
  headFailed?: HttpStatusError | undefined;
  /**
   * With several threads, the name this fetch holds in the order of the queue (see `Walker.holdName`):
   * a NAME.tmp that a fetch after it in the queue saved, not yet read, is written over.
   */
  heldName?: HeldName | undefined;
  /** The page of the link fetched (see `QueueItem`), sent as `Referer` over `--referer`'s. */
  referer?: string | undefined;
  /** With several threads: no other task writes the file until this settles (its page read). */
  until?: Promise<void> | undefined;
  /** With several threads: the URL's place in the queue (none for robots.txt). */
  order?: number | undefined;
  /** With several threads: the file's name is taken for this fetch already. */
  reserved?: boolean | undefined;
  /** With several threads: this fetch's own callbacks (`fetchLog`), else the run's. */
  log?: FetchLog | undefined;
  /**
   * With several threads: told once the answer that is saved has come (its status and headers,
   * after any redirect: `finalUrl` is known), before its body.
   */
  onLanded?: ((finalUrl: string) => void) | undefined;
  /**
   * With several threads: settles once this URL's being downloaded already is known for sure (a
   * fetch before it that landed on it done, its page read; the pages before it read).
   */
  landing?: Promise<void> | undefined;
  /** With several threads: settles once the pages before this URL's have been read. */
  previousRead?: Promise<void> | undefined;
  /**
   * With several threads: gives the request slot back (a GET whose answer waits to learn whether
   * a fetch before it takes it, see `OwnGet`), and under `--wait` the host's turn.
   */
  releaseSlot?: (() => void) | undefined;
  /**
   * With several threads: takes a request slot again after `releaseSlot` (once it is free), and
   * under `--wait` the host's turn.
   */
  retakeSlot?: (() => Promise<void>) | undefined;
  /**
   * With several threads and `--wait`: ends this fetch's turn at its host before the fetch is
   * done, its slot kept (its requests are over: a body held until its name is its to take).
   */
  endTurn?: (() => void) | undefined;
  /**
   * With several threads, under `-nd --trust-server-names`: told once the fetch has taken its
   * file's number, or will take none (see `Walker.takeNumber`); undefined where numbers are not so
   * taken in the order of the queue.
   */
  numbered?: (() => void) | undefined;
}

/**
 * With several threads, a queued URL's own GET that went out and whose answer a fetch before it
 * in the queue, redirected to the URL, may take as its own (see `Walker.claimOwnGet`).
 */
export interface OwnGet {
  /** The URL's place in the queue. */
  order: number;
  /** A fetch before it was redirected here and takes the answer (its bytes, under its name). */
  claimed: boolean;
  /** Settles when claimed. */
  claimedSignal: Promise<void>;
  claim: () => void;
  /** The answer saved, handed to the fetch that claimed it; undefined when there is none. */
  handed: Promise<HandedGet | undefined>;
  hand: (handed: HandedGet | undefined) => void;
  /** Settles once the fetch that claimed it has saved it under its own name (or failed to). */
  adopted: Promise<void>;
  adoptedDone: () => void;
}

/** A queued URL's own GET, saved, handed to the fetch that claimed it (see `OwnGet`). */
export interface HandedGet {
  path: string;
  result: DownloadResult;
  kind: Fetched["kind"];
  text: string | undefined;
}

/** GNU's H_REDIRECTED statuses: a redirect, with a Location or without. */
export const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Thrown out of download() at a redirect to a URL whose own GET another fetch takes. */
export class ClaimedRedirect extends Error {
  constructor(readonly to: string, readonly own: OwnGet) {
    super(`Redirected to ${to}, whose own request is under way`);
  }
}

/**
 * Thrown out of download() before the request that follows a redirect to `to`, whose file
 * (`path`, `copy`) is here under `-N --no-if-modified-since` (the target's own file under
 * `--trust-server-names`, else the link's, which the target is saved under): the walker asks
 * with HEAD first (see FileFetch).
 */
export class RedirectToCopy extends Error {
  constructor(
    readonly to: string,
    readonly path: string,
    readonly copy: { mtime: Date; size: number },
  ) {
    super(`Redirected to ${to}, whose file is here`);
  }
}

/**
 * Thrown out of download() before the request that follows a redirect to `to` under `-N` or
 * `-c` with `--content-disposition`, where GNU wget asks for every URL with HEAD first: the
 * walker asks for the target so too, the HEAD naming its file (see FileFetch).
 */
export class RedirectToHead extends Error {
  constructor(readonly to: string) {
    super(`Redirected to ${to}, asked for with HEAD first`);
  }
}

/**
 * Thrown out of download() at a HEAD of `Walker.headCheck` answered 500 or 501 (`error`): the walker's
 * own GET follows, as GNU's http_loop's next try.
 */
export class HeadUnanswered extends Error {
  constructor(readonly error: HttpStatusError) {
    super(error.message);
  }
}

/** What `#fetchReserved` gives for a URL another fetch saved meanwhile (see `FetchHow.landing`). */
export const DOWNLOADED_ALREADY: Fetched = {
  path: undefined,
  finalUrl: "",
  kind: "other",
  text: undefined,
};

/** Adds `holder` to the set of `key` in `map`. */
export function addHolder(
  map: Map<string, Set<NameHolder>>,
  key: string,
  holder: NameHolder,
): void {
  let holders = map.get(key);
  if (!holders) map.set(key, holders = new Set());
  holders.add(holder);
}

/** Takes `holder` out of the set of `key` in `map`, and the set out when it is empty. */
export function deleteHolder(
  map: Map<string, Set<NameHolder>>,
  key: string,
  holder: NameHolder,
): void {
  const holders = map.get(key);
  holders?.delete(holder);
  if (holders?.size === 0) map.delete(key);
}
