/** A plain zip (deflate, no zip64) of the given files, names with `/` separators. */
export declare function makeZip(entries: Array<{ name: string; data: Buffer }>): Buffer;
