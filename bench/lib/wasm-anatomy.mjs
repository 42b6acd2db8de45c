// Where the .wasm's bytes go: function body sizes from the code section, named by the "name"
// custom section and grouped by crate (the first path segment of the Rust symbol), plus data.
import { readFileSync } from "node:fs";
import { readLeb128, stripCustomSections } from "../../scripts/wasm-sections.mjs";

function reader(buffer) {
  let at = 0;
  const r = {
    get at() { return at; },
    set at(v) { at = v; },
    byte: () => buffer[at++],
    u32() {
      const [value, next] = readLeb128(buffer, at);
      at = next;
      return value;
    },
    name() {
      const length = r.u32();
      const text = buffer.toString("utf8", at, at + length);
      at += length;
      return text;
    },
  };
  return r;
}

/** { total, sections: {name: bytes}, crates: [{crate, bytes, functions}], functions: [{name, bytes}] } */
export function wasmAnatomy(file) {
  const buffer = readFileSync(file);
  const r = reader(buffer);
  r.at = 8;
  const sections = {};
  let importedFunctions = 0;
  let bodies = [];
  const names = new Map();
  const SECTION = ["custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data", "datacount"];
  while (r.at < buffer.length) {
    const id = r.byte();
    const size = r.u32();
    const start = r.at;
    let label = SECTION[id] ?? `section ${id}`;
    if (id === 0) label = `custom "${r.name()}"`;
    sections[label] = (sections[label] ?? 0) + size;
    if (id === 2) {
      const count = r.u32();
      for (let i = 0; i < count; i++) {
        r.name();
        r.name();
        const kind = r.byte();
        if (kind === 0) {
          r.u32();
          importedFunctions++;
        } else if (kind === 1) {
          r.byte();
          const flags = r.u32();
          r.u32();
          if (flags & 1) r.u32();
        } else if (kind === 2) {
          const flags = r.u32();
          r.u32();
          if (flags & 1) r.u32();
        } else if (kind === 3) {
          r.byte();
          r.byte();
        } else {
          r.u32(); // tag
          r.u32();
        }
      }
    } else if (id === 10) {
      const count = r.u32();
      bodies = new Array(count);
      for (let i = 0; i < count; i++) {
        const bodySize = r.u32();
        bodies[i] = bodySize;
        r.at += bodySize;
      }
    } else if (label === 'custom "name"') {
      while (r.at < start + size) {
        const sub = r.byte();
        const subSize = r.u32();
        const subEnd = r.at + subSize;
        if (sub === 1) {
          const count = r.u32();
          for (let i = 0; i < count; i++) {
            const index = r.u32();
            names.set(index, r.name());
          }
        }
        r.at = subEnd;
      }
    }
    r.at = start + size;
  }
  const functions = bodies.map((bytes, i) => ({ name: names.get(i + importedFunctions) ?? `func[${i + importedFunctions}]`, bytes }));
  const crates = new Map();
  for (const fn of functions) {
    const crate = crateOf(fn.name);
    const entry = crates.get(crate) ?? { crate, bytes: 0, functions: 0 };
    entry.bytes += fn.bytes;
    entry.functions += 1;
    crates.set(crate, entry);
  }
  return {
    total: buffer.length,
    sections,
    crates: [...crates.values()].sort((a, b) => b.bytes - a.bytes),
    functions: functions.sort((a, b) => b.bytes - a.bytes),
  };
}

const STD = new Set(["core", "alloc", "std", "str", "char", "f32", "f64", "u8", "u16", "u32", "u64", "usize", "i32", "i64", "T", "D", "rustc", "_rustc", "__rustc", "__rust_alloc", "__rust_dealloc", "__rust_realloc", "__rdl_alloc", "__rdl_dealloc", "memcpy", "memmove", "memset", "memcmp"]);

/** "edgeguard::route::emit::x" → "edgeguard::route"; "<serde_json::.. as ..>::f" → "serde_json". */
function crateOf(name) {
  if (/^(__wbg|__wbindgen|__externref|__wbg_|wasm-bindgen)/.test(name)) return "wasm_bindgen";
  if (/^__(multi3|ashl|lshr|udiv|umod|div|mod)/.test(name)) return "core/alloc/std (incl. generics instantiated for callers)";
  if (/^[a-z][a-z0-9]*_[A-Za-z_]+$/.test(name) && !name.includes("::")) return "(exports: wasm-bindgen entry points)";
  const text = name.replace(/\[[0-9a-f]+\]/g, "").replace(/^[_<&]+/, "").replace(/^(mut |dyn )/, "").replace(/^</, "");
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(::([A-Za-z_][A-Za-z0-9_]*))?/.exec(text);
  if (!match) return "(unnamed / glue)";
  if (match[1] === "edgeguard" && match[3]) return `edgeguard::${match[3]}`;
  if (STD.has(match[1])) return "core/alloc/std (incl. generics instantiated for callers)";
  if (/^__wbg|^__wbindgen|^__externref|^wasm_bindgen/.test(match[1])) return "wasm_bindgen";
  return match[1];
}

/** The module without custom sections ("name", "producers", …): what a stripped build would ship. */
export function withoutCustomSections(file) {
  return stripCustomSections(readFileSync(file), file);
}
