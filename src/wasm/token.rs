//! (wasm surface under construction)
