//! `kernel::mm::virt` for JS: the storage behind `VmaRef`, `VmaMixedMap`
//! and `VmaNew`. All flag logic (and the single `update_flags`) is in
//! `vmaflags::virt`. Each VMA is one `ArrayBuffer` (see `storage`) that its
//! JS objects hold privately, so the garbage collector frees it with them.

use std::ffi::CStr;
use std::rc::Rc;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use vmaflags::virt::{self as v, VmArea, VmAreaError};
use vmaflags::{Shape, Word};

use crate::config;
use crate::fast::{self, Method};
use crate::js;
use crate::storage::{self, Bytes};

/// The VMA operations of one configuration: the state their functions are
/// bound to. A VMA's storage is `[vm_start: u64, vm_end: u64, flag words…]`.
pub struct VmaOps {
    shape: Shape,
    words: usize,
    bytes: usize,
}

/// Offset of the flag words in a VMA's storage.
const HEADER: usize = 16;

/// Runs `$body` with `$a` bound to the `VmArea` stored in `$bytes`, in the
/// configuration's width.
macro_rules! with_area {
    ($this:expr, $env:expr, $bytes:expr, $a:ident => $body:expr) => {{
        let (this, bytes) = (&$this, &$bytes);
        // SAFETY: `bytes` was checked (or made) with this configuration's
        // size in this call; header and words are disjoint, these are the
        // only slices over them, and no JS runs while they are used.
        let range: &mut [u64] = unsafe { bytes.words(2) };
        let (start, end) = (range[0], range[1]);
        macro_rules! run {
            ($W:ty) => {{
                // SAFETY: as above.
                let words: &mut [$W] = unsafe { bytes.words_at(HEADER, this.words) };
                match VmArea::new(start, end, words) {
                    Ok($a) => $body,
                    Err(e) => Err(area_error($env, e)),
                }
            }};
        }
        if this.shape.bits_per_long() == 64 {
            run!(u64)
        } else {
            run!(u32)
        }
    }};
}

impl VmaOps {
    fn new(shape: Shape) -> VmaOps {
        let words = shape.num_words();
        VmaOps {
            shape,
            words,
            bytes: HEADER + words * (shape.bits_per_long() as usize / 8),
        }
    }

    /// The storage of VMA argument `v`.
    #[inline(always)]
    fn vma(&self, env: js::Env, v: js::Value) -> Result<Bytes> {
        storage::get(env, v, self.bytes).ok_or_else(|| self.not_vma(env, v))
    }

    #[cold]
    fn not_vma(&self, env: js::Env, v: js::Value) -> Error {
        js::type_error(
            env,
            "vma",
            &format!("a VMA's storage ({} bytes)", self.bytes),
            v,
        )
    }

    /// A new VMA from flag words and an address range; with `setup`, a
    /// `VmaNew` (which must not have `PFNMAP`).
    fn build(&self, env: js::Env, a: &[js::Value; 3], setup: bool) -> Result<js::Value> {
        let max = self.shape.word_max();
        let n = self.words;
        let ws = js::words(env, a[0], "words", max, n)?;
        if ws.is_empty() {
            let allowed = format!("an array of 1 to {n} words");
            return Err(js::range_error(env, "words", &allowed, a[0]));
        }
        let start = js::word(env, a[1], "start", max)?;
        let end = js::word(env, a[2], "end", max)?;
        if end < start {
            let allowed = format!("at least start ({start})");
            return Err(js::range_error(env, "end", &allowed, a[2]));
        }
        if setup && ws[0] & v::flags::PFNMAP != 0 {
            return Err(js::range_error_msg(
                env,
                "words[0] must not have PFNMAP set for a VmaNew (setMixedmap could make it meet MIXEDMAP); got a word with PFNMAP",
            ));
        }
        let (out, bytes) = storage::create(env, self.bytes)?;
        // SAFETY: new storage of this configuration's size; no JS runs below.
        unsafe {
            let range: &mut [u64] = bytes.words(2);
            range.copy_from_slice(&[start, end]);
            if self.shape.bits_per_long() == 64 {
                let w: &mut [u64] = bytes.words_at(HEADER, n);
                w.iter_mut().zip(&ws).for_each(|(o, x)| *o = *x);
            } else {
                let w: &mut [u32] = bytes.words_at(HEADER, n);
                w.iter_mut()
                    .zip(&ws)
                    .for_each(|(o, x)| *o = u32::truncate(*x));
            }
        }
        Ok(out)
    }
}

#[cold]
fn area_error(env: js::Env, e: VmAreaError) -> Error {
    let msg = match e {
        VmAreaError::Pfnmap => {
            "vma must not have PFNMAP set for a VmaNew operation (setMixedmap could make it meet MIXEDMAP); got flags with PFNMAP".to_owned()
        }
        other => format!("invalid VMA: {other:?}"),
    };
    js::range_error_msg(env, &msg)
}

fn einval(env: js::Env, what: &str, access: &str) -> Error {
    js::throw(
        env,
        js::Kind::Plain,
        "EINVAL",
        &format!("EINVAL: cannot clear {what} while {access} is set"),
    )
}

/// A read on any VMA view.
macro_rules! reader {
    ($name:ident, |$env:ident, $x:ident| $get:expr) => {
        fast::method!($name, VmaOps, 1, |env, this, a| {
            let b = this.vma(env, a[0])?;
            let $env = env;
            with_area!(this, env, b, area => {
                let $x = v::VmaRef::new(&area);
                $get
            })
        });
    };
}

/// An operation of `VmaNew`.
macro_rules! setup {
    ($name:ident, |$env:ident, $x:ident| $body:expr) => {
        fast::method!($name, VmaOps, 1, |env, this, a| {
            let b = this.vma(env, a[0])?;
            let $env = env;
            with_area!(this, env, b, area => match v::VmaNew::new(&area) {
                Ok($x) => $body,
                Err(e) => Err(area_error(env, e)),
            })
        });
    };
}

macro_rules! setter {
    ($name:ident, $method:ident) => {
        setup!($name, |_env, x| {
            x.$method();
            Ok(fast::undefined())
        });
    };
}

macro_rules! try_clear {
    ($name:ident, $method:ident, $what:literal, $access:literal) => {
        setup!($name, |env, x| x
            .$method()
            .map(|()| fast::undefined())
            .map_err(|_| einval(env, $what, $access)));
    };
}

reader!(op_flags, |env, x| fast::bigint(env, x.flags().to_u64()));
reader!(op_start, |env, x| fast::bigint(env, x.start()));
reader!(op_end, |env, x| fast::bigint(env, x.end()));
reader!(op_is_mixedmap, |env, x| fast::boolean(
    env,
    x.as_mixedmap_vma().is_some()
));
setup!(op_readable, |env, x| fast::boolean(env, x.readable()));
setup!(op_writable, |env, x| fast::boolean(env, x.writable()));
setup!(op_executable, |env, x| fast::boolean(env, x.executable()));
setup!(op_set_mixedmap, |_env, x| {
    x.set_mixedmap();
    Ok(fast::undefined())
});
setter!(op_set_io, set_io);
setter!(op_set_dontexpand, set_dontexpand);
setter!(op_set_dontcopy, set_dontcopy);
setter!(op_set_dontdump, set_dontdump);
try_clear!(op_try_clear_mayread, try_clear_mayread, "MAYREAD", "READ");
try_clear!(
    op_try_clear_maywrite,
    try_clear_maywrite,
    "MAYWRITE",
    "WRITE"
);
try_clear!(op_try_clear_mayexec, try_clear_mayexec, "MAYEXEC", "EXEC");

// The words are copied out first: the array is built with no slice live.
fast::method!(op_words, VmaOps, 1, |env, this, a| {
    let b = this.vma(env, a[0])?;
    let words: Vec<u64> =
        with_area!(this, env, b, area => Ok(area.words().into_iter().map(Word::to_u64).collect()))?;
    fast::bigints(env, &words)
});
fast::method!(op_new_from_words, VmaOps, 3, |env, this, a| this
    .build(env, a, true));
fast::method!(op_ref_from_words, VmaOps, 3, |env, this, a| this
    .build(env, a, false));

/// The VMA operations of one configuration, each taking a VMA's storage
/// first. Which view (`VmaRef`, `VmaMixedMap`, `VmaNew`) may call which is
/// the TypeScript classes' business: only `VmaNew` holds the setters, and
/// the storage is private to the objects.
const VMA_OPS: &[(&CStr, Method<VmaOps>)] = &[
    (c"newFromWords", op_new_from_words),
    (c"refFromWords", op_ref_from_words),
    (c"flags", op_flags),
    (c"start", op_start),
    (c"end", op_end),
    (c"words", op_words),
    (c"isMixedmap", op_is_mixedmap),
    (c"readable", op_readable),
    (c"writable", op_writable),
    (c"executable", op_executable),
    (c"setMixedmap", op_set_mixedmap),
    (c"setIo", op_set_io),
    (c"setDontexpand", op_set_dontexpand),
    (c"setDontcopy", op_set_dontcopy),
    (c"setDontdump", op_set_dontdump),
    (c"tryClearMayread", op_try_clear_mayread),
    (c"tryClearMaywrite", op_try_clear_maywrite),
    (c"tryClearMayexec", op_try_clear_mayexec),
];

/// The VMA operations object of configuration `config` (see `VMA_OPS`).
#[napi(ts_args_type = "config: number", ts_return_type = "object")]
pub fn vma_ops(env: &Env, cfg: Unknown) -> Result<fast::Raw> {
    let env = env.raw();
    js::guard(env, || {
        let (_, shape) = config::lookup(env, cfg.raw(), "config")?;
        let state = Rc::new(VmaOps::new(shape));
        let obj = fast::object(env, &state, VMA_OPS)?;
        fast::freeze(env, obj)?;
        Ok(fast::Raw(obj))
    })
}

/// `kernel::mm::virt::flags` as (name, value) pairs, in declaration order.
#[napi(ts_return_type = "Array<[string, bigint]>")]
pub fn virt_flags() -> Vec<(String, u64)> {
    v::flags::ALL
        .iter()
        .map(|(n, x)| ((*n).to_owned(), *x))
        .collect()
}
