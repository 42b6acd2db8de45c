// A wasm module's top-level sections, and the module without its custom sections (name,
// producers, target_features: metadata never read at run time). Shared by the build's strip step
// (scripts/strip-wasm.mjs) and the size benchmark (bench/lib/wasm-anatomy.mjs).

/** The unsigned LEB128 number at `at`, and where the bytes after it begin. */
export function readLeb128(bytes, at) {
  let value = 0;
  let shift = 0;
  let byte;
  do {
    byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80 && at < bytes.length);
  return [value, at];
}

/** Yields { id, start, end } for every section of `bytes` (a Buffer holding a wasm module). */
export function* wasmSections(bytes, name = "module") {
  if (bytes.length < 8 || bytes.readUInt32LE(0) !== 0x6d736100) throw new Error(`${name} is not a wasm module`);
  let at = 8;
  while (at < bytes.length) {
    const start = at;
    const id = bytes[at++];
    const [size, next] = readLeb128(bytes, at);
    at = next;
    const end = at + size;
    if (end > bytes.length) throw new Error(`${name}: section at byte ${start} runs past the end`);
    yield { id, start, end };
    at = end;
  }
}

/** `bytes` without its custom sections (id 0). */
export function stripCustomSections(bytes, name) {
  const kept = [bytes.subarray(0, 8)];
  for (const { id, start, end } of wasmSections(bytes, name)) {
    if (id !== 0) kept.push(bytes.subarray(start, end));
  }
  return Buffer.concat(kept);
}
