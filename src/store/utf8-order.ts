/**
 * Redis orders sorted-set members (ZRANGE BYLEX) and our Lua version check compares strings by
 * their UTF-8 bytes. JavaScript's `<` compares UTF-16 code units, which disagrees for characters
 * above U+FFFF versus U+E000–U+FFFF. The in-memory store uses this comparator so both backends
 * return members and decide versions in exactly the same order.
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return rank(x) - rank(y);
  }
  return a.length - b.length;
}

/**
 * Re-ranks a UTF-16 code unit so that code-unit order equals code-point (= UTF-8 byte) order:
 * surrogates (which encode code points ≥ U+10000) move above U+E000–U+FFFF.
 */
function rank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}
