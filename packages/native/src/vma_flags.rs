//! `vma_flags_t` bitmaps behind `nativeBackend()`.
//!
//! Bitmaps live in one table per JS thread and JS holds them by handle: a
//! number made of a slot index and a generation, so a released or forged
//! handle is refused instead of reaching another bitmap. Each slot also
//! records its configuration, so a handle of another configuration is refused
//! with a `TypeError` naming the argument, as the TypeScript core does.
//!
//! The helpers are native functions bound to one configuration (see `fast`):
//! a call reads plain numbers (handles, bits) or one bigint and returns a
//! boolean, a number or a new handle, with no class checks on the way. The
//! TypeScript layer wraps each handle in an object and releases it when that
//! object is garbage-collected.

use std::cell::RefCell;
use std::ffi::CStr;
use std::rc::Rc;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use vmaflags::{Shape, VmaFlags as Bitmap};

use crate::config;
use crate::fast;
use crate::js;

/// The checked configuration argument of a raw call: env, id and shape.
pub struct Cx {
    pub env: js::Env,
    pub shape: Shape,
}

impl Cx {
    pub fn from_raw(env: js::Env, cfg: js::Value) -> Result<Cx> {
        let (_, shape) = config::lookup(env, cfg, "config")?;
        Ok(Cx { env, shape })
    }
}

struct Slot {
    generation: u32,
    cfg: u32,
    bits: Option<Bitmap>,
}

/// Handle = generation × 2^24 + slot index (below 2^53, exact as a JS number).
const INDEX_BITS: u32 = 24;
const INDEX_MASK: u64 = (1 << INDEX_BITS) - 1;
const MAX_GENERATION: u32 = 1 << 28;

/// The bitmaps behind the live handles of one JS thread, all configurations.
#[derive(Default)]
pub struct FlagsTable {
    slots: RefCell<Vec<Slot>>,
    free: RefCell<Vec<u32>>,
}

thread_local! {
    static TABLE: Rc<FlagsTable> = Rc::new(FlagsTable::default());
}

/// The helpers of one configuration: the state their functions are bound to.
pub struct FlagsOps {
    table: Rc<FlagsTable>,
    cfg: u32,
    shape: Shape,
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

impl FlagsOps {
    /// Slot index of handle `v`, if it is live and of this configuration.
    #[inline(always)]
    fn slot(&self, env: js::Env, v: js::Value, arg: &str) -> Result<usize> {
        let id = js::check_index(env, v, 1 << 53).unwrap_or(u64::MAX);
        let index = (id & INDEX_MASK) as usize;
        let slots = self.table.slots.borrow();
        if let Some(slot) = slots.get(index) {
            if u64::from(slot.generation) == id >> INDEX_BITS && slot.bits.is_some() {
                if slot.cfg == self.cfg {
                    return Ok(index);
                }
                let other = slot.cfg;
                drop(slots);
                return Err(self.foreign(env, arg, other));
            }
        }
        drop(slots);
        Err(js::type_error(env, arg, "a live VmaFlags handle", v))
    }

    #[cold]
    fn foreign(&self, env: js::Env, arg: &str, other: u32) -> Error {
        js::type_error_msg(
            env,
            &format!(
                "{arg} must be a VmaFlags of config {:?}; got one of config {:?}",
                config::key_of(self.cfg),
                config::key_of(other)
            ),
        )
    }

    /// Runs `f` on the bitmap of a slot returned by `slot`.
    #[inline(always)]
    fn with<T>(&self, index: usize, f: impl FnOnce(&mut Bitmap) -> T) -> T {
        let mut slots = self.table.slots.borrow_mut();
        // `slot` checked the index just before, and no JS ran since.
        let bits = slots[index].bits.as_mut().expect("live slot");
        f(bits)
    }

    /// Runs `f` on two bitmaps (the first mutable), which may be the same one.
    #[inline(always)]
    fn with_pair<T>(&self, a: usize, b: usize, f: impl FnOnce(&mut Bitmap, &Bitmap) -> T) -> T {
        let mut slots = self.table.slots.borrow_mut();
        if a == b {
            let copy = slots[b].bits.clone().expect("live slot");
            f(slots[a].bits.as_mut().expect("live slot"), &copy)
        } else {
            let [x, y] = slots
                .get_disjoint_mut([a, b])
                .expect("two distinct live slots");
            f(
                x.bits.as_mut().expect("live slot"),
                y.bits.as_ref().expect("live slot"),
            )
        }
    }

    #[inline(always)]
    fn handle(&self, env: js::Env, a: &[js::Value], k: usize, arg: &str) -> Result<usize> {
        self.slot(env, a[k], arg)
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

    fn bitmap_of(&self, bits: &[u32]) -> Bitmap {
        let mut f = Bitmap::empty(self.shape);
        for b in bits {
            f.set_flag(*b);
        }
        f
    }

    /// Stores a new bitmap and returns its handle.
    fn insert(&self, env: js::Env, bits: Bitmap) -> Result<js::Value> {
        let mut slots = self.table.slots.borrow_mut();
        let index = match self.table.free.borrow_mut().pop() {
            Some(i) => i,
            None if slots.len() < (1 << INDEX_BITS) => {
                slots.push(Slot {
                    generation: 0,
                    cfg: self.cfg,
                    bits: None,
                });
                (slots.len() - 1) as u32
            }
            None => {
                drop(slots);
                return Err(js::range_error_msg(
                    env,
                    "too many live VmaFlags (2^24); release some first",
                ));
            }
        };
        let slot = &mut slots[index as usize];
        slot.generation = (slot.generation + 1) % MAX_GENERATION;
        slot.cfg = self.cfg;
        slot.bits = Some(bits);
        let id = (u64::from(slot.generation) << INDEX_BITS) | u64::from(index);
        drop(slots);
        let mut v = std::ptr::null_mut();
        // SAFETY: creates a number in this env.
        unsafe { sys::napi_create_double(env, id as f64, &mut v) };
        Ok(v)
    }

    fn release(&self, env: js::Env, v: js::Value) {
        let Ok(id) = js::check_index(env, v, 1 << 53) else {
            return;
        };
        let index = (id & INDEX_MASK) as usize;
        let mut slots = self.table.slots.borrow_mut();
        if let Some(slot) = slots.get_mut(index) {
            if u64::from(slot.generation) == id >> INDEX_BITS && slot.bits.take().is_some() {
                self.table.free.borrow_mut().push(index as u32);
            }
        }
    }

    fn new_from_words(&self, env: js::Env, words: js::Value) -> Result<js::Value> {
        let n = self.shape.num_words();
        let allowed = || format!("an array of at most {n} words");
        let ws = js::words(env, words, "words", self.shape.word_max(), n)?;
        if ws.len() > n {
            return Err(js::range_error(env, "words", &allowed(), words));
        }
        let f = Bitmap::from_words(self.shape, &ws)
            .map_err(|_| js::range_error(env, "words", &allowed(), words))?;
        self.insert(env, f)
    }
}

type Ops = FlagsOps;

/// A method on one bitmap argument (`flags`) returning what `$body` makes of it.
macro_rules! on_flags {
    ($name:ident, |$env:ident, $f:ident| $body:expr) => {
        fast::method!($name, Ops, 1, |env, this, a| {
            let i = this.handle(env, a, 0, "flags")?;
            let $env = env;
            this.with(i, |$f| $body)
        });
    };
}

/// A method on `flags` and one word, returning undefined.
macro_rules! word_op {
    ($name:ident, $method:ident) => {
        fast::method!($name, Ops, 2, |env, this, a| {
            let i = this.handle(env, a, 0, "flags")?;
            let w = this.word(env, a[1], "word")?;
            this.with(i, |f| f.$method(w));
            Ok(fast::undefined())
        });
    };
}

/// A query on two bitmaps named `$x`, `$y`, returning a boolean.
macro_rules! pair_query {
    ($name:ident, $x:literal, $y:literal, $method:ident) => {
        fast::method!($name, Ops, 2, |env, this, a| {
            let i = this.handle(env, a, 0, $x)?;
            let j = this.handle(env, a, 1, $y)?;
            let r = this.with_pair(i, j, |f, m| f.$method(m));
            fast::boolean(env, r)
        });
    };
}

/// A new bitmap from two, named `$x`, `$y`.
macro_rules! pair_new {
    ($name:ident, $x:literal, $y:literal, $method:ident) => {
        fast::method!($name, Ops, 2, |env, this, a| {
            let i = this.handle(env, a, 0, $x)?;
            let j = this.handle(env, a, 1, $y)?;
            let r = this.with_pair(i, j, |f, m| f.$method(m));
            this.insert(env, r)
        });
    };
}

/// `flags` changed by `mask`.
macro_rules! mask_op {
    ($name:ident, $method:ident) => {
        fast::method!($name, Ops, 2, |env, this, a| {
            let i = this.handle(env, a, 0, "flags")?;
            let j = this.handle(env, a, 1, "mask")?;
            this.with_pair(i, j, |f, m| f.$method(m));
            Ok(fast::undefined())
        });
    };
}

fast::method_var!(op_mk, Ops, 0, |env, this, a| {
    let bits = this.bits(env, a, 0)?;
    this.insert(env, this.bitmap_of(bits.as_slice()))
});
fast::method_var!(op_append, Ops, 1, |env, this, a| {
    let i = this.handle(env, a, 0, "base")?;
    let bits = this.bits(env, a, 1)?;
    let mut f = this.with(i, |f| f.clone());
    for b in bits.as_slice() {
        f.set_flag(*b);
    }
    this.insert(env, f)
});
fast::method!(op_copy, Ops, 1, |env, this, a| {
    let i = this.handle(env, a, 0, "flags")?;
    let f = this.with(i, |f| f.clone());
    this.insert(env, f)
});
fast::method!(op_from_words, Ops, 1, |env, this, a| this
    .new_from_words(env, a[0]));
fast::method!(op_from_legacy, Ops, 1, |env, this, a| {
    let w = this.word(env, a[0], "word")?;
    let mut f = Bitmap::empty(this.shape);
    f.overwrite_word(w);
    this.insert(env, f)
});
// The words are copied out first: building the array must not happen while
// the table is borrowed.
fast::method!(op_to_words, Ops, 1, |env, this, a| {
    let i = this.handle(env, a, 0, "flags")?;
    let words = this.with(i, |f| f.to_words());
    fast::bigints(env, &words)
});
on_flags!(op_to_legacy, |env, f| fast::bigint(env, f.word0()));
on_flags!(op_clear_all, |_env, f| {
    f.clear_all();
    Ok(fast::undefined())
});
on_flags!(op_count, |env, f| fast::uint32(env, f.count()));
on_flags!(op_empty, |env, f| fast::boolean(env, f.is_empty()));
word_op!(op_overwrite_word, overwrite_word);
word_op!(op_set_word, set_word);
word_op!(op_clear_word, clear_word);

fast::method!(op_test, Ops, 2, |env, this, a| {
    let i = this.handle(env, a, 0, "flags")?;
    let b = this.bit(env, a[1], "bit")?;
    fast::boolean(env, this.with(i, |f| f.test(b)))
});
fast::method!(op_set_flag, Ops, 2, |env, this, a| {
    let i = this.handle(env, a, 0, "flags")?;
    let b = this.bit(env, a[1], "bit")?;
    this.with(i, |f| f.set_flag(b));
    Ok(fast::undefined())
});
fast::method_var!(op_test_any, Ops, 1, |env, this, a| {
    let i = this.handle(env, a, 0, "flags")?;
    let bits = this.bits(env, a, 1)?;
    let r = this.with(i, |f| bits.as_slice().iter().any(|b| f.test(*b)));
    fast::boolean(env, r)
});
// Every listed bit set (no bits: true).
fast::method_var!(op_test_all, Ops, 1, |env, this, a| {
    let i = this.handle(env, a, 0, "flags")?;
    let bits = this.bits(env, a, 1)?;
    let r = this.with(i, |f| bits.as_slice().iter().all(|b| f.test(*b)));
    fast::boolean(env, r)
});
// Flags equal exactly the listed bits.
fast::method_var!(op_same, Ops, 1, |env, this, a| {
    let i = this.handle(env, a, 0, "flags")?;
    let bits = this.bits(env, a, 1)?;
    let want = this.bitmap_of(bits.as_slice());
    fast::boolean(env, this.with(i, |f| f.same_pair(&want)))
});
// `flags` restricted to the listed bits, as a new bitmap.
fast::method_var!(op_and, Ops, 1, |env, this, a| {
    let i = this.handle(env, a, 0, "flags")?;
    let bits = this.bits(env, a, 1)?;
    let m = this.bitmap_of(bits.as_slice());
    let r = this.with(i, |f| f.and_mask(&m));
    this.insert(env, r)
});
fast::method_var!(op_set, Ops, 1, |env, this, a| {
    let i = this.handle(env, a, 0, "flags")?;
    let bits = this.bits(env, a, 1)?;
    this.with(i, |f| bits.as_slice().iter().for_each(|b| f.set_flag(*b)));
    Ok(fast::undefined())
});
fast::method_var!(op_clear, Ops, 1, |env, this, a| {
    let i = this.handle(env, a, 0, "flags")?;
    let bits = this.bits(env, a, 1)?;
    this.with(i, |f| bits.as_slice().iter().for_each(|b| f.clear_flag(*b)));
    Ok(fast::undefined())
});
pair_query!(op_test_any_mask, "flags", "mask", test_any_mask);
pair_query!(op_test_all_mask, "flags", "mask", test_all_mask);
pair_query!(op_test_single_mask, "flags", "mask", test_single_mask);
pair_query!(op_same_mask, "flags", "mask", same_pair);
pair_query!(op_same_pair, "a", "b", same_pair);
pair_new!(op_diff_pair, "a", "b", diff_pair);
pair_new!(op_and_mask, "flags", "mask", and_mask);
mask_op!(op_set_mask, set_mask);
mask_op!(op_clear_mask, clear_mask);
fast::method!(op_release, Ops, 1, |env, this, a| {
    this.release(env, a[0]);
    Ok(fast::undefined())
});

/// The helpers, named as in `FlagsBackend`; bitmaps are handles. `release`
/// frees a handle's bitmap (later use of the handle is a TypeError).
pub const FLAGS_OPS: &[(&CStr, fast::Callback)] = &[
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
    (c"release", op_release),
];

/// The `vma_flags_t` helpers of configuration `config` (see `FLAGS_OPS`),
/// over bitmap handles. Objects of one thread share its bitmaps; each refuses
/// handles of other configurations.
#[napi(ts_args_type = "config: number", ts_return_type = "object")]
pub fn flags_ops(env: &Env, cfg: Unknown) -> Result<fast::Raw> {
    let env = env.raw();
    js::guard(env, || {
        let (cfg, shape) = config::lookup(env, cfg.raw(), "config")?;
        let state = Rc::new(FlagsOps {
            table: TABLE.with(Rc::clone),
            cfg,
            shape,
        });
        let obj = fast::object(env, &state, FLAGS_OPS)?;
        fast::freeze(env, obj)?;
        Ok(fast::Raw(obj))
    })
}
