import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnvironment } from '../lib/config/env.js';

// A benchmark baseline in its own process (its CPU is read from /proc apart from the rest):
// started with tsx, ready when it sends { type: 'ready', url }.

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TSX = import.meta.resolve('tsx');

export interface Child {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export function startChild(file: string, env: Record<string, string>): Promise<Child> {
  const child: ChildProcess = spawn(process.execPath, ['--import', TSX, path.join(HERE, file)], {
    env: childEnvironment(env),
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} did not start within 30 s`)), 30_000);
    child.once('exit', (code) => reject(new Error(`${file} exited with code ${code}`)));
    child.on('message', (message: { type?: string; url?: string }) => {
      if (message?.type !== 'ready') return;
      clearTimeout(timer);
      resolve({
        url: message.url!,
        pid: child.pid!,
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}
