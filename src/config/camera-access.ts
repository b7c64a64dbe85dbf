import { Type } from '@sinclair/typebox';
import {
  AccessPolicyConfigError,
  compileAccessPolicy,
  DEFAULT_CAMERA_ACCESS_POLICY,
  type CameraAccessPolicy,
  type CompiledAccessPolicy,
} from '../ingest/access-policy.js';
import { ConfigError, envReader, type Environment, type EnvReader } from './env.js';

const list = (description: string) => Type.Array(Type.String(), { description });

/** Which cameras an ingest worker may reach (see ingest/access-policy.ts). Lists are comma-separated. */
export const CameraAccessSchema = Type.Object({
  allowCidrs: list('CAMERA_ALLOW_CIDRS: extra networks cameras may be on, as CIDRs or single addresses'),
  denyCidrs: list('CAMERA_DENY_CIDRS: networks refused even when another rule would allow them'),
  allowHosts: list('CAMERA_ALLOW_HOSTS: host names (exact, or *.suffix) allowed on public addresses'),
  denyHosts: list('CAMERA_DENY_HOSTS: host names (exact, or *.suffix) refused whatever they resolve to'),
  allowPrivate: Type.Boolean({ description: 'CAMERA_ALLOW_PRIVATE: private networks (default true)' }),
  allowLoopback: Type.Boolean({ description: 'CAMERA_ALLOW_LOOPBACK: 127.0.0.0/8 and ::1 (tests, demos)' }),
  allowMulticast: Type.Boolean({ description: 'CAMERA_ALLOW_MULTICAST: multicast groups' }),
  localFileRoots: list('CAMERA_LOCAL_FILE_ROOTS: directories whose video files may be replayed'),
  folderRoots: list('CAMERA_FOLDER_ROOTS: directories that folder sources may watch'),
});

/** The variable of each field, read from the schema's descriptions. */
function variableOf(field: keyof CameraAccessPolicy): string {
  return CameraAccessSchema.properties[field].description!.split(':')[0]!;
}

/** Reads the policy and compiles it once, so that a typo in a CIDR stops start-up naming its variable. */
export function readCameraAccess(env: EnvReader): CameraAccessPolicy {
  const policy: CameraAccessPolicy = { ...DEFAULT_CAMERA_ACCESS_POLICY };
  for (const field of Object.keys(DEFAULT_CAMERA_ACCESS_POLICY) as (keyof CameraAccessPolicy)[]) {
    const variable = variableOf(field);
    const fallback = DEFAULT_CAMERA_ACCESS_POLICY[field];
    if (typeof fallback === 'boolean') {
      (policy as unknown as Record<string, unknown>)[field] = env.bool(variable, fallback);
    } else {
      (policy as unknown as Record<string, unknown>)[field] = env.list(variable) ?? [...fallback];
    }
  }
  try {
    compileAccessPolicy(policy);
  } catch (error) {
    if (!(error instanceof AccessPolicyConfigError)) throw error;
    const field = /^(\w+)/.exec(error.message)?.[1];
    const variable =
      field && field in CameraAccessSchema.properties
        ? variableOf(field as keyof CameraAccessPolicy)
        : 'camera access policy';
    throw new ConfigError(`${variable}: ${error.message}`);
  }
  return policy;
}

/** The compiled policy from the given variables alone (tests and tools that run ingest in process). */
export function accessPolicyFromEnv(env: Environment): CompiledAccessPolicy {
  return compileAccessPolicy(readCameraAccess(envReader(env)));
}
