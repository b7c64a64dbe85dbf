import { describe, expect, it } from 'vitest';
import { compileAccessPolicy } from './access-policy.js';
import { checkSourceAccess, createSource } from './create-source.js';
import { CameraUrlRefusedError } from './ingest-errors.js';
import type { Resolver } from './url-guard.js';

const resolver: Resolver = async (hostname) => {
  if (hostname === 'gate-3.cams.local') return [{ address: '10.8.0.3', family: 4 }];
  if (hostname === 'evil.example') return [{ address: '169.254.169.254', family: 4 }];
  throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
};
const policy = compileAccessPolicy();

describe('createSource', () => {
  it('builds the source of each kind without connecting', () => {
    const deps = { policy, resolver };
    expect(
      createSource({ kind: 'snapshot', url: 'http://gate-3.cams.local/snap.jpg' } as never, deps).kind,
    ).toBe('snapshot');
    expect(createSource({ kind: 'stream', url: 'rtsp://gate-3.cams.local/live' } as never, deps).kind).toBe(
      'stream',
    );
    expect(createSource({ kind: 'file', path: '/videos/demo.mp4' } as never, deps).kind).toBe('file');
    expect(createSource({ kind: 'folder', path: '/inbox' } as never, deps).health.state).toBe('starting');
  });
});

describe('checkSourceAccess', () => {
  it('passes a camera on a private network', async () => {
    await expect(
      checkSourceAccess({ kind: 'stream', url: 'rtsp://gate-3.cams.local/live' } as never, {
        policy,
        resolver,
      }),
    ).resolves.toBeUndefined();
  });
  it('refuses what the worker would refuse', async () => {
    const refused = (config: unknown) => checkSourceAccess(config as never, { policy, resolver });
    await expect(refused({ kind: 'snapshot', url: 'http://evil.example/x.jpg' })).rejects.toBeInstanceOf(
      CameraUrlRefusedError,
    );
    await expect(refused({ kind: 'snapshot', url: 'rtsp://gate-3.cams.local/live' })).rejects.toMatchObject({
      code: 'refused_scheme',
    });
    await expect(refused({ kind: 'file', path: '/etc/passwd' })).rejects.toMatchObject({
      code: 'refused_path',
    });
    await expect(refused({ kind: 'folder', path: '/srv/inbox' })).rejects.toMatchObject({
      message: /folderRoots is empty/,
    });
  });
});
