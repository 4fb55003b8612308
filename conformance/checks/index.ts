import type { Check } from '../kit.js';
import { AUDIT_CHECKS } from './audit.js';
import { CONTRACT_CHECKS } from './contract.js';
import { DISCLOSURE_CHECKS } from './disclosure.js';
import { HYGIENE_CHECKS } from './hygiene.js';
import { IDENTITY_CHECKS } from './identity.js';
import { LANGUAGE_CHECKS } from './languages.js';
import { SOVEREIGNTY_CHECKS } from './sovereignty.js';
import { WITHHOLDING_CHECKS } from './withholding.js';

/** Every check of the kit, in the order they run: the audit checks after the disclosures they find in the ledger. */
export const CHECKS: readonly Check[] = [
  ...CONTRACT_CHECKS,
  ...LANGUAGE_CHECKS,
  ...IDENTITY_CHECKS,
  ...DISCLOSURE_CHECKS,
  ...WITHHOLDING_CHECKS,
  ...SOVEREIGNTY_CHECKS,
  ...AUDIT_CHECKS,
  ...HYGIENE_CHECKS,
];
