/**
 * Makes the project's uncommitted assets (model weights, sample videos) present and verified:
 * `npm run assets [-- --only name,name] [--no-download]`. Each asset listed in assets.manifest.json is copied
 * from ../shared when a copy lies there, otherwise downloaded from its public URL; either way its SHA-256 must
 * match before it takes its place, so a test never runs on a truncated or substituted file.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { createWriteStream, existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { sha256File } from '../src/detect/model-registry.adapter.js';
import { REPO_ROOT } from '../src/shared/paths.js';

const AssetSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]*$', description: 'Short name, as given to --only.' }),
    path: Type.String({ minLength: 1, description: 'Where the file goes, relative to the repository root.' }),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 the file must have.' }),
    licence: Type.String({ minLength: 1, description: 'Licence of the file, as an SPDX expression.' }),
    url: Type.String({ pattern: '^https?://', description: 'Public address to download it from.' }),
  },
  { additionalProperties: false },
);

const AssetsManifestSchema = Type.Object(
  { description: Type.Optional(Type.String()), assets: Type.Array(AssetSchema, { minItems: 1 }) },
  { additionalProperties: false },
);

export type Asset = Static<typeof AssetSchema>;

// from src/shared/paths so that the compiled script (dist/scripts/) finds the same root
export { REPO_ROOT };

export interface EnsureAssetsOptions {
  /** Repository root holding assets.manifest.json; targets are relative to it. */
  root?: string;
  /** Folder with local copies laid out like the targets (default: ../shared beside the root). */
  sharedDir?: string;
  /** Names of the assets to make present (default: all). */
  only?: readonly string[];
  /** Fall back to downloading when no local copy exists (default true). */
  download?: boolean;
  log?: (line: string) => void;
}

export type AssetStatus = 'present' | 'copied' | 'downloaded';

export interface AssetResult {
  name: string;
  /** Absolute path of the verified file. */
  path: string;
  status: AssetStatus;
}

export class AssetError extends Error {
  override readonly name = 'AssetError';
}

export async function readAssetsManifest(root = REPO_ROOT): Promise<Asset[]> {
  const file = path.join(root, 'assets.manifest.json');
  const json: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (!Value.Check(AssetsManifestSchema, json)) {
    const problems = [...Value.Errors(AssetsManifestSchema, json)].map((e) => `${e.path}: ${e.message}`);
    throw new AssetError(`${file} is not valid:\n  - ${problems.slice(0, 10).join('\n  - ')}`);
  }
  return json.assets;
}

async function download(url: string, target: string): Promise<void> {
  const res = await fetch(url);
  if (!res.ok || !res.body)
    throw new AssetError(`download of ${url} failed: HTTP ${res.status} ${res.statusText}`);
  await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), createWriteStream(target));
}

/**
 * Brings one asset into place through a temporary file renamed only after its hash checks out, so that
 * parallel test processes never see a half-written file and a bad copy never replaces anything.
 */
async function fetchVerified(asset: Asset, target: string, sharedCopy: string | null): Promise<AssetStatus> {
  const temp = `${target}.${process.pid}.${Date.now()}.part`;
  try {
    let from: string;
    if (sharedCopy) {
      await copyFile(sharedCopy, temp);
      // The shared copies are read-only; the project's own copy should be an ordinary file.
      await chmod(temp, 0o644);
      from = sharedCopy;
    } else {
      await download(asset.url, temp);
      from = asset.url;
    }
    const actual = await sha256File(temp);
    if (actual !== asset.sha256) {
      throw new AssetError(
        `asset "${asset.name}" from ${from} has SHA-256 ${actual}, but assets.manifest.json expects ` +
          `${asset.sha256}; the source is damaged or has changed, so ${asset.path} was left as it was`,
      );
    }
    await rename(temp, target);
    return sharedCopy ? 'copied' : 'downloaded';
  } finally {
    await rm(temp, { force: true });
  }
}

export async function ensureAssets(options: EnsureAssetsOptions = {}): Promise<AssetResult[]> {
  const root = options.root ?? REPO_ROOT;
  const sharedDir = options.sharedDir ?? path.resolve(root, '..', 'shared');
  const log = options.log ?? (() => {});
  const all = await readAssetsManifest(root);
  const unknown = (options.only ?? []).filter((n) => !all.some((a) => a.name === n));
  if (unknown.length) {
    throw new AssetError(`unknown asset ${unknown.join(', ')}; known: ${all.map((a) => a.name).join(', ')}`);
  }
  const wanted = options.only ? all.filter((a) => options.only!.includes(a.name)) : all;
  const results: AssetResult[] = [];
  for (const asset of wanted) {
    const target = path.resolve(root, asset.path);
    if (existsSync(target)) {
      if ((await sha256File(target)) === asset.sha256) {
        results.push({ name: asset.name, path: target, status: 'present' });
        continue;
      }
      log(`${asset.path}: present but its SHA-256 differs from the manifest; fetching it again`);
    }
    const local = path.join(sharedDir, asset.path);
    const sharedCopy = existsSync(local) ? local : null;
    if (!sharedCopy && options.download === false) {
      throw new AssetError(`asset "${asset.name}" is missing: no copy at ${local} and downloading is off`);
    }
    await mkdir(path.dirname(target), { recursive: true });
    log(`${asset.path}: ${sharedCopy ? `copying from ${local}` : `downloading ${asset.url}`}`);
    results.push({ name: asset.name, path: target, status: await fetchVerified(asset, target, sharedCopy) });
  }
  return results;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { only: { type: 'string' }, 'no-download': { type: 'boolean', default: false } },
  });
  const only = values.only
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const results = await ensureAssets({ only, download: !values['no-download'], log: (l) => console.log(l) });
  for (const r of results) console.log(`${r.status.padEnd(10)} ${path.relative(REPO_ROOT, r.path)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
