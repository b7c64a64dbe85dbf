import { describe, expect, it } from 'vitest';
import { accessPolicyFromEnv } from '../config/camera-access.js';
import { compileAccessPolicy, hostMatches } from './access-policy.js';

describe('compileAccessPolicy', () => {
  it('keeps the safe defaults', () => {
    const policy = compileAccessPolicy();
    expect(policy.source.allowPrivate).toBe(true);
    expect(policy.source.allowLoopback).toBe(false);
    expect(policy.localFileRoots).toEqual([]);
    expect(policy.denyHosts).toContain('metadata.google.internal');
  });
  it('names the field and the value of a bad entry', () => {
    expect(() => compileAccessPolicy({ allowCidrs: ['10.0.0.0/33'] })).toThrow(
      /allowCidrs entry "10.0.0.0\/33"/,
    );
    expect(() => compileAccessPolicy({ denyHosts: ['http://x'] })).toThrow(/denyHosts entry "http:\/\/x"/);
    expect(() => compileAccessPolicy({ folderRoots: ['relative/dir'] })).toThrow(/must be an absolute path/);
  });
});

describe('accessPolicyFromEnv', () => {
  it('reads lists and switches', () => {
    const policy = accessPolicyFromEnv({
      CAMERA_ALLOW_CIDRS: '203.0.113.0/24, 198.51.100.7',
      CAMERA_ALLOW_LOOPBACK: 'true',
      CAMERA_ALLOW_PRIVATE: '0',
    });
    expect(policy.allowCidrs).toHaveLength(2);
    expect(policy.source.allowLoopback).toBe(true);
    expect(policy.source.allowPrivate).toBe(false);
  });
  it('names the variable that holds a bad value', () => {
    expect(() => accessPolicyFromEnv({ CAMERA_DENY_CIDRS: '10.0.0.0/8,nonsense' })).toThrow(
      /^CAMERA_DENY_CIDRS: denyCidrs entry "nonsense"/,
    );
    expect(() => accessPolicyFromEnv({ CAMERA_ALLOW_LOOPBACK: 'yes please' })).toThrow(
      /CAMERA_ALLOW_LOOPBACK must be/,
    );
  });
});

describe('hostMatches', () => {
  it('matches exact names and sub-domains of wildcard patterns, not look-alikes', () => {
    expect(hostMatches('Cam.Example.com.', ['cam.example.com'])).toBe(true);
    expect(hostMatches('a.b.example.com', ['*.example.com'])).toBe(true);
    expect(hostMatches('example.com', ['*.example.com'])).toBe(false);
    expect(hostMatches('badexample.com', ['*.example.com'])).toBe(false);
  });
});
