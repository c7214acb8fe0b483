//! `--host-facts`: the properties of this machine that scenario outcomes
//! depend on, as one JSON object.

use serde::Serialize;
use serde_json::Value;

use crate::fault::{self, Access};
use crate::isolate::in_child;
use crate::smaps;
use crate::window::{page_addr, verify_free, PAGE_SIZE, WINDOW_BASE};

#[derive(Serialize)]
struct SoftDirty {
    enabled: bool,
    source: &'static str,
}

#[derive(Serialize)]
struct Memlock {
    soft: Value,
    hard: Value,
}

#[derive(Serialize)]
struct HostFacts {
    kernel_release: String,
    arch: String,
    page_size: u64,
    overcommit_memory: Option<u64>,
    thp_enabled: Option<String>,
    temp_dir: String,
    temp_dir_noexec: bool,
    soft_dirty: SoftDirty,
    max_map_count: Option<u64>,
    stack_guard_gap_pages: Option<u64>,
    cap_ipc_lock: bool,
    cap_sys_resource: bool,
    rlimit_memlock: Memlock,
    uid: u32,
}

pub fn collect() -> Result<String, String> {
    // SAFETY: uname fills the zeroed struct we own.
    let uts = unsafe {
        let mut uts: libc::utsname = std::mem::zeroed();
        if libc::uname(&mut uts) != 0 {
            return Err("uname failed".into());
        }
        uts
    };
    let field = |chars: &[libc::c_char]| -> String {
        let bytes: Vec<u8> = chars
            .iter()
            .take_while(|c| **c != 0)
            .map(|c| *c as u8)
            .collect();
        String::from_utf8_lossy(&bytes).into_owned()
    };
    let caps = cap_eff().unwrap_or(0);
    let temp_dir = std::env::temp_dir();
    let facts = HostFacts {
        kernel_release: field(&uts.release),
        arch: field(&uts.machine),
        // SAFETY: sysconf has no memory effects.
        page_size: unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as u64,
        overcommit_memory: read_number("/proc/sys/vm/overcommit_memory"),
        thp_enabled: read_trimmed("/sys/kernel/mm/transparent_hugepage/enabled")
            .and_then(|s| bracketed(&s)),
        temp_dir_noexec: noexec(&temp_dir)?,
        temp_dir: temp_dir.to_string_lossy().into_owned(),
        soft_dirty: soft_dirty()?,
        max_map_count: read_number("/proc/sys/vm/max_map_count"),
        stack_guard_gap_pages: stack_guard_gap_pages().ok(),
        cap_ipc_lock: caps & (1 << 14) != 0,
        cap_sys_resource: caps & (1 << 24) != 0,
        rlimit_memlock: memlock(),
        // SAFETY: getuid has no memory effects.
        uid: unsafe { libc::getuid() },
    };
    serde_json::to_string(&facts).map_err(|e| e.to_string())
}

fn read_trimmed(path: &str) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_string())
}

fn read_number(path: &str) -> Option<u64> {
    read_trimmed(path)?.parse().ok()
}

/// The selected mode of a sysfs choice list such as `always [madvise] never`.
fn bracketed(list: &str) -> Option<String> {
    let start = list.find('[')? + 1;
    let end = start + list[start..].find(']')?;
    Some(list[start..end].to_string())
}

fn cap_eff() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let hex = status
        .lines()
        .find_map(|l| l.strip_prefix("CapEff:"))?
        .trim();
    u64::from_str_radix(hex, 16).ok()
}

fn noexec(path: &std::path::Path) -> Result<bool, String> {
    let c = std::ffi::CString::new(path.to_string_lossy().as_bytes()).map_err(|e| e.to_string())?;
    // SAFETY: statvfs fills the zeroed struct we own.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(c.as_ptr(), &mut st) } != 0 {
        return Err(format!("statvfs {} failed", path.display()));
    }
    Ok(st.f_flag & libc::ST_NOEXEC != 0)
}

fn memlock() -> Memlock {
    // SAFETY: getrlimit fills the zeroed struct we own.
    let mut rl: libc::rlimit = unsafe { std::mem::zeroed() };
    unsafe { libc::getrlimit(libc::RLIMIT_MEMLOCK, &mut rl) };
    let value = |v: libc::rlim_t| {
        if v == libc::RLIM_INFINITY {
            Value::from("unlimited")
        } else {
            Value::from(v)
        }
    };
    Memlock {
        soft: value(rl.rlim_cur),
        hard: value(rl.rlim_max),
    }
}

/// CONFIG_MEM_SOFT_DIRTY from /proc/config.gz (through the system's gzip),
/// else whether a fresh anonymous mapping shows the `sd` VmFlag.
fn soft_dirty() -> Result<SoftDirty, String> {
    let config = std::process::Command::new("gzip")
        .args(["-dc", "/proc/config.gz"])
        .output();
    if let Ok(out) = config {
        if out.status.success() {
            let text = String::from_utf8_lossy(&out.stdout);
            let enabled = text.lines().any(|l| l == "CONFIG_MEM_SOFT_DIRTY=y");
            return Ok(SoftDirty {
                enabled,
                source: "config.gz",
            });
        }
    }
    let flags = in_child(|_| {
        verify_free()?;
        // SAFETY: a fresh mapping in the verified-free window.
        let p = unsafe {
            libc::mmap(
                page_addr(0) as *mut libc::c_void,
                PAGE_SIZE as usize,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED_NOREPLACE,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return Err("test mapping failed".into());
        }
        let text = std::fs::read_to_string("/proc/self/smaps").map_err(|e| e.to_string())?;
        let vmas = smaps::parse_smaps(&text)?;
        let vma = vmas
            .iter()
            .find(|v| v.start == WINDOW_BASE)
            .ok_or("test mapping not in smaps")?;
        Ok(vma.flags.join(" "))
    })?;
    Ok(SoftDirty {
        enabled: flags.split(' ').any(|f| f == "sd"),
        source: "vmflags",
    })
}

/// Observes the stack guard gap: the smallest distance in pages between an
/// accessible VMA and the page below a MAP_GROWSDOWN VMA at which a touch
/// there still grows the stack (mm/mmap.c expand_downwards refuses growth
/// that would come closer than stack_guard_gap to the previous VMA).
fn stack_guard_gap_pages() -> Result<u64, String> {
    let text = in_child(|_| {
        verify_free()?;
        fault::install()?;
        let stack_page = 1u64 << 19;
        let grows = |gap: u64| -> Result<bool, String> {
            let below = stack_page - 1 - gap;
            let rw = libc::PROT_READ | libc::PROT_WRITE;
            let anon = libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED_NOREPLACE;
            // SAFETY: two fresh mappings in the verified-free window, unmapped below.
            unsafe {
                let s = libc::mmap(
                    page_addr(stack_page) as *mut _,
                    PAGE_SIZE as usize,
                    rw,
                    anon | libc::MAP_GROWSDOWN,
                    -1,
                    0,
                );
                let p = libc::mmap(
                    page_addr(below - 1) as *mut _,
                    PAGE_SIZE as usize,
                    rw,
                    anon,
                    -1,
                    0,
                );
                if s == libc::MAP_FAILED || p == libc::MAP_FAILED {
                    return Err("guard gap test mappings failed".into());
                }
                let grew = matches!(
                    fault::touch(page_addr(stack_page - 1), true),
                    Access::Done(_)
                );
                libc::munmap(
                    page_addr(below - 1) as *mut _,
                    ((stack_page + 1 - (below - 1)) * PAGE_SIZE) as usize,
                );
                Ok(grew)
            }
        };
        // Growth is allowed exactly when the distance is at least the gap.
        let (mut lo, mut hi) = (0u64, 1u64 << 18);
        if !grows(hi)? {
            return Err("stack guard gap larger than the probe can observe".into());
        }
        while lo < hi {
            let mid = (lo + hi) / 2;
            if grows(mid)? {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        Ok(lo.to_string())
    })?;
    text.parse().map_err(|e| format!("guard gap: {e}"))
}
