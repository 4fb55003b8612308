import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { childEnvironment } from './config/env.js';
import { isPostgresUrl, type FederationConfig } from './config/federation.js';
import { AGENCY_NODE_V8_FLAGS } from './config/node-flags.js';
import { PROJECT_ROOT } from './config/project-root.js';
import type { ReadyMessage } from './service.js';

// Starts the federation as separate processes (directory, one per agency node, gateway)
// and stops every one of them again. Used by `npm start` and by the integration tests.

export interface ServiceSpec {
  name: string;
  entry: string;
  env: Record<string, string>;
  /** V8 flags the service's process starts with (before the entry point). */
  v8Flags?: readonly string[];
}

export interface RunningChild {
  spec: ServiceSpec;
  process: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

export interface LaunchOptions {
  /** Extra environment for every child (DATA_DIR, FEDERATION_CONFIG, ...). */
  env?: Record<string, string>;
  /** Receives every line a child prints; stdout lines are pino JSON. */
  onLine?: (service: string, line: string, stream: 'stdout' | 'stderr') => void;
  /** Called when a child that was ready exits on its own. */
  onExit?: (service: string, code: number | null) => void;
  readyTimeoutMs?: number;
}

const TSX = import.meta.resolve('tsx');

export function federationServices(config: FederationConfig): ServiceSpec[] {
  const entry = (file: string) => path.join(PROJECT_ROOT, file);
  return [
    { name: 'directory', entry: entry('subgraphs/directory/main.ts'), env: { PORT: String(config.directory.port) } },
    ...config.agencies.map((node) => ({
      name: node.code,
      entry: entry('subgraphs/agency/main.ts'),
      v8Flags: AGENCY_NODE_V8_FLAGS,
      env: {
        AGENCY_CODE: node.code,
        PORT: String(node.port),
        [isPostgresUrl(node.database) ? 'DATABASE_URL' : 'DATABASE_PATH']: node.database,
      },
    })),
    { name: 'gateway', entry: entry('gateway/main.ts'), env: { GATEWAY_PORT: String(config.gateway.port) } },
  ];
}

/** The command line a service's process starts with, after `node`: its V8 flags, tsx, its entry point. */
export function nodeArguments(spec: ServiceSpec): string[] {
  return [...(spec.v8Flags ?? []), '--import', TSX, spec.entry];
}

export class Federation {
  readonly children = new Map<string, RunningChild>();
  private stopping = false;

  private constructor(private readonly options: LaunchOptions) {}

  static async start(config: FederationConfig, options: LaunchOptions = {}): Promise<Federation> {
    const federation = new Federation(options);
    const env = { DATA_DIR: config.dataDir, ...options.env };
    const started = await Promise.allSettled(
      federationServices(config).map((spec) => federation.spawn({ ...spec, env: { ...env, ...spec.env } })),
    );
    const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) {
      await federation.stop();
      throw failed.reason;
    }
    return federation;
  }

  url(service: string): string {
    const child = this.children.get(service);
    if (!child) throw new Error(`No running service ${service}`);
    return child.url;
  }

  /** Stops one service (SIGKILL simulates a crash) and waits until it is gone. */
  async kill(service: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.children.get(service);
    if (!child) return;
    child.process.kill(signal);
    await child.exited;
  }

  /** Starts a service again that was stopped or killed (same settings, same port), once it is ready. */
  async restart(service: string): Promise<void> {
    const child = this.children.get(service);
    if (!child) throw new Error(`No service ${service} was started`);
    await stopChild(child);
    await this.spawn(child.spec);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.children.values()].map((child) => stopChild(child)));
  }

  private spawn(spec: ServiceSpec): Promise<RunningChild> {
    const child = spawn(process.execPath, nodeArguments(spec), {
      cwd: PROJECT_ROOT,
      env: childEnvironment(spec.env),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const stderr: string[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      createInterface({ input: child[stream]! }).on('line', (line) => {
        if (stream === 'stderr') stderr.push(line);
        this.options.onLine?.(spec.name, line, stream);
      });
    }
    return new Promise<RunningChild>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${spec.name} did not become ready within ${this.options.readyTimeoutMs ?? 30000} ms`));
      }, this.options.readyTimeoutMs ?? 30000);
      child.on('message', (message: ReadyMessage) => {
        if (message?.type !== 'ready') return;
        clearTimeout(timer);
        const running = { spec, process: child, url: message.url, exited };
        this.children.set(spec.name, running);
        resolve(running);
      });
      void exited.then(async (code) => {
        clearTimeout(timer);
        if (this.children.get(spec.name)?.process === child) {
          if (!this.stopping) this.options.onExit?.(spec.name, code);
          return;
        }
        // Let the last stderr lines arrive before quoting them.
        await new Promise((r) => setImmediate(r));
        const why = stderr.filter((line) => line.trim()).at(-1) ?? `exited with code ${code}`;
        reject(new Error(why));
      });
    });
  }
}

async function stopChild(child: RunningChild): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill('SIGTERM');
  const killer = setTimeout(() => child.process.kill('SIGKILL'), 6000);
  await child.exited;
  clearTimeout(killer);
}
