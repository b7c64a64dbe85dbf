import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv } from 'ajv';
import draft07 from 'ajv/dist/refs/json-schema-draft-07.json' with { type: 'json' };
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/shared/paths.js';

/*
 * docker-compose.yml against the Compose Specification's own JSON schema (shipped in compose-spec/, see its
 * README for source and licence), so that a typo in a key or a wrong type is caught here rather than by an
 * operator's `docker compose up`.
 */

async function load(file: string): Promise<unknown> {
  return parse(await readFile(path.join(REPO_ROOT, file), 'utf8'), { merge: true });
}

async function validator() {
  const schema = JSON.parse(
    await readFile(path.join(import.meta.dirname, 'compose-spec/compose-spec.json'), 'utf8'),
  );
  const ajv = new Ajv({ allErrors: true, strict: false });
  // The schema names draft-07 by its https address; Ajv knows the same meta-schema under the http one.
  ajv.addMetaSchema({ ...draft07, $id: 'https://json-schema.org/draft-07/schema' });
  return ajv.compile(schema);
}

describe('docker-compose.yml', () => {
  it('is valid under the Compose Specification schema', async () => {
    const validate = await validator();
    const valid = validate(await load('docker-compose.yml'));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema really refuses a broken file', async () => {
    const validate = await validator();
    const compose = (await load('docker-compose.yml')) as {
      services: Record<string, Record<string, unknown>>;
    };
    compose.services.api!.restart_policy = 'always';
    compose.services.redis!.ports = 6379;
    expect(validate(compose)).toBe(false);
    expect(validate.errors!.map((e) => e.instancePath)).toEqual(
      expect.arrayContaining(['/services/api', '/services/redis/ports']),
    );
  });

  it('runs every worker and the API from one image on the same blob store settings', async () => {
    const compose = (await load('docker-compose.yml')) as {
      services: Record<string, { image?: string; command?: string[]; environment?: Record<string, string> }>;
    };
    for (const name of ['api', 'ingest-worker', 'detect-worker', 'rules-worker', 'notify-worker']) {
      const service = compose.services[name]!;
      expect(service.image, name).toBe('city-enforcement:latest');
      expect(service.environment?.BLOB_STORE, name).toBe('${BLOB_STORE:-fs}');
      expect(service.environment?.S3_BUCKET, name).toBe('${S3_BUCKET:-}');
    }
  });
});
