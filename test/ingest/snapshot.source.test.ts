import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileAccessPolicy } from '../../src/ingest/access-policy.js';
import { createSource } from '../../src/ingest/create-source.js';
import { FrameSequencer } from '../../src/ingest/frame-sequencer.js';
import { IngestError } from '../../src/ingest/ingest-errors.js';
import { fetchSnapshot } from '../../src/ingest/snapshot.source.js';
import { FsBlobStore } from '../../src/storage/fs-blob-store.adapter.js';
import { FrameStore, sha256Hex } from '../../src/storage/frame-store.js';
import {
  closedPort,
  collect,
  errorsOf,
  extractTestFrames,
  framesOf,
  pngBombHeader,
  scrambledJpeg,
  startServer,
  type Handler,
  type TestFrames,
} from '../support/ingest-fixtures.js';

// Loopback is where the test camera lives; 192.0.2.0/24 (TEST-NET-1) is opened only to test an unreachable host.
const policy = compileAccessPolicy({ allowLoopback: true, allowCidrs: ['192.0.2.0/24'] });

let frames: TestFrames;
let server: Awaited<ReturnType<typeof startServer>>;
let storeDir: string;

const image =
  (bytes: () => Buffer, type = 'image/jpeg'): Handler =>
  (_request, response) => {
    response.writeHead(200, { 'content-type': type }).end(bytes());
  };
const redirect =
  (location: () => string): Handler =>
  (_request, response) => {
    response.writeHead(302, { location: location() }).end();
  };

/** Serves the next item of a fixed playlist on each request: a camera that sometimes sends garbage. */
function playlist(items: Array<[string, () => Buffer]>): Handler {
  let next = 0;
  return (_request, response) => {
    const [type, bytes] = items[next++ % items.length]!;
    response.writeHead(200, { 'content-type': type }).end(bytes());
  };
}

beforeAll(async () => {
  frames = await extractTestFrames(4);
  storeDir = await mkdtemp(path.join(os.tmpdir(), 'snapshot-store-'));
  let counter = 0;
  server = await startServer({
    '/frame.jpg': image(() => frames.jpegs[counter++ % frames.jpegs.length]!),
    '/still.png': image(() => frames.png, 'image/png'),
    '/corrupt.jpg': image(() => scrambledJpeg(frames.jpegs[0]!)),
    '/empty.jpg': image(() => Buffer.alloc(0)),
    '/bomb.png': image(() => pngBombHeader(), 'image/png'),
    '/login.html': image(() => Buffer.from('<html>please log in</html>'), 'text/html; charset=utf-8'),
    '/jpeg-as-text': image(() => frames.jpegs[0]!, 'text/plain'),
    '/to-metadata': redirect(() => 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'),
    '/to-file': redirect(() => 'file:///etc/passwd'),
    '/to-frame': redirect(() => '/frame.jpg'),
    '/loop': redirect(() => '/loop'),
    '/server-error': (_request, response) => response.writeHead(500).end('boom'),
    '/endless': (_request, response) => {
      response.writeHead(200, { 'content-type': 'image/jpeg' });
      const chunk = Buffer.alloc(64 * 1024, 0xab);
      const pump = () => {
        while (!response.destroyed && response.write(chunk));
        if (!response.destroyed) response.once('drain', pump);
      };
      pump();
    },
    '/silent': () => undefined,
    '/flaky': playlist([
      ['image/jpeg', () => frames.jpegs[0]!],
      ['image/jpeg', () => scrambledJpeg(frames.jpegs[1]!)],
      ['image/jpeg', () => Buffer.alloc(0)],
      ['image/png', () => pngBombHeader()],
      ['text/html', () => Buffer.from('<html>busy</html>')],
      ['image/jpeg', () => frames.jpegs[2]!],
      ['image/jpeg', () => frames.jpegs[3]!],
    ]),
  });
});
afterAll(async () => {
  await server?.close();
  await frames?.cleanup();
  await rm(storeDir, { recursive: true, force: true });
});

// Ample for a loopback answer on a busy machine; only the test of the time limit itself sets a short one.
const fetchWith = (url: string, timeoutMs = 15_000) =>
  fetchSnapshot(url, { policy, timeoutMs, maxRedirects: 3 });

async function failure(url: string, timeoutMs?: number): Promise<IngestError> {
  const error = await fetchWith(url, timeoutMs).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof IngestError))
    throw new Error(`expected an IngestError for ${url}, got ${String(error)}`);
  return error;
}

describe('fetchSnapshot against a real HTTP camera', () => {
  it('returns the JPEG exactly as served', async () => {
    const frame = await fetchWith(server.url('/frame.jpg'));
    expect(frames.jpegs.map(sha256Hex)).toContain(sha256Hex(frame.bytes));
    expect(frame).toMatchObject({ width: 320, height: 240, clock: 'host' });
    expect(frame.sourceInfo.origin).toBe(server.url('/frame.jpg'));
  });

  it('converts a PNG snapshot to JPEG', async () => {
    const frame = await fetchWith(server.url('/still.png'));
    expect(frame.sourceInfo.convertedFrom).toBe('png');
    expect(frame.bytes.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  });

  it('follows a redirect that stays on an allowed address', async () => {
    const frame = await fetchWith(server.url('/to-frame'));
    expect(frame.sourceInfo.origin).toBe(server.url('/frame.jpg'));
  });

  it.each([
    ['/corrupt.jpg', 'corrupt', /does not decode/],
    ['/empty.jpg', 'empty', /empty \(0 bytes\)/],
    ['/bomb.png', 'too_large', /30000 x 30000/],
    ['/login.html', 'bad_content_type', /"text\/html; charset=utf-8" is not image\/jpeg or image\/png/],
    ['/jpeg-as-text', 'bad_content_type', /text\/plain/],
    ['/to-metadata', 'refused_address', /169\.254\.169\.254 is a cloud instance-metadata address/],
    ['/to-file', 'refused_scheme', /scheme "file:" is refused/],
    ['/loop', 'too_many_redirects', /more than 3 redirects/],
    ['/server-error', 'bad_status', /answered HTTP 500/],
    ['/endless', 'too_large', /passed 16777216 bytes; cut off/],
  ])('%s fails with %s', async (pathname, code, message) => {
    const error = await failure(server.url(pathname));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('gives up on a camera that never answers, within the time limit', async () => {
    const started = Date.now();
    const error = await failure(server.url('/silent'), 300);
    expect(error.code).toBe('timeout');
    expect(error.message).toMatch(/no complete answer within 300 ms/);
    // The camera never answers, so only our limit ends the wait. The bound leaves a busy machine room to be late
    // while still failing a fetch that waited on some longer limit (the HTTP client's own are minutes).
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it.each([
    ['file:///etc/passwd', 'refused_scheme'],
    ['http://169.254.169.254/latest/meta-data/', 'refused_address'],
    ['http://[fd00:ec2::254]/latest/meta-data/', 'refused_address'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'refused_address'],
    ['rtsp://127.0.0.1/stream', 'refused_scheme'],
  ])('refuses %s before connecting', async (url, code) => {
    expect((await failure(url)).code).toBe(code);
  });

  it('reports a closed port and an unrouted TEST-NET address as unreachable or timed out', async () => {
    const closed = await failure(`http://127.0.0.1:${await closedPort()}/snapshot.jpg`);
    expect(closed.code).toBe('unreachable');
    expect(closed.message).toMatch(/cannot connect \(ECONNREFUSED\)/);
    const unrouted = await failure('http://192.0.2.1/snapshot.jpg', 500);
    expect(['unreachable', 'timeout']).toContain(unrouted.code);
  });
});

describe('SnapshotSource', () => {
  it('keeps polling through bad frames: errors are events, good frames get increasing seq and stored hashes', async () => {
    const source = createSource(
      {
        kind: 'snapshot',
        url: server.url('/flaky'),
        intervalMs: 100,
        timeoutMs: 15_000,
        maxRedirects: 0,
        reconnect: { initialDelayMs: 100, maxDelayMs: 1000 },
      },
      { policy, random: () => 0 },
    );
    const events = await collect(source, (seen) => framesOf(seen).length === 3);
    await source.close();

    expect(errorsOf(events).map((e) => e.code)).toEqual([
      'corrupt',
      'empty',
      'too_large',
      'bad_content_type',
    ]);
    expect(source.health).toMatchObject({
      framesEmitted: 3,
      errors: 4,
      consecutiveErrors: 0,
      state: 'closed',
    });

    const store = new FrameStore(new FsBlobStore(storeDir));
    const sequencer = new FrameSequencer();
    const seqs: number[] = [];
    for (const frame of framesOf(events)) {
      const stored = await store.put(frame.bytes);
      const { seq } = sequencer.next('cam-flaky', { ...frame, proposedAt: frame.capturedAt });
      seqs.push(seq);
      expect(stored.sha256).toBe(sha256Hex(frame.bytes));
      expect(sha256Hex(await store.get(stored.sha256))).toBe(stored.sha256);
    }
    expect(seqs).toEqual([1, 2, 3]);
    expect(framesOf(events).map((f) => sha256Hex(f.bytes))).toEqual(
      [frames.jpegs[0]!, frames.jpegs[2]!, frames.jpegs[3]!].map(sha256Hex),
    );
  });

  it('ends its iteration promptly when closed while waiting', async () => {
    const source = createSource(
      { kind: 'snapshot', url: server.url('/frame.jpg'), intervalMs: 60_000 } as never,
      {
        policy,
      },
    );
    const iterator = source[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ type: 'frame' });
    const pending = iterator.next();
    await source.close();
    expect(await pending).toEqual({ done: true, value: undefined });
  });
});
