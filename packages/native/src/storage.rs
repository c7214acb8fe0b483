//! Storage in memory JS owns: each bitmap (and each VMA) is one
//! `ArrayBuffer` created here and held by its JS object in a private field.
//! The garbage collector frees it with the object, so the addon keeps no
//! table, no handles and no count of live objects. A call gets the buffer
//! back as an argument and works on its bytes in place.
//!
//! Soundness of the slices made over that memory: a non-shared
//! `ArrayBuffer` is reachable only from its own JS thread, which is inside
//! this call; no JS runs while a slice lives (arguments are all read first,
//! results built after), and the backing store of an attached buffer does
//! not move. Two arguments are either the same buffer or disjoint memory.

use std::ptr;

use napi::{sys, Result};

use crate::js;

/// Bytes of storage, aligned for 64-bit words.
pub struct Bytes {
    pub data: *mut u8,
}

/// A new zero-filled `ArrayBuffer` of `len` bytes and its memory.
pub fn create(env: js::Env, len: usize) -> Result<(js::Value, Bytes)> {
    let mut v = ptr::null_mut();
    let mut data: *mut std::ffi::c_void = ptr::null_mut();
    // SAFETY: creates an ArrayBuffer in this env; V8 zero-fills it.
    let status = unsafe { sys::napi_create_arraybuffer(env, len, &mut data, &mut v) };
    if status != sys::Status::napi_ok || data.is_null() || !(data as usize).is_multiple_of(8) {
        return Err(js::internal(env, "could not allocate a bitmap's storage"));
    }
    Ok((v, Bytes { data: data.cast() }))
}

/// The memory of `v` if it is an attached, non-shared `ArrayBuffer` of
/// exactly `len` bytes (8-byte aligned); `None` for anything else (a
/// SharedArrayBuffer included, whatever the Node-API version).
#[inline(always)]
pub fn get(env: js::Env, v: js::Value, len: usize) -> Option<Bytes> {
    // Newer Node-API versions also answer napi_get_arraybuffer_info for a
    // SharedArrayBuffer, whose memory another thread may write while a plain
    // slice is live over it; only a true ArrayBuffer may be storage.
    let mut plain = false;
    // SAFETY: a type query on a value of this env; no exception on any value.
    let is_buffer = unsafe { sys::napi_is_arraybuffer(env, v, &mut plain) };
    if is_buffer != sys::Status::napi_ok || !plain {
        return None;
    }
    let mut data: *mut std::ffi::c_void = ptr::null_mut();
    let mut got = 0usize;
    // SAFETY: `v` is an ArrayBuffer (checked above); fails with a status for a detached one.
    let ok = unsafe { sys::napi_get_arraybuffer_info(env, v, &mut data, &mut got) }
        == sys::Status::napi_ok;
    if ok && got == len && !data.is_null() && (data as usize).is_multiple_of(8) {
        Some(Bytes { data: data.cast() })
    } else {
        None
    }
}

impl Bytes {
    /// The storage as `n` words of type `W`.
    ///
    /// # Safety
    /// The bytes must come from [`create`] or [`get`] with a length of at
    /// least `n * size_of::<W>()` in this call, no other slice over them may
    /// be live, and no JS may run while the returned slice is used.
    #[inline(always)]
    pub unsafe fn words<'a, W>(&self, n: usize) -> &'a mut [W] {
        std::slice::from_raw_parts_mut(self.data.cast::<W>(), n)
    }

    /// As [`Bytes::words`], starting `offset` bytes in (a multiple of 8).
    ///
    /// # Safety
    /// As for [`Bytes::words`], for the bytes `[offset, offset + n * size_of::<W>())`.
    #[inline(always)]
    pub unsafe fn words_at<'a, W>(&self, offset: usize, n: usize) -> &'a mut [W] {
        std::slice::from_raw_parts_mut(self.data.add(offset).cast::<W>(), n)
    }

    pub fn same(&self, other: &Bytes) -> bool {
        self.data == other.data
    }
}
