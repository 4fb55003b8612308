import { randomBytes } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';

/**
 * Writes `file` so that a reader sees the old content or the new, never half of it: a new file
 * of its own beside it (never one found in place, whatever its mode), then renamed over it.
 */
export function writeAtomically(file: string, text: string, mode = 0o644): void {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, text, { mode, flag: 'wx' });
  renameSync(temporary, file);
}
