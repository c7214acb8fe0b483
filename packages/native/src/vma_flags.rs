//! `vma_flags_t` handles and the bitmap helpers behind `nativeBackend()`.
//!
//! Every function takes the id of the configuration the caller expects
//! (`internConfig`) first, so a handle of another configuration is refused
//! with a `TypeError` naming the argument, as the TypeScript core does.

use std::cell::RefCell;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use vmaflags::{Shape, VmaFlags as Bitmap};

use crate::config;
use crate::js;

/// A `vma_flags_t` owned by the addon. Created only through the helpers (no
/// JS constructor); opaque to JS.
#[napi]
pub struct VmaFlags {
    cfg: u32,
    bits: RefCell<Bitmap>,
}

impl VmaFlags {
    pub fn new(cfg: u32, bits: Bitmap) -> VmaFlags {
        VmaFlags {
            cfg,
            bits: RefCell::new(bits),
        }
    }

    pub fn cfg(&self) -> u32 {
        self.cfg
    }

    /// A copy of the bitmap.
    pub fn snapshot(&self) -> Bitmap {
        self.bits.borrow().clone()
    }
}

#[napi]
impl VmaFlags {
    /// All words, word 0 first (for inspection; the helpers are the API).
    #[napi(ts_return_type = "bigint[]")]
    pub fn words(&self) -> Vec<u64> {
        self.bits.borrow().to_words()
    }
}

/// The checked call context: env, the expected config and its shape.
pub struct Cx {
    pub env: js::Env,
    pub cfg: u32,
    pub shape: Shape,
}

impl Cx {
    pub fn new(env: &Env, cfg: Unknown) -> Result<Cx> {
        Cx::from_raw(env.raw(), cfg.raw())
    }

    pub fn from_raw(env: js::Env, cfg: js::Value) -> Result<Cx> {
        let (cfg, shape) = config::lookup(env, cfg, "config")?;
        Ok(Cx { env, cfg, shape })
    }

    /// Argument `v` as a handle of this configuration.
    pub fn flags<'a>(&self, v: &Unknown, arg: &str) -> Result<&'a VmaFlags> {
        self.flags_raw(v.raw(), arg)
    }

    /// Raw value `v` as a handle of this configuration.
    pub fn flags_raw<'a>(&self, v: js::Value, arg: &str) -> Result<&'a VmaFlags> {
        // SAFETY: VmaFlags is a #[napi] class; `v` is a call argument.
        let h: &VmaFlags =
            unsafe { js::unwrap_class(self.env, v, arg, "a VmaFlags from nativeBackend()")? };
        if h.cfg != self.cfg {
            return Err(js::type_error_msg(
                self.env,
                &format!(
                    "{arg} must be a VmaFlags of config {:?}; got one of config {:?}",
                    config::key_of(self.cfg),
                    config::key_of(h.cfg)
                ),
            ));
        }
        Ok(h)
    }

    pub fn bit(&self, v: &Unknown, arg: &str) -> Result<u32> {
        js::bit(self.env, v.raw(), arg, self.shape.num_vma_flag_bits())
    }

    pub fn bits(&self, v: &Unknown, arg: &str) -> Result<Vec<u32>> {
        js::bits(self.env, v.raw(), arg, self.shape.num_vma_flag_bits())
    }

    pub fn word(&self, v: &Unknown, arg: &str) -> Result<u64> {
        js::word(self.env, v.raw(), arg, self.shape.word_max())
    }

    pub fn new_flags(&self, bits: Bitmap) -> VmaFlags {
        VmaFlags::new(self.cfg, bits)
    }
}

/// Runs `f` on `a` (mutable) and `b`, which may be the same handle.
fn with_pair_mut<T>(a: &VmaFlags, b: &VmaFlags, f: impl FnOnce(&mut Bitmap, &Bitmap) -> T) -> T {
    if std::ptr::eq(a, b) {
        let copy = b.snapshot();
        f(&mut a.bits.borrow_mut(), &copy)
    } else {
        f(&mut a.bits.borrow_mut(), &b.bits.borrow())
    }
}

/// Checks the config id, then runs the body under the panic guard.
fn run<T>(env: &Env, cfg: Unknown, body: impl FnOnce(Cx) -> Result<T>) -> Result<T> {
    js::guard(env.raw(), || body(Cx::new(env, cfg)?))
}

/// `mk_vma_flags(bits...)`: a new bitmap with the listed bits set.
#[napi(ts_args_type = "config: number, bits: number[]")]
pub fn vma_flags_mk(env: &Env, cfg: Unknown, bits: Unknown) -> Result<VmaFlags> {
    run(env, cfg, |cx| {
        let bits = cx.bits(&bits, "bits")?;
        let mut f = Bitmap::empty(cx.shape);
        for b in bits {
            f.set_flag(b);
        }
        Ok(cx.new_flags(f))
    })
}

/// `append_vma_flags(base, bits...)`: a copy of `base` with bits also set.
#[napi(ts_args_type = "config: number, base: VmaFlags, bits: number[]")]
pub fn vma_flags_append(env: &Env, cfg: Unknown, base: Unknown, bits: Unknown) -> Result<VmaFlags> {
    run(env, cfg, |cx| {
        let base = cx.flags(&base, "base")?;
        let bits = cx.bits(&bits, "bits")?;
        let mut f = base.snapshot();
        for b in bits {
            f.set_flag(b);
        }
        Ok(cx.new_flags(f))
    })
}

#[napi(ts_args_type = "config: number, flags: VmaFlags")]
pub fn vma_flags_copy(env: &Env, cfg: Unknown, flags: Unknown) -> Result<VmaFlags> {
    run(env, cfg, |cx| {
        let f = cx.flags(&flags, "flags")?;
        Ok(cx.new_flags(f.snapshot()))
    })
}

/// Every word, word 0 first.
#[napi(
    ts_args_type = "config: number, flags: VmaFlags",
    ts_return_type = "bigint[]"
)]
pub fn vma_flags_to_words(env: &Env, cfg: Unknown, flags: Unknown) -> Result<Vec<u64>> {
    run(env, cfg, |cx| {
        Ok(cx.flags(&flags, "flags")?.bits.borrow().to_words())
    })
}

/// A bitmap from up to `numWords` words (missing ones are zero).
#[napi(ts_args_type = "config: number, words: readonly (bigint | number)[]")]
pub fn vma_flags_from_words(env: &Env, cfg: Unknown, words: Unknown) -> Result<VmaFlags> {
    run(env, cfg, |cx| {
        let n = cx.shape.num_words();
        let ws = js::words(cx.env, words.raw(), "words", cx.shape.word_max())?;
        if ws.len() > n {
            return Err(js::range_error(
                cx.env,
                "words",
                &format!("an array of at most {n} words"),
                words.raw(),
            ));
        }
        let f = Bitmap::from_words(cx.shape, &ws).map_err(|_| {
            js::range_error(
                cx.env,
                "words",
                &format!("an array of at most {n} words"),
                words.raw(),
            )
        })?;
        Ok(cx.new_flags(f))
    })
}

/// `legacy_to_vma_flags(word)`.
#[napi(ts_args_type = "config: number, word: bigint | number")]
pub fn legacy_to_vma_flags(env: &Env, cfg: Unknown, word: Unknown) -> Result<VmaFlags> {
    run(env, cfg, |cx| {
        let w = cx.word(&word, "word")?;
        let mut f = Bitmap::empty(cx.shape);
        f.overwrite_word(w);
        Ok(cx.new_flags(f))
    })
}

/// `vma_flags_to_legacy(flags)`: word 0.
#[napi(ts_args_type = "config: number, flags: VmaFlags")]
pub fn vma_flags_to_legacy(env: &Env, cfg: Unknown, flags: Unknown) -> Result<u64> {
    run(env, cfg, |cx| {
        Ok(cx.flags(&flags, "flags")?.bits.borrow().word0())
    })
}

#[napi(ts_args_type = "config: number, flags: VmaFlags")]
pub fn vma_flags_clear_all(env: &Env, cfg: Unknown, flags: Unknown) -> Result<()> {
    run(env, cfg, |cx| {
        cx.flags(&flags, "flags")?.bits.borrow_mut().clear_all();
        Ok(())
    })
}

#[napi(ts_args_type = "config: number, flags: VmaFlags, word: bigint | number")]
pub fn vma_flags_overwrite_word(
    env: &Env,
    cfg: Unknown,
    flags: Unknown,
    word: Unknown,
) -> Result<()> {
    run(env, cfg, |cx| {
        let f = cx.flags(&flags, "flags")?;
        let w = cx.word(&word, "word")?;
        f.bits.borrow_mut().overwrite_word(w);
        Ok(())
    })
}

/// Same store as `vma_flags_overwrite_word`: one JS thread owns the
/// handle, so a single store is already untorn.
#[napi(ts_args_type = "config: number, flags: VmaFlags, word: bigint | number")]
pub fn vma_flags_overwrite_word_once(
    env: &Env,
    cfg: Unknown,
    flags: Unknown,
    word: Unknown,
) -> Result<()> {
    run(env, cfg, |cx| {
        let f = cx.flags(&flags, "flags")?;
        let w = cx.word(&word, "word")?;
        f.bits.borrow_mut().overwrite_word(w);
        Ok(())
    })
}

#[napi(ts_args_type = "config: number, flags: VmaFlags, word: bigint | number")]
pub fn vma_flags_set_word(env: &Env, cfg: Unknown, flags: Unknown, word: Unknown) -> Result<()> {
    run(env, cfg, |cx| {
        let f = cx.flags(&flags, "flags")?;
        let w = cx.word(&word, "word")?;
        f.bits.borrow_mut().set_word(w);
        Ok(())
    })
}

#[napi(ts_args_type = "config: number, flags: VmaFlags, word: bigint | number")]
pub fn vma_flags_clear_word(env: &Env, cfg: Unknown, flags: Unknown, word: Unknown) -> Result<()> {
    run(env, cfg, |cx| {
        let f = cx.flags(&flags, "flags")?;
        let w = cx.word(&word, "word")?;
        f.bits.borrow_mut().clear_word(w);
        Ok(())
    })
}

#[napi(ts_args_type = "config: number, flags: VmaFlags, bit: number")]
pub fn vma_flags_test(env: &Env, cfg: Unknown, flags: Unknown, bit: Unknown) -> Result<bool> {
    run(env, cfg, |cx| {
        let f = cx.flags(&flags, "flags")?;
        let b = cx.bit(&bit, "bit")?;
        let r = f.bits.borrow().test(b);
        Ok(r)
    })
}

#[napi(ts_args_type = "config: number, flags: VmaFlags, bits: number[]")]
pub fn vma_flags_test_any(env: &Env, cfg: Unknown, flags: Unknown, bits: Unknown) -> Result<bool> {
    run(env, cfg, |cx| {
        let f = cx.flags(&flags, "flags")?;
        let bits = cx.bits(&bits, "bits")?;
        let f = f.bits.borrow();
        Ok(bits.iter().any(|b| f.test(*b)))
    })
}

/// True when every listed bit is set (no bits: true).
#[napi(ts_args_type = "config: number, flags: VmaFlags, bits: number[]")]
pub fn vma_flags_test_all(env: &Env, cfg: Unknown, flags: Unknown, bits: Unknown) -> Result<bool> {
    run(env, cfg, |cx| {
        let f = cx.flags(&flags, "flags")?;
        let bits = cx.bits(&bits, "bits")?;
        let f = f.bits.borrow();
        Ok(bits.iter().all(|b| f.test(*b)))
    })
}

#[napi(ts_args_type = "config: number, flags: VmaFlags, mask: VmaFlags")]
pub fn vma_flags_test_any_mask(
    env: &Env,
    cfg: Unknown,
    flags: Unknown,
    mask: Unknown,
) -> Result<bool> {
    run(env, cfg, |cx| {
        let f = cx.flags(&flags, "flags")?;
        let m = cx.flags(&mask, "mask")?;
        let r = f.bits.borrow().test_any_mask(&m.bits.borrow());
        Ok(r)
    })
}

#[napi(ts_args_type = "config: number, flags: VmaFlags, mask: VmaFlags")]
pub fn vma_flags_test_all_mask(
    env: &Env,
    cfg: Unknown,
    flags: Unknown,
    mask: Unknown,
) -> Result<bool> {
    run(env, cfg, |cx| {
        let f = cx.flags(&flags, "flags")?;
        let m = cx.flags(&mask, "mask")?;
        let r = f.bits.borrow().test_all_mask(&m.bits.borrow());
        Ok(r)
    })
}

#[napi(ts_args_type = "config: number, flags: VmaFlags, mask: VmaFlags")]
pub fn vma_flags_test_single_mask(
    env: &Env,
    cfg: Unknown,
    flags: Unknown,
    mask: Unknown,
) -> Result<bool> {
    run(env, cfg, |cx| {
        let f = cx.flags(&flags, "flags")?;
        let m = cx.flags(&mask, "mask")?;
        let r = f.bits.borrow().test_single_mask(&m.bits.borrow());
        Ok(r)
    })
}

#[napi(ts_args_type = "config: number, flags: VmaFlags")]
pub fn vma_flags_count(env: &Env, cfg: Unknown, flags: Unknown) -> Result<u32> {
    run(env, cfg, |cx| {
        Ok(cx.flags(&flags, "flags")?.bits.borrow().count())
    })
}

#[napi(ts_args_type = "config: number, flags: VmaFlags")]
pub fn vma_flags_empty(env: &Env, cfg: Unknown, flags: Unknown) -> Result<bool> {
    run(env, cfg, |cx| {
        Ok(cx.flags(&flags, "flags")?.bits.borrow().is_empty())
    })
}

#[napi(ts_args_type = "config: number, a: VmaFlags, b: VmaFlags")]
pub fn vma_flags_same_pair(env: &Env, cfg: Unknown, a: Unknown, b: Unknown) -> Result<bool> {
    run(env, cfg, |cx| {
        let a = cx.flags(&a, "a")?;
        let b = cx.flags(&b, "b")?;
        let r = a.bits.borrow().same_pair(&b.bits.borrow());
        Ok(r)
    })
}

#[napi(ts_args_type = "config: number, flags: VmaFlags, mask: VmaFlags")]
pub fn vma_flags_same_mask(env: &Env, cfg: Unknown, flags: Unknown, mask: Unknown) -> Result<bool> {
    run(env, cfg, |cx| {
        let f = cx.flags(&flags, "flags")?;
        let m = cx.flags(&mask, "mask")?;
        let r = f.bits.borrow().same_pair(&m.bits.borrow());
        Ok(r)
    })
}

/// Flags equal exactly the listed bits.
#[napi(ts_args_type = "config: number, flags: VmaFlags, bits: number[]")]
pub fn vma_flags_same(env: &Env, cfg: Unknown, flags: Unknown, bits: Unknown) -> Result<bool> {
    run(env, cfg, |cx| {
        let f = cx.flags(&flags, "flags")?;
        let bits = cx.bits(&bits, "bits")?;
        let mut want = Bitmap::empty(cx.shape);
        for b in bits {
            want.set_flag(b);
        }
        let r = f.bits.borrow().same_pair(&want);
        Ok(r)
    })
}

/// A new bitmap `a ^ b`.
#[napi(ts_args_type = "config: number, a: VmaFlags, b: VmaFlags")]
pub fn vma_flags_diff_pair(env: &Env, cfg: Unknown, a: Unknown, b: Unknown) -> Result<VmaFlags> {
    run(env, cfg, |cx| {
        let a = cx.flags(&a, "a")?;
        let b = cx.flags(&b, "b")?;
        let r = a.bits.borrow().diff_pair(&b.bits.borrow());
        Ok(cx.new_flags(r))
    })
}

/// A new bitmap `flags & mask`.
#[napi(ts_args_type = "config: number, flags: VmaFlags, mask: VmaFlags")]
pub fn vma_flags_and_mask(
    env: &Env,
    cfg: Unknown,
    flags: Unknown,
    mask: Unknown,
) -> Result<VmaFlags> {
    run(env, cfg, |cx| {
        let f = cx.flags(&flags, "flags")?;
        let m = cx.flags(&mask, "mask")?;
        let r = f.bits.borrow().and_mask(&m.bits.borrow());
        Ok(cx.new_flags(r))
    })
}

/// A new bitmap: `flags` restricted to the listed bits.
#[napi(ts_args_type = "config: number, flags: VmaFlags, bits: number[]")]
pub fn vma_flags_and(env: &Env, cfg: Unknown, flags: Unknown, bits: Unknown) -> Result<VmaFlags> {
    run(env, cfg, |cx| {
        let f = cx.flags(&flags, "flags")?;
        let bits = cx.bits(&bits, "bits")?;
        let mut m = Bitmap::empty(cx.shape);
        for b in bits {
            m.set_flag(b);
        }
        let r = f.bits.borrow().and_mask(&m);
        Ok(cx.new_flags(r))
    })
}

#[napi(ts_args_type = "config: number, flags: VmaFlags, bit: number")]
pub fn vma_flags_set_flag(env: &Env, cfg: Unknown, flags: Unknown, bit: Unknown) -> Result<()> {
    run(env, cfg, |cx| {
        let f = cx.flags(&flags, "flags")?;
        let b = cx.bit(&bit, "bit")?;
        f.bits.borrow_mut().set_flag(b);
        Ok(())
    })
}

#[napi(ts_args_type = "config: number, flags: VmaFlags, bits: number[]")]
pub fn vma_flags_set(env: &Env, cfg: Unknown, flags: Unknown, bits: Unknown) -> Result<()> {
    run(env, cfg, |cx| {
        let f = cx.flags(&flags, "flags")?;
        let bits = cx.bits(&bits, "bits")?;
        let mut f = f.bits.borrow_mut();
        for b in bits {
            f.set_flag(b);
        }
        Ok(())
    })
}

#[napi(ts_args_type = "config: number, flags: VmaFlags, bits: number[]")]
pub fn vma_flags_clear(env: &Env, cfg: Unknown, flags: Unknown, bits: Unknown) -> Result<()> {
    run(env, cfg, |cx| {
        let f = cx.flags(&flags, "flags")?;
        let bits = cx.bits(&bits, "bits")?;
        let mut f = f.bits.borrow_mut();
        for b in bits {
            f.clear_flag(b);
        }
        Ok(())
    })
}

#[napi(ts_args_type = "config: number, flags: VmaFlags, mask: VmaFlags")]
pub fn vma_flags_set_mask(env: &Env, cfg: Unknown, flags: Unknown, mask: Unknown) -> Result<()> {
    run(env, cfg, |cx| {
        let f = cx.flags(&flags, "flags")?;
        let m = cx.flags(&mask, "mask")?;
        with_pair_mut(f, m, |f, m| f.set_mask(m));
        Ok(())
    })
}

#[napi(ts_args_type = "config: number, flags: VmaFlags, mask: VmaFlags")]
pub fn vma_flags_clear_mask(env: &Env, cfg: Unknown, flags: Unknown, mask: Unknown) -> Result<()> {
    run(env, cfg, |cx| {
        let f = cx.flags(&flags, "flags")?;
        let m = cx.flags(&mask, "mask")?;
        with_pair_mut(f, m, |f, m| f.clear_mask(m));
        Ok(())
    })
}
