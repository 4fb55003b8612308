import { ConfigError, type Config } from '../config/index.js';
import type { Logger } from '../logger.js';
import { serviceTlsFiles, watchTlsMaterial, type TlsWatch } from './material.js';

/**
 * This service's TLS material, followed for rotation, when the federation runs on TLS
 * (undefined otherwise). `service`: gateway, directory or the agency code. Refuses to start,
 * with one line, when a file is missing or the key does not fit the certificate.
 */
export function serviceTls(config: Config, service: string, logger: Logger): TlsWatch | undefined {
  const tls = config.federation.tls;
  if (!tls) return undefined;
  const { tlsCertFile, tlsKeyFile } = config.service;
  if (Boolean(tlsCertFile) !== Boolean(tlsKeyFile)) {
    throw new ConfigError('TLS_CERT_FILE and TLS_KEY_FILE go together: set both (a certificate and its key) or neither.');
  }
  const files = serviceTlsFiles(tls, service, { cert: config.service.tlsCertFile, key: config.service.tlsKeyFile });
  return watchTlsMaterial(files, logger);
}
