import { readFile } from 'node:fs/promises';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/shared/paths.js';

/*
 * The Node.js version the project states (package.json engines), the one its image runs (Dockerfile) and the
 * ones its dependencies accept must agree, so that `npm ci` installs without engine warnings and nothing needs a
 * newer Node than the one deployed (docs/deployment.md, "Node.js version").
 */

async function text(file: string): Promise<string> {
  return readFile(path.join(REPO_ROOT, file), 'utf8');
}

describe('Node.js version', () => {
  it('every locked package accepts the oldest Node the project states and the image’s Node', async () => {
    const stated = (JSON.parse(await text('package.json')) as { engines: { node: string } }).engines.node;
    const oldest = semver.minVersion(stated)!.version;
    const images = [...(await text('Dockerfile')).matchAll(/^FROM node:(\d+)[-\w.]*/gm)].map((m) => m[1]!);
    expect(images.length).toBeGreaterThan(0);
    for (const major of images) expect(semver.intersects(stated, `${major}.x`), `node:${major}`).toBe(true);

    const lock = JSON.parse(await text('package-lock.json')) as {
      packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
    };
    const refusing: string[] = [];
    for (const [where, pkg] of Object.entries(lock.packages)) {
      const wanted = Array.isArray(pkg.engines) ? undefined : pkg.engines?.node;
      if (!where || !wanted) continue;
      if (!semver.satisfies(oldest, wanted) || images.some((m) => !semver.intersects(`${m}.x`, wanted)))
        refusing.push(`${where.replace(/^.*node_modules\//, '')}@${pkg.version} wants node ${wanted}`);
    }
    expect(refusing).toEqual([]);
  });

  it('this machine runs a Node the project states', async () => {
    const stated = (JSON.parse(await text('package.json')) as { engines: { node: string } }).engines.node;
    expect(semver.satisfies(process.version, stated), `${process.version} against ${stated}`).toBe(true);
  });
});
