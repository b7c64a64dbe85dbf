import { FfmpegSource } from './ffmpeg.source.js';
import { FolderSource } from './folder.source.js';
import type { FrameSource, SourceDeps } from './frame-source.js';
import { SnapshotSource } from './snapshot.source.js';
import { parseSourceConfig, type CameraSourceConfig } from './source-config.schema.js';
import { checkCameraUrl, checkLocalPath } from './url-guard.js';

/**
 * The source for a camera's configuration. Defaults are filled in here too, so a config read back from JSON
 * with fields missing behaves like one written today. Nothing connects until the source is iterated.
 */
export function createSource(config: CameraSourceConfig, deps: SourceDeps): FrameSource {
  const parsed = parseSourceConfig(config);
  switch (parsed.kind) {
    case 'snapshot':
      return new SnapshotSource(parsed, deps);
    case 'stream':
    case 'file':
      return new FfmpegSource(parsed, deps);
    case 'folder':
      return new FolderSource(parsed, deps);
  }
}

/**
 * Checks, without fetching anything, that the policy lets this source be used: for the camera registry to
 * refuse a bad URL or path when it is saved rather than when a worker first tries it. Throws the same
 * CameraUrlRefusedError (or an unreachable SourceFailureError for an unknown host) the source would report.
 */
export async function checkSourceAccess(
  config: CameraSourceConfig,
  deps: Pick<SourceDeps, 'policy' | 'resolver'>,
): Promise<void> {
  const parsed = parseSourceConfig(config);
  switch (parsed.kind) {
    case 'snapshot':
      await checkCameraUrl(parsed.url, deps.policy, { schemes: ['http', 'https'], resolver: deps.resolver });
      return;
    case 'stream':
      await checkCameraUrl(parsed.url, deps.policy, {
        schemes: ['rtsp', 'http', 'https', 'file'],
        resolver: deps.resolver,
      });
      return;
    case 'file':
      await checkLocalPath(parsed.path, deps.policy.localFileRoots, 'localFileRoots');
      return;
    case 'folder':
      await checkLocalPath(parsed.path, deps.policy.folderRoots, 'folderRoots');
      return;
  }
}
