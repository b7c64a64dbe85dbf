import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../shared/paths.js';
import { ModelLoadError, ModelManifestError } from './detect-errors.js';
import { parseModelManifest, type ModelManifest } from './model-manifest.js';

export const DEFAULT_MODEL_NAME = 'yolox-nano';
const MANIFEST_SUFFIX = '.manifest.json';

export const DEFAULT_MODELS_DIR = path.join(REPO_ROOT, 'models');

/** Which model to load: a registry name looked up in `modelsDir`, or a manifest file given directly. */
export interface ModelLocation {
  modelName?: string;
  manifestPath?: string;
  modelsDir?: string;
}

export function resolveManifestPath(loc: ModelLocation): string {
  if (loc.manifestPath) return path.resolve(loc.manifestPath);
  const name = loc.modelName ?? DEFAULT_MODEL_NAME;
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(name)) {
    throw new ModelLoadError('manifest-missing', `model name "${name}" is not a valid registry name`);
  }
  return path.join(loc.modelsDir ?? DEFAULT_MODELS_DIR, `${name}${MANIFEST_SUFFIX}`);
}

/** Names of the models whose manifests lie in `modelsDir`. */
export async function listModelNames(modelsDir = DEFAULT_MODELS_DIR): Promise<string[]> {
  const files = await readdir(modelsDir).catch(() => [] as string[]);
  return files
    .filter((f) => f.endsWith(MANIFEST_SUFFIX))
    .map((f) => f.slice(0, -MANIFEST_SUFFIX.length))
    .sort();
}

export async function readModelManifest(manifestPath: string): Promise<ModelManifest> {
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (err) {
    const dir = path.dirname(manifestPath);
    const known = await listModelNames(dir);
    throw new ModelLoadError(
      'manifest-missing',
      `model manifest ${manifestPath} cannot be read (${(err as Error).message}); ` +
        (known.length ? `models in ${dir}: ${known.join(', ')}` : `no manifests in ${dir}`),
      { cause: err },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ModelManifestError(manifestPath, [`not valid JSON: ${(err as Error).message}`]);
  }
  const manifest = parseModelManifest(json, manifestPath);
  const expectedName = path.basename(manifestPath).replace(MANIFEST_SUFFIX, '');
  if (path.basename(manifestPath).endsWith(MANIFEST_SUFFIX) && manifest.name !== expectedName) {
    throw new ModelManifestError(manifestPath, [
      `/name: "${manifest.name}" differs from the file name "${expectedName}"`,
    ]);
  }
  return manifest;
}

export async function sha256File(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(filePath)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Finds the manifest's model file and checks its SHA-256, so that a half-downloaded or swapped model never
 * produces detections that end up as evidence. Returns the file's absolute path.
 */
export async function verifyModelFile(manifest: ModelManifest, manifestPath: string): Promise<string> {
  const modelPath = path.resolve(path.dirname(manifestPath), manifest.file);
  if (!existsSync(modelPath)) {
    throw new ModelLoadError(
      'model-missing',
      `model file ${modelPath} for model "${manifest.name}" is missing; run \`npm run assets\` ` +
        `or download it from ${manifest.url}`,
    );
  }
  const actual = await sha256File(modelPath);
  if (actual !== manifest.sha256) {
    throw new ModelLoadError(
      'hash-mismatch',
      `model file ${modelPath} for model "${manifest.name}" has SHA-256 ${actual}, but its manifest expects ` +
        `${manifest.sha256}: the file is damaged or not the model the manifest describes; replace it ` +
        `(\`npm run assets\`) or fix the manifest`,
    );
  }
  return modelPath;
}
