//! Kernel configurations known to the addon. The TypeScript side interns each
//! `KernelConfig` here once (by its canonical key) and passes the small id
//! with every call, so handles of different configurations never mix even
//! when their storage shapes agree.

use std::sync::Mutex;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use vmaflags::config::{Shape, MAX_NUM_VMA_FLAG_BITS};

use crate::js;

struct Entry {
    key: String,
    shape: Shape,
}

static CONFIGS: Mutex<Vec<Entry>> = Mutex::new(Vec::new());

/// Longest configuration key accepted (canonical keys are far shorter).
const MAX_KEY_UNITS: usize = 4096;

/// Shape and key of config `id`, or a `RangeError` naming `arg`.
pub fn lookup(env: js::Env, id: js::Value, arg: &str) -> Result<(u32, Shape)> {
    let n = CONFIGS.lock().map(|c| c.len()).unwrap_or(0) as u64;
    let i = js::index(env, id, arg, n)?;
    let shape = CONFIGS
        .lock()
        .ok()
        .and_then(|c| c.get(i as usize).map(|e| e.shape));
    match shape {
        Some(s) => Ok((i as u32, s)),
        None => Err(js::range_error_msg(
            env,
            &format!("{arg} is not a registered configuration"),
        )),
    }
}

/// Registers a configuration (or finds it again) and returns its id.
/// `key` is the configuration's canonical key; equal keys must describe equal
/// shapes.
#[napi(ts_args_type = "key: string, bitsPerLong: number, numVmaFlagBits: number")]
pub fn intern_config(
    env: &Env,
    key: Unknown,
    bits_per_long: Unknown,
    num_vma_flag_bits: Unknown,
) -> Result<u32> {
    let env = env.raw();
    js::guard(env, || {
        if js::type_of(env, key.raw()) != sys::ValueType::napi_string {
            return Err(js::type_error(env, "config.key", "a string", key.raw()));
        }
        // A key is read whole, so its length is bounded first.
        let units = js::string_units(env, key.raw()).unwrap_or(usize::MAX);
        if units > MAX_KEY_UNITS {
            let allowed = format!("a string of at most {MAX_KEY_UNITS} characters");
            return Err(js::range_error(env, "config.key", &allowed, key.raw()));
        }
        let key = js::read_string(env, key.raw()).unwrap_or_default();
        let bpl = js::index(env, bits_per_long.raw(), "config.bitsPerLong", 65)?;
        if bpl != 32 && bpl != 64 {
            return Err(js::range_error(
                env,
                "config.bitsPerLong",
                "32 or 64",
                bits_per_long.raw(),
            ));
        }
        let n = js::index(
            env,
            num_vma_flag_bits.raw(),
            "config.numVmaFlagBits",
            u64::from(MAX_NUM_VMA_FLAG_BITS) + 1,
        )?;
        let shape = Shape::new(bpl as u32, n as u32).map_err(|_| {
            js::range_error(
                env,
                "config.numVmaFlagBits",
                &format!("a multiple of bitsPerLong ({bpl}) in [{bpl}, {MAX_NUM_VMA_FLAG_BITS}]"),
                num_vma_flag_bits.raw(),
            )
        })?;
        let mut configs = match CONFIGS.lock() {
            Ok(c) => c,
            Err(p) => p.into_inner(),
        };
        if let Some(i) = configs.iter().position(|e| e.key == key) {
            if configs[i].shape != shape {
                return Err(js::range_error_msg(
                    env,
                    &format!(
                        "config.key {key:?} is already registered with bitsPerLong {} and numVmaFlagBits {}",
                        configs[i].shape.bits_per_long(),
                        configs[i].shape.num_vma_flag_bits()
                    ),
                ));
            }
            return Ok(i as u32);
        }
        configs.push(Entry { key, shape });
        Ok((configs.len() - 1) as u32)
    })
}
