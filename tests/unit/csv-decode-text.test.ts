import { describe, expect, it } from 'vitest';
import { decodeStatementBytes } from '../../src/worker/handlers/csv/decode-text';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('decodeStatementBytes', () => {
  it('reads valid UTF-8 as UTF-8, with or without a byte order mark', () => {
    expect(decodeStatementBytes(utf8('Date,Description\n2025-01-01,CAFÉ'))).toEqual({
      text: 'Date,Description\n2025-01-01,CAFÉ',
      encoding: 'utf-8',
      bom: false,
    });
    expect(decodeStatementBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('Date,€')]))).toEqual({
      text: 'Date,€',
      encoding: 'utf-8',
      bom: true,
    });
  });

  it('reads bytes that are not UTF-8 as Windows-1252, as spreadsheet programs write them', () => {
    // "CAFÉ £12.50 €" in Windows-1252: É is 0xC9, £ is 0xA3, € is 0x80.
    const bytes = new Uint8Array([...utf8('2025-01-01,CAF'), 0xc9, 0x20, 0xa3, ...utf8('12.50 '), 0x80]);
    expect(decodeStatementBytes(bytes)).toEqual({
      text: '2025-01-01,CAFÉ £12.50 €',
      encoding: 'windows-1252',
      bom: false,
    });
  });

  it('reads UTF-16 with its byte order mark, little or big endian', () => {
    const text = 'Date\tDescription\n2025-01-01\tCAFÉ';
    const le = new Uint8Array(2 + text.length * 2);
    const be = new Uint8Array(2 + text.length * 2);
    le.set([0xff, 0xfe]);
    be.set([0xfe, 0xff]);
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      le.set([code & 0xff, code >> 8], 2 + i * 2);
      be.set([code >> 8, code & 0xff], 2 + i * 2);
    }
    expect(decodeStatementBytes(le)).toEqual({ text, encoding: 'utf-16le', bom: true });
    expect(decodeStatementBytes(be)).toEqual({ text, encoding: 'utf-16be', bom: true });
  });

  it('a partial read that ends inside a UTF-8 character is still UTF-8', () => {
    const bytes = utf8('Date,Description\n2025-01-01,CAFÉ');
    const cut = bytes.subarray(0, bytes.length - 1);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(cut)).toThrow();
    expect(decodeStatementBytes(cut, true)).toMatchObject({
      encoding: 'utf-8',
      text: 'Date,Description\n2025-01-01,CAF',
    });
    expect(decodeStatementBytes(cut, false).encoding).toBe('windows-1252');
  });
});
