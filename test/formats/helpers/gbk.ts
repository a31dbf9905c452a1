/**
 * GB2312 bytes for test fixtures, without an encoding library: Node's TextDecoder can decode
 * GB18030 but there is no encoder, so the table is built once by decoding every double-byte code.
 */
let table: Map<string, [number, number]> | null = null;

function encoderTable(): Map<string, [number, number]> {
  if (table) return table;
  table = new Map();
  const decoder = new TextDecoder("gb18030");
  for (let hi = 0xa1; hi <= 0xf7; hi++) {
    for (let lo = 0xa1; lo <= 0xfe; lo++) {
      const ch = decoder.decode(new Uint8Array([hi, lo]));
      if (ch.length === 1 && ch !== "\ufffd" && !table.has(ch)) table.set(ch, [hi, lo]);
    }
  }
  return table;
}

function encodeGb(text: string): Uint8Array {
  const t = encoderTable();
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) out.push(code);
    else {
      const pair = t.get(ch);
      if (!pair) throw new Error(`not in GB2312: ${ch}`);
      out.push(pair[0], pair[1]);
    }
  }
  return new Uint8Array(out);
}

export default { encodeGb };
