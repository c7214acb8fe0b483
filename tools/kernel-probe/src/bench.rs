//! `--bench STREAM VMAS OPS`: the live kernel's time per operation on a
//! process with VMAS VMAs in the window, for the streams the simulator's
//! benchmark replays too (`packages/sim/bench/run.mjs`), so both sides run the
//! same system calls on the same layout.
//!
//! Layout: VMAS blocks of 4 pages from page 0, mapped private anonymous
//! read-only and every odd block made read-write, so no two neighbours merge.
//! Pair `i` of the stream works on page 1 of block `(i * 7919) mod VMAS`, one
//! page, and leaves the layout as it found it:
//! - `mprotect`: flip that page's protection (a split into three VMAs), then
//!   flip it back (a merge into one);
//! - `munmap_mmap`: unmap the page (a split around a hole), then map it again
//!   with the block's protection (a merge with both neighbours);
//! - `madvise`: `MADV_DONTFORK` on the page (flag advice, a split), then
//!   `MADV_DOFORK` (a merge).
//!
//! One untimed round, then five rounds of OPS operations timed with the
//! monotonic clock; prints one JSON object with the median time per op.

use std::time::Instant;

use crate::errno::last_errno_name;
use crate::window::{self, page_addr, PAGE_SIZE, WINDOW_PAGES};

/// The op streams, by the name the command line and the simulator use.
pub const STREAMS: [&str; 3] = ["mprotect", "munmap_mmap", "madvise"];
/// Pages per VMA of the layout.
pub const BLOCK_PAGES: u64 = 4;
/// The stride between the blocks successive pairs work on (a prime).
pub const STRIDE: u64 = 7919;
const ROUNDS: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Mprotect,
    MunmapMmap,
    Madvise,
}

#[derive(Debug, PartialEq, Eq)]
pub struct BenchArgs {
    pub stream: Stream,
    pub vmas: u64,
    pub ops: u64,
}

const BENCH_USAGE: &str = "--bench STREAM VMAS OPS: STREAM one of mprotect, munmap_mmap, madvise; VMAS in [1, 262144]; OPS an even number in [2, 100000000]";

/// Checks `STREAM VMAS OPS`.
pub fn parse_args(args: &[String]) -> Result<BenchArgs, String> {
    let [stream, vmas, ops] = args else {
        return Err(format!(
            "expected 3 arguments, got {}\nusage: {BENCH_USAGE}",
            args.len()
        ));
    };
    let stream = match stream.as_str() {
        "mprotect" => Stream::Mprotect,
        "munmap_mmap" => Stream::MunmapMmap,
        "madvise" => Stream::Madvise,
        other => return Err(format!("unknown stream `{other}`\nusage: {BENCH_USAGE}")),
    };
    let number = |what: &str, text: &str, max: u64| -> Result<u64, String> {
        match text.parse::<u64>() {
            Ok(n) if n >= 1 && n <= max => Ok(n),
            _ => Err(format!(
                "{what} must be an integer in [1, {max}], got `{text}`\nusage: {BENCH_USAGE}"
            )),
        }
    };
    let vmas = number("VMAS", vmas, WINDOW_PAGES / BLOCK_PAGES)?;
    let ops = number("OPS", ops, 100_000_000)?;
    if ops % 2 != 0 {
        return Err(format!(
            "OPS must be even (the streams are pairs), got {ops}\nusage: {BENCH_USAGE}"
        ));
    }
    Ok(BenchArgs { stream, vmas, ops })
}

fn check(what: &str, ret: libc::c_int) -> Result<(), String> {
    if ret == 0 {
        Ok(())
    } else {
        Err(format!("{what} failed: {}", last_errno_name()))
    }
}

fn prot_of(block: u64) -> libc::c_int {
    if block % 2 == 1 {
        libc::PROT_READ | libc::PROT_WRITE
    } else {
        libc::PROT_READ
    }
}

fn map_fixed(page: u64, pages: u64, prot: libc::c_int) -> Result<(), String> {
    let addr = page_addr(page);
    // SAFETY: a fresh mapping inside the window, which verify_free found empty
    // and only this benchmark uses; FIXED_NOREPLACE never replaces anything.
    let ret = unsafe {
        libc::mmap(
            addr as *mut libc::c_void,
            (pages * PAGE_SIZE) as usize,
            prot,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED_NOREPLACE,
            -1,
            0,
        )
    };
    if ret == libc::MAP_FAILED {
        return Err(format!("mmap of page {page} failed: {}", last_errno_name()));
    }
    if ret as u64 != addr {
        return Err(format!("mmap of page {page} landed at {:#x}", ret as u64));
    }
    Ok(())
}

/// One pair of the stream on `block`.
fn pair(stream: Stream, block: u64) -> Result<(), String> {
    let page = block * BLOCK_PAGES + 1;
    let addr = page_addr(page) as *mut libc::c_void;
    let len = PAGE_SIZE as usize;
    let prot = prot_of(block);
    // SAFETY (all calls): one page of the benchmark's own mapping in the window.
    match stream {
        Stream::Mprotect => {
            let other = prot ^ libc::PROT_WRITE;
            check("mprotect", unsafe { libc::mprotect(addr, len, other) })?;
            check("mprotect", unsafe { libc::mprotect(addr, len, prot) })
        }
        Stream::MunmapMmap => {
            check("munmap", unsafe { libc::munmap(addr, len) })?;
            map_fixed(page, 1, prot)
        }
        Stream::Madvise => {
            check("madvise", unsafe {
                libc::madvise(addr, len, libc::MADV_DONTFORK)
            })?;
            check("madvise", unsafe {
                libc::madvise(addr, len, libc::MADV_DOFORK)
            })
        }
    }
}

fn round(args: &BenchArgs) -> Result<f64, String> {
    let t0 = Instant::now();
    for i in 0..args.ops / 2 {
        pair(args.stream, (i * STRIDE) % args.vmas)?;
    }
    Ok(t0.elapsed().as_nanos() as f64 / args.ops as f64)
}

/// Sets up the layout, times the stream and removes the layout again.
pub fn run(args: &BenchArgs) -> Result<String, String> {
    window::verify_free()?;
    let pages = args.vmas * BLOCK_PAGES;
    map_fixed(0, pages, libc::PROT_READ)?;
    let timed = (|| {
        for block in (1..args.vmas).step_by(2) {
            // SAFETY: a block of the mapping just made.
            let ret = unsafe {
                libc::mprotect(
                    page_addr(block * BLOCK_PAGES) as *mut libc::c_void,
                    (BLOCK_PAGES * PAGE_SIZE) as usize,
                    prot_of(block),
                )
            };
            check("mprotect (layout)", ret)?;
        }
        round(args)?;
        let mut rounds = Vec::with_capacity(ROUNDS);
        for _ in 0..ROUNDS {
            rounds.push(round(args)?);
        }
        Ok::<_, String>(rounds)
    })();
    // SAFETY: removes exactly the benchmark's mapping.
    let unmapped = unsafe {
        libc::munmap(
            page_addr(0) as *mut libc::c_void,
            (pages * PAGE_SIZE) as usize,
        )
    };
    let rounds = timed?;
    check("munmap (layout)", unmapped)?;
    let mut sorted = rounds.clone();
    sorted.sort_by(f64::total_cmp);
    let stream = STREAMS[args.stream as usize];
    Ok(serde_json::json!({
        "stream": stream,
        "vmas": args.vmas,
        "ops": args.ops,
        "ns_per_op": sorted[ROUNDS / 2],
        "rounds_ns_per_op": rounds,
    })
    .to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<BenchArgs, String> {
        parse_args(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn parses_every_stream() {
        for (name, stream) in
            STREAMS
                .iter()
                .zip([Stream::Mprotect, Stream::MunmapMmap, Stream::Madvise])
        {
            assert_eq!(
                args(&[name, "1000", "20000"]),
                Ok(BenchArgs {
                    stream,
                    vmas: 1000,
                    ops: 20000
                })
            );
            assert_eq!(STREAMS[stream as usize], *name);
        }
    }

    #[test]
    fn refuses_bad_arguments() {
        for (list, message) in [
            (&["mprotect", "1000"][..], "expected 3 arguments"),
            (&["brk", "1", "2"][..], "unknown stream `brk`"),
            (
                &["madvise", "0", "2"][..],
                "VMAS must be an integer in [1, 262144]",
            ),
            (&["madvise", "262145", "2"][..], "VMAS must be an integer"),
            (&["madvise", "-1", "2"][..], "VMAS must be an integer"),
            (&["madvise", "1", "3"][..], "OPS must be even"),
            (&["madvise", "1", "x"][..], "OPS must be an integer"),
        ] {
            let err = args(list).unwrap_err();
            assert!(err.contains(message), "{list:?}: {err}");
        }
    }
}
