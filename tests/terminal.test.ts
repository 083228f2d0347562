import { describe, expect, it, vi } from 'vitest';
import { terminal } from '../src/terminal.js';

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { s: { isTTY, write: (t: string) => written.push(t) } as unknown as NodeJS.WriteStream, written };
}

describe('terminal output', () => {
  it('shows progress on a terminal only once a build has run a second, and clears it', () => {
    vi.useFakeTimers();
    try {
      const { s, written } = stream(true);
      const term = terminal(s, {});
      term.progress('reading images', 1, 28);
      expect(written).toEqual([]);
      vi.advanceTimersByTime(1500);
      term.progress('reading images', 2, 28);
      expect(written.join('')).toContain('bulletin: reading images 2/28');
      term.done();
      expect(written[written.length - 1]).toBe('\r\x1b[K');
    } finally {
      vi.useRealTimers();
    }
  });

  it('is quiet when not a terminal or with --quiet, and colours only on a terminal without NO_COLOR', () => {
    vi.useFakeTimers();
    try {
      const pipe = stream(false);
      const quiet = stream(true);
      const t1 = terminal(pipe.s, {});
      const t2 = terminal(quiet.s, {}, true);
      vi.advanceTimersByTime(1500);
      t1.progress('laying out pages');
      t2.progress('laying out pages');
      expect([...pipe.written, ...quiet.written]).toEqual([]);
      t1.message('warning', 'a.md:1:1: x');
      expect(pipe.written).toEqual(['bulletin: warning: a.md:1:1: x\n']);
      const tty = stream(true);
      terminal(tty.s, {}).message('error', 'x');
      expect(tty.written[0]).toBe('bulletin: \x1b[31merror\x1b[0m: x\n');
      const plain = stream(true);
      terminal(plain.s, { NO_COLOR: '1' }).message('error', 'x');
      expect(plain.written[0]).toBe('bulletin: error: x\n');
    } finally {
      vi.useRealTimers();
    }
  });
});
