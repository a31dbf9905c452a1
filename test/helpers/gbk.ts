/**
 * A GBK encoder for test fixtures. Node can decode GBK (TextDecoder) but not encode it, so the
 * table is built by decoding every two-byte GBK code once and inverting the result.
 */
let table: Map<string, [number, number]> | null = null;

function encodeTable(): Map<string, [number, number]> {
  if (table) return table;
  const decoder = new TextDecoder("gbk");
  const map = new Map<string, [number, number]>();
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const ch = decoder.decode(Uint8Array.of(lead, trail));
      // Keep the first code of a character: GBK maps a few characters twice.
      if (ch.length === 1 && ch !== "\ufffd" && !map.has(ch)) map.set(ch, [lead, trail]);
    }
  }
  table = map;
  return map;
}

export function encodeGbk(text: string): Uint8Array {
  const map = encodeTable();
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) {
      out.push(code);
      continue;
    }
    const pair = map.get(ch);
    if (!pair) throw new Error(`no GBK code for ${JSON.stringify(ch)}`);
    out.push(pair[0], pair[1]);
  }
  return Uint8Array.from(out);
}
