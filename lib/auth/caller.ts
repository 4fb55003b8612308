import type { Purpose } from './purposes.js';

export const ROLES = ['officer', 'reviewer', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking, from a verified token: every node decides disclosure on this. */
export interface Caller {
  sub: string;
  agency: string;
  /** The token's circles that the directory confirms for the agency. */
  circles: string[];
  roles: Role[];
  purpose: Purpose;
  /** The verified token, forwarded by the gateway so each node verifies it again. */
  token: string;
}
