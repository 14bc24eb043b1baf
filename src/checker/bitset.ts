/**
 * The set of operations linearized so far, with an incremental 64-bit Zobrist hash (one random
 * pair of words per operation, XORed in and out), so the memo lookup costs O(1) per step instead
 * of hashing the whole set. Equality is still checked word by word on a hash hit.
 */
export class Bitset {
  readonly words: Uint32Array;
  private lo = 0;
  private hi = 0;

  constructor(
    readonly size: number,
    private readonly zobrist: Uint32Array = zobristTable(size),
  ) {
    this.words = new Uint32Array(Math.ceil(size / 32));
  }

  set(i: number): void {
    this.words[i >>> 5]! |= 1 << (i & 31);
    this.lo ^= this.zobrist[2 * i]!;
    this.hi ^= this.zobrist[2 * i + 1]!;
  }

  clear(i: number): void {
    this.words[i >>> 5]! &= ~(1 << (i & 31));
    this.lo ^= this.zobrist[2 * i]!;
    this.hi ^= this.zobrist[2 * i + 1]!;
  }

  has(i: number): boolean {
    return (this.words[i >>> 5]! & (1 << (i & 31))) !== 0;
  }

  /** A 53-bit hash of the set with `i` toggled (the candidate step) and a state id, without changing the set. */
  hashWith(i: number, stateId: number): number {
    const lo = (this.lo ^ this.zobrist[2 * i]! ^ Math.imul(stateId, 0x9e3779b1)) >>> 0;
    const hi = (this.hi ^ this.zobrist[2 * i + 1]! ^ Math.imul(stateId, 0x85ebca6b)) & 0x1fffff;
    return hi * 0x100000000 + lo;
  }
}

/** Deterministic random words (xorshift32): verdicts never depend on Math.random. */
export function zobristTable(size: number, seed = 0x9e3779b9): Uint32Array {
  const t = new Uint32Array(2 * size);
  let x = seed >>> 0 || 1;
  for (let k = 0; k < t.length; k++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    t[k] = x >>> 0;
  }
  return t;
}
