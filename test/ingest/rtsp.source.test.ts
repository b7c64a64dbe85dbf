import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileAccessPolicy } from '../../src/ingest/access-policy.js';
import { backoffDelay } from '../../src/ingest/backoff.js';
import { createSource } from '../../src/ingest/create-source.js';
import type { FrameSource, SourceEvent } from '../../src/ingest/frame-source.js';
import { sha256Hex } from '../../src/storage/frame-store.js';
import { encodeH264, startRtspServer, type RtspServer } from '../support/rtsp-server.js';
import { collect, errorsOf, framesOf, sampleVideoPath } from '../support/ingest-fixtures.js';

/**
 * RTSP ingestion against a real RTSP server (GStreamer's gst-rtsp-server from Debian's packages) on loopback,
 * serving the sample street video encoded as H.264, over both RTSP transports.
 */
let scratch: string;
let steady: string;
let bigThenSmall: string;
let small: string;
const servers: RtspServer[] = [];

const policy = compileAccessPolicy({ allowLoopback: true });
const reconnect = { initialDelayMs: 200, maxDelayMs: 2000 };

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'rtsp-source-'));
  const video = sampleVideoPath();
  steady = await encodeH264(video, path.join(scratch, 'steady.ts'), [
    { fromS: 0, seconds: 60, width: 768, height: 576 },
  ]);
  // 4 s at the camera's old size, then a wider, smaller picture: the shape changes too, so a rescaled frame would
  // also be a stretched one.
  bigThenSmall = await encodeH264(video, path.join(scratch, 'resized.ts'), [
    { fromS: 0, seconds: 4, width: 768, height: 576 },
    { fromS: 4, seconds: 40, width: 640, height: 360 },
  ]);
  small = await encodeH264(video, path.join(scratch, 'small.ts'), [
    { fromS: 8, seconds: 40, width: 640, height: 360 },
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  await rm(scratch, { recursive: true, force: true });
});

async function serve(files: string[], port = 0): Promise<RtspServer> {
  const server = await startRtspServer(files, port);
  servers.push(server);
  return server;
}

function rtspSource(url: string, transport: 'tcp' | 'udp', stallTimeoutMs = 5000): FrameSource {
  return createSource(
    { kind: 'stream', url, transport, sampleIntervalMs: 1000, stallTimeoutMs, reconnect },
    { policy, random: () => 0 },
  );
}

/** Reads events one at a time, so that a test can act on the server between them. */
function reader(source: FrameSource, timeoutMs = 30_000) {
  const iterator = source[Symbol.asyncIterator]();
  const events: SourceEvent[] = [];
  return {
    events,
    async until(done: (seen: SourceEvent[]) => boolean): Promise<SourceEvent[]> {
      const from = events.length;
      const deadline = Date.now() + timeoutMs;
      while (!done(events.slice(from))) {
        if (Date.now() > deadline)
          throw new Error(`no such events within ${timeoutMs} ms: ${listEvents(events)}`);
        const next = await iterator.next();
        if (next.done) throw new Error(`the source ended: ${listEvents(events)}`);
        events.push(next.value);
      }
      return events.slice(from);
    },
  };
}

function listEvents(events: SourceEvent[]): string {
  return events
    .map((e) => (e.type === 'frame' ? `frame ${e.frame.width}x${e.frame.height}` : e.error.code))
    .join(', ');
}

describe.each(['tcp', 'udp'] as const)('RTSP over %s', (transport) => {
  it('decodes the H.264 stream into sampled JPEG frames, asking the server for the chosen transport', async () => {
    const server = await serve([steady]);
    const source = rtspSource(server.url.replace('rtsp://', 'rtsp://viewer:secret@'), transport);
    const events = await collect(source, (seen) => framesOf(seen).length === 3, 30_000);
    await source.close();

    expect(errorsOf(events)).toEqual([]);
    const frames = framesOf(events);
    expect(frames.every((f) => f.width === 768 && f.height === 576 && f.clock === 'host')).toBe(true);
    expect(new Set(frames.map((f) => sha256Hex(f.bytes))).size).toBe(3);
    for (const frame of frames) {
      const decoded = await sharp(frame.bytes).stats();
      expect(decoded.channels[0]!.stdev).toBeGreaterThan(10); // a street, not a grey concealment picture
    }
    // The origin names the camera without its credentials.
    expect(frames[0]!.sourceInfo.origin).toBe(`rtsp://***@127.0.0.1:${server.port}/live`);
    expect(server.setups).toHaveLength(1);
    if (transport === 'tcp') expect(server.setups[0]).toMatch(/^RTP\/AVP\/TCP;unicast;interleaved=/);
    else expect(server.setups[0]).toMatch(/^RTP\/AVP(\/UDP)?;unicast;client_port=\d+-\d+/);
    expect(source.health.state).toBe('closed');
  }, 60_000);

  it('reconnects with back-off when the server goes away, and counts the gap once it is back', async () => {
    let server = await serve([steady]);
    const port = server.port;
    // Over UDP only the stall timer notices that the pictures stopped coming.
    const source = rtspSource(server.url, transport, 3000);
    const read = reader(source);
    await read.until((seen) => framesOf(seen).length >= 2);

    await server.stop();
    const stoppedAt = Date.now();
    const outage = await read.until((seen) => errorsOf(seen).length >= 3);
    expect(source.health.framesEmitted).toBeGreaterThanOrEqual(2);

    server = await serve([steady], port);
    const restartedAt = Date.now();
    const after = await read.until((seen) => framesOf(seen).length >= 2);
    await source.close();

    // Nothing but errors while the server was away; frames before the stop may still have been on their way.
    const errors = outage.flatMap((e) => (e.type === 'error' ? [e] : []));
    expect(
      errors.map((e) => e.error.code).every((code) => code === 'stream_failed' || code === 'stalled'),
    ).toBe(true);
    expect(errors.slice(1).some((e) => /Connection refused/.test(e.error.message))).toBe(true);
    // Each retry waited at least its back-off, which doubles (jitter fixed at its low end).
    for (let i = 1; i < errors.length; i++) {
      const waited = errors[i]!.at.getTime() - errors[i - 1]!.at.getTime();
      expect(waited).toBeGreaterThanOrEqual(backoffDelay(i - 1, reconnect, () => 0));
    }
    expect(framesOf(after).every((f) => f.width === 768 && f.height === 576)).toBe(true);

    const health = source.health;
    expect(health.outages).toBe(1);
    expect(health.lastOutage!.errors).toBeGreaterThanOrEqual(3);
    // The gap runs from the last frame before the failure to the first after the restart.
    expect(health.lastOutage!.from.getTime()).toBeLessThanOrEqual(errors[0]!.at.getTime());
    expect(errors[0]!.at.getTime()).toBeGreaterThanOrEqual(stoppedAt);
    expect(health.lastOutage!.to.getTime()).toBeGreaterThanOrEqual(restartedAt);
    expect(health.outageMsTotal).toBe(health.lastOutage!.ms);
    expect(health.restarts).toBeGreaterThanOrEqual(3);
    expect(server.setups.length).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('restarts at the new size when the camera’s resolution changes, never rescaling frames to the old one', async () => {
    // The first session changes size after 4 s; a reconnecting client gets the new size from the start.
    const server = await serve([bigThenSmall, small]);
    const source = rtspSource(server.url, transport);
    const events = await collect(
      source,
      (seen) => framesOf(seen).filter((f) => f.width === 640).length >= 2,
      45_000,
    );
    await source.close();

    expect(errorsOf(events)).toEqual([]);
    const frames = framesOf(events);
    const sizes = frames.map((f) => `${f.width}x${f.height}`);
    const firstSmall = sizes.indexOf('640x360');
    expect(firstSmall).toBeGreaterThan(0);
    expect(sizes.slice(0, firstSmall).every((s) => s === '768x576')).toBe(true);
    expect(sizes.slice(firstSmall).every((s) => s === '640x360')).toBe(true);
    for (const frame of frames) {
      const meta = await sharp(frame.bytes).metadata();
      expect(`${meta.width}x${meta.height}`).toBe(`${frame.width}x${frame.height}`);
    }
    expect(source.health.resolutionChanges).toBe(1);
    expect(source.health.lastResolutionChange).toMatchObject({
      from: { width: 768, height: 576 },
      to: { width: 640, height: 360 },
    });
    expect(source.health.outages).toBe(0);
    expect(server.setups).toHaveLength(2);
  }, 90_000);
});
