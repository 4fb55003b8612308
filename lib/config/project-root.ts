import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root: default files (federation.json, the directory's data) are found from here. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
