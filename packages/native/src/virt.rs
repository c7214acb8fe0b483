//! `kernel::mm::virt` for JS: `VmaRef`, `VmaMixedMap` and `VmaNew` handles
//! on VMAs kept by the addon. All flag logic (and the single `update_flags`)
//! is in `vmaflags::virt`; this module keeps the VMAs and checks, on every
//! call, that the handle is of a type allowed to do what is asked.
//!
//! A handle is a number: a slot index plus a generation, so a released or
//! forged handle is refused instead of reaching another VMA. VMAs are many
//! and short-lived, so handles are cheaper than per-object native methods;
//! the TypeScript classes own them and release them when collected.

use std::cell::RefCell;
use std::ffi::CStr;
use std::rc::Rc;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use vmaflags::virt::{self as v, VmArea};
use vmaflags::Word;

use crate::fast;
use crate::js;
use crate::vma_flags::Cx;

enum Area {
    W32(VmArea<u32>),
    W64(VmArea<u64>),
}

/// Runs `$body` with `$a` bound to the typed `VmArea`, whatever the width.
macro_rules! with_area {
    ($area:expr, $a:ident => $body:expr) => {
        match &*$area {
            Area::W32($a) => $body,
            Area::W64($a) => $body,
        }
    };
}

fn words_of(area: &Area) -> Vec<u64> {
    with_area!(area, a => a.words().into_iter().map(Word::to_u64).collect())
}

/// Which kernel type a handle stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Ref,
    MixedMap,
    New,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Ref => "VmaRef",
            Kind::MixedMap => "VmaMixedMap",
            Kind::New => "VmaNew",
        }
    }
}

const ANY: &[Kind] = &[Kind::Ref, Kind::MixedMap, Kind::New];
const NEW: &[Kind] = &[Kind::New];

struct Slot {
    generation: u32,
    kind: Kind,
    area: Option<Rc<Area>>,
}

/// Handle = generation × 2^24 + slot index (below 2^53, exact as a JS number).
const INDEX_BITS: u32 = 24;
const MAX_GENERATION: u32 = 1 << 28;

/// The VMAs behind the live handles of one JS thread.
#[derive(Default)]
pub struct VmaTable {
    slots: RefCell<Vec<Slot>>,
    free: RefCell<Vec<u32>>,
}

thread_local! {
    static TABLE: Rc<VmaTable> = Rc::new(VmaTable::default());
}

impl VmaTable {
    fn insert(&self, env: js::Env, kind: Kind, area: Rc<Area>) -> Result<js::Value> {
        let mut slots = self.slots.borrow_mut();
        let index = match self.free.borrow_mut().pop() {
            Some(i) => i,
            None if slots.len() < (1 << INDEX_BITS) => {
                slots.push(Slot {
                    generation: 0,
                    kind,
                    area: None,
                });
                (slots.len() - 1) as u32
            }
            None => return Err(js::range_error_msg(env, "too many live VMA handles (2^24)")),
        };
        let slot = &mut slots[index as usize];
        slot.generation = (slot.generation + 1) % MAX_GENERATION;
        slot.kind = kind;
        slot.area = Some(area);
        let id = (u64::from(slot.generation) << INDEX_BITS) | u64::from(index);
        let mut v = std::ptr::null_mut();
        // SAFETY: creates a number in this env.
        unsafe { sys::napi_create_double(env, id as f64, &mut v) };
        Ok(v)
    }

    /// The VMA of handle `v`, if it is live and of one of the `allowed` kinds.
    #[inline(always)]
    fn get(&self, env: js::Env, v: js::Value, allowed: &[Kind]) -> Result<Rc<Area>> {
        let id = js::check_index(env, v, 1 << 53).unwrap_or(u64::MAX);
        let index = (id & ((1 << INDEX_BITS) - 1)) as usize;
        let generation = id >> INDEX_BITS;
        if let Some(slot) = self.slots.borrow().get(index) {
            if u64::from(slot.generation) == generation {
                if let Some(area) = &slot.area {
                    if allowed.contains(&slot.kind) {
                        return Ok(area.clone());
                    }
                    let want: Vec<_> = allowed.iter().map(|k| k.name()).collect();
                    return Err(js::type_error_msg(
                        env,
                        &format!(
                            "vma must be a {} handle; got a {} handle",
                            want.join(" or "),
                            slot.kind.name()
                        ),
                    ));
                }
            }
        }
        Err(js::type_error(env, "vma", "a live VMA handle", v))
    }

    fn release(&self, env: js::Env, v: js::Value) {
        let Ok(id) = js::check_index(env, v, 1 << 53) else {
            return;
        };
        let index = (id & ((1 << INDEX_BITS) - 1)) as usize;
        let mut slots = self.slots.borrow_mut();
        if let Some(slot) = slots.get_mut(index) {
            if u64::from(slot.generation) == id >> INDEX_BITS && slot.area.take().is_some() {
                self.free.borrow_mut().push(index as u32);
            }
        }
    }
}

fn einval(env: js::Env, what: &str, access: &str) -> Error {
    js::throw(
        env,
        js::Kind::Plain,
        "EINVAL",
        &format!("EINVAL: cannot clear {what} while {access} is set"),
    )
}

fn null(env: js::Env) -> js::Value {
    let mut v = std::ptr::null_mut();
    // SAFETY: fetches the null singleton of this env.
    unsafe { sys::napi_get_null(env, &mut v) };
    v
}

macro_rules! reader {
    ($name:ident, |$x:ident| $get:expr) => {
        fast::method!($name, VmaTable, 1, |env, table, a| {
            let area = table.get(env, a[0], ANY)?;
            let value = with_area!(area, a => {
                let $x = v::VmaRef::new(a);
                $get
            });
            fast::bigint(env, value)
        });
    };
}

macro_rules! predicate {
    ($name:ident, $method:ident) => {
        fast::method!($name, VmaTable, 1, |env, table, a| {
            let area = table.get(env, a[0], NEW)?;
            fast::boolean(env, with_area!(area, a => v::VmaNew::new(a).$method()))
        });
    };
}

macro_rules! setter {
    ($name:ident, $method:ident) => {
        fast::method!($name, VmaTable, 1, |env, table, a| {
            let area = table.get(env, a[0], NEW)?;
            with_area!(area, a => v::VmaNew::new(a).$method());
            Ok(fast::undefined())
        });
    };
}

macro_rules! try_clear {
    ($name:ident, $method:ident, $what:literal, $access:literal) => {
        fast::method!($name, VmaTable, 1, |env, table, a| {
            let area = table.get(env, a[0], NEW)?;
            with_area!(area, a => v::VmaNew::new(a).$method())
                .map(|()| fast::undefined())
                .map_err(|_| einval(env, $what, $access))
        });
    };
}

reader!(op_flags, |x| x.flags().to_u64());
reader!(op_start, |x| x.start());
reader!(op_end, |x| x.end());
predicate!(op_readable, readable);
predicate!(op_writable, writable);
predicate!(op_executable, executable);
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

fast::method!(op_set_mixedmap, VmaTable, 1, |env, table, a| {
    let area = table.get(env, a[0], NEW)?;
    with_area!(area, x => {
        v::VmaNew::new(x).set_mixedmap();
    });
    table.insert(env, Kind::MixedMap, area)
});
fast::method!(op_as_vma_ref, VmaTable, 1, |env, table, a| {
    let area = table.get(env, a[0], ANY)?;
    table.insert(env, Kind::Ref, area)
});
fast::method!(op_as_mixedmap_vma, VmaTable, 1, |env, table, a| {
    let area = table.get(env, a[0], ANY)?;
    if with_area!(area, x => v::VmaRef::new(x).as_mixedmap_vma().is_some()) {
        table.insert(env, Kind::MixedMap, area)
    } else {
        Ok(null(env))
    }
});
fast::method!(op_words, VmaTable, 1, |env, table, a| {
    let area = table.get(env, a[0], ANY)?;
    fast::bigints(env, &words_of(&area))
});
fast::method!(op_release, VmaTable, 1, |env, table, a| {
    table.release(env, a[0]);
    Ok(fast::undefined())
});
fast::method!(op_new_from_words, VmaTable, 4, |env, table, a| {
    let cx = Cx::from_raw(env, a[0])?;
    let area = build_area(&cx, a[1], a[2], a[3])?;
    table.insert(env, Kind::New, area)
});
fast::method!(op_ref_from_words, VmaTable, 4, |env, table, a| {
    let cx = Cx::from_raw(env, a[0])?;
    let area = build_area(&cx, a[1], a[2], a[3])?;
    table.insert(env, Kind::Ref, area)
});

/// The VMA operations, each taking a handle first. Reads (`flags`, `start`,
/// `end`, `words`, `asMixedmapVma`, `asVmaRef`) accept any handle; the
/// setters, `readable`/`writable`/`executable` and `tryClearMay*` only a
/// `VmaNew` handle (a `VmaRef` or `VmaMixedMap` handle is a TypeError).
const VMA_OPS: &[(&CStr, fast::Callback)] = &[
    (c"newFromWords", op_new_from_words),
    (c"refFromWords", op_ref_from_words),
    (c"flags", op_flags),
    (c"start", op_start),
    (c"end", op_end),
    (c"words", op_words),
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
    (c"asVmaRef", op_as_vma_ref),
    (c"asMixedmapVma", op_as_mixedmap_vma),
    (c"release", op_release),
];

/// Builds the shared VMA from flag words and an address range.
fn build_area(cx: &Cx, words: js::Value, start: js::Value, end: js::Value) -> Result<Rc<Area>> {
    let max = cx.shape.word_max();
    let n = cx.shape.num_words();
    let ws = js::words(cx.env, words, "words", max, n)?;
    if ws.is_empty() || ws.len() > n {
        let allowed = format!("an array of 1 to {n} words");
        return Err(js::range_error(cx.env, "words", &allowed, words));
    }
    let start_v = js::word(cx.env, start, "start", max)?;
    let end_v = js::word(cx.env, end, "end", max)?;
    if end_v < start_v {
        let allowed = format!("at least start ({start_v})");
        return Err(js::range_error(cx.env, "end", &allowed, end));
    }
    let mut full = ws;
    full.resize(n, 0);
    // Values and order were checked above, so construction cannot fail.
    let area = if cx.shape.bits_per_long() == 32 {
        let w: Vec<u32> = full.iter().map(|x| u32::truncate(*x)).collect();
        VmArea::new(start_v, end_v, &w).map(Area::W32)
    } else {
        VmArea::new(start_v, end_v, &full).map(Area::W64)
    };
    area.map(Rc::new)
        .map_err(|e| js::range_error_msg(cx.env, &format!("invalid VMA: {e:?}")))
}

/// The VMA operations object (see `VMA_OPS`); all such objects of a thread
/// share its VMAs.
#[napi(ts_return_type = "object")]
pub fn vma_ops(env: &Env) -> Result<fast::Raw> {
    let env = env.raw();
    js::guard(env, || {
        let table = TABLE.with(Rc::clone);
        let obj = fast::object(env, &table, VMA_OPS)?;
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
