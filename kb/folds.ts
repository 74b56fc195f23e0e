/** 32-bit FNV-1a hash of a key. */
function fnv1a(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Fold (0 or 1) of a key: a stable hash of it, so a split by document keeps documents whole. */
export function foldOf(key: string): 0 | 1 {
  return fnv1a(key) % 2 === 0 ? 0 : 1;
}

/**
 * A second two-way split, independent of `foldOf`: its top hash bit (the low bit of FNV-1a is the
 * parity of the key's characters, the same within one `foldOf` fold).
 */
export function innerFoldOf(key: string): 0 | 1 {
  return fnv1a(key) >>> 31 === 0 ? 0 : 1;
}
