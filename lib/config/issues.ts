import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ConfigError } from './config-error.js';

// Configuration files are checked with zod schemas, but an operator reads one line naming
// the file, the field and what is wrong, never a zod dump. Every message a schema or this
// module writes is therefore a whole sentence; the file name is put in front.

/** `agencies[2].code`: where in the file the problem is, as a person would write it. */
export function fieldName(path: readonly PropertyKey[] | undefined): string {
  if (!path || path.length === 0) return 'the file';
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? String(key) : `.${String(key)}`)).join('');
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
};

/**
 * The sentence for an issue zod raises itself (a wrong type, a value not in an enum, ...),
 * where the schema gave no message of its own. Passed to zod as the parse's error map.
 */
export function describeIssue(issue: z.core.$ZodRawIssue): string {
  const field = fieldName(issue.path);
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `${field} is missing.` : `${field} must be ${TYPE_WORDS[issue.expected] ?? issue.expected}.`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `${field} must be ${JSON.stringify(issue.values[0])}.`
        : `${field} must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}.`;
    case 'too_small':
      return issue.origin === 'array' ? `${field} must list at least ${issue.minimum}.` : `${field} must be at least ${issue.minimum}.`;
    case 'too_big':
      return issue.origin === 'array' ? `${field} must list at most ${issue.maximum}.` : `${field} must be at most ${issue.maximum}.`;
    default:
      return `${field} is invalid.`;
  }
}

/** Checks `data` (read from `file`) against `schema`; the first problem becomes a one-line ConfigError. */
export function parseConfigFile<Schema extends z.ZodType>(schema: Schema, data: unknown, file: string): z.output<Schema> {
  const result = schema.safeParse(data, { error: describeIssue });
  if (result.success) return result.data;
  throw new ConfigError(`${file}: ${result.error.issues[0]?.message ?? 'is invalid.'}`);
}

/** Checks one value from the environment: its message names the variable, there is no file to name. */
export function parseSetting<Schema extends z.ZodType>(schema: Schema, value: unknown): z.output<Schema> {
  const result = schema.safeParse(value, { error: describeIssue });
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues[0]?.message ?? `Invalid value: ${String(value)}`);
}

/** The parsed JSON of `file`; `cannotRead` words the one line when it is missing or not JSON. */
export function readJsonFile(file: string, cannotRead: (reason: string) => string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(cannotRead((error as Error).message));
  }
}
