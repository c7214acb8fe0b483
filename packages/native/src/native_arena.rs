//! The hardware-word fast path over a `VmaFlagsArena` of the TypeScript core.
//!
//! `registerArena` takes the arena's `lanes` view once: the addon keeps a
//! reference (so the memory stays alive) and caches the data pointer. Each
//! call then passes only numbers. Before touching memory, every call asks
//! Node-API for the view's current pointer and length and refuses to run if
//! they changed — a detached, transferred or shrunk buffer is an error, never
//! a stale pointer.

use std::cell::Cell;
use std::ffi::CStr;
use std::ptr;
use std::rc::Rc;
use std::sync::atomic::AtomicU32;

use napi::bindgen_prelude::*;
use napi::sys;
use napi_derive::napi;
use vmaflags::arena::{ArenaError, ArenaMut};
use vmaflags::shared_arena::{copy_lanes, SharedArena};
use vmaflags::{bitmap, Shape, Word};

use crate::config;
use crate::fast;
use crate::js;

/// An arena registered with the addon: entry `i` is the same memory as entry
/// `i` of the core arena. JS sees it as a frozen object whose methods are
/// bound to this state (see `fast`).
pub struct NativeArena {
    env: js::Env,
    shape: Shape,
    view: sys::napi_ref,
    data: *mut u8,
    /// Length of the registered view in 32-bit lanes.
    lanes: usize,
    capacity: u32,
    /// Over a `SharedArrayBuffer`: other threads may access the memory
    /// during a call, so it is only ever touched through atomics.
    shared: bool,
    /// Reused copy of an index list (see `update_flags_list`).
    scratch: Cell<Vec<u32>>,
}

impl Drop for NativeArena {
    fn drop(&mut self) {
        // Runs when the last method function is collected, on the JS thread
        // of `env`, where the reference was created.
        // SAFETY: `view` is this state's own reference in `env`.
        unsafe { sys::napi_delete_reference(self.env, self.view) };
    }
}

struct View {
    ty: sys::napi_typedarray_type,
    len: usize,
    data: *mut u8,
}

fn typed_array(env: js::Env, v: js::Value) -> Option<View> {
    let mut is = false;
    // SAFETY: type predicate, then info query on a confirmed typed array.
    unsafe {
        if sys::napi_is_typedarray(env, v, &mut is) != sys::Status::napi_ok || !is {
            return None;
        }
        let mut view = View {
            ty: 0,
            len: 0,
            data: ptr::null_mut(),
        };
        let mut data: *mut std::ffi::c_void = ptr::null_mut();
        if sys::napi_get_typedarray_info(
            env,
            v,
            &mut view.ty,
            &mut view.len,
            &mut data,
            ptr::null_mut(),
            ptr::null_mut(),
        ) != sys::Status::napi_ok
        {
            return None;
        }
        view.data = data.cast();
        Some(view)
    }
}

/// The `len` lanes at `data` as atomics. Any `Uint32Array` may be viewed so:
/// its memory is 4-aligned, and atomics are sound whether or not another
/// thread (a worker sharing the buffer) accesses it during the call.
///
/// # Safety
/// `data` must point to `len` live lanes (a typed array's current memory)
/// that stay allocated during the call.
unsafe fn atomic_lanes<'a>(data: *mut u8, len: usize) -> &'a [AtomicU32] {
    if len == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(data.cast::<AtomicU32>(), len)
    }
}

/// The buffer (ArrayBuffer or SharedArrayBuffer) under typed array `v`.
fn buffer_of(env: js::Env, v: js::Value) -> Option<js::Value> {
    let mut buf = ptr::null_mut();
    // SAFETY: info query on a typed array; only the buffer is asked for.
    let ok = unsafe {
        sys::napi_get_typedarray_info(
            env,
            v,
            ptr::null_mut(),
            ptr::null_mut(),
            ptr::null_mut(),
            &mut buf,
            ptr::null_mut(),
        )
    } == sys::Status::napi_ok;
    ok.then_some(buf)
}

/// Whether typed array `v` is a view of a `SharedArrayBuffer`.
fn over_shared_memory(env: js::Env, v: js::Value) -> bool {
    let mut plain = false;
    // SAFETY: a type predicate on a buffer value.
    buffer_of(env, v).is_some_and(|buf| unsafe {
        sys::napi_is_arraybuffer(env, buf, &mut plain) == sys::Status::napi_ok && !plain
    })
}

/// Whether the typed array `v` (of length 0) is over a detached buffer.
#[cold]
fn detached(env: js::Env, v: js::Value) -> bool {
    let mut is = false;
    // SAFETY: a predicate on a buffer value.
    buffer_of(env, v).is_some_and(|buf| unsafe {
        sys::napi_is_detached_arraybuffer(env, buf, &mut is) == sys::Status::napi_ok && is
    })
}

/// A `TypeError` for a typed array argument whose buffer was detached (it
/// reads as empty, which must not pass for an empty list or mask).
#[cold]
fn detached_error(env: js::Env, arg: &str) -> Error {
    js::type_error_msg(
        env,
        &format!("{arg} must be a Uint32Array over an attached buffer; got one whose buffer was detached"),
    )
}

/// A `Uint32Array` argument (its current memory); `None` if `v` is undefined.
fn u32_array(env: js::Env, v: js::Value, arg: &str, optional: bool) -> Result<Option<View>> {
    if optional && js::type_of(env, v) == sys::ValueType::napi_undefined {
        return Ok(None);
    }
    match typed_array(env, v) {
        Some(view)
            if view.ty == sys::TypedarrayType::uint32_array
                && view.len == 0
                && detached(env, v) =>
        {
            Err(detached_error(env, arg))
        }
        Some(view) if view.ty == sys::TypedarrayType::uint32_array => Ok(Some(view)),
        _ => Err(js::type_error(
            env,
            arg,
            if optional {
                "a Uint32Array or undefined"
            } else {
                "a Uint32Array"
            },
            v,
        )),
    }
}

/// Runs `$body` with `$a` bound to an `ArenaMut` of the configured width.
macro_rules! with_arena {
    ($self:ident, $env:expr, $a:ident => $body:expr) => {{
        let data = $self.live($env)?;
        let stride = $self.shape.num_words();
        if $self.shape.bits_per_long() == 64 {
            // SAFETY: `live` confirmed the registered view still covers
            // `lanes` u32 lanes at `data` (8-byte aligned, checked at
            // registration). No JS runs during this call, and views passed as
            // other arguments were checked not to overlap, so this is the only
            // reference to that memory while it is used.
            let words =
                unsafe { std::slice::from_raw_parts_mut(data.cast::<u64>(), $self.lanes / 2) };
            #[allow(unused_mut)]
            let mut $a = ArenaMut::new(words, stride);
            $body
        } else {
            // SAFETY: as above, for 4-byte lanes.
            let words = unsafe { std::slice::from_raw_parts_mut(data.cast::<u32>(), $self.lanes) };
            #[allow(unused_mut)]
            let mut $a = ArenaMut::new(words, stride);
            $body
        }
    }};
}

/// Like `with_arena!`, with a separate body per width (for helpers passed as
/// plain function pointers, which are not generic).
macro_rules! with_arena_split {
    ($self:ident, $env:expr, $a32:ident => $b32:expr, $a64:ident => $b64:expr) => {{
        let data = $self.live($env)?;
        let stride = $self.shape.num_words();
        if $self.shape.bits_per_long() == 64 {
            // SAFETY: as in `with_arena!`.
            let words =
                unsafe { std::slice::from_raw_parts_mut(data.cast::<u64>(), $self.lanes / 2) };
            let mut $a64 = ArenaMut::new(words, stride);
            $b64
        } else {
            // SAFETY: as in `with_arena!`.
            let words = unsafe { std::slice::from_raw_parts_mut(data.cast::<u32>(), $self.lanes) };
            let mut $a32 = ArenaMut::new(words, stride);
            $b32
        }
    }};
}

/// Mask words (as u64) in the arena's width.
macro_rules! mask_words {
    ($a:ident, $mask:expr) => {
        $mask.iter().map(|x| Word::truncate(*x)).collect::<Vec<_>>()
    };
}

impl NativeArena {
    /// The data pointer, after confirming the registered view is unchanged.
    ///
    /// Only the length is asked for: V8 reports 0 for a view whose buffer was
    /// detached (transfer, structured clone) or shrunk below it, and a view
    /// that still has its length has its original, non-moving backing store.
    /// Asking for the data pointer would make V8 materialise the buffer object
    /// on every call.
    #[inline(always)]
    fn live(&self, env: js::Env) -> Result<*mut u8> {
        let mut v = ptr::null_mut();
        let mut len = 0usize;
        // SAFETY: `view` is a live strong reference to a Uint32Array.
        let ok = unsafe {
            sys::napi_get_reference_value(env, self.view, &mut v) == sys::Status::napi_ok
                && !v.is_null()
                && sys::napi_get_typedarray_info(
                    env,
                    v,
                    ptr::null_mut(),
                    &mut len,
                    ptr::null_mut(),
                    ptr::null_mut(),
                    ptr::null_mut(),
                ) == sys::Status::napi_ok
        };
        if ok && len == self.lanes {
            Ok(self.data)
        } else {
            Err(self.stale(env, len))
        }
    }

    /// The arena as atomic lanes, after the same check as `live`.
    #[inline(always)]
    fn atomic(&self, env: js::Env) -> Result<SharedArena<'_>> {
        let data = self.live(env)?;
        // SAFETY: `live` confirmed the registered view still covers `lanes`
        // lanes at `data`; the reference keeps them allocated.
        let lanes = unsafe { atomic_lanes(data, self.lanes) };
        Ok(SharedArena::new(
            lanes,
            self.shape.num_lanes(),
            self.shape.bits_per_long() == 64,
        ))
    }

    #[cold]
    fn stale(&self, env: js::Env, len: usize) -> Error {
        js::type_error_msg(
            env,
            &format!(
                "arena must still have the buffer it was registered with ({} lanes); got {len} lanes (detached, transferred or resized since registerArena(); register the arena again)",
                self.lanes
            ),
        )
    }

    #[inline(always)]
    fn index(&self, env: js::Env, v: js::Value) -> Result<u64> {
        js::index(env, v, "index", u64::from(self.capacity))
    }

    #[inline(always)]
    fn bit(&self, env: js::Env, v: js::Value) -> Result<u32> {
        js::bit(env, v, "bit", self.shape.num_vma_flag_bits())
    }

    #[inline(always)]
    fn word(&self, env: js::Env, v: js::Value, arg: &str) -> Result<u64> {
        js::word(env, v, arg, self.shape.word_max())
    }

    /// `[start, start + count)` inside the arena.
    #[inline(always)]
    fn range(&self, env: js::Env, start: js::Value, count: js::Value) -> Result<(u64, u64)> {
        let cap = u64::from(self.capacity);
        let s = js::index(env, start, "start", cap + 1)?;
        let c = js::index(env, count, "count", cap - s + 1)?;
        Ok((s, c))
    }

    /// A mask argument as words: a `Uint32Array` of exactly one entry's lanes
    /// (the core layout). The TypeScript layer turns a `nativeBackend()`
    /// bitmap into this form.
    fn mask(&self, env: js::Env, v: js::Value) -> Result<Vec<u64>> {
        let lanes = self.shape.num_lanes();
        let allowed =
            || format!("a VmaFlags from nativeBackend() or a Uint32Array of {lanes} lanes");
        let Some(view) = typed_array(env, v) else {
            return Err(js::type_error(env, "mask", &allowed(), v));
        };
        if view.ty != sys::TypedarrayType::uint32_array {
            return Err(js::type_error(env, "mask", &allowed(), v));
        }
        if view.len == 0 && detached(env, v) {
            return Err(detached_error(env, "mask"));
        }
        if view.len != lanes || view.data.is_null() {
            return Err(js::range_error(env, "mask", &allowed(), v));
        }
        // SAFETY: a live Uint32Array of `lanes` lanes, read with relaxed
        // loads (it may be shared with another thread, or be an arena entry)
        // and copied out before any arena memory is touched.
        let src = unsafe { atomic_lanes(view.data, lanes) };
        let mut copy = Vec::with_capacity(lanes);
        copy_lanes(src, &mut copy);
        Ok(if self.shape.bits_per_long() == 64 {
            copy.chunks_exact(2)
                .map(|p| u64::from(p[0]) | (u64::from(p[1]) << 32))
                .collect()
        } else {
            copy.iter().map(|x| u64::from(*x)).collect()
        })
    }

    /// Refuses a second view over the arena's own bytes (it would alias the
    /// memory being written).
    fn no_overlap(&self, env: js::Env, view: &View, arg: &str) -> Result<()> {
        let a0 = self.data as usize;
        let a1 = a0 + self.lanes * 4;
        let b0 = view.data as usize;
        let b1 = b0 + view.len * 4;
        if view.len > 0 && b0 < a1 && a0 < b1 {
            return Err(js::range_error_msg(
                env,
                &format!("{arg} must not share memory with the arena's entries"),
            ));
        }
        Ok(())
    }

    fn arena_error(&self, env: js::Env, e: ArenaError) -> Error {
        let msg = match e {
            ArenaError::Index { index, capacity } => {
                format!("entry {index} is outside the arena (capacity {capacity})")
            }
            ArenaError::ListIndex {
                position,
                index,
                capacity,
            } => format!(
                "indices[{position}] must be an integer in [0, {}]; got {index}",
                capacity.saturating_sub(1)
            ),
            ArenaError::MaskWidth { got, want } => {
                format!("mask must have {want} words; got {got}")
            }
            ArenaError::OutTooShort { got, want } => {
                format!("out must hold at least {want} lanes (one bit per entry); got {got}")
            }
        };
        js::range_error_msg(env, &msg)
    }

    fn get_word(&self, env: js::Env, a: &[js::Value; 1]) -> Result<js::Value> {
        let i = self.index(env, a[0])?;
        if self.shared {
            let w = self
                .atomic(env)?
                .word0(i)
                .map_err(|e| self.arena_error(env, e))?;
            return fast::bigint(env, w);
        }
        let w = with_arena!(self, env, ar => bitmap::word0(ar.entry(i).map_err(|e| self.arena_error(env, e))?).to_u64());
        fast::bigint(env, w)
    }

    /// Applies `f` to entry `index` after checking index and word argument.
    #[inline(always)]
    fn with_word(
        &self,
        env: js::Env,
        a: &[js::Value; 2],
        f32: fn(&mut [u32], u32),
        f64: fn(&mut [u64], u64),
        shared: fn(u64, u64) -> u64,
    ) -> Result<js::Value> {
        let i = self.index(env, a[0])?;
        let w = self.word(env, a[1], "word")?;
        if self.shared {
            self.atomic(env)?
                .map_word0(i, |x| shared(x, w))
                .map_err(|e| self.arena_error(env, e))?;
            return Ok(fast::undefined());
        }
        with_arena_split!(self, env, ar32 => {
            f32(ar32.entry_mut(i).map_err(|e| self.arena_error(env, e))?, Word::truncate(w))
        }, ar64 => {
            f64(ar64.entry_mut(i).map_err(|e| self.arena_error(env, e))?, w)
        });
        Ok(fast::undefined())
    }

    #[inline(always)]
    fn with_bit(
        &self,
        env: js::Env,
        a: &[js::Value; 2],
        f32: fn(&mut [u32], u32),
        f64: fn(&mut [u64], u32),
        shared: fn(&SharedArena<'_>, u64, u32) -> std::result::Result<(), ArenaError>,
    ) -> Result<js::Value> {
        let i = self.index(env, a[0])?;
        let b = self.bit(env, a[1])?;
        if self.shared {
            shared(&self.atomic(env)?, i, b).map_err(|e| self.arena_error(env, e))?;
            return Ok(fast::undefined());
        }
        with_arena_split!(self, env, ar32 => {
            f32(ar32.entry_mut(i).map_err(|e| self.arena_error(env, e))?, b)
        }, ar64 => {
            f64(ar64.entry_mut(i).map_err(|e| self.arena_error(env, e))?, b)
        });
        Ok(fast::undefined())
    }

    fn test_bit(&self, env: js::Env, a: &[js::Value; 2]) -> Result<js::Value> {
        let i = self.index(env, a[0])?;
        let b = self.bit(env, a[1])?;
        if self.shared {
            let r = self
                .atomic(env)?
                .test_bit(i, b)
                .map_err(|e| self.arena_error(env, e))?;
            return fast::boolean(env, r);
        }
        let r = with_arena!(self, env, ar => bitmap::test(ar.entry(i).map_err(|e| self.arena_error(env, e))?, b));
        fast::boolean(env, r)
    }

    fn clear_all(&self, env: js::Env, a: &[js::Value; 1]) -> Result<js::Value> {
        let i = self.index(env, a[0])?;
        if self.shared {
            self.atomic(env)?
                .clear_all(i)
                .map_err(|e| self.arena_error(env, e))?;
            return Ok(fast::undefined());
        }
        with_arena!(self, env, ar => bitmap::clear_all(ar.entry_mut(i).map_err(|e| self.arena_error(env, e))?));
        Ok(fast::undefined())
    }

    fn update_flags(&self, env: js::Env, a: &[js::Value; 3]) -> Result<js::Value> {
        let i = self.index(env, a[0])?;
        let s = self.word(env, a[1], "set")?;
        let u = self.word(env, a[2], "unset")?;
        if self.shared {
            self.atomic(env)?
                .update_flags(i, s, u)
                .map_err(|e| self.arena_error(env, e))?;
            return Ok(fast::undefined());
        }
        with_arena!(self, env, ar => ar
            .update_flags(i, Word::truncate(s), Word::truncate(u))
            .map_err(|e| self.arena_error(env, e)))?;
        Ok(fast::undefined())
    }

    fn update_flags_range(&self, env: js::Env, a: &[js::Value; 4]) -> Result<js::Value> {
        let (s, c) = self.range(env, a[0], a[1])?;
        let set = self.word(env, a[2], "set")?;
        let unset = self.word(env, a[3], "unset")?;
        if self.shared {
            self.atomic(env)?
                .update_flags_range(s, c, set, unset)
                .map_err(|e| self.arena_error(env, e))?;
            return Ok(fast::undefined());
        }
        with_arena!(self, env, ar => ar
            .update_flags_range(s, c, Word::truncate(set), Word::truncate(unset))
            .map_err(|e| self.arena_error(env, e)))?;
        Ok(fast::undefined())
    }

    /// The index list is read once: copied with relaxed loads (it may be a
    /// view of shared memory another thread is changing) before any index is
    /// checked, so the indices checked are exactly the ones applied.
    fn update_flags_list(&self, env: js::Env, a: &[js::Value; 3]) -> Result<js::Value> {
        let list = u32_array(env, a[0], "indices", false)?;
        let set = self.word(env, a[1], "set")?;
        let unset = self.word(env, a[2], "unset")?;
        let Some(list) = list else {
            return Ok(fast::undefined());
        };
        self.no_overlap(env, &list, "indices")?;
        let mut idx = self.scratch.take();
        // SAFETY: a live Uint32Array of `len` lanes at `data`.
        copy_lanes(unsafe { atomic_lanes(list.data, list.len) }, &mut idx);
        let r = if self.shared {
            self.atomic(env).and_then(|ar| {
                ar.update_flags_list(&idx, set, unset)
                    .map_err(|e| self.arena_error(env, e))
            })
        } else {
            with_arena!(self, env, ar => ar
                .update_flags_list(&idx, Word::truncate(set), Word::truncate(unset))
                .map_err(|e| self.arena_error(env, e)))
        };
        self.scratch.set(idx);
        r?;
        Ok(fast::undefined())
    }

    fn overwrite_word_range(&self, env: js::Env, a: &[js::Value; 3]) -> Result<js::Value> {
        let (s, c) = self.range(env, a[0], a[1])?;
        let w = self.word(env, a[2], "word")?;
        if self.shared {
            self.atomic(env)?
                .overwrite_word_range(s, c, w)
                .map_err(|e| self.arena_error(env, e))?;
            return Ok(fast::undefined());
        }
        with_arena!(self, env, ar => ar
            .overwrite_word_range(s, c, Word::truncate(w))
            .map_err(|e| self.arena_error(env, e)))?;
        Ok(fast::undefined())
    }

    fn mask_range(&self, env: js::Env, a: &[js::Value; 3], set: bool) -> Result<js::Value> {
        let (s, c) = self.range(env, a[0], a[1])?;
        let m = self.mask(env, a[2])?;
        if self.shared {
            let ar = self.atomic(env)?;
            let n = if set {
                ar.set_mask_range(s, c, &m)
            } else {
                ar.clear_mask_range(s, c, &m)
            }
            .map_err(|e| self.arena_error(env, e))?;
            return fast::uint32(env, n);
        }
        let n = with_arena!(self, env, ar => {
            let mw = mask_words!(ar, m);
            if set {
                ar.set_mask_range(s, c, &mw)
            } else {
                ar.clear_mask_range(s, c, &mw)
            }
            .map_err(|e| self.arena_error(env, e))
        })?;
        fast::uint32(env, n)
    }

    /// `out` may be a view of shared memory: results are computed into a
    /// private buffer, then stored into it with relaxed stores.
    fn test_range(&self, env: js::Env, a: &[js::Value; 4], all: bool) -> Result<js::Value> {
        let (s, c) = self.range(env, a[0], a[1])?;
        let m = self.mask(env, a[2])?;
        let out_view = u32_array(env, a[3], "out", true)?;
        let out: Option<&[AtomicU32]> = match &out_view {
            Some(v) => {
                self.no_overlap(env, v, "out")?;
                // SAFETY: a live Uint32Array of `len` lanes at `data`.
                Some(unsafe { atomic_lanes(v.data, v.len) })
            }
            None => None,
        };
        let n = if self.shared {
            let ar = self.atomic(env)?;
            if all {
                ar.test_all_mask_range(s, c, &m, out)
            } else {
                ar.test_any_mask_range(s, c, &m, out)
            }
            .map_err(|e| self.arena_error(env, e))?
        } else {
            let want = (c as usize).div_ceil(32);
            if let Some(o) = out.filter(|o| o.len() < want) {
                let e = ArenaError::OutTooShort { got: o.len(), want };
                return Err(self.arena_error(env, e));
            }
            let mut bits = out.map(|_| vec![0u32; want]);
            let n = with_arena!(self, env, ar => {
                let mw = mask_words!(ar, m);
                let slot = bits.as_deref_mut();
                if all {
                    ar.test_all_mask_range(s, c, &mw, slot)
                } else {
                    ar.test_any_mask_range(s, c, &mw, slot)
                }
                .map_err(|e| self.arena_error(env, e))
            })?;
            if let (Some(o), Some(b)) = (out, &bits) {
                for (dst, src) in o.iter().zip(b) {
                    dst.store(*src, std::sync::atomic::Ordering::Relaxed);
                }
            }
            n
        };
        fast::uint32(env, n)
    }
}

fast::method!(get_word, NativeArena, 1, |env, this, a| this
    .get_word(env, a));
fast::method!(set_word, NativeArena, 2, |env, this, a| this.with_word(
    env,
    a,
    bitmap::set_word,
    bitmap::set_word,
    |w, x| w | x
));
fast::method!(clear_word, NativeArena, 2, |env, this, a| this.with_word(
    env,
    a,
    bitmap::clear_word,
    bitmap::clear_word,
    |w, x| w & !x
));
fast::method!(overwrite_word, NativeArena, 2, |env, this, a| this
    .with_word(
        env,
        a,
        bitmap::overwrite_word,
        bitmap::overwrite_word,
        |_, x| x
    ));
fast::method!(clear_all, NativeArena, 1, |env, this, a| this
    .clear_all(env, a));
fast::method!(test_bit, NativeArena, 2, |env, this, a| this
    .test_bit(env, a));
fast::method!(set_bit, NativeArena, 2, |env, this, a| this.with_bit(
    env,
    a,
    bitmap::set_flag,
    bitmap::set_flag,
    |ar, i, b| ar.set_bit(i, b)
));
fast::method!(clear_bit, NativeArena, 2, |env, this, a| this.with_bit(
    env,
    a,
    bitmap::clear_flag,
    bitmap::clear_flag,
    |ar, i, b| ar.clear_bit(i, b)
));
fast::method!(update_flags, NativeArena, 3, |env, this, a| this
    .update_flags(env, a));
fast::method!(update_flags_range, NativeArena, 4, |env, this, a| this
    .update_flags_range(env, a));
fast::method!(update_flags_list, NativeArena, 3, |env, this, a| this
    .update_flags_list(env, a));
fast::method!(overwrite_word_range, NativeArena, 3, |env, this, a| this
    .overwrite_word_range(env, a));
fast::method!(set_mask_range, NativeArena, 3, |env, this, a| this
    .mask_range(env, a, true));
fast::method!(clear_mask_range, NativeArena, 3, |env, this, a| this
    .mask_range(env, a, false));
fast::method!(test_any_mask_range, NativeArena, 4, |env, this, a| this
    .test_range(env, a, false));
fast::method!(test_all_mask_range, NativeArena, 4, |env, this, a| this
    .test_range(env, a, true));

/// The arena's methods (see `NativeArena` in the TypeScript layer for their
/// documentation).
pub const METHODS: &[(&CStr, fast::Method<NativeArena>)] = &[
    (c"getWord", get_word),
    (c"setWord", set_word),
    (c"clearWord", clear_word),
    (c"overwriteWord", overwrite_word),
    (c"clearAll", clear_all),
    (c"testBit", test_bit),
    (c"setBit", set_bit),
    (c"clearBit", clear_bit),
    (c"updateFlags", update_flags),
    (c"updateFlagsRange", update_flags_range),
    (c"updateFlagsList", update_flags_list),
    (c"overwriteWordRange", overwrite_word_range),
    (c"setMaskRange", set_mask_range),
    (c"clearMaskRange", clear_mask_range),
    (c"testAnyMaskRange", test_any_mask_range),
    (c"testAllMaskRange", test_all_mask_range),
];

/// Registers the `lanes` view of a core `VmaFlagsArena` (`capacity` entries
/// of config `config`) and returns the native handle to it.
#[napi(
    ts_args_type = "config: number, lanes: Uint32Array, capacity: number",
    ts_return_type = "object"
)]
pub fn register_arena(
    env: &Env,
    cfg: Unknown,
    lanes: Unknown,
    capacity: Unknown,
) -> Result<fast::Raw> {
    let env = env.raw();
    js::guard(env, || {
        let (_, shape) = config::lookup(env, cfg.raw(), "config")?;
        let view = u32_array(env, lanes.raw(), "arena.lanes", false)?;
        let cap = js::index(
            env,
            capacity.raw(),
            "arena.capacity",
            u64::from(u32::MAX) + 1,
        )?;
        let Some(view) = view else {
            return Err(js::type_error(
                env,
                "arena.lanes",
                "a Uint32Array",
                lanes.raw(),
            ));
        };
        let want = cap as usize * shape.num_lanes();
        if view.len != want {
            let allowed = format!("a Uint32Array of capacity × numLanes = {want} lanes");
            return Err(js::range_error(env, "arena.lanes", &allowed, lanes.raw()));
        }
        let align = if shape.bits_per_long() == 64 { 8 } else { 4 };
        if want > 0 && (view.data.is_null() || !(view.data as usize).is_multiple_of(align)) {
            return Err(js::range_error_msg(
                env,
                &format!("arena.lanes must start on a {align}-byte boundary (byteOffset a multiple of {align})"),
            ));
        }
        if want == 0 {
            return Err(js::range_error(
                env,
                "arena.capacity",
                "at least 1 entry",
                capacity.raw(),
            ));
        }
        let mut r = ptr::null_mut();
        // SAFETY: `lanes` is a typed array of this env.
        if unsafe { sys::napi_create_reference(env, lanes.raw(), 1, &mut r) }
            != sys::Status::napi_ok
        {
            return Err(js::range_error_msg(
                env,
                "arena.lanes could not be referenced",
            ));
        }
        let state = Rc::new(NativeArena {
            env,
            shape,
            view: r,
            data: view.data,
            lanes: view.len,
            capacity: cap as u32,
            shared: over_shared_memory(env, lanes.raw()),
            scratch: Cell::new(Vec::new()),
        });
        let obj = fast::object(env, &state, METHODS)?;
        fast::constant(env, obj, c"capacity", fast::uint32(env, cap as u32)?)?;
        fast::freeze(env, obj)?;
        Ok(fast::Raw(obj))
    })
}
