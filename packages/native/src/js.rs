//! Argument checks and JS exceptions at the Node-API boundary.
//!
//! Every failure throws a `TypeError` (wrong kind of value) or `RangeError`
//! (right kind, outside what is allowed) whose message names the argument
//! and the accepted range, then returns an error marked "exception pending"
//! so napi-rs does not throw a second one.

use std::ptr;

use napi::{sys, Error, Result, Status};

pub type Env = sys::napi_env;
pub type Value = sys::napi_value;

/// `Number.MAX_SAFE_INTEGER`.
pub const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

#[derive(Clone, Copy)]
pub enum Kind {
    Type,
    Range,
    Plain,
}

fn pending() -> Error {
    Error::from_status(Status::PendingException)
}

fn js_string(env: Env, s: &str) -> Value {
    let mut out = ptr::null_mut();
    // SAFETY: `s` is valid UTF-8 of the given length.
    unsafe { sys::napi_create_string_utf8(env, s.as_ptr().cast(), s.len() as isize, &mut out) };
    out
}

/// Throws a new `TypeError`/`RangeError`/`Error` with a Node-style `code`.
pub fn throw(env: Env, kind: Kind, code: &str, message: &str) -> Error {
    // A Node-API call that failed on a bad value may have left its own
    // exception pending; ours (which names the argument) replaces it.
    let mut pending_now = false;
    // SAFETY: state query and clear on this env.
    unsafe {
        sys::napi_is_exception_pending(env, &mut pending_now);
        if pending_now {
            let mut dropped = ptr::null_mut();
            sys::napi_get_and_clear_last_exception(env, &mut dropped);
        }
    }
    let code_v = js_string(env, code);
    let msg_v = js_string(env, message);
    let mut err = ptr::null_mut();
    // SAFETY: plain Node-API calls on values created above in this env.
    unsafe {
        let status = match kind {
            Kind::Type => sys::napi_create_type_error(env, code_v, msg_v, &mut err),
            Kind::Range => sys::napi_create_range_error(env, code_v, msg_v, &mut err),
            Kind::Plain => sys::napi_create_error(env, code_v, msg_v, &mut err),
        };
        if status != sys::Status::napi_ok || sys::napi_throw(env, err) != sys::Status::napi_ok {
            // No error object could be thrown; let napi-rs throw its own.
            return Error::new(Status::GenericFailure, message.to_owned());
        }
    }
    pending()
}

pub fn type_error(env: Env, arg: &str, allowed: &str, got: Value) -> Error {
    let msg = format!("{arg} must be {allowed}; got {}", describe(env, got));
    throw(env, Kind::Type, "ERR_INVALID_ARG_TYPE", &msg)
}

pub fn range_error(env: Env, arg: &str, allowed: &str, got: Value) -> Error {
    let msg = format!("{arg} must be {allowed}; got {}", describe(env, got));
    throw(env, Kind::Range, "ERR_OUT_OF_RANGE", &msg)
}

/// For failures that are not about one argument's value (e.g. a resized buffer).
pub fn range_error_msg(env: Env, msg: &str) -> Error {
    throw(env, Kind::Range, "ERR_OUT_OF_RANGE", msg)
}

pub fn type_error_msg(env: Env, msg: &str) -> Error {
    throw(env, Kind::Type, "ERR_INVALID_ARG_TYPE", msg)
}

pub fn type_of(env: Env, v: Value) -> sys::napi_valuetype {
    let mut t = sys::ValueType::napi_undefined;
    // SAFETY: `v` is a value of this env (an argument).
    unsafe { sys::napi_typeof(env, v, &mut t) };
    t
}

/// A short rendering of a bad value for messages: numbers and bigints as JS
/// prints them, strings quoted, other values by kind.
pub fn describe(env: Env, v: Value) -> String {
    match type_of(env, v) {
        sys::ValueType::napi_undefined => "undefined".into(),
        sys::ValueType::napi_null => "null".into(),
        sys::ValueType::napi_boolean => {
            let mut b = false;
            // SAFETY: `v` is a boolean.
            unsafe { sys::napi_get_value_bool(env, v, &mut b) };
            b.to_string()
        }
        sys::ValueType::napi_number => coerce_string(env, v).unwrap_or_else(|| "a number".into()),
        sys::ValueType::napi_bigint => describe_bigint(env, v),
        sys::ValueType::napi_string => describe_string(env, v),
        sys::ValueType::napi_symbol => "a symbol".into(),
        sys::ValueType::napi_function => "a function".into(),
        sys::ValueType::napi_object => object_kind(env, v),
        _ => "an unknown value".into(),
    }
}

/// Most UTF-16 units of a string argument quoted in a message. Only that
/// prefix is ever read, so a huge string costs no more than a short one.
const QUOTE_UNITS: usize = 40;

fn describe_string(env: Env, v: Value) -> String {
    let mut len = 0usize;
    let mut buf = [0u16; QUOTE_UNITS + 1];
    // SAFETY: the first call asks for the length only (O(1) in V8); the second
    // copies at most `QUOTE_UNITS` units plus the terminator into `buf`.
    unsafe {
        if sys::napi_get_value_string_utf16(env, v, ptr::null_mut(), 0, &mut len)
            != sys::Status::napi_ok
        {
            return "a string".into();
        }
        let mut written = 0usize;
        if sys::napi_get_value_string_utf16(env, v, buf.as_mut_ptr(), buf.len(), &mut written)
            != sys::Status::napi_ok
        {
            return "a string".into();
        }
        let quoted = String::from_utf16_lossy(&buf[..written.min(QUOTE_UNITS)]);
        if len > QUOTE_UNITS {
            format!("{quoted:?}… (length {len})")
        } else {
            format!("{quoted:?}")
        }
    }
}

/// Bigints up to 128 bits as JS prints them; wider ones by size only
/// (printing a huge bigint in decimal costs time quadratic in its size).
fn describe_bigint(env: Env, v: Value) -> String {
    let mut count = 0usize;
    // SAFETY: with no sign or word buffer, Node-API reports the word count only.
    let ok = unsafe {
        sys::napi_get_value_bigint_words(env, v, ptr::null_mut(), &mut count, ptr::null_mut())
    } == sys::Status::napi_ok;
    if ok && count > 2 {
        return format!("a bigint of {count} 64-bit words");
    }
    coerce_string(env, v)
        .map(|s| format!("{s}n"))
        .unwrap_or_else(|| "a bigint".into())
}

fn object_kind(env: Env, v: Value) -> String {
    let mut is = false;
    // SAFETY: type predicates on an object value; none run user code.
    unsafe {
        sys::napi_is_array(env, v, &mut is);
        if is {
            return "an array".into();
        }
        sys::napi_is_typedarray(env, v, &mut is);
        if is {
            let mut t = 0;
            let mut len = 0usize;
            sys::napi_get_typedarray_info(
                env,
                v,
                &mut t,
                &mut len,
                ptr::null_mut(),
                ptr::null_mut(),
                ptr::null_mut(),
            );
            return format!("{} (length {len})", typed_array_name(t));
        }
        sys::napi_is_arraybuffer(env, v, &mut is);
        if is {
            return "an ArrayBuffer".into();
        }
    }
    "an object".into()
}

pub fn typed_array_name(t: sys::napi_typedarray_type) -> &'static str {
    match t {
        sys::TypedarrayType::int8_array => "an Int8Array",
        sys::TypedarrayType::uint8_array => "a Uint8Array",
        sys::TypedarrayType::uint8_clamped_array => "a Uint8ClampedArray",
        sys::TypedarrayType::int16_array => "an Int16Array",
        sys::TypedarrayType::uint16_array => "a Uint16Array",
        sys::TypedarrayType::int32_array => "an Int32Array",
        sys::TypedarrayType::uint32_array => "a Uint32Array",
        sys::TypedarrayType::float32_array => "a Float32Array",
        sys::TypedarrayType::float64_array => "a Float64Array",
        sys::TypedarrayType::bigint64_array => "a BigInt64Array",
        sys::TypedarrayType::biguint64_array => "a BigUint64Array",
        _ => "a typed array",
    }
}

fn coerce_string(env: Env, v: Value) -> Option<String> {
    let mut s = ptr::null_mut();
    // SAFETY: numbers and bigints convert to strings without running user code.
    if unsafe { sys::napi_coerce_to_string(env, v, &mut s) } != sys::Status::napi_ok {
        return None;
    }
    read_string(env, s)
}

/// Length of string `v` in UTF-16 units (O(1) in V8: nothing is decoded).
pub fn string_units(env: Env, v: Value) -> Option<usize> {
    let mut len = 0usize;
    // SAFETY: with no buffer, Node-API reports the length only.
    let ok = unsafe { sys::napi_get_value_string_utf16(env, v, ptr::null_mut(), 0, &mut len) }
        == sys::Status::napi_ok;
    ok.then_some(len)
}

/// The contents of string `v`. Callers bound its length first
/// ([`string_units`]): the whole string is decoded.
pub fn read_string(env: Env, v: Value) -> Option<String> {
    let mut len = 0usize;
    // SAFETY: first call asks for the length only; the second fills a buffer
    // one byte longer (for the terminator Node-API always writes).
    unsafe {
        if sys::napi_get_value_string_utf8(env, v, ptr::null_mut(), 0, &mut len)
            != sys::Status::napi_ok
        {
            return None;
        }
        let mut buf = vec![0u8; len + 1];
        let mut written = 0usize;
        if sys::napi_get_value_string_utf8(env, v, buf.as_mut_ptr().cast(), buf.len(), &mut written)
            != sys::Status::napi_ok
        {
            return None;
        }
        buf.truncate(written);
        String::from_utf8(buf).ok()
    }
}

/// Why a value was refused, before the message is built (messages are only
/// formatted on the error path).
#[derive(Clone, Copy)]
pub enum Bad {
    Type,
    Range,
}

pub fn fail(env: Env, bad: Bad, arg: &str, allowed: &str, got: Value) -> Error {
    match bad {
        Bad::Type => type_error(env, arg, allowed, got),
        Bad::Range => range_error(env, arg, allowed, got),
    }
}

#[inline(always)]
fn number(env: Env, v: Value) -> std::result::Result<f64, Bad> {
    let mut d = 0f64;
    // SAFETY: fails with a status (no exception) for non-numbers.
    if unsafe { sys::napi_get_value_double(env, v, &mut d) } != sys::Status::napi_ok {
        return Err(Bad::Type);
    }
    Ok(d)
}

/// An integer number in `[0, limit)`.
#[inline(always)]
pub fn check_index(env: Env, v: Value, limit: u64) -> std::result::Result<u64, Bad> {
    let d = number(env, v)?;
    // `limit` is at most 2^53, so a value in range converts to u64 exactly
    // and back; a fraction does not (cheaper than `fract`, a libm call).
    if d >= 0.0 && d < limit as f64 && (d as u64) as f64 == d {
        Ok(d as u64)
    } else {
        Err(Bad::Range)
    }
}

/// A value of one hardware word: a bigint, or a non-negative safe integer
/// number, at most `max` (2^32-1 or 2^64-1).
#[inline(always)]
pub fn check_word(env: Env, v: Value, max: u64) -> std::result::Result<u64, Bad> {
    let mut w = 0u64;
    let mut lossless = false;
    // SAFETY: fails with a status (no exception) for non-bigints.
    if unsafe { sys::napi_get_value_bigint_uint64(env, v, &mut w, &mut lossless) }
        == sys::Status::napi_ok
    {
        return if lossless && w <= max {
            Ok(w)
        } else {
            Err(Bad::Range)
        };
    }
    let d = number(env, v)?;
    if (0.0..=MAX_SAFE_INTEGER).contains(&d) && (d as u64) as f64 == d && (d as u64) <= max {
        Ok(d as u64)
    } else {
        Err(Bad::Range)
    }
}

/// An integer in `[0, limit)`, given as a number. The error path is out of
/// line, so the checks inline into each caller as a few instructions.
#[inline(always)]
pub fn index(env: Env, v: Value, arg: &str, limit: u64) -> Result<u64> {
    match check_index(env, v, limit) {
        Ok(i) => Ok(i),
        Err(b) => Err(index_fail(env, b, arg, limit, v)),
    }
}

#[cold]
#[inline(never)]
fn index_fail(env: Env, b: Bad, arg: &str, limit: u64, v: Value) -> Error {
    fail(env, b, arg, &index_allowed(limit), v)
}

#[cold]
pub fn index_allowed(limit: u64) -> String {
    if limit == 0 {
        "an integer index, but there are no entries".into()
    } else {
        format!("an integer in [0, {}]", limit - 1)
    }
}

/// A bit number in `[0, num_bits)`.
#[inline(always)]
pub fn bit(env: Env, v: Value, arg: &str, num_bits: u32) -> Result<u32> {
    match check_index(env, v, u64::from(num_bits)) {
        Ok(b) => Ok(b as u32),
        Err(b) => Err(bit_fail(env, b, arg, num_bits, v)),
    }
}

#[cold]
#[inline(never)]
fn bit_fail(env: Env, b: Bad, arg: &str, num_bits: u32, v: Value) -> Error {
    fail(env, b, arg, &bit_allowed(num_bits), v)
}

#[cold]
pub fn bit_allowed(num_bits: u32) -> String {
    format!(
        "a bit number (integer) in [0, {}]",
        num_bits.saturating_sub(1)
    )
}

#[inline(always)]
pub fn word(env: Env, v: Value, arg: &str, max: u64) -> Result<u64> {
    match check_word(env, v, max) {
        Ok(w) => Ok(w),
        Err(b) => Err(word_fail(env, b, arg, max, v)),
    }
}

#[cold]
#[inline(never)]
fn word_fail(env: Env, b: Bad, arg: &str, max: u64, v: Value) -> Error {
    fail(env, b, arg, &word_allowed(max), v)
}

#[cold]
pub fn word_allowed(max: u64) -> String {
    let bits = 64 - max.leading_zeros();
    format!("a bigint in [0n, 2n**{bits}n - 1n] (or a non-negative safe integer number)")
}

/// A list of at most `max_len` words (bigint or safe integer each).
pub fn words(env: Env, v: Value, arg: &str, max: u64, max_len: usize) -> Result<Vec<u64>> {
    let allowed = format!("an array of at most {max_len} words");
    array(env, v, arg, &allowed, max_len, |i, e| {
        check_word(env, e, max)
            .map_err(|b| fail(env, b, &format!("{arg}[{i}]"), &word_allowed(max), e))
    })
}

/// Elements of a JS array of at most `max_len` elements, each checked with
/// `each(index, value)`. The length is checked before anything is allocated
/// or read, so a huge (sparse) array costs nothing.
pub fn array<T>(
    env: Env,
    v: Value,
    arg: &str,
    allowed: &str,
    max_len: usize,
    mut each: impl FnMut(u32, Value) -> Result<T>,
) -> Result<Vec<T>> {
    let mut is = false;
    // SAFETY: type predicate on an argument.
    unsafe { sys::napi_is_array(env, v, &mut is) };
    if !is {
        return Err(type_error(env, arg, allowed, v));
    }
    let mut len = 0u32;
    // SAFETY: `v` is an array.
    unsafe { sys::napi_get_array_length(env, v, &mut len) };
    if len as usize > max_len {
        return Err(range_error_msg(
            env,
            &format!("{arg} must be {allowed}; got length {len}"),
        ));
    }
    let mut out = Vec::with_capacity(len as usize);
    for i in 0..len {
        let mut e = ptr::null_mut();
        // Element reads may run getters that throw; stop on any failure.
        // SAFETY: `v` is an array; `i` is below its length.
        if unsafe { sys::napi_get_element(env, v, i, &mut e) } != sys::Status::napi_ok {
            return Err(pending_or(env, arg));
        }
        out.push(each(i, e)?);
    }
    Ok(out)
}

/// If a getter threw, keep its exception; otherwise report a generic failure.
fn pending_or(env: Env, arg: &str) -> Error {
    let mut is = false;
    // SAFETY: state query.
    unsafe { sys::napi_is_exception_pending(env, &mut is) };
    if is {
        pending()
    } else {
        throw(
            env,
            Kind::Type,
            "ERR_INVALID_ARG_TYPE",
            &format!("{arg} could not be read"),
        )
    }
}

/// Runs a binding body, turning a Rust panic into a JS `Error` instead of
/// letting it abort the process. Validation happens before any work, so a
/// panic here would be a bug; this only keeps it contained.
#[inline(always)]
pub fn guard<T>(env: Env, f: impl FnOnce() -> Result<T>) -> Result<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => Err(internal(env, &panic_detail(payload.as_ref()))),
    }
}

/// Throws the `ERR_INTERNAL` error of a bug in the addon, with what is known.
#[cold]
pub fn internal(env: Env, detail: &str) -> Error {
    throw(
        env,
        Kind::Plain,
        "ERR_INTERNAL",
        &format!("internal error in @vmaflags/native: {detail}"),
    )
}

/// The message of a caught panic (a `&str` or `String` payload), if any.
#[cold]
pub fn panic_detail(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        format!("panic: {s}")
    } else if let Some(s) = payload.downcast_ref::<String>() {
        format!("panic: {s}")
    } else {
        "panic without a message".into()
    }
}
