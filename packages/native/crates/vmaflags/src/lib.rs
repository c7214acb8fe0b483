//! The Linux kernel's VMA flags model (`vm_flags_t` → `vma_flags_t`) over
//! hardware words: bitmap helpers, the `kernel::mm::virt` VMA wrappers and
//! batch operations on a flat arena of bitmaps. No Node-API here; the addon
//! in `packages/native` is a thin binding over this crate.

#![forbid(unsafe_code)]

pub mod arena;
pub mod bitmap;
pub mod config;
pub mod shared_arena;
pub mod virt;
pub mod vma_flags;
pub mod word;

pub use config::Shape;
pub use vma_flags::VmaFlags;
pub use word::Word;
