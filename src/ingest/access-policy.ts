import path from 'node:path';
import ipaddr from 'ipaddr.js';

/**
 * Which cameras an ingest worker may reach. A camera URL is entered by staff, but a worker that fetches any
 * URL it is given is a door into the network it runs in (cloud metadata, the database, the admin API), so
 * the defaults admit only what cameras use: private networks over http, https and rtsp.
 */
export interface CameraAccessPolicy {
  /** Extra networks cameras may be on, as CIDRs or single addresses (public vendor ranges, a TEST-NET in tests). */
  allowCidrs: string[];
  /** Networks refused even when another rule would allow them; wins over every allow. */
  denyCidrs: string[];
  /** Host names (exact, or `*.suffix`) whose public unicast addresses are allowed, for cloud-hosted cameras. */
  allowHosts: string[];
  /** Host names (exact, or `*.suffix`) refused whatever they resolve to. */
  denyHosts: string[];
  /** RFC 1918, IPv6 unique-local and carrier-grade NAT ranges, where camera networks live. Default true. */
  allowPrivate: boolean;
  /** 127.0.0.0/8 and ::1; only for tests and demos on one machine. Default false. */
  allowLoopback: boolean;
  /** Multicast groups (some RTSP deployments). Default false. */
  allowMulticast: boolean;
  /** Directories whose video files may be replayed (`file` sources, `file:` URLs); empty refuses them all. */
  localFileRoots: string[];
  /** Directories that folder sources may watch; empty refuses folder sources. */
  folderRoots: string[];
}

export const DEFAULT_CAMERA_ACCESS_POLICY: Readonly<CameraAccessPolicy> = Object.freeze({
  allowCidrs: [],
  denyCidrs: [],
  allowHosts: [],
  denyHosts: [],
  allowPrivate: true,
  allowLoopback: false,
  allowMulticast: false,
  localFileRoots: [],
  folderRoots: [],
});

/**
 * Instance metadata services hand out cloud credentials; no camera ever lives there, so no configuration
 * opens them. Link-local ones are refused as link-local anyway; the others sit inside ranges that are
 * otherwise allowed (Alibaba Cloud's inside carrier-grade NAT, AWS's IPv6 one inside unique-local).
 */
const METADATA_CIDRS = ['169.254.169.254/32', '169.254.170.2/32', '100.100.100.200/32', 'fd00:ec2::254/128'];
const METADATA_HOSTS = ['metadata', 'metadata.google.internal', 'metadata.tencentyun.com', 'instance-data'];

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

export interface CompiledAccessPolicy {
  readonly source: Readonly<CameraAccessPolicy>;
  readonly metadataCidrs: readonly Cidr[];
  readonly allowCidrs: readonly Cidr[];
  readonly denyCidrs: readonly Cidr[];
  readonly allowHosts: readonly string[];
  readonly denyHosts: readonly string[];
  readonly localFileRoots: readonly string[];
  readonly folderRoots: readonly string[];
}

export class AccessPolicyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccessPolicyConfigError';
  }
}

/** Validates once, at start-up, so that a typo in a CIDR stops the worker instead of silently allowing nothing. */
export function compileAccessPolicy(overrides: Partial<CameraAccessPolicy> = {}): CompiledAccessPolicy {
  const source: CameraAccessPolicy = { ...DEFAULT_CAMERA_ACCESS_POLICY, ...overrides };
  return {
    source: Object.freeze(source),
    metadataCidrs: METADATA_CIDRS.map((text) => parseCidr(text, 'metadata')),
    allowCidrs: source.allowCidrs.map((text) => parseCidr(text, 'allowCidrs')),
    denyCidrs: source.denyCidrs.map((text) => parseCidr(text, 'denyCidrs')),
    allowHosts: source.allowHosts.map((text) => parseHostPattern(text, 'allowHosts')),
    denyHosts: [...METADATA_HOSTS, ...source.denyHosts.map((text) => parseHostPattern(text, 'denyHosts'))],
    localFileRoots: source.localFileRoots.map((dir) => parseRoot(dir, 'localFileRoots')),
    folderRoots: source.folderRoots.map((dir) => parseRoot(dir, 'folderRoots')),
  };
}

function parseCidr(text: string, field: string): Cidr {
  const trimmed = text.trim();
  try {
    if (trimmed.includes('/')) return ipaddr.parseCIDR(trimmed);
    const address = ipaddr.parse(trimmed);
    return [address, address.kind() === 'ipv4' ? 32 : 128];
  } catch {
    throw new AccessPolicyConfigError(
      `${field} entry "${text}" is not an IP address or a CIDR such as 10.20.0.0/16`,
    );
  }
}

function parseHostPattern(text: string, field: string): string {
  const pattern = text.trim().toLowerCase().replace(/\.$/, '');
  if (!/^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(pattern)) {
    throw new AccessPolicyConfigError(`${field} entry "${text}" is not a host name or a "*.domain" pattern`);
  }
  return pattern;
}

function parseRoot(dir: string, field: string): string {
  if (!path.isAbsolute(dir))
    throw new AccessPolicyConfigError(`${field} entry "${dir}" must be an absolute path`);
  return path.resolve(dir);
}

export function hostMatches(hostname: string, patterns: readonly string[]): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return patterns.some((pattern) =>
    pattern.startsWith('*.')
      ? host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1
      : host === pattern,
  );
}
