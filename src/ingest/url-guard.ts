import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ipaddr from 'ipaddr.js';
import { hostMatches, type CompiledAccessPolicy } from './access-policy.js';
import { CameraUrlRefusedError, redactUrl, SourceFailureError } from './ingest-errors.js';

export type CameraScheme = 'http' | 'https' | 'rtsp' | 'file';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Turns a host name into addresses; the system resolver by default, a plain function in tests. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) => {
  const found = await dnsLookup(hostname, { all: true, verbatim: true });
  return found.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

export interface CheckedNetworkUrl {
  scheme: Exclude<CameraScheme, 'file'>;
  url: URL;
  /** The host without IPv6 brackets, as the TLS server name and Host header use it. */
  hostname: string;
  /** Every address the host resolved to, each one checked; connections go only to these. */
  addresses: ResolvedAddress[];
  /** For logs and errors: credentials removed. */
  display: string;
}

export interface CheckedFileUrl {
  scheme: 'file';
  /** The real path (symbolic links resolved) inside one of the local file roots. */
  path: string;
  display: string;
}

export type CheckedCameraUrl = CheckedNetworkUrl | CheckedFileUrl;

export type AddressVerdict = { allowed: true } | { allowed: false; reason: string };

/**
 * Decides one address. Order matters: metadata services and the deny list refuse first, the allow list then
 * admits, and only then do the address's own kind and the policy's switches decide.
 */
export function checkAddress(
  address: string,
  policy: CompiledAccessPolicy,
  hostname?: string,
): AddressVerdict {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    return { allowed: false, reason: `"${address}" is not an IP address` };
  }
  // ::ffff:127.0.0.1 reaches 127.0.0.1; judge it as what it reaches.
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  if (matchesAny(parsed, policy.metadataCidrs)) {
    return { allowed: false, reason: `${address} is a cloud instance-metadata address, never a camera` };
  }
  if (matchesAny(parsed, policy.denyCidrs)) return { allowed: false, reason: `${address} is in denyCidrs` };
  if (matchesAny(parsed, policy.allowCidrs)) return { allowed: true };

  const range = parsed.range();
  const { source } = policy;
  switch (range) {
    case 'loopback':
      return source.allowLoopback
        ? { allowed: true }
        : { allowed: false, reason: `${address} is a loopback address (allowLoopback is off)` };
    case 'private':
    case 'uniqueLocal':
    case 'carrierGradeNat':
      return source.allowPrivate
        ? { allowed: true }
        : { allowed: false, reason: `${address} is a private address (allowPrivate is off)` };
    case 'multicast':
      return source.allowMulticast
        ? { allowed: true }
        : { allowed: false, reason: `${address} is a multicast address (allowMulticast is off)` };
    case 'linkLocal':
      return { allowed: false, reason: `${address} is link-local, where cloud metadata services answer` };
    case 'unspecified':
    case 'broadcast':
      return { allowed: false, reason: `${address} is the ${range} address` };
    case 'unicast':
      return hostname !== undefined && hostMatches(hostname, policy.allowHosts)
        ? { allowed: true }
        : { allowed: false, reason: `${address} is a public address outside allowCidrs and allowHosts` };
    default:
      return { allowed: false, reason: `${address} is in the special-purpose range "${range}"` };
  }
}

export interface CheckUrlOptions {
  /** Schemes the caller can handle; `file` is further limited to the policy's local file roots. */
  schemes: readonly CameraScheme[];
  resolver?: Resolver;
}

/**
 * Parses a camera URL, checks its scheme and host, resolves the host and checks every address it resolves to
 * (one refused address refuses the URL: a resolver may rotate through them). The caller must connect only to
 * the returned addresses, e.g. with `pinnedLookup`, so that a second DNS answer cannot differ from the first.
 */
export async function checkCameraUrl(
  raw: string | URL,
  policy: CompiledAccessPolicy,
  options: CheckUrlOptions,
): Promise<CheckedCameraUrl> {
  let url: URL;
  try {
    url = new URL(raw.toString());
  } catch {
    throw new CameraUrlRefusedError('bad_url', `"${redactUrl(raw)}" is not a valid URL`);
  }
  const display = redactUrl(url);
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  if (!isAllowedScheme(scheme, options.schemes)) {
    const allowed = options.schemes.map((s) => `${s}:`).join(', ');
    throw new CameraUrlRefusedError(
      'refused_scheme',
      `${display}: scheme "${scheme}:" is refused; allowed: ${allowed}`,
    );
  }
  if (scheme === 'file') {
    let filePath: string;
    try {
      filePath = fileURLToPath(url);
    } catch {
      throw new CameraUrlRefusedError(
        'bad_url',
        `${display}: a file URL must name a local path (file:///...)`,
      );
    }
    return { scheme, path: await checkLocalPath(filePath, policy.localFileRoots, 'localFileRoots'), display };
  }

  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (hostname === '') throw new CameraUrlRefusedError('bad_url', `${display}: the URL has no host`);
  if (hostMatches(hostname, policy.denyHosts)) {
    throw new CameraUrlRefusedError(
      'refused_address',
      `${display}: host "${hostname}" is refused (denyHosts)`,
    );
  }
  const addresses = await resolveHost(hostname, options.resolver ?? systemResolver, display);
  for (const { address } of addresses) {
    const verdict = checkAddress(address, policy, hostname);
    if (!verdict.allowed) {
      throw new CameraUrlRefusedError('refused_address', `${display}: refused because ${verdict.reason}`);
    }
  }
  return { scheme, url, hostname, addresses, display };
}

/**
 * A `lookup` for net/http/https that answers only with already checked addresses, so the socket goes where
 * the guard looked. Host names are never resolved again, which closes the DNS-rebinding gap.
 */
export function pinnedLookup(addresses: readonly ResolvedAddress[]) {
  return (
    hostname: string,
    options: LookupOptions | number,
    callback: (
      error: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void,
  ): void => {
    const opts: LookupOptions = typeof options === 'number' ? { family: options } : options;
    const wanted = opts.family === 4 || opts.family === 6 ? opts.family : undefined;
    const usable = addresses.filter((a) => wanted === undefined || a.family === wanted);
    if (usable.length === 0) {
      const error: NodeJS.ErrnoException = new Error(`No checked IPv${wanted} address for ${hostname}`);
      error.code = 'ENOTFOUND';
      callback(error, '');
      return;
    }
    if (opts.all)
      callback(
        null,
        usable.map(({ address, family }) => ({ address, family })),
      );
    else callback(null, usable[0]!.address, usable[0]!.family);
  };
}

/**
 * The real path of `target` when it lies inside one of `roots`; symbolic links cannot lead outside. The roots
 * are checked on the path as written before the file system is touched, so a path outside them gets the same
 * answer whether or not it exists: the check is no oracle for what the machine holds.
 */
export async function checkLocalPath(
  target: string,
  roots: readonly string[],
  rootsName: string,
): Promise<string> {
  if (roots.length === 0) {
    throw new CameraUrlRefusedError(
      'refused_path',
      `${target}: local paths are refused (${rootsName} is empty)`,
    );
  }
  const outside = () =>
    new CameraUrlRefusedError('refused_path', `${target}: outside the configured ${rootsName}`);
  const written = path.resolve(target);
  const realRoots = await Promise.all(roots.map((root) => realpath(root).catch(() => root)));
  if (!roots.some((root, i) => isInside(written, root) || isInside(written, realRoots[i]!))) throw outside();
  let real: string;
  try {
    real = await realpath(written);
  } catch {
    throw new CameraUrlRefusedError('refused_path', `${target}: no such file or directory`);
  }
  if (realRoots.some((root) => isInside(real, root))) return real;
  throw outside();
}

function isInside(candidate: string, root: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

function isAllowedScheme(scheme: string, allowed: readonly CameraScheme[]): scheme is CameraScheme {
  return (allowed as readonly string[]).includes(scheme);
}

function matchesAny(
  address: ipaddr.IPv4 | ipaddr.IPv6,
  cidrs: readonly [ipaddr.IPv4 | ipaddr.IPv6, number][],
): boolean {
  return cidrs.some((cidr) => address.kind() === cidr[0].kind() && address.match(cidr));
}

async function resolveHost(
  hostname: string,
  resolver: Resolver,
  display: string,
): Promise<ResolvedAddress[]> {
  if (ipaddr.IPv4.isValidFourPartDecimal(hostname)) return [{ address: hostname, family: 4 }];
  if (ipaddr.IPv6.isValid(hostname)) return [{ address: hostname, family: 6 }];
  let found: ResolvedAddress[];
  try {
    found = await resolver(hostname);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new SourceFailureError('unreachable', `${display}: cannot resolve host "${hostname}" (${code})`, {
      cause: error,
    });
  }
  if (found.length === 0) {
    throw new SourceFailureError('unreachable', `${display}: host "${hostname}" resolved to no address`);
  }
  return found;
}
