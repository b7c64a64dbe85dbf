import { Type } from '@sinclair/typebox';
import type { EnvReader } from './env.js';

/** The command screen (/screen): how often its live stream sends figures, and how many streams one user may hold. */
export const screenSchema = {
  screenSnapshotSeconds: Type.Integer({
    minimum: 1,
    maximum: 300,
    description: 'SCREEN_SNAPSHOT_SECONDS: seconds between two snapshots on the command screen stream',
  }),
  screenHeartbeatSeconds: Type.Integer({
    minimum: 1,
    maximum: 300,
    description: 'SCREEN_HEARTBEAT_SECONDS: seconds between two heartbeats on the command screen stream',
  }),
  screenStreamsPerUser: Type.Integer({
    minimum: 1,
    maximum: 50,
    description: 'SCREEN_STREAMS_PER_USER: live command screen streams one member of staff may hold at once',
  }),
};

export function readScreen(env: EnvReader) {
  return {
    screenSnapshotSeconds: env.int('SCREEN_SNAPSHOT_SECONDS', 5),
    screenHeartbeatSeconds: env.int('SCREEN_HEARTBEAT_SECONDS', 15),
    screenStreamsPerUser: env.int('SCREEN_STREAMS_PER_USER', 4),
  };
}
