import cliProgress from 'cli-progress';

// How long commands (import:un, store:copy, eval:screening, bench:screening, bench) show
// that they are working: a bar on stderr when it is a terminal; nothing otherwise (a log,
// CI), where the command's summary line at the end says what happened.

export interface Progress {
  /** Starts a step of `total` units (ending the previous step's bar), e.g. "importing the UN list". */
  step(what: string, total: number): void;
  /** `done` units of the current step; `detail` is shown after the bar, e.g. "303 entries". */
  update(done: number, detail?: string): void;
  /** Removes the bar, before the command prints its results or an error. */
  stop(): void;
}

export function progress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { step: () => undefined, update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      format: '{step} [{bar}] {percentage}% | {detail} | {duration_formatted}',
      hideCursor: true,
      clearOnComplete: true,
      stream,
    },
    cliProgress.Presets.shades_classic,
  );
  let running = false;
  return {
    step(what, total) {
      if (running) bar.stop();
      bar.start(Math.max(total, 1), 0, { step: what, detail: '' });
      running = true;
    },
    update(done, detail = '') {
      if (running) bar.update(done, { detail });
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}
