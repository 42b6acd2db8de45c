//! wasm-bindgen surface only: records in, records out, errors as data. One file per JS-visible concept.
mod route;
mod token;
mod webhook;
mod guard;
