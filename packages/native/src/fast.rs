//! Raw Node-API methods for the per-call hot paths.
//!
//! A `#[napi]` method with arguments sets up napi-rs's borrow-tracking scope
//! on every call, and identifying a class instance from `this` takes two
//! private-property lookups (type tag, then unwrap); together they cost several
//! times an empty call. The hot objects (registered arenas, VMA views) are
//! therefore plain objects whose methods are native functions bound to the
//! object's Rust state: the state travels as the function's data pointer, so a
//! call reads its arguments and goes straight to work. Each function owns a
//! reference-counted handle on the state, released when the function is
//! garbage-collected, so a method stays valid even when detached from its
//! object.

use std::ffi::{c_void, CStr};
use std::marker::PhantomData;
use std::ptr;
use std::rc::Rc;

use napi::{sys, Error, Result, Status};

use crate::js;

pub type Callback = unsafe extern "C" fn(sys::napi_env, sys::napi_callback_info) -> sys::napi_value;

/// Runs the body of a bound method: `S` is the state the function was bound
/// to, `N` the number of arguments read (missing ones are `undefined`).
/// Errors become JS exceptions; a panic becomes an `Error` instead of
/// aborting the process.
///
/// # Safety
/// Must be called from a Node-API callback bound by [`object`] to state of
/// type `S` (which [`Method<S>`] ensures).
#[inline(always)]
pub unsafe fn call<S, const N: usize>(
    env: sys::napi_env,
    info: sys::napi_callback_info,
    body: impl FnOnce(js::Env, &S, &[sys::napi_value; N]) -> Result<sys::napi_value>,
) -> sys::napi_value {
    call_counted::<S, N>(env, info, |env, state, args, _argc| body(env, state, args))
}

/// As [`call`]; the body also gets how many arguments were passed (which may
/// exceed `N`).
///
/// # Safety
/// As for [`call`].
#[inline(always)]
unsafe fn call_counted<S, const N: usize>(
    env: sys::napi_env,
    info: sys::napi_callback_info,
    body: impl FnOnce(js::Env, &S, &[sys::napi_value; N], usize) -> Result<sys::napi_value>,
) -> sys::napi_value {
    let run = || -> Result<sys::napi_value> {
        let mut argc = N;
        let mut args = [ptr::null_mut(); N];
        let mut data: *mut c_void = ptr::null_mut();
        if sys::napi_get_cb_info(
            env,
            info,
            &mut argc,
            args.as_mut_ptr(),
            ptr::null_mut(),
            &mut data,
        ) != sys::Status::napi_ok
            || data.is_null()
        {
            return Err(js::internal(env, "could not read the call's arguments"));
        }
        // SAFETY: `object` made `data` a live `Box<Rc<S>>` owned by this function.
        let state: &Rc<S> = &*(data as *const Rc<S>);
        body(env, state, &args, argc)
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => {
            if e.status != Status::PendingException {
                js::internal(env, &e.reason);
            }
            ptr::null_mut()
        }
        Err(payload) => {
            js::internal(env, &js::panic_detail(payload.as_ref()));
            ptr::null_mut()
        }
    }
}

/// Like [`call`], for a method taking a variable number of arguments: the
/// body gets every argument passed (at least `FIXED` entries; missing leading
/// ones are `undefined`).
///
/// # Safety
/// As for [`call`].
#[inline(always)]
pub unsafe fn call_var<S, const FIXED: usize>(
    env: sys::napi_env,
    info: sys::napi_callback_info,
    body: impl FnOnce(js::Env, &S, &[sys::napi_value]) -> Result<sys::napi_value>,
) -> sys::napi_value {
    const INLINE: usize = 8;
    call_counted::<S, INLINE>(env, info, |env, state, first, argc| {
        if argc <= INLINE {
            return body(env, state, &first[..argc.max(FIXED).min(INLINE)]);
        }
        let mut all = vec![ptr::null_mut(); argc];
        let mut n = argc;
        if sys::napi_get_cb_info(
            env,
            info,
            &mut n,
            all.as_mut_ptr(),
            ptr::null_mut(),
            ptr::null_mut(),
        ) != sys::Status::napi_ok
        {
            return Err(js::internal(env, "could not read the call's arguments"));
        }
        body(env, state, &all)
    })
}

unsafe extern "C" fn release<S>(_env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    // SAFETY: `data` is the `Box<Rc<S>>` leaked by `object` for this function.
    drop(Box::from_raw(data as *mut Rc<S>));
}

/// A native method whose callback reads its function data as an `Rc<S>`:
/// the type ties a method table to the state it may be bound to, so
/// [`object`] cannot pair a callback with state of another type. Made only
/// by the [`method!`] and [`method_var!`] macros.
pub struct Method<S> {
    callback: Callback,
    state: PhantomData<fn(&S)>,
}

impl<S> Clone for Method<S> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<S> Copy for Method<S> {}

impl<S> Method<S> {
    /// # Safety
    /// `callback` must read its function data only as an `Rc<S>` (as the
    /// bodies made by [`call`] and [`call_var`] with state type `S` do).
    pub const unsafe fn from_callback(callback: Callback) -> Method<S> {
        Method {
            callback,
            state: PhantomData,
        }
    }
}

/// A new plain object whose methods are bound to `state`.
pub fn object<S: 'static>(
    env: js::Env,
    state: &Rc<S>,
    methods: &[(&'static CStr, Method<S>)],
) -> Result<sys::napi_value> {
    let mut obj = ptr::null_mut();
    // SAFETY: creates an object in this env.
    check(unsafe { sys::napi_create_object(env, &mut obj) })?;
    let mut props = Vec::with_capacity(methods.len());
    for (name, method) in methods {
        let data = Box::into_raw(Box::new(Rc::clone(state))) as *mut c_void;
        let mut f = ptr::null_mut();
        // SAFETY: `name` is NUL-terminated; `method`'s callback reads `data`
        // as the `Rc<S>` it is (the `Method<S>` contract). On success the
        // finalizer owns `data`, on failure it is released here.
        unsafe {
            let bytes = name.to_bytes();
            if sys::napi_create_function(
                env,
                name.as_ptr(),
                bytes.len() as isize,
                Some(method.callback),
                data,
                &mut f,
            ) != sys::Status::napi_ok
                || sys::napi_add_finalizer(
                    env,
                    f,
                    data,
                    Some(release::<S>),
                    ptr::null_mut(),
                    ptr::null_mut(),
                ) != sys::Status::napi_ok
            {
                release::<S>(env, data, ptr::null_mut());
                return Err(Error::new(
                    Status::GenericFailure,
                    format!("could not create method {name:?}"),
                ));
            }
        }
        props.push(sys::napi_property_descriptor {
            utf8name: name.as_ptr(),
            name: ptr::null_mut(),
            method: None,
            getter: None,
            setter: None,
            value: f,
            // Fixed, like a frozen object's methods.
            attributes: sys::PropertyAttributes::default,
            data: ptr::null_mut(),
        });
    }
    // SAFETY: descriptors reference live values and NUL-terminated names.
    check(unsafe { sys::napi_define_properties(env, obj, props.len(), props.as_ptr()) })?;
    Ok(obj)
}

/// Adds a fixed, enumerable data property.
pub fn constant(
    env: js::Env,
    obj: sys::napi_value,
    name: &CStr,
    value: sys::napi_value,
) -> Result<()> {
    let prop = sys::napi_property_descriptor {
        utf8name: name.as_ptr(),
        name: ptr::null_mut(),
        method: None,
        getter: None,
        setter: None,
        value,
        attributes: sys::PropertyAttributes::enumerable,
        data: ptr::null_mut(),
    };
    // SAFETY: one descriptor with a live value.
    check(unsafe { sys::napi_define_properties(env, obj, 1, &prop) })
}

/// Freezes `obj` (no methods can be added, replaced or removed).
pub fn freeze(env: js::Env, obj: sys::napi_value) -> Result<()> {
    // SAFETY: `obj` is an object of this env.
    check(unsafe { sys::napi_object_freeze(env, obj) })
}

/// An array of bigints. Its elements are defined as own properties, which
/// runs no JS: assigning them would call any setter a program put on
/// `Array.prototype`.
pub fn bigints(env: js::Env, words: &[u64]) -> Result<sys::napi_value> {
    let mut arr = ptr::null_mut();
    let names: Vec<std::ffi::CString> = (0..words.len())
        .map(|i| std::ffi::CString::new(i.to_string()).unwrap_or_default())
        .collect();
    let mut props = Vec::with_capacity(words.len());
    for (name, w) in names.iter().zip(words) {
        props.push(sys::napi_property_descriptor {
            utf8name: name.as_ptr(),
            name: ptr::null_mut(),
            method: None,
            getter: None,
            setter: None,
            value: bigint(env, *w)?,
            attributes: sys::PropertyAttributes::writable
                | sys::PropertyAttributes::enumerable
                | sys::PropertyAttributes::configurable,
            data: ptr::null_mut(),
        });
    }
    // SAFETY: creates an array in this env and defines its elements from
    // descriptors holding live values and NUL-terminated names.
    unsafe {
        check(sys::napi_create_array_with_length(env, 0, &mut arr))?;
        check(sys::napi_define_properties(
            env,
            arr,
            props.len(),
            props.as_ptr(),
        ))?;
    }
    Ok(arr)
}

/// A JS value already created, returned from a `#[napi]` function as is.
pub struct Raw(pub sys::napi_value);

impl napi::bindgen_prelude::TypeName for Raw {
    fn type_name() -> &'static str {
        "object"
    }
    fn value_type() -> napi::ValueType {
        napi::ValueType::Object
    }
}

impl napi::bindgen_prelude::ToNapiValue for Raw {
    unsafe fn to_napi_value(_env: sys::napi_env, val: Self) -> Result<sys::napi_value> {
        Ok(val.0)
    }
}

pub fn undefined() -> sys::napi_value {
    // Node-API reads a null return value as `undefined`.
    ptr::null_mut()
}

pub fn boolean(env: js::Env, b: bool) -> Result<sys::napi_value> {
    let mut v = ptr::null_mut();
    // SAFETY: creates a primitive in this env.
    check(unsafe { sys::napi_get_boolean(env, b, &mut v) })?;
    Ok(v)
}

pub fn uint32(env: js::Env, n: u32) -> Result<sys::napi_value> {
    let mut v = ptr::null_mut();
    // SAFETY: creates a primitive in this env.
    check(unsafe { sys::napi_create_uint32(env, n, &mut v) })?;
    Ok(v)
}

pub fn bigint(env: js::Env, n: u64) -> Result<sys::napi_value> {
    let mut v = ptr::null_mut();
    // SAFETY: creates a primitive in this env.
    check(unsafe { sys::napi_create_bigint_uint64(env, n, &mut v) })?;
    Ok(v)
}

fn check(status: sys::napi_status) -> Result<()> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(Error::new(
            Status::GenericFailure,
            "could not create the result value".to_owned(),
        ))
    }
}

/// Declares `$name`, a [`Method`] on state type `$S` whose callback runs
/// `$body` through `fast::$call` (`call` or `call_var`) with `$n` arguments.
macro_rules! bound {
    ($call:ident, $name:ident, $S:ty, $n:literal, |$env:ident, $this:ident, $args:ident| $body:expr) => {
        #[allow(non_upper_case_globals)]
        const $name: $crate::fast::Method<$S> = {
            unsafe extern "C" fn callback(
                env: napi::sys::napi_env,
                info: napi::sys::napi_callback_info,
            ) -> napi::sys::napi_value {
                $crate::fast::$call::<$S, $n>(env, info, |$env, $this, $args| $body)
            }
            // SAFETY: `call` and `call_var` read the function data as `Rc<$S>`.
            unsafe { $crate::fast::Method::<$S>::from_callback(callback) }
        };
    };
}
pub(crate) use bound;

/// Declares `$name`, a [`Method`] on state type `$S` reading `$n` arguments.
macro_rules! method {
    ($name:ident, $S:ty, $n:literal, |$env:ident, $this:ident, $args:ident| $body:expr) => {
        $crate::fast::bound!(call, $name, $S, $n, |$env, $this, $args| $body);
    };
}
pub(crate) use method;

/// Declares `$name`, a [`Method`] on state type `$S` taking `$n` leading
/// arguments and any number after them.
macro_rules! method_var {
    ($name:ident, $S:ty, $n:literal, |$env:ident, $this:ident, $args:ident| $body:expr) => {
        $crate::fast::bound!(call_var, $name, $S, $n, |$env, $this, $args| $body);
    };
}
pub(crate) use method_var;
