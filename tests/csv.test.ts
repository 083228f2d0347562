import { describe, expect, it } from 'vitest';
import { parseCsv } from '../src/model/csv.js';

describe('parseCsv', () => {
  it('reads commas, quotes and doubled quotes', () => {
    const rows = parseCsv('a,b\n"x, y","say ""hi"""\n', 'f.csv');
    expect(rows.map((r) => r.cells)).toEqual([['a', 'b'], ['x, y', 'say "hi"']]);
  });

  it('reads tab-separated files and CRLF line ends', () => {
    const rows = parseCsv('序号\t地区\r\n1\t北京\r\n', 'f.csv');
    expect(rows.map((r) => r.cells)).toEqual([['序号', '地区'], ['1', '北京']]);
    expect(rows[1].line).toBe(2);
  });

  it('names the line of a ragged row and of an unclosed quote', () => {
    expect(() => parseCsv('a,b\n1,2,3\n', 'f.csv')).toThrow(/row has 3 cells/);
    expect(() => parseCsv('a,b\n"1,2\n', 'f.csv')).toThrow(/opened on line 2 is never closed/);
  });
});
