import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';

/**
 * A real S3-compatible server of the test's own: s3rver (an npm package, a devDependency) as a child process on a
 * free loopback port, keeping its objects in a temp directory. `stop()` kills it the way a crash or a lost network
 * would; `start()` brings it back on the same port with the objects it had.
 */
export class S3TestServer {
  static readonly bucket = 'enforcement-test';
  private child: ChildProcess | null = null;
  port = 0;

  private constructor(private readonly dir: string) {}

  static async start(): Promise<S3TestServer> {
    const server = new S3TestServer(await mkdtemp(path.join(os.tmpdir(), 's3rver-')));
    await server.start();
    return server;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== null;
  }

  async start(): Promise<void> {
    if (this.child) return;
    const bin = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
    const child = spawn(
      process.execPath,
      [
        bin,
        '-d',
        this.dir,
        '-a',
        '127.0.0.1',
        '-p',
        String(this.port),
        '--configure-bucket',
        S3TestServer.bucket,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const listening = new Promise<number>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on [\d.]+:(\d+)/.exec(output);
        if (match) resolve(Number(match[1]));
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}: ${output}`)));
      child.once('error', reject);
    });
    this.port = await listening;
    this.child = child;
  }

  /** Kills the server; requests fail with a refused connection until `start()`. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  /** The environment that points a process's configuration at this server, under a key prefix of its own. */
  env(keyPrefix = `t-${randomUUID()}/`): Record<string, string> {
    return {
      BLOB_STORE: 's3',
      S3_ENDPOINT: this.endpoint,
      S3_BUCKET: S3TestServer.bucket,
      S3_REGION: 'us-east-1',
      // s3rver's fixed development credentials
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'true',
      S3_KEY_PREFIX: keyPrefix,
    };
  }

  async close(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}
