//! The fixed window every scenario runs in, shared with the simulator.

use crate::errno::errno_name;

pub const PAGE_SIZE: u64 = 4096;
/// 32 TiB: far below the top-down mmap base, far above the program and heap.
pub const WINDOW_BASE: u64 = 0x2000_0000_0000;
pub const WINDOW_PAGES: u64 = 1 << 20;
/// Pages that must also be free below and above the window, so nothing the
/// scenario does can merge with or be blocked by a mapping it did not make.
pub const GUARD_PAGES: u64 = 1 << 16;

pub fn page_addr(page: u64) -> u64 {
    WINDOW_BASE + page * PAGE_SIZE
}

/// The window-relative page of a user address, if it lies in the window.
pub fn window_page(addr: u64) -> Option<u64> {
    if addr >= WINDOW_BASE && addr < page_addr(WINDOW_PAGES) {
        Some((addr - WINDOW_BASE) / PAGE_SIZE)
    } else {
        None
    }
}

/// Reserves the window and both guard zones with one PROT_NONE
/// MAP_FIXED_NOREPLACE mapping and unmaps it again: it succeeds only when
/// nothing is mapped anywhere in that span.
pub fn verify_free() -> Result<(), String> {
    let start = WINDOW_BASE - GUARD_PAGES * PAGE_SIZE;
    let len = (WINDOW_PAGES + 2 * GUARD_PAGES) * PAGE_SIZE;
    // SAFETY: a fresh PROT_NONE reservation that never replaces a mapping.
    let ret = unsafe {
        libc::mmap(
            start as *mut libc::c_void,
            len as usize,
            libc::PROT_NONE,
            libc::MAP_PRIVATE
                | libc::MAP_ANONYMOUS
                | libc::MAP_NORESERVE
                | libc::MAP_FIXED_NOREPLACE,
            -1,
            0,
        )
    };
    if ret == libc::MAP_FAILED {
        let err = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
        return Err(format!(
            "the window {start:#x}..{:#x} (with guard zones) is not free: mmap failed with {}",
            start + len,
            errno_name(err)
        ));
    }
    // SAFETY: unmaps exactly the reservation made above.
    let unmapped = unsafe { libc::munmap(ret, len as usize) };
    if ret as u64 != start {
        return Err(format!(
            "the kernel placed the window reservation at {:#x} instead of {start:#x} (MAP_FIXED_NOREPLACE unsupported?)",
            ret as u64
        ));
    }
    if unmapped != 0 {
        return Err("could not unmap the window reservation".to_string());
    }
    Ok(())
}
