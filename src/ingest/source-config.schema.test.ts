import { Kind, type TSchema } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { CameraSourceConfigSchema, parseSourceConfig, SourceConfigError } from './source-config.schema.js';

describe('parseSourceConfig', () => {
  it('fills defaults for each kind', () => {
    expect(parseSourceConfig({ kind: 'snapshot', url: 'http://10.0.0.7/snap.jpg' })).toEqual({
      kind: 'snapshot',
      url: 'http://10.0.0.7/snap.jpg',
      intervalMs: 1000,
      timeoutMs: 5000,
      maxRedirects: 3,
      reconnect: { initialDelayMs: 1000, maxDelayMs: 60_000 },
    });
    expect(parseSourceConfig({ kind: 'file', path: '/videos/demo.mp4' })).toMatchObject({
      replay: 'realtime',
      loop: false,
      sampleIntervalMs: 1000,
    });
    expect(parseSourceConfig({ kind: 'folder', path: '/inbox' })).toMatchObject({
      order: 'name',
      afterRead: 'move',
    });
    expect(parseSourceConfig({ kind: 'stream', url: 'rtsp://10.0.0.7/live' })).toMatchObject({
      stallTimeoutMs: 30_000,
    });
  });

  it('names the field at fault', () => {
    expect(() => parseSourceConfig({ kind: 'snapshot', url: 'http://x/', intervalMs: 10 })).toThrow(
      /\/intervalMs: /,
    );
    expect(() => parseSourceConfig({ kind: 'file', path: '/v.mp4', replay: 'slow-motion' })).toThrow(
      /\/replay/,
    );
    expect(() => parseSourceConfig({ kind: 'stream', url: 'rtsp://x/', fps: 5 })).toThrow(SourceConfigError);
    expect(() => parseSourceConfig({ kind: 'webcam' })).toThrow(
      /source kind must be one of snapshot, stream, file, folder/,
    );
    expect(() => parseSourceConfig(null)).toThrow(SourceConfigError);
  });

  it('does not change the input it was given', () => {
    const input = { kind: 'folder', path: '/inbox' };
    parseSourceConfig(input);
    expect(input).toEqual({ kind: 'folder', path: '/inbox' });
  });
});

describe('CameraSourceConfigSchema', () => {
  it('describes every field of every kind', () => {
    const undocumented: string[] = [];
    const visit = (schema: TSchema, where: string) => {
      if (schema[Kind] === 'Object') {
        for (const [name, child] of Object.entries(schema.properties as Record<string, TSchema>)) {
          if (!child.description) undocumented.push(`${where}.${name}`);
          visit(child, `${where}.${name}`);
        }
      }
    };
    for (const variant of CameraSourceConfigSchema.anyOf)
      visit(variant, variant.properties.kind.const as string);
    expect(undocumented).toEqual([]);
  });
});
