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
mod storage;
mod virt;
mod vma_flags;

/// Does nothing. The baseline for measuring the cost of a call into the addon.
#[napi]
pub fn noop() {}

/// A function that does nothing, made with Node-API directly (no napi-rs
/// wrapper around its callback): the floor for the cost of a native call.
#[napi(ts_return_type = "() => void")]
pub fn raw_noop(env: &napi::Env) -> napi::Result<fast::Raw> {
    unsafe extern "C" fn nothing(
        _env: napi::sys::napi_env,
        _info: napi::sys::napi_callback_info,
    ) -> napi::sys::napi_value {
        std::ptr::null_mut()
    }
    let mut f = std::ptr::null_mut();
    // SAFETY: creates a function in this env from a callback that touches nothing.
    let status = unsafe {
        napi::sys::napi_create_function(
            env.raw(),
            c"rawNoop".as_ptr(),
            7,
            Some(nothing),
            std::ptr::null_mut(),
            &mut f,
        )
    };
    if status != napi::sys::Status::napi_ok {
        return Err(napi::Error::from_reason("could not create rawNoop"));
    }
    Ok(fast::Raw(f))
}
