//! Executes one scenario's ops with the real system calls (inside the forked
//! child) and builds its output line.

use serde_json::{Map, Value};
use std::collections::HashMap;
use std::ffi::CString;
use std::os::fd::RawFd;
use std::path::Path;

use crate::errno::last_errno_name;
use crate::fault::{self, Access};
use crate::isolate;
use crate::scenario::{Op, PageRange, Scenario};
use crate::smaps;
use crate::window::{page_addr, window_page, PAGE_SIZE};

const MLOCK_ONFAULT: libc::c_long = 1;

/// What one op produced: `result`, and `fault_page` / `ret_page` if any.
struct Outcome {
    result: String,
    extra: Option<(&'static str, Value)>,
}

impl Outcome {
    fn of(ret: libc::c_long) -> Self {
        Outcome {
            result: if ret == -1 {
                last_errno_name()
            } else {
                "ok".into()
            },
            extra: None,
        }
    }
}

struct Files<'a> {
    dir: &'a Path,
    /// (label, absolute path) of every file the scenario created.
    created: Vec<(String, String)>,
    /// fd labels; a failed open leaves -1 so a later mmap sees EBADF.
    fds: HashMap<String, RawFd>,
}

impl Files<'_> {
    fn path(&self, label: &str) -> String {
        self.dir.join(label).to_string_lossy().into_owned()
    }
}

/// Runs the ops and returns the output line. A `fork` op makes the calling
/// process wait for its child, which carries on, and exit with its status.
pub fn run(scenario: Scenario, dir: &Path, _report: RawFd) -> Result<String, String> {
    fault::install()?;
    let mut files = Files {
        dir,
        created: Vec::new(),
        fds: HashMap::new(),
    };
    let mut ops_out = Vec::with_capacity(scenario.ops.len());
    for entry in scenario.ops {
        let outcome = match &entry.op {
            Op::Fork => fork_and_continue(),
            op => execute(op, &mut files)?,
        };
        let mut out = entry.input;
        out.insert("result".into(), Value::String(outcome.result));
        if let Some((key, value)) = outcome.extra {
            out.insert(key.into(), value);
        }
        ops_out.push(Value::Object(out));
    }
    let text = std::fs::read_to_string("/proc/self/smaps")
        .map_err(|e| format!("reading /proc/self/smaps: {e}"))?;
    let vmas = smaps::window_vmas(&smaps::parse_smaps(&text)?, &files.created)?;
    let mut top = Map::new();
    top.insert("name".into(), Value::String(scenario.name));
    top.insert("ops".into(), Value::Array(ops_out));
    top.insert(
        "vmas".into(),
        serde_json::to_value(vmas).map_err(|e| e.to_string())?,
    );
    let mut line = serde_json::to_string(&Value::Object(top)).map_err(|e| e.to_string())?;
    line.push('\n');
    Ok(line)
}

fn fork_and_continue() -> Outcome {
    // SAFETY: the scenario process is single-threaded.
    let pid = unsafe { libc::fork() };
    match pid {
        -1 => Outcome::of(-1),
        0 => Outcome::of(0),
        child => {
            let status = isolate::wait_exit_status(child);
            // SAFETY: ends this process; its child reports.
            unsafe { libc::_exit(status) }
        }
    }
}

fn len(pages: u64) -> usize {
    (pages * PAGE_SIZE) as usize
}

fn addr(page: u64) -> *mut libc::c_void {
    page_addr(page) as *mut libc::c_void
}

fn range_call(
    range: &PageRange,
    call: unsafe fn(*mut libc::c_void, usize) -> libc::c_long,
) -> Outcome {
    // SAFETY: every call here takes an address range inside the scenario
    // window, which holds no memory the probe itself uses.
    Outcome::of(unsafe { call(addr(range.page), len(range.pages)) })
}

unsafe fn sys_munmap(a: *mut libc::c_void, l: usize) -> libc::c_long {
    libc::munmap(a, l).into()
}
unsafe fn sys_mlock(a: *mut libc::c_void, l: usize) -> libc::c_long {
    libc::mlock(a, l).into()
}
unsafe fn sys_mlock2_onfault(a: *mut libc::c_void, l: usize) -> libc::c_long {
    libc::syscall(libc::SYS_mlock2, a, l, MLOCK_ONFAULT)
}
unsafe fn sys_munlock(a: *mut libc::c_void, l: usize) -> libc::c_long {
    libc::munlock(a, l).into()
}
unsafe fn sys_mseal(a: *mut libc::c_void, l: usize) -> libc::c_long {
    libc::syscall(libc::SYS_mseal, a, l, 0 as libc::c_ulong)
}

fn execute(op: &Op, files: &mut Files) -> Result<Outcome, String> {
    Ok(match op {
        Op::CreateFile { file, pages } => {
            let path = files.path(file);
            // Non-zero bytes, so reads through a mapping see file data, not holes.
            let data = vec![0x5au8; len(*pages)];
            let result = match std::fs::write(&path, data) {
                Ok(()) => "ok".to_string(),
                Err(e) => crate::errno::errno_name(e.raw_os_error().unwrap_or(0)),
            };
            if !files.created.iter().any(|(label, _)| label == file) {
                files.created.push((file.clone(), path));
            }
            Outcome {
                result,
                extra: None,
            }
        }
        Op::Open { fd, file, flags } => {
            let path = CString::new(files.path(file)).map_err(|e| e.to_string())?;
            // SAFETY: a NUL-terminated path.
            let raw = unsafe { libc::open(path.as_ptr(), flags | libc::O_CLOEXEC) };
            files.fds.insert(fd.clone(), raw);
            Outcome::of(raw.into())
        }
        Op::Mmap {
            range,
            prot,
            flags,
            fd,
            offset_pages,
        } => {
            let fd = fd.as_ref().map_or(-1, |label| files.fds[label]);
            let offset = (*offset_pages * PAGE_SIZE) as libc::off_t;
            // SAFETY: fixed mappings only ever land inside the scenario window;
            // hint mappings go where the kernel finds room.
            let ret = unsafe {
                libc::mmap(
                    addr(range.page),
                    len(range.pages),
                    *prot,
                    *flags,
                    fd,
                    offset,
                )
            };
            Outcome::of(if ret == libc::MAP_FAILED { -1 } else { 0 })
        }
        Op::Munmap(range) => range_call(range, sys_munmap),
        Op::Mlock(range) => range_call(range, sys_mlock),
        Op::Mlock2Onfault(range) => range_call(range, sys_mlock2_onfault),
        Op::Munlock(range) => range_call(range, sys_munlock),
        Op::Mseal(range) => range_call(range, sys_mseal),
        Op::Mprotect(range, prot) => {
            // SAFETY: a range inside the scenario window.
            Outcome::of(unsafe { libc::mprotect(addr(range.page), len(range.pages), *prot) }.into())
        }
        Op::Madvise(range, advice) => {
            // SAFETY: a range inside the scenario window.
            Outcome::of(
                unsafe { libc::madvise(addr(range.page), len(range.pages), *advice) }.into(),
            )
        }
        // SAFETY: process-wide lock state of the scenario process only.
        Op::Mlockall(flags) => Outcome::of(unsafe { libc::mlockall(*flags) }.into()),
        // SAFETY: as above.
        Op::Munlockall => Outcome::of(unsafe { libc::munlockall() }.into()),
        Op::Mremap {
            range,
            new_pages,
            flags,
            new_page,
        } => {
            let target = new_page.map_or(0, page_addr);
            // SAFETY: source and fixed target are inside the scenario window;
            // a moved mapping lands where the kernel finds room.
            let ret = unsafe {
                libc::syscall(
                    libc::SYS_mremap,
                    addr(range.page),
                    len(range.pages),
                    len(*new_pages),
                    *flags as libc::c_ulong,
                    target,
                )
            };
            if ret == -1 {
                Outcome::of(-1)
            } else {
                let page = window_page(ret as u64).map_or(Value::from("outside"), Value::from);
                Outcome {
                    result: "ok".into(),
                    extra: Some(("ret_page", page)),
                }
            }
        }
        Op::Touch { range, write } => touch(range, *write),
        Op::Fork => unreachable!("handled by the caller"),
    })
}

fn touch(range: &PageRange, write: bool) -> Outcome {
    for page in range.page..range.page + range.pages {
        if let Access::Signal(sig) = fault::touch(page_addr(page), write) {
            let name = if sig == libc::SIGBUS {
                "SIGBUS"
            } else {
                "SIGSEGV"
            };
            return Outcome {
                result: name.into(),
                extra: Some(("fault_page", Value::from(page))),
            };
        }
    }
    Outcome {
        result: "ok".into(),
        extra: None,
    }
}
