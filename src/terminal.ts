/**
 * What the command line prints besides results: a progress line on a
 * terminal (only once a build has run a second, so quick ones stay quiet),
 * and coloured message prefixes — colour only on a terminal, never with
 * NO_COLOR set.
 */
import type { Progress } from './build.js';

export type Level = 'error' | 'warning' | 'note';

const COLOURS: Record<Level, string> = { error: '31', warning: '33', note: '36' };
/** A build shorter than this shows no progress line. */
const QUIET_FOR_MS = 1000;

export interface Terminal {
  progress: Progress;
  /** clears the progress line */
  done(): void;
  /** `bulletin: warning: …`, the level coloured where colour is allowed */
  message(level: Level, text: string): void;
}

export function terminal(stream: NodeJS.WriteStream = process.stderr, env: NodeJS.ProcessEnv = process.env, quiet = false): Terminal {
  const tty = !!stream.isTTY && !quiet;
  const colour = !!stream.isTTY && !env.NO_COLOR;
  let started = Date.now();
  let shown = false;
  const clear = () => {
    if (shown) stream.write('\r\x1b[K');
    shown = false;
  };
  return {
    progress(stage, done, total) {
      if (!tty || Date.now() - started < QUIET_FOR_MS) return;
      stream.write(`\r\x1b[Kbulletin: ${stage}${total ? ` ${done}/${total}` : ''}…`);
      shown = true;
    },
    done() {
      clear();
      started = Date.now();
    },
    message(level, text) {
      clear();
      const label = colour ? `\x1b[${COLOURS[level]}m${level}\x1b[0m` : level;
      stream.write(`bulletin: ${label}: ${text}\n`);
    },
  };
}
