//! wasm-bindgen surface only: records in, records out, errors as data. One file per JS-visible concept.
mod route;
mod rsa_public_op;
mod token;
mod webhook;
mod guard;

/// JSON text of a record for the JS side; `"null"` if it cannot be written, which every JS caller
/// treats as a failure (a decision: 503 engine-unavailable), never as an answer.
fn json_text(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}
