import { readFileSync } from 'node:fs';

// What a process has cost so far, read from /proc (Linux): CPU time is what a request costs
// on shared cores, where throughput is noisy.

/** Linux's USER_HZ: /proc reports CPU time in these ticks. */
export const CLOCK_TICKS = 100;
const PAGE_SIZE = 4096;

export interface ProcessSample {
  cpuTicks: number;
  rssBytes: number;
}

export function sample(pid: number): ProcessSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat; after the command name they are 12 and 13 (0-based 11, 12).
  const cpuTicks = Number(fields[11]) + Number(fields[12]);
  const rssBytes = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_SIZE;
  return { cpuTicks, rssBytes };
}

/** CPU milliseconds per request between two samples. */
export function cpuMsPerRequest(before: ProcessSample, after: ProcessSample, requests: number): number {
  return ((after.cpuTicks - before.cpuTicks) / CLOCK_TICKS / Math.max(requests, 1)) * 1000;
}
