//! Touching user memory that may fault, without losing the process.
//!
//! Each access is one instruction inside an `asm!` block that also loads the
//! instruction's own address into r10 and the address just after it into r11.
//! The SIGSEGV/SIGBUS handler checks that the fault happened at exactly that
//! instruction while an access is armed; if so it moves the saved instruction
//! pointer to the recovery address and stores the signal number in rcx, like
//! the kernel's exception table does for its own user accesses. Any other
//! fault restores the default action, so a real bug still kills the process.

use std::sync::atomic::{AtomicBool, Ordering};

static ARMED: AtomicBool = AtomicBool::new(false);

/// Outcome of one access: the byte read, or the signal that stopped it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Done(u8),
    Signal(i32),
}

#[cfg(target_arch = "x86_64")]
mod imp {
    use super::*;

    // The longest faulting instruction used below, in bytes.
    const MAX_INSN: i64 = 8;

    extern "C" fn on_fault(sig: libc::c_int, _info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
        // SAFETY: the kernel passes a valid ucontext_t for SA_SIGINFO handlers.
        let gregs = unsafe { &mut (*(ctx as *mut libc::ucontext_t)).uc_mcontext.gregs };
        let rip = gregs[libc::REG_RIP as usize];
        let insn = gregs[libc::REG_R10 as usize];
        let resume = gregs[libc::REG_R11 as usize];
        if ARMED.load(Ordering::SeqCst) && rip == insn && resume > insn && resume - insn <= MAX_INSN
        {
            gregs[libc::REG_RIP as usize] = resume;
            gregs[libc::REG_RCX as usize] = i64::from(sig);
            return;
        }
        // Not one of ours: let the re-executed instruction take the default action.
        // SAFETY: resetting a signal disposition is async-signal-safe.
        unsafe { libc::signal(sig, libc::SIG_DFL) };
    }

    pub fn install() -> Result<(), String> {
        for sig in [libc::SIGSEGV, libc::SIGBUS] {
            // SAFETY: a zeroed sigaction with a valid SA_SIGINFO handler.
            let ret = unsafe {
                let mut sa: libc::sigaction = std::mem::zeroed();
                sa.sa_sigaction = on_fault as *const () as usize;
                sa.sa_flags = libc::SA_SIGINFO;
                libc::sigemptyset(&mut sa.sa_mask);
                libc::sigaction(sig, &sa, std::ptr::null_mut())
            };
            if ret != 0 {
                return Err(format!("sigaction({sig}) failed"));
            }
        }
        Ok(())
    }

    /// One byte access by the single instruction `$insn` at the address in
    /// rdi with the byte in al, bracketed so that `on_fault` can recover it.
    macro_rules! guarded {
        ($insn:literal, $addr:expr, $value:expr) => {{
            let mut value: u8 = $value;
            let sig: u64;
            ARMED.store(true, Ordering::SeqCst);
            // SAFETY: a faulting access is recovered by `on_fault` (see the
            // module docs); it touches scenario memory only, no Rust object.
            unsafe {
                std::arch::asm!(
                    "lea r10, [rip + 2f]",
                    "lea r11, [rip + 3f]",
                    "xor ecx, ecx",
                    "2:",
                    $insn,
                    "3:",
                    in("rdi") $addr,
                    inout("al") value,
                    out("rcx") sig,
                    out("r10") _,
                    out("r11") _,
                    options(nostack),
                );
            }
            ARMED.store(false, Ordering::SeqCst);
            if sig == 0 {
                Access::Done(value)
            } else {
                Access::Signal(sig as i32)
            }
        }};
    }

    pub fn read(addr: u64) -> Access {
        guarded!("mov al, byte ptr [rdi]", addr, 0)
    }

    pub fn write(addr: u64, value: u8) -> Access {
        guarded!("mov byte ptr [rdi], al", addr, value)
    }
}

#[cfg(not(target_arch = "x86_64"))]
mod imp {
    use super::*;

    const UNSUPPORTED: &str = "touch ops are implemented for x86_64 only";

    pub fn install() -> Result<(), String> {
        Ok(())
    }

    pub fn read(_addr: u64) -> Access {
        let _ = &ARMED;
        panic!("{UNSUPPORTED}")
    }

    pub fn write(_addr: u64, _value: u8) -> Access {
        panic!("{UNSUPPORTED}")
    }
}

pub use imp::{install, read, write};

/// Reads a byte and, for a write touch, stores it back plus one.
pub fn touch(addr: u64, write_back: bool) -> Access {
    match read(addr) {
        Access::Done(value) if write_back => write(addr, value.wrapping_add(1)),
        other => other,
    }
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::*;

    #[test]
    fn recovers_from_faults_and_keeps_the_process() {
        install().unwrap();
        // SAFETY: a private PROT_NONE page, then made read-only, then unmapped.
        unsafe {
            let p = libc::mmap(
                std::ptr::null_mut(),
                4096,
                libc::PROT_NONE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            );
            assert_ne!(p, libc::MAP_FAILED);
            let addr = p as u64;
            assert_eq!(touch(addr, false), Access::Signal(libc::SIGSEGV));
            libc::mprotect(p, 4096, libc::PROT_READ);
            assert_eq!(touch(addr, false), Access::Done(0));
            assert_eq!(touch(addr, true), Access::Signal(libc::SIGSEGV));
            libc::mprotect(p, 4096, libc::PROT_READ | libc::PROT_WRITE);
            assert_eq!(touch(addr, true), Access::Done(1));
            assert_eq!(touch(addr, true), Access::Done(2));
            libc::munmap(p, 4096);
        }
    }
}
