import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileAccessPolicy, type CameraAccessPolicy } from './access-policy.js';
import { CameraUrlRefusedError, SourceFailureError } from './ingest-errors.js';
import {
  checkAddress,
  checkCameraUrl,
  checkLocalPath,
  pinnedLookup,
  type ResolvedAddress,
  type Resolver,
} from './url-guard.js';

const NETWORK = ['http', 'https', 'rtsp'] as const;

/** A stand-in DNS: names map to fixed answers; unknown names fail the way getaddrinfo does. */
function fakeDns(table: Record<string, string[]>): Resolver {
  return async (hostname) => {
    const answers = table[hostname];
    if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }) as ResolvedAddress);
  };
}

async function refusal(url: string, overrides: Partial<CameraAccessPolicy> = {}, resolver?: Resolver) {
  const error = await checkCameraUrl(url, compileAccessPolicy(overrides), {
    schemes: NETWORK,
    resolver,
  }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error(`expected ${url} to be refused`);
  return error as CameraUrlRefusedError | SourceFailureError;
}

describe('checkAddress with the default policy', () => {
  const policy = compileAccessPolicy();
  it.each(['10.1.2.3', '172.16.5.4', '192.168.1.64', '100.64.3.2', 'fd12:3456::1'])(
    'allows private %s',
    (a) => {
      expect(checkAddress(a, policy)).toEqual({ allowed: true });
    },
  );
  it.each([
    ['127.0.0.1', /loopback/],
    ['::1', /loopback/],
    ['::ffff:127.0.0.1', /loopback/],
    ['169.254.169.254', /metadata/],
    ['169.254.10.10', /link-local/],
    ['fe80::1', /link-local/],
    ['100.100.100.200', /metadata/],
    ['fd00:ec2::254', /metadata/],
    ['0.0.0.0', /unspecified/],
    ['255.255.255.255', /broadcast/],
    ['239.1.2.3', /multicast/],
    ['8.8.8.8', /public/],
    ['192.0.2.10', /special-purpose/],
  ])('refuses %s', (address, reason) => {
    const verdict = checkAddress(address, policy);
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) expect(verdict.reason).toMatch(reason);
  });
});

describe('checkAddress with configured lists', () => {
  it('lets the deny list win over private and allow lists', () => {
    const policy = compileAccessPolicy({ denyCidrs: ['10.9.0.0/16'], allowCidrs: ['10.9.1.0/24'] });
    expect(checkAddress('10.9.1.5', policy).allowed).toBe(false);
    expect(checkAddress('10.8.1.5', policy).allowed).toBe(true);
  });
  it('never opens metadata services, even when their whole range is allowed', () => {
    const policy = compileAccessPolicy({ allowCidrs: ['169.254.0.0/16', '100.64.0.0/10'] });
    expect(checkAddress('169.254.169.254', policy).allowed).toBe(false);
    expect(checkAddress('100.100.100.200', policy).allowed).toBe(false);
    expect(checkAddress('169.254.1.1', policy).allowed).toBe(true);
  });
  it('opens loopback, multicast and public ranges only when configured', () => {
    const policy = compileAccessPolicy({
      allowLoopback: true,
      allowMulticast: true,
      allowCidrs: ['203.0.113.0/24'],
    });
    expect(checkAddress('127.0.0.1', policy).allowed).toBe(true);
    expect(checkAddress('::1', policy).allowed).toBe(true);
    expect(checkAddress('239.1.2.3', policy).allowed).toBe(true);
    expect(checkAddress('203.0.113.7', policy).allowed).toBe(true);
    expect(checkAddress('8.8.8.8', policy).allowed).toBe(false);
  });
  it('refuses private networks when allowPrivate is off', () => {
    expect(checkAddress('192.168.0.10', compileAccessPolicy({ allowPrivate: false })).allowed).toBe(false);
  });
  it('admits public addresses of allowed host names only', () => {
    const policy = compileAccessPolicy({ allowHosts: ['*.cams.example.com'] });
    expect(checkAddress('8.8.4.4', policy, 'gate1.cams.example.com').allowed).toBe(true);
    expect(checkAddress('8.8.4.4', policy, 'cams.example.com.evil.net').allowed).toBe(false);
    expect(checkAddress('127.0.0.1', policy, 'gate1.cams.example.com').allowed).toBe(false);
  });
});

describe('checkCameraUrl', () => {
  it('accepts a private camera and returns every checked address', async () => {
    const dns = fakeDns({ 'cam-7.district.local': ['10.20.0.7', 'fd00:20::7'] });
    const checked = await checkCameraUrl(
      'rtsp://admin:secret@cam-7.district.local:554/stream1',
      compileAccessPolicy(),
      {
        schemes: NETWORK,
        resolver: dns,
      },
    );
    expect(checked.scheme).toBe('rtsp');
    if (checked.scheme === 'file') throw new Error('unexpected file result');
    expect(checked.addresses.map((a) => a.address)).toEqual(['10.20.0.7', 'fd00:20::7']);
    expect(checked.display).not.toContain('secret');
  });

  it.each([
    'file:///etc/passwd',
    'ftp://10.0.0.1/x.jpg',
    'gopher://10.0.0.1/',
    'javascript:alert(1)',
    'data:,x',
  ])('refuses the scheme of %s', async (url) => {
    const error = await refusal(url);
    expect(error).toBeInstanceOf(CameraUrlRefusedError);
    expect(error.code).toBe('refused_scheme');
  });

  it.each([
    'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://100.100.100.200/latest/meta-data/',
    'http://[::ffff:169.254.169.254]/',
    'http://localhost:8080/',
    'http://2130706433/',
    'http://0x7f.0.0.1/',
    'http://[::]/',
  ])('refuses the address of %s', async (url) => {
    const error = await refusal(url, {}, fakeDns({ localhost: ['127.0.0.1'] }));
    expect(error.code).toBe('refused_address');
  });

  it('refuses a host when any one of its addresses is refused', async () => {
    const error = await refusal(
      'http://mixed.example/',
      {},
      fakeDns({ 'mixed.example': ['10.0.0.5', '127.0.0.1'] }),
    );
    expect(error.code).toBe('refused_address');
    expect(error.message).toMatch(/127\.0\.0\.1 is a loopback address/);
  });

  it('refuses denied host names without asking DNS', async () => {
    const neverAsked: Resolver = async () => {
      throw new Error('resolver must not be called');
    };
    const error = await refusal(
      'http://cam.blocked.example/',
      { denyHosts: ['*.blocked.example'] },
      neverAsked,
    );
    expect(error.message).toMatch(/denyHosts/);
  });

  it('reports an unresolvable host as unreachable', async () => {
    const error = await refusal('http://no-such-camera.invalid/', {}, fakeDns({}));
    expect(error).toBeInstanceOf(SourceFailureError);
    expect(error.code).toBe('unreachable');
    expect(error.message).toMatch(/cannot resolve host "no-such-camera.invalid"/);
  });

  it('keeps credentials out of refusal messages', async () => {
    const error = await refusal('rtsp://admin:hunter2@127.0.0.1/live?pwd=hunter3');
    expect(error.message).not.toMatch(/hunter/);
  });
});

describe('file URLs', () => {
  let root: string;
  let outside: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'guard-root-'));
    outside = await mkdtemp(path.join(os.tmpdir(), 'guard-outside-'));
    await mkdir(path.join(root, 'videos'));
    await writeFile(path.join(root, 'videos', 'demo.avi'), 'x');
    await writeFile(path.join(outside, 'secret.avi'), 'x');
    await symlink(path.join(outside, 'secret.avi'), path.join(root, 'videos', 'link.avi'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  const check = (url: string, roots: string[]) =>
    checkCameraUrl(url, compileAccessPolicy({ localFileRoots: roots }), { schemes: ['file', 'rtsp'] });

  it('allows a file inside a local file root', async () => {
    const checked = await check(pathToFileURL(path.join(root, 'videos', 'demo.avi')).href, [root]);
    expect(checked.scheme === 'file' && checked.path.endsWith(path.join('videos', 'demo.avi'))).toBe(true);
  });
  it('refuses files when no root is configured, outside the roots, or through a symbolic link', async () => {
    const demo = pathToFileURL(path.join(root, 'videos', 'demo.avi')).href;
    await expect(check(demo, [])).rejects.toMatchObject({
      code: 'refused_path',
      message: /localFileRoots is empty/,
    });
    await expect(check(pathToFileURL(path.join(outside, 'secret.avi')).href, [root])).rejects.toMatchObject({
      code: 'refused_path',
    });
    await expect(
      check(pathToFileURL(path.join(root, 'videos', 'link.avi')).href, [root]),
    ).rejects.toMatchObject({
      code: 'refused_path',
    });
    await expect(check(`file://${root}/videos/../../etc/passwd`, [root])).rejects.toMatchObject({
      code: 'refused_path',
    });
  });
  it('answers a path outside the roots the same whether or not the file exists (no existence oracle)', async () => {
    const message = async (target: string) =>
      checkLocalPath(target, [root], 'localFileRoots').then(
        () => 'allowed',
        (e: Error) => e.message.replace(target, 'PATH'),
      );
    const existing = path.join(outside, 'secret.avi');
    expect(await message(existing)).toBe('PATH: outside the configured localFileRoots');
    expect(await message(`${existing}x`)).toBe(await message(existing));
    expect(await message('/etc/passwd')).toBe(await message('/etc/passwdx'));
    // inside a root, a missing file is still said to be missing
    expect(await message(path.join(root, 'videos', 'missing.avi'))).toBe('PATH: no such file or directory');
  });
});

describe('pinnedLookup', () => {
  const lookup = pinnedLookup([
    { address: '10.0.0.7', family: 4 },
    { address: 'fd00::7', family: 6 },
  ]);
  const ask = (options: Parameters<typeof lookup>[1]) =>
    new Promise<{ error: Error | null; address: unknown; family?: number }>((resolve) =>
      lookup('cam.example', options, (error, address, family) => resolve({ error, address, family })),
    );

  it('answers with the checked addresses only, whatever the name', async () => {
    expect(await ask({})).toMatchObject({ error: null, address: '10.0.0.7', family: 4 });
    expect(await ask({ family: 6 })).toMatchObject({ address: 'fd00::7', family: 6 });
    expect((await ask({ all: true })).address).toEqual([
      { address: '10.0.0.7', family: 4 },
      { address: 'fd00::7', family: 6 },
    ]);
  });
  it('fails rather than resolving when no checked address has the asked family', async () => {
    const v4only = pinnedLookup([{ address: '10.0.0.7', family: 4 }]);
    const error = await new Promise<Error | null>((resolve) =>
      v4only('cam', { family: 6 }, (e) => resolve(e)),
    );
    expect(error?.message).toMatch(/No checked IPv6 address/);
  });
});
