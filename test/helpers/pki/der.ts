/** DER length octets (X.690 §8.1.3). */
export function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** A DER SET OF: the elements sorted by their encodings (X.690 §11.6), under tag 0x31. */
export function derSetOf(elements: Buffer[]): Buffer {
  const sorted = [...elements].sort(Buffer.compare);
  const body = Buffer.concat(sorted);
  return Buffer.concat([Buffer.from([0x31]), derLength(body.length), body]);
}
