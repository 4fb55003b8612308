import type { Logger } from './logger.js';

// Lifecycle shared by every process: start, tell the launcher (IPC) where it listens,
// stop cleanly on SIGINT/SIGTERM or when the launcher goes away, and fail to start with
// one readable line instead of a stack.

export interface Service {
  url: string;
  stop(): Promise<void>;
}

export interface ReadyMessage {
  type: 'ready';
  url: string;
}

export async function runService(name: string, logger: Logger, start: () => Promise<Service>): Promise<void> {
  let service: Service;
  try {
    service = await start();
  } catch (error) {
    process.stderr.write(`${name} cannot start: ${(error as Error).message}\n`);
    logger.debug({ err: error }, 'start failed');
    process.exit(1);
  }
  logger.info({ url: service.url }, `${name} ready`);
  process.send?.({ type: 'ready', url: service.url } satisfies ReadyMessage);

  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, `${name} stopping`);
    const forced = setTimeout(() => process.exit(1), 5000);
    forced.unref();
    try {
      await service.stop();
    } finally {
      process.exit(0);
    }
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  // The launcher died without a signal reaching us: do not linger as a stray process.
  process.once('disconnect', () => void stop('launcher gone'));
}
