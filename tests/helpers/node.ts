import { pino } from 'pino';
import { DEV_ISSUER } from '../../lib/auth/dev-issuer.js';
import { TokenVerifier, type TrustConfig } from '../../lib/auth/verify.js';
import { loadConfig } from '../../lib/config/index.js';
import type { AgencyNodeOptions } from '../../subgraphs/agency/server.js';
import { LOOPBACK_HTTP } from './http.js';

// An agency node started in-process by a test: its options, trusting the dev issuer whose
// keys the test made in `dataDir` (ensureDevIssuer).

export const DEV_TRUST: TrustConfig = {
  audience: 'records-federation',
  algorithms: ['ES256'],
  clockToleranceSeconds: 30,
  issuers: [{ issuer: DEV_ISSUER, jwks: 'dev-issuer/jwks.json', agencies: '*' }],
};

export const { directory: TEST_DIRECTORY } = loadConfig();

export function inProcessNodeOptions(
  dataDir: string,
  options: Pick<AgencyNodeOptions, 'agency' | 'database'> & Partial<AgencyNodeOptions>,
): AgencyNodeOptions {
  return {
    port: 0,
    seedDemoData: undefined,
    verifier: new TokenVerifier(DEV_TRUST, dataDir, TEST_DIRECTORY),
    directory: TEST_DIRECTORY,
    http: LOOPBACK_HTTP,
    logger: pino({ level: 'silent' }),
    ...options,
  };
}
