/**
 * A real Apache httpd 2.4 (Debian's `apache2`) on loopback for the wget tests: one process in the
 * foreground (`-X`), its config, pid file and logs in a directory of the test's, a free port on
 * 127.0.0.1, serving a directory with mod_autoindex's listings. Never the system's instance.
 *
 * @module
 */

import { startPeerOnFreePort } from "./peers.ts";

/** Where Debian's apache2 keeps its modules and mod_autoindex's icons. */
const MODULES = "/usr/lib/apache2/modules";
const ICONS = "/usr/share/apache2/icons";

/** A running Apache. */
export interface Apache extends AsyncDisposable {
  /** The port on 127.0.0.1. */
  port: number;
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  /** The access log: `"REQUEST LINE" STATUS` a line. */
  log: string;
}

/** Options of {@linkcode startApache}. */
export interface ApacheOptions {
  /**
   * Debian's listings (mods-available/autoindex.conf): `FancyIndexing` in an HTML table, icons
   * from `/icons/`, `Charset=UTF-8`, dot files left out (`IndexIgnore .??*`). Without it, Apache's
   * own default: a plain list (`<ul>`) without icons or sort links (`?C=N;O=D`),
   * `text/html;charset=ISO-8859-1`.
   */
  fancy?: boolean;
  /**
   * `Options +FollowSymLinks` (Debian's default for /var/www); without it a symlink is left out of
   * the listing and a 403 when asked for.
   */
  followSymlinks?: boolean;
  /** More directives at the config's end (`KeepAliveTimeout 100ms`, `MaxKeepAliveRequests 3`). */
  config?: string;
}

/** Debian's autoindex.conf, the lines that shape a listing. */
const DEBIAN_AUTOINDEX = `
IndexOptions FancyIndexing VersionSort HTMLTable NameWidth=* DescriptionWidth=* Charset=UTF-8
AddIconByType (TXT,/icons/text.gif) text/*
AddIconByType (IMG,/icons/image2.gif) image/*
AddIcon /icons/binary.gif .bin .exe
AddIcon /icons/layout.gif .html .shtml .htm .pdf
AddIcon /icons/text.gif .txt
AddIcon /icons/back.gif ..
AddIcon /icons/hand.right.gif README
AddIcon /icons/folder.gif ^^DIRECTORY^^
AddIcon /icons/blank.gif ^^BLANKICON^^
DefaultIcon /icons/unknown.gif
ReadmeName README.html
HeaderName HEADER.html
IndexIgnore .??* *~ *# RCS CVS *,v *,t
`;

/**
 * Starts Apache serving `root` with listings (`Options +Indexes`, `DirectoryIndex index.html`),
 * `/icons/` aliased to Debian's icons, everything else in `dir`. Running as root, its process
 * serves as `www-data`: `root` and `dir` must let others in (`0755`; the test's temporary
 * directories are `0700`).
 *
 * Its access log starts each line with the time the request began, in microseconds. Apache writes
 * a line once the answer has gone, and the last request of a connection it closes (at
 * MaxKeepAliveRequests) only as the connection ends: a CI run saw that request logged after the
 * next one, sent on a new connection. `inArrivalOrder` (access_log.ts) puts them back.
 */
export async function startApache(
  dir: string,
  root: string,
  options: ApacheOptions = {},
): Promise<Apache> {
  const log = `${dir}/apache-access.log`;
  const peer = await startPeerOnFreePort(async (port) => {
    const config = `${dir}/apache-${port}.conf`;
    const modules = ["mpm_event", "authz_core", "dir", "autoindex", "mime", "alias"];
    await Deno.writeTextFile(
      config,
      `ServerRoot ${dir}
Listen 127.0.0.1:${port}
PidFile ${dir}/apache-${port}.pid
ErrorLog ${dir}/apache-error.log
${modules.map((name) => `LoadModule ${name}_module ${MODULES}/mod_${name}.so`).join("\n")}
User www-data
Group www-data
ServerName 127.0.0.1
TypesConfig /etc/mime.types
DocumentRoot ${root}
LogFormat "%{begin:usec}t \\"%r\\" %>s" requests
CustomLog ${log} requests
DirectoryIndex index.html
Alias /icons/ ${ICONS}/
<Directory ${ICONS}>
  Require all granted
</Directory>
<Directory ${root}>
  Options +Indexes ${options.followSymlinks ? "+FollowSymLinks" : "-FollowSymLinks"}
  Require all granted
</Directory>
${options.fancy ? DEBIAN_AUTOINDEX : ""}
${options.config ?? ""}
`,
    );
    return ["apache2", "-X", "-f", config];
  });
  const { port } = peer;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    log,
    [Symbol.asyncDispose]: () => peer[Symbol.asyncDispose](),
  };
}
