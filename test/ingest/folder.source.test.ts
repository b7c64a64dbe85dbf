import { appendFile, mkdir, mkdtemp, readdir, rename, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { compileAccessPolicy } from '../../src/ingest/access-policy.js';
import { createSource } from '../../src/ingest/create-source.js';
import { FrameSequencer } from '../../src/ingest/frame-sequencer.js';
import type { SourceEvent } from '../../src/ingest/frame-source.js';
import { FsBlobStore } from '../../src/storage/fs-blob-store.adapter.js';
import { FrameStore, sha256Hex } from '../../src/storage/frame-store.js';
import {
  errorsOf,
  extractTestFrames,
  framesOf,
  pngBombHeader,
  type TestFrames,
} from '../support/ingest-fixtures.js';

let frames: TestFrames;
let root: string;
let inbox: string;

beforeAll(async () => {
  frames = await extractTestFrames(4);
  root = await mkdtemp(path.join(os.tmpdir(), 'folder-source-'));
});
afterAll(async () => {
  await frames?.cleanup();
  await rm(root, { recursive: true, force: true });
});
beforeEach(async () => {
  inbox = await mkdtemp(path.join(root, 'inbox-'));
});

const policy = () => compileAccessPolicy({ folderRoots: [root] });
// Whole seconds: utimes passes times as floating-point seconds, which would blur milliseconds.
const longAgo = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);

/**
 * Puts a finished file into a folder the way careful uploaders do: written under a dot-name, dated, then renamed,
 * so a source scanning at any moment sees either nothing or the whole file with its modification time already
 * well past the settle time.
 */
async function drop(name: string, bytes: Buffer, mtime = longAgo, dir = inbox): Promise<void> {
  const partial = path.join(dir, `.${name}.uploading`);
  await writeFile(partial, bytes);
  await utimes(partial, mtime, mtime);
  await rename(partial, path.join(dir, name));
}

async function take(iterator: AsyncIterator<SourceEvent>, count: number): Promise<SourceEvent[]> {
  const events: SourceEvent[] = [];
  while (events.length < count) {
    const next = await iterator.next();
    if (next.done) break;
    events.push(next.value);
  }
  return events;
}

/** Polls a condition the source's own loop changes; the bound is far beyond any normal wait. */
async function until(condition: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('folder source', () => {
  it('takes images in name order, rejects bad ones, and moves each away after it was handled', async () => {
    await drop('cam-0003.jpg', frames.jpegs[2]!);
    await drop('cam-0001.jpg', frames.jpegs[0]!);
    await drop('cam-0002.png', frames.png);
    await drop('cam-0001b.jpg', Buffer.alloc(0));
    await drop('cam-0002b.png', pngBombHeader());
    await drop('.cam-0004.jpg.part', frames.jpegs[3]!);
    await drop('notes.txt', Buffer.from('not an image'));

    const source = createSource(
      { kind: 'folder', path: inbox, order: 'name', afterRead: 'move', settleMs: 200, scanIntervalMs: 100 },
      { policy: policy() },
    );
    const iterator = source[Symbol.asyncIterator]();
    const events = await take(iterator, 5);

    expect(events.map((e) => (e.type === 'frame' ? e.frame.sourceInfo.fileName : e.error.code))).toEqual([
      'cam-0001.jpg',
      'empty',
      'cam-0002.png',
      'too_large',
      'cam-0003.jpg',
    ]);
    const got = framesOf(events);
    expect(sha256Hex(got[0]!.bytes)).toBe(sha256Hex(frames.jpegs[0]!));
    expect(got[1]!.sourceInfo.convertedFrom).toBe('png');
    expect(got[0]!).toMatchObject({ clock: 'camera', capturedAt: longAgo });
    expect(errorsOf(events)[0]!.message).toContain('cam-0001b.jpg');

    // The last file moves once the consumer asks for more; a new file then arrives while it waits.
    const pending = iterator.next();
    await drop('cam-0004.jpg', frames.jpegs[3]!);
    const fourth = (await pending).value as SourceEvent;
    expect(fourth.type === 'frame' && fourth.frame.sourceInfo.fileName).toBe('cam-0004.jpg');
    await source.close();
    await iterator.next();

    expect((await readdir(path.join(inbox, 'done'))).sort()).toEqual([
      'cam-0001.jpg',
      'cam-0002.png',
      'cam-0003.jpg',
      'cam-0004.jpg',
    ]);
    expect((await readdir(path.join(inbox, 'rejected'))).sort()).toEqual(['cam-0001b.jpg', 'cam-0002b.png']);
    expect((await readdir(inbox)).sort()).toEqual(['.cam-0004.jpg.part', 'done', 'notes.txt', 'rejected']);
    expect(source.health).toMatchObject({ framesEmitted: 4, errors: 2, state: 'closed' });

    // Into the store and the sequencer as the ingest worker does: increasing seq, hashes that match the blobs.
    const store = new FrameStore(new FsBlobStore(path.join(inbox, 'store')));
    const sequencer = new FrameSequencer();
    const accepted = [...got, (fourth as Extract<SourceEvent, { type: 'frame' }>).frame];
    const seqs: number[] = [];
    for (const frame of accepted) {
      const stored = await store.put(frame.bytes);
      expect(sha256Hex(await store.get(stored.sha256))).toBe(sha256Hex(frame.bytes));
      seqs.push(sequencer.next('folder-cam', { ...frame, proposedAt: frame.capturedAt }).seq);
    }
    expect(seqs).toEqual([1, 2, 3, 4]);
  });

  it('waits out a file that is still being written', async () => {
    const jpeg = frames.jpegs[1]!;
    const half = Math.floor(jpeg.length / 2);
    const upload = path.join(inbox, 'slow-upload.jpg');
    await writeFile(upload, jpeg.subarray(0, half));
    // A settle time far longer than this test can take: the half-written file stays unsettled throughout, however
    // slowly the machine runs.
    const source = createSource(
      {
        kind: 'folder',
        path: inbox,
        order: 'mtime',
        afterRead: 'move',
        settleMs: 600_000,
        scanIntervalMs: 100,
      },
      { policy: policy() },
    );
    const iterator = source[Symbol.asyncIterator]();
    const first = iterator.next();
    // The source has scanned the folder, seen only the unsettled file and gone back to waiting.
    await until(() => source.health.state === 'running');
    // The upload finishes, and its last write is long past the settle time.
    await appendFile(upload, jpeg.subarray(half));
    const anHourAgo = new Date(longAgo.getTime() - 3_600_000);
    await utimes(upload, anHourAgo, anHourAgo);
    const event = (await first).value as SourceEvent;
    await source.close();
    expect(event.type).toBe('frame');
    expect(event.type === 'frame' && sha256Hex(event.frame.bytes)).toBe(sha256Hex(jpeg));
  });

  it('remembers files instead of moving them when asked, and takes them once', async () => {
    await drop('a.jpg', frames.jpegs[0]!);
    await drop('b.jpg', frames.jpegs[1]!);
    const source = createSource(
      { kind: 'folder', path: inbox, order: 'name', afterRead: 'remember', settleMs: 0, scanIntervalMs: 100 },
      { policy: policy() },
    );
    const iterator = source[Symbol.asyncIterator]();
    const events = await take(iterator, 2);
    // Asked for more, the source scans the folder again with a.jpg and b.jpg still in it. A file dropped later is
    // the next event, so the two remembered ones were passed over (in name order they would have come first).
    const third = iterator.next();
    await drop('c.jpg', frames.jpegs[2]!);
    const next = (await third).value as SourceEvent;
    await source.close();
    expect(framesOf(events).map((f) => f.sourceInfo.fileName)).toEqual(['a.jpg', 'b.jpg']);
    expect(next.type === 'frame' && next.frame.sourceInfo.fileName).toBe('c.jpg');
    expect((await readdir(inbox)).sort()).toEqual(['a.jpg', 'b.jpg', 'c.jpg']);
  });

  it('refuses folders outside the folder roots, and reports a missing folder until it appears', async () => {
    const outside = createSource(
      {
        kind: 'folder',
        path: os.tmpdir(),
        order: 'name',
        afterRead: 'move',
        settleMs: 0,
        scanIntervalMs: 100,
      },
      { policy: policy() },
    );
    const [refused] = await take(outside[Symbol.asyncIterator](), 1);
    await outside.close();
    expect(refused?.type === 'error' && refused.error.code).toBe('refused_path');

    const later = path.join(inbox, 'not-yet');
    const missing = createSource(
      { kind: 'folder', path: later, order: 'name', afterRead: 'move', settleMs: 0, scanIntervalMs: 100 },
      { policy: policy(), random: () => 0 },
    );
    const iterator = missing[Symbol.asyncIterator]();
    const [error] = await take(iterator, 1);
    expect(error?.type === 'error' && error.error.message).toMatch(/no such file or directory/);
    await mkdir(later);
    await drop('x.jpg', frames.jpegs[0]!, longAgo, later);
    const [frame] = await take(iterator, 1);
    await missing.close();
    expect(frame?.type).toBe('frame');
  });
});
