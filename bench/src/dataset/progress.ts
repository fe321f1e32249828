// A progress bar on stderr: redrawn in place on a terminal, a line every 10 % otherwise (CI logs).

export interface Progress {
  /** Sets how much is done, out of `total`. */
  update(done: number): void;
  /** Changes the text in front of the bar. */
  label(text: string): void;
  /** Draws the final state and ends the line. */
  finish(note?: string): void;
}

const WIDTH = 30;

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--';
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

function formatCount(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(2)}M`;
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  return String(n);
}

/** A progress bar for `total` units of work (rows). */
export function createProgress(initialLabel: string, total: number, stream = process.stderr): Progress {
  const started = performance.now();
  const tty = stream.isTTY === true;
  let text = initialLabel;
  let done = 0;
  let lastDraw = 0;
  let lastDecile = -1;

  const line = () => {
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(fraction * WIDTH);
    const elapsed = (performance.now() - started) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const eta = rate > 0 ? (total - done) / rate : Number.POSITIVE_INFINITY;
    return `${text.padEnd(22)} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${formatCount(done)}/${formatCount(total)} ${formatCount(Math.round(rate))}/s ${formatDuration(elapsed)} eta ${formatDuration(eta)}`;
  };

  const draw = (force: boolean) => {
    const now = performance.now();
    if (tty) {
      if (!force && now - lastDraw < 200) return;
      lastDraw = now;
      stream.write(`\r${line()}\x1b[K`);
    } else {
      const decile = total > 0 ? Math.floor((done / total) * 10) : 10;
      if (!force && decile === lastDecile) return;
      lastDecile = decile;
      stream.write(`${line()}\n`);
    }
  };

  return {
    update(value) {
      done = value;
      draw(false);
    },
    label(value) {
      text = value;
      draw(true);
    },
    finish(note) {
      done = Math.max(done, total);
      if (tty) stream.write(`\r${line()}${note ? ` ${note}` : ''}\x1b[K\n`);
      else stream.write(`${line()}${note ? ` ${note}` : ''}\n`);
    },
  };
}
