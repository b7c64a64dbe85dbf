import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'rtsp-server.py');
// Debian's interpreter, where python3-gi and the GStreamer bindings are installed (a python3 earlier on PATH, a
// virtualenv or pyenv, would not see them).
const PYTHON = process.env.RTSP_TEST_PYTHON ?? '/usr/bin/python3';

/**
 * Encodes part of a sample video as H.264 in MPEG-TS (what cameras send, and what the server can pace by its
 * timestamps). `parts` are played one after the other; giving them different sizes makes a stream whose
 * resolution changes midway, as when a camera's resolution is changed from its own web page.
 */
export async function encodeH264(
  video: string,
  out: string,
  parts: { fromS: number; seconds: number; width: number; height: number }[],
): Promise<string> {
  const pieces: string[] = [];
  for (const [i, part] of parts.entries()) {
    const piece = `${out}.part${i}.ts`;
    await run('ffmpeg', [
      ...['-hide_banner', '-loglevel', 'error', '-y', '-ss', String(part.fromS), '-t', String(part.seconds)],
      ...['-i', video, '-an', '-vf', `scale=${part.width}:${part.height}`, '-c:v', 'libx264'],
      ...['-preset', 'ultrafast', '-g', '10', '-pix_fmt', 'yuv420p', piece],
    ]);
    pieces.push(piece);
  }
  // The concat demuxer joins the pieces with continuous timestamps, keeping each piece's own SPS.
  const list = `${out}.txt`;
  await writeFile(list, pieces.map((p) => `file '${p}'\n`).join(''));
  await run(
    'ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list].concat([
      '-c',
      'copy',
      out,
    ]),
  );
  return out;
}

export interface RtspServer {
  port: number;
  url: string;
  /** The Transport header of every SETUP the server received, in order. */
  setups: string[];
  /** SIGTERM, and wait until the process is gone (its port is free again). */
  stop(): Promise<void>;
}

/**
 * GStreamer's RTSP server (gst-rtsp-server, from Debian's packages) at rtsp://127.0.0.1:PORT/live: the first
 * session plays files[0], the next files[1], …, the last file every later one. Port 0 picks a free port; give the
 * old port to start it again where cameras expect it.
 */
export async function startRtspServer(
  files: string[],
  port = 0,
  startTimeoutMs = 20_000,
): Promise<RtspServer> {
  const child: ChildProcess = spawn(PYTHON, [SCRIPT, String(port), ...files], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const setups: string[] = [];
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-4000)));
  const exited = once(child, 'exit');
  const ready = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`RTSP server not ready in ${startTimeoutMs} ms: ${stderr}`)),
      startTimeoutMs,
    );
    child.once('error', (err) => reject(err));
    child.once('exit', (code) => reject(new Error(`RTSP server exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const [word, ...rest] = line.split(' ');
      if (word === 'ready') {
        clearTimeout(timer);
        resolve(Number(rest[0]));
      } else if (word === 'setup') {
        setups.push(rest.join(' '));
      }
    });
  });
  let bound: number;
  try {
    bound = await ready;
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    port: bound,
    url: `rtsp://127.0.0.1:${bound}/live`,
    setups,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}
