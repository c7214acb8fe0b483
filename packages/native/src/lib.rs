//! Node.js binding of the `vmaflags` crate: `vma_flags_t` handles for
//! `nativeBackend()`, the `kernel::mm::virt` VMA types, and a fast path over
//! flag arenas shared with the TypeScript core. Argument checking lives in
//! `js`; all flag logic lives in the `vmaflags` crate.

#![deny(clippy::all)]
// napi-derive registers exports only outside `cfg(test)`, so under test
// (clippy --all-targets) the bindings look unused.
#![cfg_attr(test, allow(dead_code))]

#[cfg(target_endian = "big")]
compile_error!("the shared arena layout assumes a little-endian host");

use napi_derive::napi;

mod config;
mod fast;
mod js;
mod native_arena;
mod virt;
mod vma_flags;

/// Does nothing. The baseline for measuring the cost of a call into the addon.
#[napi]
pub fn noop() {}
