//! `vma_flags_t` bitmaps behind `nativeBackend()`.
//!
//! Each bitmap's words live in an `ArrayBuffer` (see `storage`) that its JS
//! object keeps in a private field; the garbage collector frees it with the
//! object. The TypeScript layer checks that a bitmap belongs to the
//! backend's configuration (a `TypeError` naming the argument otherwise) and
//! passes the buffer; here a call checks only that the buffer has the
//! configuration's size, then works on the words in place.
//!
//! The helpers are native functions bound to one configuration (see `fast`):
//! a call reads buffers, plain numbers or one bigint and returns a boolean,
//! a number, a bigint or a new buffer.

use std::ffi::CStr;
use std::rc::Rc;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use vmaflags::{bitmap, Shape, Word};

use crate::config;
use crate::fast::{self, Method};
use crate::js;
use crate::storage::{self, Bytes};

/// The helpers of one configuration: the state their functions are bound to.
pub struct FlagsOps {
    shape: Shape,
    /// Words per bitmap, and bytes of its storage.
    words: usize,
    bytes: usize,
}

/// Bit arguments checked before anything is changed; a few fit inline.
struct Bits {
    inline: [u32; 8],
    len: usize,
    more: Vec<u32>,
}

impl Bits {
    fn as_slice(&self) -> &[u32] {
        if self.more.is_empty() {
            &self.inline[..self.len]
        } else {
            &self.more
        }
    }
}

/// Runs `$body` with `$w` bound to the words of `$bytes` in the
/// configuration's width.
macro_rules! words {
    ($this:expr, $bytes:expr, $w:ident => $body:expr) => {{
        let (this, bytes) = (&$this, &$bytes);
        if this.shape.bits_per_long() == 64 {
            // SAFETY: `bytes` was checked (or made) with the configuration's
            // size in this call; this is the only slice over it and no JS
            // runs while it is used (see `storage`).
            let $w: &mut [u64] = unsafe { bytes.words(this.words) };
            $body
        } else {
            // SAFETY: as above.
            let $w: &mut [u32] = unsafe { bytes.words(this.words) };
            $body
        }
    }};
}

/// Runs `$body` with `$a` bound to the words of `$x` (mutable) and `$b` to
/// those of `$y`; the same bitmap twice gets a copy as `$b`.
macro_rules! pair {
    ($this:expr, $x:expr, $y:expr, $a:ident, $b:ident => $body:expr) => {{
        let (this, x, y) = (&$this, &$x, &$y);
        macro_rules! run {
            ($W:ty) => {{
                // SAFETY: as in `words!`; distinct buffers are disjoint, and
                // the same buffer is borrowed once (its copy serves as `$b`).
                let $a: &mut [$W] = unsafe { x.words(this.words) };
                if x.same(y) {
                    let copy = $a.to_vec();
                    let $b: &[$W] = &copy;
                    $body
                } else {
                    // SAFETY: as above, for the other buffer.
                    let $b: &[$W] = unsafe { y.words(this.words) };
                    $body
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

impl FlagsOps {
    fn new(shape: Shape) -> FlagsOps {
        let words = shape.num_words();
        FlagsOps {
            shape,
            words,
            bytes: words * (shape.bits_per_long() as usize / 8),
        }
    }

    /// The storage of bitmap argument `v`.
    #[inline(always)]
    fn flags(&self, env: js::Env, v: js::Value, arg: &str) -> Result<Bytes> {
        storage::get(env, v, self.bytes).ok_or_else(|| self.not_flags(env, v, arg))
    }

    #[cold]
    fn not_flags(&self, env: js::Env, v: js::Value, arg: &str) -> Error {
        js::type_error(
            env,
            arg,
            &format!(
                "a VmaFlags from nativeBackend() (storage of {} bytes)",
                self.bytes
            ),
            v,
        )
    }

    #[inline(always)]
    fn arg(&self, env: js::Env, a: &[js::Value], k: usize, arg: &str) -> Result<Bytes> {
        self.flags(env, a.get(k).copied().unwrap_or(std::ptr::null_mut()), arg)
    }

    #[inline(always)]
    fn bit(&self, env: js::Env, v: js::Value, arg: &str) -> Result<u32> {
        js::bit(env, v, arg, self.shape.num_vma_flag_bits())
    }

    #[inline(always)]
    fn word(&self, env: js::Env, v: js::Value, arg: &str) -> Result<u64> {
        js::word(env, v, arg, self.shape.word_max())
    }

    /// The variadic bit arguments `a[from..]`, named `bits[i]`.
    #[inline(always)]
    fn bits(&self, env: js::Env, a: &[js::Value], from: usize) -> Result<Bits> {
        let rest = a.get(from..).unwrap_or(&[]);
        let n = self.shape.num_vma_flag_bits();
        let mut out = Bits {
            inline: [0; 8],
            len: rest.len(),
            more: Vec::new(),
        };
        let check = |i: usize, v: js::Value| {
            js::check_index(env, v, u64::from(n))
                .map(|b| b as u32)
                .map_err(|b| js::fail(env, b, &format!("bits[{i}]"), &js::bit_allowed(n), v))
        };
        if rest.len() <= out.inline.len() {
            for (i, v) in rest.iter().enumerate() {
                out.inline[i] = check(i, *v)?;
            }
        } else {
            out.more = rest
                .iter()
                .enumerate()
                .map(|(i, v)| check(i, *v))
                .collect::<Result<_>>()?;
        }
        Ok(out)
    }

    /// A new zeroed bitmap: its buffer (the JS value) and its storage.
    fn create(&self, env: js::Env) -> Result<(js::Value, Bytes)> {
        storage::create(env, self.bytes)
    }

    /// A new bitmap holding a copy of `src` with `bits` also set.
    fn copy_with(&self, env: js::Env, src: &Bytes, bits: &[u32]) -> Result<js::Value> {
        let (v, out) = self.create(env)?;
        // SAFETY: `out` is new and distinct from `src`; both have the
        // configuration's size, and no JS runs during the copy.
        unsafe { std::ptr::copy_nonoverlapping(src.data, out.data, self.bytes) };
        words!(self, out, w => bits.iter().for_each(|b| bitmap::set_flag(w, *b)));
        Ok(v)
    }

    fn new_from_words(&self, env: js::Env, words: js::Value) -> Result<js::Value> {
        let ws = js::words(env, words, "words", self.shape.word_max(), self.words)?;
        let (v, out) = self.create(env)?;
        words!(self, out, w => w.iter_mut().zip(&ws).for_each(|(o, x)| *o = Word::truncate(*x)));
        Ok(v)
    }
}

type Ops = FlagsOps;

/// A method on one bitmap argument (`flags`) returning what `$body` makes of it.
macro_rules! on_flags {
    ($name:ident, |$env:ident, $w:ident| $body:expr) => {
        fast::method!($name, Ops, 1, |env, this, a| {
            let f = this.arg(env, a, 0, "flags")?;
            let $env = env;
            words!(this, f, $w => $body)
        });
    };
}

/// A method on `flags` and one word, returning undefined.
macro_rules! word_op {
    ($name:ident, $op:path) => {
        fast::method!($name, Ops, 2, |env, this, a| {
            let f = this.arg(env, a, 0, "flags")?;
            let x = this.word(env, a[1], "value")?;
            words!(this, f, w => $op(w, Word::truncate(x)));
            Ok(fast::undefined())
        });
    };
}

/// A query on two bitmaps named `$x`, `$y`, returning a boolean.
macro_rules! pair_query {
    ($name:ident, $x:literal, $y:literal, $op:path) => {
        fast::method!($name, Ops, 2, |env, this, a| {
            let f = this.arg(env, a, 0, $x)?;
            let m = this.arg(env, a, 1, $y)?;
            let r = pair!(this, f, m, p, q => $op(p, q));
            fast::boolean(env, r)
        });
    };
}

/// A new bitmap `$op(x, y)` from two, named `$x`, `$y`.
macro_rules! pair_new {
    ($name:ident, $x:literal, $y:literal, $op:path) => {
        fast::method!($name, Ops, 2, |env, this, a| {
            let f = this.arg(env, a, 0, $x)?;
            let m = this.arg(env, a, 1, $y)?;
            let (v, out) = this.create(env)?;
            pair!(this, f, m, p, q => {
                // SAFETY: `out` is new, so distinct from both arguments.
                let o = unsafe { out.words(this.words) };
                $op(o, p, q)
            });
            Ok(v)
        });
    };
}

/// `flags` changed by `mask`.
macro_rules! mask_op {
    ($name:ident, $op:path) => {
        fast::method!($name, Ops, 2, |env, this, a| {
            let f = this.arg(env, a, 0, "flags")?;
            let m = this.arg(env, a, 1, "mask")?;
            pair!(this, f, m, p, q => $op(p, q));
            Ok(fast::undefined())
        });
    };
}

fast::method_var!(op_mk, Ops, 0, |env, this, a| {
    let bits = this.bits(env, a, 0)?;
    let (v, out) = this.create(env)?;
    words!(this, out, w => bits.as_slice().iter().for_each(|b| bitmap::set_flag(w, *b)));
    Ok(v)
});
fast::method_var!(op_append, Ops, 1, |env, this, a| {
    let f = this.arg(env, a, 0, "base")?;
    let bits = this.bits(env, a, 1)?;
    this.copy_with(env, &f, bits.as_slice())
});
fast::method!(op_copy, Ops, 1, |env, this, a| {
    let f = this.arg(env, a, 0, "flags")?;
    this.copy_with(env, &f, &[])
});
fast::method!(op_from_words, Ops, 1, |env, this, a| this
    .new_from_words(env, a[0]));
fast::method!(op_from_legacy, Ops, 1, |env, this, a| {
    let x = this.word(env, a[0], "value")?;
    let (v, out) = this.create(env)?;
    words!(this, out, w => bitmap::overwrite_word(w, Word::truncate(x)));
    Ok(v)
});
// The words are copied out first: the array is built with no slice live.
fast::method!(op_to_words, Ops, 1, |env, this, a| {
    let f = this.arg(env, a, 0, "flags")?;
    let words: Vec<u64> = words!(this, f, w => w.iter().map(|x| x.to_u64()).collect());
    fast::bigints(env, &words)
});
on_flags!(op_to_legacy, |env, w| fast::bigint(
    env,
    bitmap::word0(w).to_u64()
));
on_flags!(op_clear_all, |_env, w| {
    bitmap::clear_all(w);
    Ok(fast::undefined())
});
on_flags!(op_count, |env, w| fast::uint32(env, bitmap::count(w)));
on_flags!(op_empty, |env, w| fast::boolean(env, bitmap::empty(w)));
word_op!(op_overwrite_word, bitmap::overwrite_word);
word_op!(op_set_word, bitmap::set_word);
word_op!(op_clear_word, bitmap::clear_word);

fast::method!(op_test, Ops, 2, |env, this, a| {
    let f = this.arg(env, a, 0, "flags")?;
    let b = this.bit(env, a[1], "bit")?;
    fast::boolean(env, words!(this, f, w => bitmap::test(w, b)))
});
fast::method!(op_set_flag, Ops, 2, |env, this, a| {
    let f = this.arg(env, a, 0, "flags")?;
    let b = this.bit(env, a[1], "bit")?;
    words!(this, f, w => bitmap::set_flag(w, b));
    Ok(fast::undefined())
});
fast::method_var!(op_test_any, Ops, 1, |env, this, a| {
    let f = this.arg(env, a, 0, "flags")?;
    let bits = this.bits(env, a, 1)?;
    let r = words!(this, f, w => bits.as_slice().iter().any(|b| bitmap::test(w, *b)));
    fast::boolean(env, r)
});
// Every listed bit set (no bits: true).
fast::method_var!(op_test_all, Ops, 1, |env, this, a| {
    let f = this.arg(env, a, 0, "flags")?;
    let bits = this.bits(env, a, 1)?;
    let r = words!(this, f, w => bits.as_slice().iter().all(|b| bitmap::test(w, *b)));
    fast::boolean(env, r)
});
// Flags equal exactly the listed bits.
fast::method_var!(op_same, Ops, 1, |env, this, a| {
    let f = this.arg(env, a, 0, "flags")?;
    let bits = this.bits(env, a, 1)?;
    let r = words!(this, f, w => {
        let mut want = vec![Word::truncate(0); w.len()];
        bits.as_slice().iter().for_each(|b| bitmap::set_flag(&mut want, *b));
        bitmap::same_pair(w, &want)
    });
    fast::boolean(env, r)
});
// `flags` restricted to the listed bits, as a new bitmap.
fast::method_var!(op_and, Ops, 1, |env, this, a| {
    let f = this.arg(env, a, 0, "flags")?;
    let bits = this.bits(env, a, 1)?;
    let (v, out) = this.create(env)?;
    pair!(this, out, f, o, src => bits
        .as_slice()
        .iter()
        .filter(|b| bitmap::test(src, **b))
        .for_each(|b| bitmap::set_flag(o, *b)));
    Ok(v)
});
fast::method_var!(op_set, Ops, 1, |env, this, a| {
    let f = this.arg(env, a, 0, "flags")?;
    let bits = this.bits(env, a, 1)?;
    words!(this, f, w => bits.as_slice().iter().for_each(|b| bitmap::set_flag(w, *b)));
    Ok(fast::undefined())
});
fast::method_var!(op_clear, Ops, 1, |env, this, a| {
    let f = this.arg(env, a, 0, "flags")?;
    let bits = this.bits(env, a, 1)?;
    words!(this, f, w => bits.as_slice().iter().for_each(|b| bitmap::clear_flag(w, *b)));
    Ok(fast::undefined())
});
pair_query!(op_test_any_mask, "flags", "mask", bitmap::test_any_mask);
pair_query!(op_test_all_mask, "flags", "mask", bitmap::test_all_mask);
// As the kernel's helper: any bit of the mask (the caller warns on several).
pair_query!(op_test_single_mask, "flags", "mask", bitmap::test_any_mask);
pair_query!(op_same_mask, "flags", "mask", bitmap::same_pair);
pair_query!(op_same_pair, "a", "b", bitmap::same_pair);
pair_new!(op_diff_pair, "a", "b", bitmap::diff_pair);
pair_new!(op_and_mask, "flags", "mask", bitmap::and_mask);
mask_op!(op_set_mask, bitmap::set_mask);
mask_op!(op_clear_mask, bitmap::clear_mask);

/// The helpers, named as in `FlagsBackend`; bitmaps are their buffers.
pub const FLAGS_OPS: &[(&CStr, Method<Ops>)] = &[
    (c"mk", op_mk),
    (c"append", op_append),
    (c"copy", op_copy),
    (c"toWords", op_to_words),
    (c"fromWords", op_from_words),
    (c"fromLegacy", op_from_legacy),
    (c"toLegacy", op_to_legacy),
    (c"clearAll", op_clear_all),
    (c"overwriteWord", op_overwrite_word),
    (c"setWord", op_set_word),
    (c"clearWord", op_clear_word),
    (c"test", op_test),
    (c"testAny", op_test_any),
    (c"testAnyMask", op_test_any_mask),
    (c"testAll", op_test_all),
    (c"testAllMask", op_test_all_mask),
    (c"testSingleMask", op_test_single_mask),
    (c"count", op_count),
    (c"empty", op_empty),
    (c"samePair", op_same_pair),
    (c"sameMask", op_same_mask),
    (c"same", op_same),
    (c"diffPair", op_diff_pair),
    (c"andMask", op_and_mask),
    (c"and", op_and),
    (c"setFlag", op_set_flag),
    (c"set", op_set),
    (c"setMask", op_set_mask),
    (c"clear", op_clear),
    (c"clearMask", op_clear_mask),
];

/// The `vma_flags_t` helpers of configuration `config` (see `FLAGS_OPS`),
/// over bitmap buffers of that configuration's size.
#[napi(ts_args_type = "config: number", ts_return_type = "object")]
pub fn flags_ops(env: &Env, cfg: Unknown) -> Result<fast::Raw> {
    let env = env.raw();
    js::guard(env, || {
        let (_, shape) = config::lookup(env, cfg.raw(), "config")?;
        let state = Rc::new(FlagsOps::new(shape));
        let obj = fast::object(env, &state, FLAGS_OPS)?;
        fast::freeze(env, obj)?;
        Ok(fast::Raw(obj))
    })
}
