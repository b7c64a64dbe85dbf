import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileAccessPolicy } from '../../src/ingest/access-policy.js';
import { createSource } from '../../src/ingest/create-source.js';
import { buildFfmpegArgs } from '../../src/ingest/ffmpeg.source.js';
import { FrameSequencer, type SequencedFrame } from '../../src/ingest/frame-sequencer.js';
import { FsBlobStore } from '../../src/storage/fs-blob-store.adapter.js';
import { FrameStore, sha256Hex } from '../../src/storage/frame-store.js';
import {
  closedPort,
  collect,
  errorsOf,
  framesOf,
  sampleVideoPath,
  startServer,
} from '../support/ingest-fixtures.js';

let video: string;
let scratch: string;
let server: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  video = sampleVideoPath();
  scratch = await mkdtemp(path.join(os.tmpdir(), 'ffmpeg-source-'));
  server = await startServer({
    // An HTTP camera streaming video, then dropping the connection (after about 25 s of the recording).
    '/stream.avi': (_request, response) => {
      response.writeHead(200, { 'content-type': 'video/x-msvideo' });
      createReadStream(video, { end: 2_500_000 }).pipe(response);
    },
    // Headers, then silence: a hung camera.
    '/hung': (_request, response) => {
      response.writeHead(200, { 'content-type': 'video/x-msvideo' });
      response.write(Buffer.alloc(1024));
    },
    '/to-metadata': (_request, response) => {
      response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    },
  });
});
afterAll(async () => {
  await server?.close();
  await rm(scratch, { recursive: true, force: true });
});

const policyFor = (roots: string[]) =>
  compileAccessPolicy({ allowLoopback: true, localFileRoots: roots.map((root) => path.resolve(root)) });

describe('file source (local video through ffmpeg)', () => {
  it('replays as fast as it is read: increasing seq, media timestamps, hashes that match the stored blobs', async () => {
    const source = createSource(
      { kind: 'file', path: video, sampleIntervalMs: 1000, replay: 'as-fast', loop: false },
      { policy: policyFor([path.dirname(video)]) },
    );
    const events = await collect(source, (seen) => framesOf(seen).length === 8);
    await source.close();

    const frames = framesOf(events);
    expect(errorsOf(events)).toEqual([]);
    expect(frames.map((f) => f.sourceInfo.mediaTimeMs)).toEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map((s) => s * 1000),
    );
    expect(frames.every((f) => f.clock === 'media' && f.width === 768 && f.height === 576)).toBe(true);

    const store = new FrameStore(new FsBlobStore(path.join(scratch, 'store')));
    const sequencer = new FrameSequencer();
    const sequenced: SequencedFrame[] = [];
    for (const frame of frames) {
      const stored = await store.put(frame.bytes);
      expect(stored.sha256).toBe(sha256Hex(frame.bytes));
      expect((await store.get(stored.sha256)).equals(frame.bytes)).toBe(true);
      sequenced.push(sequencer.next('replay', { ...frame, proposedAt: frame.capturedAt }));
    }
    expect(sequenced.map((s) => s.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const gaps = sequenced
      .slice(1)
      .map((s, i) => s.capturedAt.getTime() - sequenced[i]!.capturedAt.getTime());
    expect(gaps).toEqual(Array(7).fill(1000));
    expect(new Set(frames.map((f) => sha256Hex(f.bytes))).size).toBe(8);
    expect(source.health.state).toBe('closed');
  });

  it('holds ffmpeg back while the consumer is busy instead of dropping frames', async () => {
    const source = createSource(
      { kind: 'file', path: video, sampleIntervalMs: 2000, replay: 'as-fast', loop: false },
      { policy: policyFor([path.dirname(video)]) },
    );
    const events = await collect(source, (seen) => {
      const end = Date.now() + 150;
      while (Date.now() < end); // a slow detector, blocking like a long inference
      return framesOf(seen).length === 4;
    });
    await source.close();
    expect(framesOf(events).map((f) => f.sourceInfo.mediaTimeMs)).toEqual([0, 2000, 4000, 6000]);
    expect(source.health.framesDropped).toBe(0);
  });

  it('ends after the last frame of a file that is not looped', async () => {
    const source = createSource(
      { kind: 'file', path: video, sampleIntervalMs: 10_000, replay: 'as-fast', loop: false },
      { policy: policyFor([path.dirname(video)]) },
    );
    const events = await collect(source, () => false);
    // 79.5 s of video sampled every 10 s.
    expect(framesOf(events)).toHaveLength(8);
    expect(errorsOf(events)).toEqual([]);
    expect(source.health.state).toBe('ended');
  });

  it('loops a file when asked, its media time running on across the restart', async () => {
    const source = createSource(
      { kind: 'file', path: video, sampleIntervalMs: 20_000, replay: 'as-fast', loop: true },
      { policy: policyFor([path.dirname(video)]) },
    );
    // 79.5 s of video gives 4 frames a pass; the 5th and 6th come from the second pass.
    const events = await collect(source, (seen) => framesOf(seen).length === 6);
    await source.close();
    expect(errorsOf(events)).toEqual([]);
    expect(framesOf(events).map((f) => f.sourceInfo.mediaTimeMs)).toEqual(
      [0, 1, 2, 3, 4, 5].map((i) => i * 20_000),
    );
    expect(source.health.state).toBe('closed');
  });

  it('reports a file that is not a video with ffmpeg’s own words, and ends', async () => {
    const bogus = path.join(scratch, 'bogus.avi');
    await writeFile(bogus, 'this is not a video at all');
    const source = createSource(
      { kind: 'file', path: bogus, sampleIntervalMs: 1000, replay: 'as-fast', loop: false },
      { policy: policyFor([scratch]) },
    );
    const errors = errorsOf(await collect(source, () => false));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.code).toBe('stream_failed');
    expect(errors[0]!.message).toMatch(/ffmpeg exited with code \d+: .*Invalid data found/);
  });

  it('refuses files outside the local file roots without starting ffmpeg', async () => {
    const source = createSource(
      { kind: 'file', path: video, sampleIntervalMs: 1000, replay: 'as-fast', loop: false },
      { policy: policyFor([scratch]), random: () => 0 },
    );
    const events = await collect(source, (seen) => seen.length === 1);
    await source.close();
    expect(errorsOf(events)[0]).toMatchObject({
      code: 'refused_path',
      message: /outside the configured localFileRoots/,
    });
  });
});

describe('stream source', () => {
  const reconnect = { initialDelayMs: 100, maxDelayMs: 1000 };
  // For the tests that are not about stalls: far longer than ffmpeg can take to start and decode on a busy
  // machine, so a slow start is never reported as a stall.
  const stallTimeoutMs = 60_000;

  it('decodes an HTTP stream and reconnects after the camera hangs up', async () => {
    const source = createSource(
      {
        kind: 'stream',
        url: server.url('/stream.avi'),
        sampleIntervalMs: 1000,
        stallTimeoutMs,
        reconnect,
      },
      { policy: policyFor([]), random: () => 0 },
    );
    const events = await collect(source, (seen) => {
      const firstError = seen.findIndex((e) => e.type === 'error');
      return firstError >= 0 && framesOf(seen.slice(firstError)).length >= 2;
    });
    await source.close();
    const errors = errorsOf(events);
    expect(errors[0]).toMatchObject({ code: 'stream_failed', message: /the stream ended; reconnecting/ });
    expect(framesOf(events).length).toBeGreaterThanOrEqual(3);
    expect(
      framesOf(events).every((f) => f.clock === 'host' && f.sourceInfo.origin === server.url('/stream.avi')),
    ).toBe(true);
    expect(source.health.restarts).toBeGreaterThanOrEqual(1);
    expect(source.health.state).toBe('closed');
  });

  it('restarts a stream that goes silent', async () => {
    const source = createSource(
      { kind: 'stream', url: server.url('/hung'), sampleIntervalMs: 1000, stallTimeoutMs: 1000, reconnect },
      { policy: policyFor([]), random: () => 0 },
    );
    const events = await collect(source, (seen) => seen.length === 1);
    await source.close();
    expect(errorsOf(events)[0]).toMatchObject({ code: 'stalled', message: /no frame arrived in time/ });
  });

  it('checks HTTP stream redirects like snapshots', async () => {
    const source = createSource(
      {
        kind: 'stream',
        url: server.url('/to-metadata'),
        sampleIntervalMs: 1000,
        stallTimeoutMs,
        reconnect,
      },
      { policy: policyFor([]), random: () => 0 },
    );
    const events = await collect(source, (seen) => seen.length === 2);
    await source.close();
    expect(errorsOf(events).map((e) => e.code)).toEqual(['refused_address', 'refused_address']);
    expect(source.health.consecutiveErrors).toBe(2);
  });

  it('keeps ffmpeg’s complaint when an RTSP camera refuses the connection, and keeps trying', async () => {
    const port = await closedPort();
    const source = createSource(
      {
        kind: 'stream',
        url: `rtsp://admin:secret@127.0.0.1:${port}/live`,
        sampleIntervalMs: 1000,
        stallTimeoutMs,
        reconnect,
      },
      { policy: policyFor([]), random: () => 0 },
    );
    const events = await collect(source, (seen) => seen.length === 2);
    await source.close();
    const errors = errorsOf(events);
    expect(errors.map((e) => e.code)).toEqual(['stream_failed', 'stream_failed']);
    expect(errors[0]!.message).toMatch(/Connection refused/);
    expect(errors[0]!.message).not.toMatch(/secret/);
    expect(source.health.restarts).toBeGreaterThanOrEqual(1);
  });

  it.each(['rtsp://169.254.169.254/live', 'http://[::ffff:169.254.169.254]/video', 'file:///etc/passwd'])(
    'refuses %s',
    async (url) => {
      const source = createSource(
        { kind: 'stream', url, sampleIntervalMs: 1000, stallTimeoutMs, reconnect },
        { policy: compileAccessPolicy(), random: () => 0 },
      );
      const events = await collect(source, (seen) => seen.length === 1);
      await source.close();
      expect(['refused_address', 'refused_path']).toContain(errorsOf(events)[0]!.code);
    },
  );
});

describe('buildFfmpegArgs', () => {
  it('pins RTSP to TCP with a socket timeout and limits protocols', () => {
    const args = buildFfmpegArgs(
      { type: 'rtsp', url: 'rtsp://10.0.0.7/live', ioTimeoutMs: 5000, transport: 'tcp' },
      500,
      40_000_000,
    );
    expect(args.join(' ')).toContain(
      '-protocol_whitelist rtsp,rtp,tcp,udp -rtsp_transport tcp -timeout 5000000',
    );
    expect(args.join(' ')).toContain('-max_pixels 40000000');
    expect(args.slice(-14).join(' ')).toBe(
      '-an -sn -dn -vf fps=1000/500,showinfo -fps_mode passthrough -f image2pipe -c:v mjpeg -q:v 3 pipe:1',
    );
  });
  it('asks for RTP over UDP when the camera is configured so', () => {
    const args = buildFfmpegArgs(
      { type: 'rtsp', url: 'rtsp://10.0.0.7/live', ioTimeoutMs: 5000, transport: 'udp' },
      500,
      40_000_000,
    );
    expect(args.join(' ')).toContain('-rtsp_transport udp');
  });
  it('replays files in real time with -re and loops with -stream_loop', () => {
    const realtime = buildFfmpegArgs({ type: 'file', path: '/v.mp4', realtime: true, loop: true }, 1000, 1);
    expect(realtime).toEqual(
      expect.arrayContaining(['-re', '-stream_loop', '-1', '-protocol_whitelist', 'file']),
    );
    const asFast = buildFfmpegArgs({ type: 'file', path: '/v.mp4', realtime: false, loop: false }, 1000, 1);
    expect(asFast).not.toContain('-re');
    expect(asFast).not.toContain('-stream_loop');
  });
});
