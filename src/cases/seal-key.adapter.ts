import type { KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/config.js';
import { generateSealKeyPair, keyFingerprint, loadSealPrivateKey } from '../documents/seal.js';

/**
 * The agency's seal key. Production reads the Ed25519 PKCS#8 PEM named by SEAL_PRIVATE_KEY_FILE and refuses
 * to start without it. Development and tests generate a key once into DATA_DIR/.keys/ (a folder no blob key
 * can reach) and say so in the log: documents sealed with it verify only against that machine's public key.
 */

export const DEV_SEAL_KEY_PATH = path.join('.keys', 'seal-ed25519.pem');

export interface SealKeyInfo {
  key: KeyObject;
  fingerprint: string;
  source: 'configured' | 'generated' | 'development';
}

export async function loadOrCreateSealKey(
  config: Pick<Config, 'sealPrivateKeyFile' | 'dataDir' | 'nodeEnv'>,
  logger?: { warn(details: object, message: string): void },
): Promise<SealKeyInfo> {
  if (config.sealPrivateKeyFile) {
    let pem: string;
    try {
      pem = await readFile(config.sealPrivateKeyFile, 'utf8');
    } catch (error) {
      throw new Error(
        `SEAL_PRIVATE_KEY_FILE ${config.sealPrivateKeyFile} cannot be read: ${(error as Error).message}`,
      );
    }
    const key = loadSealPrivateKey(pem);
    return { key, fingerprint: keyFingerprint(key), source: 'configured' };
  }
  if (config.nodeEnv === 'production') {
    throw new Error('SEAL_PRIVATE_KEY_FILE must name the agency seal key (Ed25519 PKCS#8 PEM) in production');
  }
  const file = path.resolve(config.dataDir, DEV_SEAL_KEY_PATH);
  let source: SealKeyInfo['source'] = 'development';
  let pem = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (pem === null) {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const generated = generateSealKeyPair().privateKeyPem;
    try {
      // 'wx' fails when another process wrote the key first; both then use the one on disk.
      await writeFile(file, generated, { flag: 'wx', mode: 0o600 });
      source = 'generated';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    pem = await readFile(file, 'utf8');
  }
  const key = loadSealPrivateKey(pem);
  const fingerprint = keyFingerprint(key);
  logger?.warn(
    { file, fingerprint, generated: source === 'generated' },
    'using a development seal key from DATA_DIR; set SEAL_PRIVATE_KEY_FILE to the agency key before issuing real documents',
  );
  return { key, fingerprint, source };
}
