import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Resolved from this file so that paths hold both under tsx (src/) and after a build (dist/src/).
const here = path.dirname(fileURLToPath(import.meta.url));
const up = here.includes(`${path.sep}dist${path.sep}`) ? '../../..' : '../..';

export const REPO_ROOT = path.resolve(here, up);
export const MIGRATIONS_DIR = path.join(REPO_ROOT, 'migrations');
export const PUBLIC_DIR = path.join(REPO_ROOT, 'public');
export const SHARED_DIR = path.resolve(REPO_ROOT, '..', 'shared');
