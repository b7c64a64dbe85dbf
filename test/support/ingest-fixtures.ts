import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { crc32 } from 'node:zlib';
import type { SourceEvent } from '../../src/ingest/frame-source.js';

const run = promisify(execFile);
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The sample video: the copy `npm run assets` puts in fixtures/, else the shared assets beside the repository. */
export function sampleVideoPath(): string {
  const candidates = [
    path.join(REPO_ROOT, 'fixtures/video/vtest.avi'),
    path.join(REPO_ROOT, '../shared/fixtures/video/vtest.avi'),
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error('vtest.avi is missing: run `npm run assets` to fetch the sample videos');
  return found;
}

export interface TestFrames {
  dir: string;
  /** Real JPEG frames of a street scene (vtest.avi, 320 px wide), each different. */
  jpegs: Buffer[];
  png: Buffer;
  cleanup(): Promise<void>;
}

/** Extracts a few small real frames with ffmpeg into a temp dir. */
export async function extractTestFrames(count = 4): Promise<TestFrames> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ingest-frames-'));
  const video = sampleVideoPath();
  const common = ['-hide_banner', '-loglevel', 'error', '-ss', '3', '-i', video, '-vf', 'fps=1,scale=320:-2'];
  await run('ffmpeg', [...common, '-frames:v', String(count), '-q:v', '4', path.join(dir, 'frame-%02d.jpg')]);
  await run('ffmpeg', [...common, '-frames:v', '1', path.join(dir, 'still.png')]);
  const names = (await readdir(dir)).filter((name) => name.endsWith('.jpg')).sort();
  return {
    dir,
    jpegs: await Promise.all(names.map((name) => readFile(path.join(dir, name)))),
    png: await readFile(path.join(dir, 'still.png')),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A PNG that is only a header announcing width x height: 57 bytes that would decode to gigabytes. */
export function pngBombHeader(width = 30_000, height = 30_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IEND', Buffer.alloc(0))]);
}

/** The JPEG with its entropy-coded data scrambled: the header still reads, the picture does not decode. */
export function scrambledJpeg(jpeg: Buffer): Buffer {
  const copy = Buffer.from(jpeg);
  for (let i = Math.floor(copy.length / 3); i < copy.length - 2; i += 53) copy[i]! ^= 0x5a;
  return copy;
}

export type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

/** A real HTTP server on 127.0.0.1 with one handler per path. */
export async function startServer(routes: Record<string, Handler>) {
  const sockets = new Set<Socket>();
  const server = http.createServer((request, response) => {
    const handler = routes[new URL(request.url ?? '/', 'http://x').pathname];
    if (handler) handler(request, response);
    else response.writeHead(404).end('not found');
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    url: (pathname: string) => `http://127.0.0.1:${port}${pathname}`,
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A port on 127.0.0.1 with nothing listening: bound once, then released. */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Reads events from a source until `stop` says so (checked after each event), or fails after `maxEvents` events.
 * The bound is a count, not a time, so a slow machine never trips it; a source that falls silent is caught by the
 * test's own timeout.
 */
export async function collect(
  source: AsyncIterable<SourceEvent>,
  stop: (events: SourceEvent[]) => boolean,
  maxEvents = 200,
): Promise<SourceEvent[]> {
  const events: SourceEvent[] = [];
  for await (const event of source) {
    events.push(event);
    if (stop(events)) break;
    if (events.length >= maxEvents) {
      const seen = events.map((e) => (e.type === 'frame' ? 'frame' : e.error.code));
      throw new Error(`gave up after ${events.length} events: ${seen.slice(-10).join(', ')}`);
    }
  }
  return events;
}

export const framesOf = (events: SourceEvent[]) =>
  events.flatMap((e) => (e.type === 'frame' ? [e.frame] : []));
export const errorsOf = (events: SourceEvent[]) =>
  events.flatMap((e) => (e.type === 'error' ? [e.error] : []));
