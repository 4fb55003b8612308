import { formatRecordId, MalformedIdError, parseRecordId } from '../../../lib/ids.js';
import type { NodeContext } from '../context.js';
import { badUserInput } from '../errors.js';
import { MAX_PAGE } from '../../../schema/argument-rules.js';

/** The local id of a record this node owns; a clear error for malformed or foreign ids. */
export function ownLocalId(id: string, context: NodeContext): string {
  let parsed;
  try {
    parsed = parseRecordId(id);
  } catch (error) {
    if (error instanceof MalformedIdError) throw badUserInput(error.message);
    throw error;
  }
  if (parsed.agency !== context.agency) {
    throw badUserInput(
      `Id ${id} belongs to ${parsed.agency}; this node holds ${context.agency} records only. Ask ${parsed.agency}'s node, or the gateway.`,
    );
  }
  return parsed.localId;
}

/** For entity references: a foreign or malformed id is simply not held here. */
export function ownLocalIdOrNull(id: string, context: NodeContext): string | null {
  try {
    const parsed = parseRecordId(id);
    return parsed.agency === context.agency ? parsed.localId : null;
  } catch {
    return null;
  }
}

export function globalId(context: NodeContext, localId: string): string {
  return formatRecordId(context.agency, localId);
}

/** Every list's `first`, screening's too: 0-100, each agency's share (schema/argument-rules.ts; the request was checked there first). */
export function pageSize(first: number | null | undefined): number {
  if (typeof first !== 'number' || !Number.isInteger(first) || first < 0 || first > MAX_PAGE) {
    throw badUserInput(`"first" must be between 0 and ${MAX_PAGE} (it bounds each agency's share of a list); got ${first}.`);
  }
  return first;
}

/** A list narrowed with `agencies` that leaves this node out is empty here. */
export function isAddressed(agencies: readonly string[] | null | undefined, context: NodeContext): boolean {
  return !agencies || agencies.includes(context.agency);
}
