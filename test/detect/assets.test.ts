import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetError, ensureAssets } from '../../scripts/assets.js';

const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const weights = Buffer.from('pretend model weights '.repeat(100));
const clip = Buffer.from('pretend video bytes '.repeat(100));

let scratch: string;
let server: Server;
let baseUrl: string;
let served = 0;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'assets-test-'));
  server = createServer((req, res) => {
    served++;
    if (req.url === '/clip.mp4') res.end(clip);
    else if (req.url === '/changed.mp4') res.end(Buffer.from('someone replaced this file'));
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** A repository root with its own assets.manifest.json and a ../shared beside it. */
async function project(name: string, assets: object[]): Promise<{ root: string; shared: string }> {
  const root = path.join(scratch, name, 'repo');
  const shared = path.join(scratch, name, 'shared');
  await mkdir(root, { recursive: true });
  await mkdir(path.join(shared, 'models'), { recursive: true });
  await writeFile(path.join(root, 'assets.manifest.json'), JSON.stringify({ assets }));
  return { root, shared };
}

const model = (hash = sha(weights)) => ({
  name: 'model',
  path: 'models/m.onnx',
  sha256: hash,
  licence: 'Apache-2.0',
  url: 'http://127.0.0.1:9/unused',
});

describe('ensureAssets', () => {
  it('copies from ../shared, then finds the file present on the next run', async () => {
    const { root, shared } = await project('copy', [model()]);
    await writeFile(path.join(shared, 'models/m.onnx'), weights);
    const first = await ensureAssets({ root });
    expect(first).toEqual([{ name: 'model', path: path.join(root, 'models/m.onnx'), status: 'copied' }]);
    expect(await readFile(path.join(root, 'models/m.onnx'))).toEqual(weights);
    expect((await ensureAssets({ root }))[0]!.status).toBe('present');
  });

  it('replaces a present file whose hash is wrong', async () => {
    const { root, shared } = await project('stale', [model()]);
    await writeFile(path.join(shared, 'models/m.onnx'), weights);
    await mkdir(path.join(root, 'models'));
    await writeFile(path.join(root, 'models/m.onnx'), 'truncated');
    const lines: string[] = [];
    expect((await ensureAssets({ root, log: (l) => lines.push(l) }))[0]!.status).toBe('copied');
    expect(lines.join('\n')).toMatch(/SHA-256 differs/);
    expect(await readFile(path.join(root, 'models/m.onnx'))).toEqual(weights);
  });

  it('fails clearly on a hash mismatch and leaves nothing behind', async () => {
    const { root, shared } = await project('mismatch', [model('a'.repeat(64))]);
    await writeFile(path.join(shared, 'models/m.onnx'), weights);
    const err = await ensureAssets({ root }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AssetError);
    expect((err as Error).message).toContain(`has SHA-256 ${sha(weights)}`);
    expect((err as Error).message).toContain(`expects ${'a'.repeat(64)}`);
    expect(existsSync(path.join(root, 'models/m.onnx'))).toBe(false);
    expect(existsSync(path.join(root, 'models'))).toBe(true);
  });

  it('downloads what ../shared lacks and verifies it', async () => {
    const video = { name: 'clip', path: 'fixtures/video/clip.mp4', sha256: sha(clip), licence: 'CC-BY-4.0' };
    const { root } = await project('download', [{ ...video, url: `${baseUrl}/clip.mp4` }]);
    const before = served;
    expect((await ensureAssets({ root }))[0]!.status).toBe('downloaded');
    expect(served).toBe(before + 1);
    expect(await readFile(path.join(root, 'fixtures/video/clip.mp4'))).toEqual(clip);

    const changed = await project('changed', [{ ...video, url: `${baseUrl}/changed.mp4` }]);
    await expect(ensureAssets({ root: changed.root })).rejects.toThrow(/changed\.mp4 has SHA-256 .* expects/);
    const gone = await project('gone', [{ ...video, url: `${baseUrl}/missing.mp4` }]);
    await expect(ensureAssets({ root: gone.root })).rejects.toThrow(/HTTP 404/);
  });

  it('names unknown assets and refuses to download when told not to', async () => {
    const { root } = await project('offline', [model()]);
    await expect(ensureAssets({ root, only: ['nope'] })).rejects.toThrow(/unknown asset nope; known: model/);
    await expect(ensureAssets({ root, download: false })).rejects.toThrow(
      /no copy at .* and downloading is off/,
    );
  });

  it('knows the project assets, with hashes and licences', async () => {
    const results = await ensureAssets({ only: ['yolox-nano'] });
    expect(results[0]!.path.endsWith(path.join('models', 'yolox_nano.onnx'))).toBe(true);
  });
});
