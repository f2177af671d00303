/** How a statement's bytes were written. */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** A statement's text and how it was read. */
export interface DecodedText {
  readonly text: string;
  readonly encoding: TextEncodingName;
  /** True when the bytes began with a byte order mark (which `text` leaves out). */
  readonly bom: boolean;
}

/**
 * Reads a statement's bytes as text. A byte order mark says UTF-8 or UTF-16; without one the
 * bytes are read as UTF-8 when they are valid UTF-8, and otherwise as Windows-1252, the
 * encoding spreadsheet programs and many banks still write (`CAFÉ` saved as the one byte
 * `0xC9` is not valid UTF-8, so it is read as `É` rather than as a replacement character).
 * `partial` says the bytes are the start of a longer file, which may end mid-character.
 */
export function decodeStatementBytes(bytes: Uint8Array, partial = false): DecodedText {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeWith('utf-16le', bytes, partial, true);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeWith('utf-16be', bytes, partial, true);
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    return decodeWith('utf-8', bytes, partial, bom, true);
  } catch {
    // Not UTF-8: a BOM that says UTF-8 with bytes that are not is read as Windows-1252 too.
    return {
      text: decodeWindows1252(bom ? bytes.subarray(3) : bytes),
      encoding: 'windows-1252',
      bom,
    };
  }
}

function decodeWith(
  encoding: Exclude<TextEncodingName, 'windows-1252'>,
  bytes: Uint8Array,
  partial: boolean,
  bom: boolean,
  fatal = false,
): DecodedText {
  // The decoder drops a leading byte order mark of its own encoding; `stream` lets the last
  // character of a partial read be cut short without it counting as invalid.
  const text = new TextDecoder(encoding, { fatal }).decode(bytes, { stream: partial });
  return { text, encoding, bom };
}

/**
 * What Windows-1252 puts at 0x80–0x9F, where Latin-1 has control characters (the five it
 * leaves unassigned stay as they are). Applied after the platform's decoder, since not every
 * platform maps these (Node reads `windows-1252` as Latin-1).
 */
const WINDOWS_1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function decodeWindows1252(bytes: Uint8Array): string {
  return new TextDecoder('windows-1252')
    .decode(bytes)
    .replace(/[\u0080-\u009f]/g, (char) => WINDOWS_1252_HIGH[char.charCodeAt(0) - 0x80] ?? char);
}
